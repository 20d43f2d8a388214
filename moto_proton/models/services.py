"""Services, and the status a service derives from its instances and its pipeline.

A service is created from a published service template version with a spec that lists its
instances (each in an environment) and, when the template has a pipeline, the pipeline's
inputs. Instances (`instances.py`) and the pipeline (`pipelines.py`) are deployed resources
(`deployable.py`); the service's
own status is derived from their deployments: CREATE_IN_PROGRESS / UPDATE_IN_PROGRESS while
one runs, then ACTIVE, or CREATE_FAILED / UPDATE_FAILED when one did not succeed.
Deletion goes DELETE_IN_PROGRESS -> gone through `proton::service-deletion` and takes the
instances and the pipeline with it.
"""

import datetime
from typing import Any, Optional

from moto.core.utils import utcnow
from moto.moto_api._internal.managed_state_model import ManagedState

from .. import provisioning
from ..exceptions import (
    ConflictException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ValidationException,
)
from ..provisioning.events import status_change
from ..quotas import enforce_quota, get_quota
from ..specs import InstanceSpec, ServiceSpec, parse_service_spec, with_current_values
from .deployable import BUSY, DELETE_FAILED, DELETED, DELETING, Deployable, deletion_model
from .deployments import FAILED, SUCCEEDED
from .describing import described
from .idempotency import Fingerprint, fingerprint, idempotent_create
from .instances import ServiceInstance
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, found, live, stored
from .pipelines import ServicePipeline
from .templates import SERVICE, Template, TemplateVersion

ACTIVE = "ACTIVE"


class Service:
    def __init__(
        self,
        name: str,
        arn: str,
        template: Template,
        version: TemplateVersion,
        spec: ServiceSpec,
        description: Optional[str],
        repository: dict[str, Optional[str]],
        created_at: datetime.datetime,
        created_with: Fingerprint,
    ):
        self.name = name
        self.arn = arn
        self.template_name = template.name
        #: The version new instances are deployed at (the one the service was created with).
        self.template_major_version = version.major
        self.template_minor_version = version.minor
        self.spec = spec.text
        self.document = spec.document
        self.first_environment = spec.instances[0].environment if spec.instances else ""
        self.description = description
        self.repository = repository
        self.created_at = self.last_modified_at = created_at
        self.created_with = created_with
        self.modified = False
        self.instances: dict[str, ServiceInstance] = {}
        self.pipeline: Optional[ServicePipeline] = None
        self.deletion: Optional[ManagedState] = None
        #: "CREATE" or "UPDATE" while the deployments that operation started run; their ids.
        self.phase: Optional[str] = "CREATE"
        self.phase_deployments: list[tuple[Deployable, str]] = []
        self.status = "CREATE_IN_PROGRESS"
        self.status_message: Optional[str] = None
        #: The status its last event reported (None before the first).
        self.reported_status: Optional[str] = None

    def awaits(self, resource: Deployable) -> None:
        """The running create or update of the service waits for `resource`'s deployment."""
        self.phase_deployments.append((resource, resource.last_attempted_deployment_id))

    @property
    def in_progress(self) -> bool:
        return self.status.endswith("_IN_PROGRESS")

    def report_status(self, status: Optional[str] = None) -> None:
        """Tell EventBridge when its status (or `status`) differs from the last one told; the
        first event has no previous status."""
        status = status or self.status
        if status != self.reported_status:
            detail = {"name": self.name, "status": status, "previousStatus": self.reported_status}
            status_change("Service", self.arn, detail)
            self.reported_status = status

    def instance(self, name: str) -> ServiceInstance:
        instance = self.instances.get(name)
        if instance is None:
            raise ResourceNotFoundException(
                f"The service instance {name} of service {self.name} was not found."
            )
        return instance

    def describe(self) -> dict[str, Any]:
        return {
            **described(
                self,
                "arn name templateName status statusMessage spec description createdAt "
                "lastModifiedAt",
            ),
            **{k: v for k, v in self.repository.items() if v is not None},
            **({"pipeline": self.pipeline.describe()} if self.pipeline else {}),
        }


class ServicesMixin(BackendParts):
    """The service operations of `ProtonBackend`."""

    services: dict[str, Service] = stored(dict)

    # -- finding things, with their status brought up to date ----------------------------

    def service(self, name: str) -> Service:
        service = self.services.get(name)
        if service is not None and self.refresh_service(service) == DELETED:
            service = None
        if service is None:
            raise ResourceNotFoundException(f"The service {name} was not found.")
        return service

    def live_services(self) -> list[Service]:
        """Every service, brought up to date; those whose deletion has finished are gone."""
        return live(self.services, self.service)

    def refresh_service(self, service: Service) -> str:
        """Bring the instances, the pipeline and the service's derived status up to date,
        and tell EventBridge when the status changed."""
        status = self._refresh_service(service)
        service.report_status("DELETED" if status == DELETED else status)  # events' word
        return status

    def _refresh_service(self, service: Service) -> str:
        if service.deletion is not None:
            deletion_status = service.deletion.status or DELETING
            if deletion_status == DELETE_FAILED:
                service.status = DELETE_FAILED
                service.status_message = getattr(service.deletion, "message", None)
            if deletion_status == DELETED:
                for resource in self._deployed_parts(service):
                    self.refresh_deployable(resource)  # their stacks go (provisioning)
                for instance in list(service.instances.values()):
                    self.forget_instance(service, instance)
                del self.services[service.name]
                self.drop_tags(service.arn)
                self.deletions.remember(service.arn, {})  # a retry once done answers empty
                self.forget_service_sync(service.name)
                return DELETED
            for resource in self._deployed_parts(service):
                self.refresh_deployable(resource)
            return service.status
        for instance in list(service.instances.values()):
            if self.refresh_deployable(instance) == DELETED:
                self.forget_instance(service, instance)
        if service.pipeline is not None:
            self._cancel_pipeline_after_failed_instances(service)
            self.refresh_deployable(service.pipeline)
        if service.phase is not None:
            self._settle_phase(service)
        return service.status

    def _deployed_parts(self, service: Service) -> list[Deployable]:
        parts: list[Deployable] = list(service.instances.values())
        return parts + ([service.pipeline] if service.pipeline else [])

    def _settle_phase(self, service: Service) -> None:
        statuses = []
        for resource, deployment_id in service.phase_deployments:
            if resource.last_attempted_deployment_id == deployment_id:
                statuses.append(resource.deployment_status)
        removing = any(i.deletion is not None for i in service.instances.values())
        phase = service.phase
        if removing or any(status in BUSY for status in statuses):
            service.status = f"{phase}_IN_PROGRESS"
            return
        failed = [s for s in statuses if s != SUCCEEDED]
        if failed:
            service.status = f"{phase}_FAILED"
            service.status_message = "A deployment of the service did not succeed."
        else:
            service.status = ACTIVE
            service.status_message = None
        service.phase = None
        service.phase_deployments = []

    def _cancel_pipeline_after_failed_instances(self, service: Service) -> None:
        """When an instance fails to deploy during creation, AWS fails the pending pipeline
        deployment too, with the message below (as a user of AWS's sample templates reported
        it): the pipeline deployment of a creation, which waits for the instances, ends FAILED instead
        of SUCCEEDED once one of them failed. Runs before the pipeline takes in its outcome."""
        pipeline = service.pipeline
        deployment = self.current_deployment(pipeline) if pipeline is not None else None
        if (
            service.phase != "CREATE"
            or deployment is None
            or deployment.outcome_applied
            or deployment.settle() != SUCCEEDED
        ):
            return
        failed = [
            r.arn
            for r, _ in service.phase_deployments
            if isinstance(r, ServiceInstance) and r.deployment_status == FAILED
        ]
        if failed:
            deployment.fail(
                f"Service Instance(s): [{', '.join(failed)}] failed to deploy - canceling "
                "pipeline deployment"
            )

    def _check_no_component(self, service: Service, instances: list[ServiceInstance]) -> None:
        attached = self.components_by_instance()
        for instance in instances:
            component = attached.get((service.name, instance.name))
            if component is not None:
                raise ConflictException(
                    f"The service instance {service.name}/{instance.name} has the component "
                    f"{component.name} attached: detach it first."
                )

    def _service_version(self, service: Service) -> TemplateVersion:
        template = self.template(service.template_name, SERVICE)
        try:
            return self.published_version(
                template, service.template_major_version, service.template_minor_version
            )
        except (ResourceNotFoundException, ValidationException):
            return self.published_version(template, service.template_major_version, None)

    # -- services -------------------------------------------------------------------------

    def create_service(
        self,
        name: str,
        template_name: str,
        template_major_version: str,
        spec: str,
        template_minor_version: Optional[str] = None,
        description: Optional[str] = None,
        repository_connection_arn: Optional[str] = None,
        repository_id: Optional[str] = None,
        branch_name: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        existing = found(self.services, self.service, name)
        if existing is not None:
            return {"service": idempotent_create(existing, request, f"service {name}").describe()}
        template = self.template(template_name, SERVICE)
        version = self.published_version(template, template_major_version, template_minor_version)
        repository = {
            "repositoryConnectionArn": repository_connection_arn,
            "repositoryId": repository_id,
            "branchName": branch_name,
        }
        parsed = self._check_new_service(name, template, version, spec, repository)
        now = utcnow()
        service = Service(
            name,
            self.arn(f"service/{name}"),
            template,
            version,
            parsed,
            description,
            repository,
            now,
            request,
        )
        managed = {
            "aws:proton:account": self.account_id,
            "aws:proton:template": template.arn,
            "aws:proton:service": service.arn,
        }
        self.add_tags(service.arn, tags, managed)
        self.services[name] = service
        for placement in parsed.instances:
            service.awaits(self.new_instance(service, placement, version, spec, now))
        if template.provisioning is None:  # the template has a pipeline
            pipeline = ServicePipeline(service, version, now)
            self.start_deployment(pipeline, pipeline.state(), at=now)
            service.pipeline = pipeline
            service.awaits(pipeline)
        service.report_status()
        return {"service": service.describe()}

    def _check_new_service(
        self,
        name: str,
        template: Template,
        version: TemplateVersion,
        spec: str,
        repository: dict[str, Optional[str]],
    ) -> ServiceSpec:
        """CreateService's checks, in order; the parsed spec."""
        has_pipeline = template.provisioning is None
        given = sorted(k for k, v in repository.items() if v is not None)
        if has_pipeline and len(given) != 3:
            raise ValidationException(
                f"Service template {template.name} includes a pipeline: specify "
                "repositoryConnectionArn, repositoryId and branchName."
            )
        if not has_pipeline and given:
            raise ValidationException(
                f"Service template {template.name} has no pipeline "
                f"(pipelineProvisioning CUSTOMER_MANAGED): don't specify {', '.join(given)}."
            )
        parsed = parse_service_spec(spec)
        if parsed.pipeline is not None and not has_pipeline:
            raise ValidationException(
                f"Service template {template.name} has no pipeline: the spec can't have a "
                "pipeline section."
            )
        if has_pipeline:
            self.check_pipeline_roles()
        for placement in parsed.instances:
            self.check_placeable(version, placement)
        provisioning.check_service_spec(version, parsed, pipeline=has_pipeline)
        enforce_quota(
            "services",
            len(self.services),
            f"Account {self.account_id}",
            f"services in {self.region_name}",
        )
        enforce_quota(
            "service_instances_per_service",
            0,
            f"Service {name}",
            "service instances",
            adding=len(parsed.instances),
        )
        return parsed

    def get_service(self, name: str) -> dict[str, Any]:
        service = self.services.get(name)
        if service is not None:
            if service.deletion is not None:
                # One read of the deletion, which the instances and the pipeline share.
                service.deletion.advance()
            else:
                for resource in self._deployed_parts(service):
                    self.advance_deployable(resource)
        return {"service": self.service(name).describe()}

    @paged("services")
    def list_services(self) -> Selection:
        return OrderedIndex(((s.name,), s) for s in self.live_services()), None

    def update_service(
        self, name: str, description: Optional[str] = None, spec: Optional[str] = None
    ) -> dict[str, Any]:
        service = self.service(name)
        if service.deletion is not None:
            raise ConflictException(f"The service {name} is {service.status}.")
        if spec is None:
            if description is not None and description != service.description:
                service.description = description
                service.last_modified_at = utcnow()
                service.modified = True
            return {"service": service.describe()}
        parsed, version, added, removed = self._check_service_update(service, spec)
        now = utcnow()
        service.phase, service.phase_deployments = "UPDATE", []
        service.status, service.status_message = "UPDATE_IN_PROGRESS", None
        service.spec, service.document = parsed.text, parsed.document
        service.last_modified_at = now
        service.modified = True
        if description is not None:
            service.description = description
        for instance in removed:
            self.start_deletion(instance)
        if removed:
            names = ", ".join(i.name for i in removed)
            self.block_sync(name, None, f"Manual removal of service instance(s) {names}")
        for placement in added:
            service.awaits(self.new_instance(service, placement, version, parsed.text, now))
        pipeline = service.pipeline
        if pipeline is not None:
            # A pipeline deployment's environmentName: the first instance's of the spec.
            service.first_environment = parsed.instances[0].environment
            pipeline.environment_name = service.first_environment
            target = {**pipeline.state(), "spec": parsed.text}
            self.start_deployment(pipeline, target, at=now)
            service.awaits(pipeline)
        service.report_status()
        # Like CreateService's, the answer shows the operation started: UPDATE_IN_PROGRESS
        # (AWS's example in ag-svc-update); the next read sees how far it got.
        return {"service": service.describe()}

    def _check_service_update(
        self, service: Service, spec: str
    ) -> tuple[ServiceSpec, TemplateVersion, list[InstanceSpec], list[ServiceInstance]]:
        """UpdateService's checks of a new spec, in order; the parsed spec, the version new
        instances get, the instances to add and those to remove."""
        name, pipeline = service.name, service.pipeline
        if service.in_progress or (pipeline is not None and pipeline.deployment_status in BUSY):
            raise ConflictException(
                f"The service {name} is {service.status}"
                + (f" and its pipeline {pipeline.deployment_status}" if pipeline else "")
                + "; wait for it to finish before updating it."
            )
        current = parse_service_spec(service.spec, need_instances=False)
        running = self._running_spec(service, current)
        # ${Proton::CURRENT_VAL} keeps what each instance and the pipeline run with.
        parsed = with_current_values(parse_service_spec(spec), running)
        # Kept parts must not change: their inputs are those they run with, or those the
        # service's spec lists (an UpdateServiceInstance/Pipeline doesn't rewrite it).
        if (parsed.pipeline or None) not in (current.pipeline or None, running.pipeline or None):
            raise ValidationException(
                f"UpdateService can't change the pipeline inputs of service {name}; use "
                "UpdateServicePipeline."
            )
        kept, added = self._kept_and_added(service, parsed, (current, running))
        removed = [i for n, i in service.instances.items() if n not in kept]
        self._check_no_component(service, removed)
        version = self._service_version(service)
        for placement in added:
            self.check_placeable(version, placement)
        provisioning.check_service_spec(version, parsed, pipeline=service.pipeline is not None)
        for instance in removed:
            self.check_not_busy(instance, "deleting")
        remaining = len(kept) + len(added)
        if remaining > get_quota("service_instances_per_service"):
            raise ServiceQuotaExceededException(
                f"Service {name} has reached its quota of "
                f"{get_quota('service_instances_per_service')} service instances "
                "(service_instances_per_service)."
            )
        return parsed, version, added, removed

    def _kept_and_added(
        self, service: Service, parsed: ServiceSpec, before: tuple[ServiceSpec, ServiceSpec]
    ) -> tuple[list[str], list[InstanceSpec]]:
        """The names of the instances a new spec keeps, and the instances it adds. A kept
        instance keeps its environment and inputs: those of the service's spec or those it
        runs with (`before`)."""
        kept, added = [], []
        for placement in parsed.instances:
            instance = service.instances.get(placement.name)
            if instance is None:
                added.append(placement)
                continue
            allowed = [s.instance(placement.name) for s in before]
            if placement.environment != instance.environment_name or (
                placement.inputs not in [i.inputs for i in allowed if i is not None]
            ):
                raise ValidationException(
                    f"UpdateService can't change the environment or inputs of the existing "
                    f"instance {placement.name}; use UpdateServiceInstance."
                )
            kept.append(placement.name)
        return kept, added

    def _running_spec(self, service: Service, current: ServiceSpec) -> ServiceSpec:
        """The service's spec as its parts run it: each instance with the inputs of its
        last successful deployment, the pipeline with its deployed `pipeline:` section."""
        instances = []
        for instance in service.instances.values():
            entry = parse_service_spec(instance.spec or "", False).instance(instance.name)
            inputs = entry.inputs if entry is not None else {}
            instances.append(InstanceSpec(instance.name, instance.environment_name, inputs))
        pipeline = current.pipeline
        if service.pipeline is not None:
            pipeline = parse_service_spec(service.pipeline.spec or "", False).pipeline
        return ServiceSpec(current.text, current.document, instances, pipeline)

    def delete_service(self, name: str) -> dict[str, Any]:
        return self.deletions.retry_or(
            self.arn(f"service/{name}"), lambda: self._start_service_deletion(name)
        )

    def _start_service_deletion(self, name: str) -> dict[str, Any]:
        service = self.service(name)
        if service.deletion is not None and service.status != DELETE_FAILED:
            return {"service": service.describe()}
        self._check_no_component(service, list(service.instances.values()))
        busy = [r for r in self._deployed_parts(service) if r.deployment_status in BUSY]
        if service.in_progress or busy:
            raise ConflictException(
                f"The service {name} is {service.status}"
                + (f" with deployments in progress ({busy[0].arn})" if busy else "")
                + "; wait for it to finish before deleting it."
            )
        service.deletion = self.new_deletion(service.arn, deletion_model("service"))
        service.status = DELETING
        service.modified = True  # an identical CreateService now conflicts (AWS's Welcome page)
        for resource in self._deployed_parts(service):
            resource.deletion = service.deletion
            resource.deployment_status = DELETING
        service.report_status()
        return {"service": service.describe()}
