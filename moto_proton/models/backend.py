"""`ProtonBackend`: one per account and Region, as moto keeps every service."""

import functools
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any, Optional

from moto.core.base_backend import AccountSpecificBackend, BackendDict, BaseBackend

from ..exceptions import ResourceNotFoundException
from .components import ComponentsMixin
from .connections import ConnectionsMixin
from .deployable import DELETE_FAILED, Deployable, DeployableMixin, VersionedDeployable
from .deployments import FAILED, Deployment, DeploymentsMixin
from .environments import EnvironmentsMixin
from .instances import ServiceInstancesMixin
from .pipelines import ServicePipelinesMixin
from .repositories import RepositoriesMixin
from .services import ServicesMixin
from .settings import SettingsMixin
from .sync import SyncMixin
from .tags import TagsMixin
from .template_versions import TemplateVersionsMixin
from .templates import (
    ENVIRONMENT,
    KINDS,
    SERVICE,
    TemplatesMixin,
    TemplateVersion,
)

#: Serialises every Proton operation in a process: check-then-act steps (client tokens,
#: conflicts, quotas) and changes that touch two accounts' backends stay atomic when the
#: server answers requests from several threads.
PROTON_LOCK = threading.RLock()


class _EveryKnownRegion(Sequence[str]):
    """Real Proton runs in 11 Regions; the mock serves every Region botocore knows, so that
    tests in any Region and partition (aws-cn, aws-us-gov) work. Listed on first use (moto asks
    when an account is first seen), not at import: that costs a botocore session."""

    @functools.cached_property
    def _regions(self) -> list[str]:
        session = AccountSpecificBackend.get_session()
        return [
            region
            for partition in session.get_available_partitions()
            for region in session.get_available_regions("ec2", partition_name=partition)
        ]

    def __getitem__(self, index: Any) -> Any:
        return self._regions[index]

    def __len__(self) -> int:
        return len(self._regions)


class ProtonBackend(
    ConnectionsMixin,
    TemplatesMixin,
    TemplateVersionsMixin,
    DeployableMixin,
    EnvironmentsMixin,
    ServicesMixin,
    ServiceInstancesMixin,
    ServicePipelinesMixin,
    ComponentsMixin,
    RepositoriesMixin,
    SyncMixin,
    SettingsMixin,
    DeploymentsMixin,
    TagsMixin,
    BaseBackend,
):
    @property
    def _url_module(self) -> ModuleType:  # type: ignore[override]
        from .. import urls

        return urls

    def backend_of(self, account_id: str) -> "ProtonBackend":
        backend: ProtonBackend = proton_backends[account_id][self.region_name]
        return backend

    def arn(self, resource: str) -> str:
        return f"arn:{self.partition}:proton:{self.region_name}:{self.account_id}:{resource}"

    def owns_resource(self, kind: str, name: str) -> bool:
        """Whether this account has the (taggable) resource an ARN of this Region names."""
        if kind in KINDS:
            template_name, _, version = name.partition(":")
            template = self.templates_of(KINDS[kind]).get(template_name)
            if template is None or not version:
                return template is not None
            major, _, minor = version.partition(".")
            return template.version(major, minor) is not None
        try:
            if kind == "environment":
                self.environment(name)
            elif kind == "component":
                self.component(name)
            elif kind == "repository":
                provider, _, repository_name = name.partition(":")
                if not any(
                    r.arn.endswith(f":repository/{provider}:{repository_name}")
                    for r in self.repositories.values()
                ):
                    return False
            elif kind == "service":
                self._tagged_service_part(name)
            else:
                return False
        except ResourceNotFoundException:
            return False
        return True

    def _tagged_service_part(self, path: str) -> None:
        """`svc` or `svc/service-instance/name`; a pipeline is not taggable."""
        service_name, _, rest = path.partition("/")
        service = self.service(service_name)
        if rest:
            kind, _, instance_name = rest.partition("/")
            if kind != "service-instance":
                raise ResourceNotFoundException(path)
            service.instance(instance_name)

    def template_version_users(self, version: TemplateVersion) -> list[str]:
        """What runs on a template version, e.g. `environments: prod` or
        `service instances: svc/a`, one entry per kind of user. A deletion that has
        finished (seen first) no longer uses it."""
        environments, services = self.live_environments(), self.live_services()
        key = (version.template_name, version.major, version.minor)
        found: dict[str, list[str]] = {
            "environments": [e.name for e in environments if e.uses_template_version(*key)]
            if version.kind is ENVIRONMENT
            else [],
            "service instances": [
                f"{s.name}/{i.name}"
                for s in services
                for i in s.instances.values()
                if version.kind is SERVICE and i.uses_template_version(*key)
            ],
            "pipelines of services": [
                s.name
                for s in services
                if version.kind is SERVICE
                and s.pipeline is not None
                and s.pipeline.uses_template_version(*key)
            ],
        }
        return [f"{kind}: {', '.join(sorted(names))}" for kind, names in found.items() if names]

    def deployment_target(self, deployment: Deployment) -> Optional[Deployable]:
        names = deployment.names
        if deployment.target_resource_type == "ENVIRONMENT":
            return self.environments.get(names["environmentName"])
        if deployment.target_resource_type == "COMPONENT":
            return self.components.get(names["componentName"])
        service = self.services.get(names.get("serviceName", ""))
        if service is None:
            return None
        if deployment.target_resource_type == "SERVICE_PIPELINE":
            return service.pipeline
        return service.instances.get(names.get("serviceInstanceName", ""))

    def get_resources_summary(self) -> dict[str, Any]:
        environments: list[VersionedDeployable] = list(self.live_environments())
        services = self.live_services()
        instances: list[VersionedDeployable] = [i for s in services for i in s.instances.values()]
        components = self.live_components()
        pipelines: list[VersionedDeployable] = [s.pipeline for s in services if s.pipeline]
        service_counts = _counts()
        for service in services:
            parts = [_staleness(self, r) for r in list(service.instances.values())]
            parts += [_staleness(self, service.pipeline)] if service.pipeline else []
            service_counts["total"] += 1
            service_counts["failed"] += "FAILED" in service.status
            worst = (
                "behindMajor"
                if "behindMajor" in parts
                else ("behindMinor" if "behindMinor" in parts else "upToDate")
            )
            service_counts[worst] += 1
        return {
            "counts": {
                "environmentTemplates": {"total": len(self.environment_templates)},
                "environments": _deployed_counts(self, environments),
                "serviceTemplates": {"total": len(self.service_templates)},
                "services": service_counts,
                "serviceInstances": _deployed_counts(self, instances),
                "pipelines": _deployed_counts(self, pipelines),
                "components": {
                    "total": len(components),
                    "failed": sum(
                        c.deployment_status in (FAILED, DELETE_FAILED) for c in components
                    ),
                },
            }
        }


def _counts() -> dict[str, int]:
    return {"total": 0, "failed": 0, "upToDate": 0, "behindMajor": 0, "behindMinor": 0}


def _staleness(backend: ProtonBackend, resource: VersionedDeployable) -> str:
    """upToDate, behindMajor or behindMinor, against the template's published versions."""
    kind = ENVIRONMENT if resource.target_resource_type == "ENVIRONMENT" else SERVICE
    template = backend.templates_of(kind).get(resource.template_name)
    recommended = template.recommended_version() if template else None
    current = (int(resource.template_major_version), int(resource.template_minor_version))
    if recommended is None or current >= recommended.key:
        return "upToDate"
    if current[0] < recommended.key[0]:
        return "behindMajor"
    return "behindMinor"


def _deployed_counts(
    backend: ProtonBackend, resources: list[VersionedDeployable]
) -> dict[str, int]:
    counts = _counts()
    for resource in resources:
        counts["total"] += 1
        counts["failed"] += resource.deployment_status in (FAILED, DELETE_FAILED)
        counts[_staleness(backend, resource)] += 1
    return counts


proton_backends: Any = BackendDict(
    ProtonBackend,
    "proton",
    additional_regions=_EveryKnownRegion(),  # type: ignore[arg-type]
)
