"""`ProtonBackend`: one per account and Region, as moto keeps every service."""

import functools
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from moto.core.base_backend import AccountSpecificBackend, BackendDict, BaseBackend

from ..exceptions import ResourceNotFoundException
from .base import OrderedIndex
from .connections import ConnectionsMixin, EnvironmentAccountConnection
from .deployments import Deployment, DeploymentsMixin
from .environments import Environment, EnvironmentsMixin
from .idempotency import ClientTokens
from .tags import TagsMixin, new_tagger
from .templates import EnvironmentTemplate, TemplatesMixin, version_key

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
    EnvironmentsMixin,
    DeploymentsMixin,
    TagsMixin,
    BaseBackend,
):
    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.connections: dict[str, EnvironmentAccountConnection] = {}
        self.managed_connections: dict[str, EnvironmentAccountConnection] = {}
        self.connection_order = OrderedIndex()
        self.managed_connection_order = OrderedIndex()
        self.connection_client_tokens = ClientTokens()
        self.open_connections: dict[tuple[str, str], EnvironmentAccountConnection] = {}
        self.environment_templates: dict[str, EnvironmentTemplate] = {}
        self.template_version_client_tokens = ClientTokens()
        self.environments: dict[str, Environment] = {}
        self.deployments: dict[str, Deployment] = {}
        self.tagger = new_tagger()

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
        """Whether this account has the resource an ARN of this Region names."""
        if kind == "environment-template":
            template_name, _, version = name.partition(":")
            template = self.environment_templates.get(template_name)
            if template is None or not version:
                return template is not None
            major, _, minor = version.partition(".")
            try:
                return version_key(major, minor) in template.versions
            except ValueError:
                return False
        if kind == "environment":
            try:
                self.environment(name)
            except ResourceNotFoundException:
                return False
            return True
        return False

    def get_resources_summary(self) -> dict[str, Any]:
        environments = {"total": 0, "failed": 0, "upToDate": 0, "behindMajor": 0, "behindMinor": 0}
        for name in list(self.environments):
            try:
                environment = self.environment(name)
            except ResourceNotFoundException:
                continue
            environments["total"] += 1
            if environment.deployment_status == "FAILED":
                environments["failed"] += 1
            template = self.environment_templates.get(environment.template_name)
            recommended = template.recommended_version() if template else None
            current = (
                int(environment.template_major_version),
                int(environment.template_minor_version),
            )
            if recommended is None or current >= recommended.key:
                environments["upToDate"] += 1
            elif current[0] < recommended.key[0]:
                environments["behindMajor"] += 1
            else:
                environments["behindMinor"] += 1
        nothing = {"total": 0}
        return {
            "counts": {
                "environmentTemplates": {"total": len(self.environment_templates)},
                "environments": environments,
                "serviceTemplates": nothing,
                "services": nothing,
                "serviceInstances": nothing,
                "pipelines": nothing,
                "components": nothing,
            }
        }


proton_backends: Any = BackendDict(
    ProtonBackend,
    "proton",
    additional_regions=_EveryKnownRegion(),  # type: ignore[arg-type]
)
