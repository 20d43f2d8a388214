"""Services, their instances and their pipelines.

A service is created from a published service template version with a spec that lists its
instances (each in an environment) and, when the template has a pipeline, the pipeline's
inputs. Instances and the pipeline are deployed resources (`deployable.py`); the service's
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
from .deployable import (
    BUSY,
    DELETE_FAILED,
    DELETED,
    DELETING,
    Deployable,
    VersionedDeployable,
    deletion_model,
)
from .deployments import FAILED, SUCCEEDED
from .idempotency import ClientTokens, fingerprint, idempotent_create
from .paging import OrderedIndex, Selection, instant, paged
from .parts import BackendParts, live
from .tags import MAX_USER_TAGS
from .templates import SERVICE, Template, TemplateVersion

ACTIVE = "ACTIVE"
PIPELINE_ROLES_MISSING = "Operation cannot be run until pipeline roles have been configured"


class ServiceInstance(VersionedDeployable):
    target_resource_type = "SERVICE_INSTANCE"
    state_member = "serviceInstance"
    deletion_model = deletion_model("service-instance")
    label = "service instance"

    def __init__(
        self,
        service: "Service",
        name: str,
        environment_name: str,
        version: TemplateVersion,
        spec: str,
        created_at: datetime.datetime,
        client_token: Optional[str] = None,
    ):
        super().__init__(
            name,
            f"{service.arn}/service-instance/{name}",
            version.template_name,
            version.major,
            version.minor,
            spec,
            created_at,
        )
        self.service_name = service.name
        self.environment_name = environment_name
        self.last_client_request_token = client_token

    @property
    def order(self) -> tuple[str, str]:
        return (self.service_name, self.name)

    def deployment_names(self) -> dict[str, str]:
        return {
            "environmentName": self.environment_name,
            "serviceName": self.service_name,
            "serviceInstanceName": self.name,
        }

    def describe(self) -> dict[str, Any]:
        described = {
            "name": self.name,
            "serviceName": self.service_name,
            "environmentName": self.environment_name,
            **self.deployed(),
            "lastClientRequestToken": self.last_client_request_token,
        }
        return {k: v for k, v in described.items() if v is not None}


class ServicePipeline(VersionedDeployable):
    target_resource_type = "SERVICE_PIPELINE"
    state_member = "servicePipeline"
    deletion_model = deletion_model("service")
    label = "pipeline of service"

    def __init__(self, service: "Service", version: TemplateVersion, created_at: datetime.datetime):
        super().__init__(
            service.name,
            f"{service.arn}/pipeline",
            version.template_name,
            version.major,
            version.minor,
            service.spec,
            created_at,
        )
        self.environment_name = service.first_environment

    def deployment_names(self) -> dict[str, str]:
        return {"environmentName": self.environment_name, "serviceName": self.name}

    def describe(self) -> dict[str, Any]:
        return self.deployed()


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
        created_with: str,
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
        described = {
            "arn": self.arn,
            "name": self.name,
            "templateName": self.template_name,
            "status": self.status,
            "statusMessage": self.status_message,
            "spec": self.spec,
            "description": self.description,
            "createdAt": self.created_at,
            "lastModifiedAt": self.last_modified_at,
            **{k: v for k, v in self.repository.items() if v is not None},
            "pipeline": self.pipeline.describe() if self.pipeline else None,
        }
        return {k: v for k, v in described.items() if v is not None}


class ServicesMixin(BackendParts):
    """The service, service instance and service pipeline operations of `ProtonBackend`."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.services = {}
        #: Every service instance by (serviceName, name): ListServiceInstances' default order.
        self.instance_order = OrderedIndex()
        self.instance_client_tokens = ClientTokens()

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

    def service_instance(self, service_name: str, name: str) -> ServiceInstance:
        return self.service(service_name).instance(name)

    def _forget(self, service: Service, instance: ServiceInstance) -> None:
        del service.instances[instance.name]
        self.instance_order.remove(instance.order)
        self.drop_tags(instance.arn)

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
                    self._forget(service, instance)
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
                self._forget(service, instance)
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
        deployment too (seen in aws-proton-cloudformation-sample-templates issue 47): the
        pipeline deployment of a creation, which waits for the instances, ends FAILED instead
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

    def instances_in_environment(self, environment_name: str) -> list[str]:
        """`service/instance` names of the instances that run in an environment; a deletion
        that has finished (seen first) no longer counts."""
        return [
            f"{s.name}/{i.name}"
            for s in self.live_services()
            for i in list(s.instances.values())
            if i.environment_name == environment_name
        ]

    # -- checks shared by create and update ----------------------------------------------

    def check_pipeline_roles(self) -> None:
        settings = self.account_settings
        if not any(
            settings.get(member)
            for member in (
                "pipelineServiceRoleArn",
                "pipelineCodebuildRoleArn",
                "pipelineProvisioningRepository",
            )
        ):
            raise ValidationException(PIPELINE_ROLES_MISSING)

    def _placeable(self, version: TemplateVersion, placement: InstanceSpec) -> None:
        """The instance's environment exists, is not being deleted, and runs a template the
        version is compatible with."""
        environment = self.environment(placement.environment)
        if environment.deletion is not None:
            raise ConflictException(
                f"The environment {environment.name} is being deleted; instance "
                f"{placement.name} can't be placed in it."
            )
        if not version.compatible_with(
            environment.template_name, environment.template_major_version
        ):
            raise ValidationException(
                f"Service template version {version.template_name}:{version.major}."
                f"{version.minor} is not compatible with environment {environment.name} "
                f"(environment template {environment.template_name}, major version "
                f"{environment.template_major_version})."
            )

    def _inherited_tags(
        self, parent_arn: str, own: Optional[list[dict[str, str]]]
    ) -> list[dict[str, str]]:
        """A child's user tags: its parent's, then its own (own wins); above the limit the
        inherited ones are dropped first."""
        mine = {t["key"]: t["value"] for t in own or []}
        parent = {
            k: v
            for k, v in self.tagger.get_tag_dict_for_resource(parent_arn).items()
            if not k.lower().startswith("aws:") and k not in mine
        }
        room = max(0, MAX_USER_TAGS - len(mine))
        inherited = dict(list(parent.items())[:room])
        return [{"key": k, "value": v} for k, v in {**inherited, **mine}.items()]

    def _new_instance(
        self,
        service: Service,
        placement: InstanceSpec,
        version: TemplateVersion,
        spec: str,
        at: datetime.datetime,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> ServiceInstance:
        instance = ServiceInstance(
            service, placement.name, placement.environment, version, spec, at, client_token
        )
        environment = self.environment(placement.environment)
        managed = {
            "aws:proton:account": self.account_id,
            "aws:proton:template": self.template(version.template_name, SERVICE).arn,
            "aws:proton:service": service.arn,
            "aws:proton:environment": environment.arn,
            "aws:proton:service-instance": instance.arn,
        }
        self.add_tags(instance.arn, self._inherited_tags(service.arn, tags), managed)
        self.start_deployment(instance, instance.state(), at=at)
        service.instances[instance.name] = instance
        self.instance_order.add(instance.order, instance)
        return instance

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
        if name in self.services:
            try:
                existing = self.service(name)
            except ResourceNotFoundException:
                pass
            else:
                label = f"service {name}"
                return {"service": idempotent_create(existing, request, label).describe()}
        template = self.template(template_name, SERVICE)
        version = self.published_version(template, template_major_version, template_minor_version)
        repository = {
            "repositoryConnectionArn": repository_connection_arn,
            "repositoryId": repository_id,
            "branchName": branch_name,
        }
        has_pipeline = template.provisioning is None
        given = sorted(k for k, v in repository.items() if v is not None)
        if has_pipeline and len(given) != 3:
            raise ValidationException(
                f"Service template {template_name} includes a pipeline: specify "
                "repositoryConnectionArn, repositoryId and branchName."
            )
        if not has_pipeline and given:
            raise ValidationException(
                f"Service template {template_name} has no pipeline "
                f"(pipelineProvisioning CUSTOMER_MANAGED): don't specify {', '.join(given)}."
            )
        parsed = parse_service_spec(spec)
        if parsed.pipeline is not None and not has_pipeline:
            raise ValidationException(
                f"Service template {template_name} has no pipeline: the spec can't have a "
                "pipeline section."
            )
        if has_pipeline:
            self.check_pipeline_roles()
        for placement in parsed.instances:
            self._placeable(version, placement)
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
            instance = self._new_instance(service, placement, version, spec, now)
            service.phase_deployments.append((instance, instance.last_attempted_deployment_id))
        if has_pipeline:
            pipeline = ServicePipeline(service, version, now)
            self.start_deployment(pipeline, pipeline.state(), at=now)
            service.pipeline = pipeline
            service.phase_deployments.append((pipeline, pipeline.last_attempted_deployment_id))
        service.report_status()
        return {"service": service.describe()}

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
        pipeline = service.pipeline
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
        kept, added = [], []
        for placement in parsed.instances:
            instance = service.instances.get(placement.name)
            if instance is None:
                added.append(placement)
                continue
            listed, deployed = current.instance(placement.name), running.instance(placement.name)
            allowed = [i.inputs for i in (listed, deployed) if i is not None]
            if placement.environment != instance.environment_name or (
                placement.inputs not in allowed
            ):
                raise ValidationException(
                    f"UpdateService can't change the environment or inputs of the existing "
                    f"instance {placement.name}; use UpdateServiceInstance."
                )
            kept.append(placement.name)
        removed = [i for n, i in service.instances.items() if n not in kept]
        self._check_no_component(service, removed)
        version = self._service_version(service)
        for placement in added:
            self._placeable(version, placement)
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
            instance = self._new_instance(service, placement, version, parsed.text, now)
            service.phase_deployments.append((instance, instance.last_attempted_deployment_id))
        if pipeline is not None:
            # A pipeline deployment's environmentName: the first instance's of the spec.
            service.first_environment = parsed.instances[0].environment
            pipeline.environment_name = service.first_environment
            target = {**pipeline.state(), "spec": parsed.text}
            self.start_deployment(pipeline, target, at=now)
            service.phase_deployments.append((pipeline, pipeline.last_attempted_deployment_id))
        service.report_status()
        # Like CreateService's, the answer shows the operation started: UPDATE_IN_PROGRESS
        # (AWS's example in ag-svc-update); the next read sees how far it got.
        return {"service": service.describe()}

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

    # -- service instances --------------------------------------------------------------

    def create_service_instance(
        self,
        name: str,
        service_name: str,
        spec: str,
        template_major_version: Optional[str] = None,
        template_minor_version: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        service = self.service(service_name)
        original = self.instance_client_tokens.replay(client_token, request)
        if original is not None and original in service.instances:
            return {"serviceInstance": service.instances[original].describe()}
        if name in service.instances:
            raise ConflictException(f"The service {service_name} already has an instance {name}.")
        if service.in_progress or service.deletion is not None:
            raise ConflictException(
                f"The service {service_name} is {service.status}; wait for it to finish before "
                "adding an instance."
            )
        placement = parse_service_spec(spec).instance(name)
        if placement is None:
            raise ValidationException(
                f"The spec must list the instance {name} under instances, with its environment."
            )
        template = self.template(service.template_name, SERVICE)
        if template_major_version is None:
            recommended = template.recommended_version()
            if recommended is None:
                raise ValidationException(
                    f"Service template {template.name} has no published version."
                )
            version = recommended
        else:
            version = self.published_version(
                template, template_major_version, template_minor_version
            )
        self._placeable(version, placement)
        provisioning.check_service_spec(version, spec, instances=[name], pipeline=False)
        if len(service.instances) >= get_quota("service_instances_per_service"):
            raise ValidationException(
                f"Service {service_name} has reached its quota of "
                f"{get_quota('service_instances_per_service')} service instances "
                "(service_instances_per_service)."
            )
        instance = self._new_instance(
            service, placement, version, spec, utcnow(), tags, client_token
        )
        self.instance_client_tokens.remember(client_token, request, name)
        self.block_sync(service_name, name, f"Manual creation of service instance {name}")
        return {"serviceInstance": instance.describe()}

    def get_service_instance(self, name: str, service_name: str) -> dict[str, Any]:
        service = self.services.get(service_name)
        instance = service.instances.get(name) if service else None
        if instance is not None:
            self.advance_deployable(instance)
        return {"serviceInstance": self.service_instance(service_name, name).describe()}

    def list_service_instances(
        self,
        service_name: Optional[str] = None,
        filters: Optional[list[dict[str, str]]] = None,
        sort_by: Optional[str] = None,
        sort_order: Optional[str] = None,
        max_results: Optional[int] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        if service_name is not None:
            self.service(service_name)
        if next_token is None or sort_by not in (None, "serviceName"):
            # Every service up to date ahead of a first page, and of every page whose order
            # is built from the instances' state. Later pages in the serviceName order bring
            # up to date only the instances they go through (`_current`): refreshing every
            # service on every page made a full listing grow with N².
            self.live_services()
        return self._list_service_instances(
            max_results=max_results,
            next_token=next_token,
            service_name=service_name,
            filters=filters or [],
            sort_by=sort_by or "serviceName",
            sort_order=sort_order or "ASCENDING",
        )

    @paged("serviceInstances")
    def _list_service_instances(
        self,
        service_name: Optional[str],
        filters: list[dict[str, str]],
        sort_by: str,
        sort_order: str,
    ) -> Selection:
        keep = self._current(instance_filter(self, service_name, filters))
        descending = sort_order == "DESCENDING"
        if sort_by == "serviceName" and not descending:
            return self.instance_order, keep
        field = SORT_FIELDS[sort_by]
        index = OrderedIndex(
            (((*_sortable(getattr(i, field)), i.service_name, i.name)), i)
            for i in self.instance_order.items
        )
        index.descending = descending
        return index, keep

    def _current(self, keep: Any) -> Any:
        """`keep` (or None) for an instance brought up to date first; False once it is
        deleted: it leaves the index at the next refresh of its service, not while a page walks
        the index."""

        def current(instance: ServiceInstance) -> bool:
            return self.refresh_deployable(instance) != DELETED and (keep is None or keep(instance))

        return current

    def update_service_instance(
        self,
        name: str,
        service_name: str,
        deployment_type: str,
        spec: Optional[str] = None,
        template_major_version: Optional[str] = None,
        template_minor_version: Optional[str] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        service = self.service(service_name)
        instance = service.instance(name)
        if self.instance_client_tokens.replay(client_token, request) is not None:
            return {"serviceInstance": instance.describe()}
        if service.deletion is not None:
            raise ConflictException(f"The service {service_name} is {service.status}.")
        self.check_not_busy(instance, "updating")
        component = self.component_of(service_name, name)
        if component is not None and self.refresh_deployable(component) in BUSY:
            raise ConflictException(
                f"The component {component.name} of service instance {service_name}/{name} is "
                f"{component.deployment_status}; wait for it to finish."
            )
        new_spec = instance.spec
        if spec is not None and deployment_type != "NONE":  # NONE deploys nothing: ignored
            current = parse_service_spec(instance.spec or "", need_instances=False)
            parsed = with_current_values(parse_service_spec(spec), current)
            placement = parsed.instance(name)
            if placement is None or placement.environment != instance.environment_name:
                raise ValidationException(
                    f"The spec must list the instance {name} under instances, in its "
                    f"environment {instance.environment_name}."
                )
            new_spec = parsed.text
        target = self.target_version(
            instance, SERVICE, deployment_type, template_major_version, template_minor_version
        )
        if target is not None:
            provisioning.check_service_spec(target, new_spec, instances=[name], pipeline=False)
            environment = self.environment(instance.environment_name)
            if not target.compatible_with(
                environment.template_name, environment.template_major_version
            ):
                raise ValidationException(
                    f"Service template version {target.template_name}:{target.major}."
                    f"{target.minor} is not compatible with environment {environment.name}."
                )
            self.start_deployment(instance, target.deployment_state(new_spec))
            self.block_sync(service_name, name, f"Manual update of service instance {name}")
        instance.last_client_request_token = client_token or instance.last_client_request_token
        self.instance_client_tokens.remember(client_token, request, name)
        return {"serviceInstance": instance.describe()}

    def cancel_service_instance_deployment(
        self, service_instance_name: str, service_name: str
    ) -> dict[str, Any]:
        instance = self.service_instance(service_name, service_instance_name)
        self.cancel_deployment(instance)
        return {"serviceInstance": instance.describe()}

    def list_service_instance_outputs(
        self,
        service_instance_name: str,
        service_name: str,
        deployment_id: Optional[str] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        instance = self.service_instance(service_name, service_instance_name)
        return self.outputs_of(instance, deployment_id)

    def list_service_instance_provisioned_resources(
        self, service_instance_name: str, service_name: str, next_token: Optional[str] = None
    ) -> dict[str, Any]:
        instance = self.service_instance(service_name, service_instance_name)
        return {"provisionedResources": list(instance.provisioned_resources)}

    # -- pipelines ----------------------------------------------------------------------

    def pipeline_of(self, service_name: str) -> ServicePipeline:
        service = self.service(service_name)
        if service.pipeline is None:
            raise ResourceNotFoundException(f"The service {service_name} has no pipeline.")
        return service.pipeline

    def update_service_pipeline(
        self,
        service_name: str,
        spec: str,
        deployment_type: str,
        template_major_version: Optional[str] = None,
        template_minor_version: Optional[str] = None,
    ) -> dict[str, Any]:
        pipeline = self.pipeline_of(service_name)
        service = self.services[service_name]
        if service.in_progress or service.deletion is not None:
            raise ConflictException(
                f"The service {service_name} is {service.status}; wait for it to finish before "
                "updating its pipeline."
            )
        self.check_not_busy(pipeline, "updating")
        if deployment_type != "NONE":  # NONE deploys nothing: the spec is ignored
            current = parse_service_spec(pipeline.spec or "", need_instances=False)
            spec = with_current_values(parse_service_spec(spec, need_instances=False), current).text
        self.check_pipeline_roles()
        target = self.target_version(
            pipeline, SERVICE, deployment_type, template_major_version, template_minor_version
        )
        if target is not None:
            provisioning.check_service_spec(target, spec, instances=[])
            self.start_deployment(pipeline, target.deployment_state(spec))
        return {"pipeline": pipeline.describe()}

    def cancel_service_pipeline_deployment(self, service_name: str) -> dict[str, Any]:
        pipeline = self.pipeline_of(service_name)
        self.cancel_deployment(pipeline)
        return {"pipeline": pipeline.describe()}

    def list_service_pipeline_outputs(
        self,
        service_name: str,
        deployment_id: Optional[str] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        return self.outputs_of(self.pipeline_of(service_name), deployment_id)

    def list_service_pipeline_provisioned_resources(
        self, service_name: str, next_token: Optional[str] = None
    ) -> dict[str, Any]:
        pipeline = self.pipeline_of(service_name)
        return {"provisionedResources": list(pipeline.provisioned_resources)}


#: ListServiceInstances' sortBy values and the attribute each sorts by.
SORT_FIELDS = {
    "name": "name",
    "deploymentStatus": "deployment_status",
    "templateName": "template_name",
    "serviceName": "service_name",
    "environmentName": "environment_name",
    "lastDeploymentAttemptedAt": "last_deployment_attempted_at",
    "createdAt": "created_at",
}
#: ListServiceInstances' filter keys that compare a string, and the attribute they compare.
STRING_FILTERS = {
    "name": "name",
    "deploymentStatus": "deployment_status",
    "templateName": "template_name",
    "serviceName": "service_name",
    "environmentName": "environment_name",
}
DATE_FILTERS = {
    "lastDeploymentAttemptedAtBefore": ("last_deployment_attempted_at", -1),
    "lastDeploymentAttemptedAtAfter": ("last_deployment_attempted_at", 1),
    "createdAtBefore": ("created_at", -1),
    "createdAtAfter": ("created_at", 1),
}


def _sortable(value: Any) -> tuple[Any, ...]:
    return (instant(value),) if isinstance(value, datetime.datetime) else (value,)


def _moment(key: str, value: str) -> float:
    text = value.strip()
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or not text.upper().endswith("Z") and moment.tzinfo is None:
        raise ValidationException(
            f"Filter {key} needs a date and time in RFC 3339 format, e.g. "
            f"1985-04-12T23:20:50.52Z, not '{value}'."
        )
    return moment.timestamp()


def instance_filter(
    backend: ServicesMixin, service_name: Optional[str], filters: list[dict[str, str]]
) -> Any:
    """The predicate of ListServiceInstances: the same key ORed, different keys ANDed."""
    wanted: dict[str, list[Any]] = {}
    for entry in filters:
        key, value = entry.get("key"), entry.get("value")
        if key is None or value is None:
            raise ValidationException("Each filter needs a key and a value.")
        if key in DATE_FILTERS:
            wanted.setdefault(key, []).append(_moment(key, value))
        else:
            wanted.setdefault(key, []).append(value)
    if service_name is not None:  # ANDed with any serviceName filter
        given = wanted.get("serviceName")
        wanted["serviceName"] = [service_name] if given is None or service_name in given else []

    def version_status(instance: ServiceInstance) -> Optional[str]:
        template = backend.service_templates.get(instance.template_name)
        version = (
            template.version(instance.template_major_version, instance.template_minor_version)
            if template
            else None
        )
        return version.status if version else None

    def keep(instance: ServiceInstance) -> bool:
        for key, values in wanted.items():
            if key in STRING_FILTERS:
                if getattr(instance, STRING_FILTERS[key]) not in values:
                    return False
            elif key == "deployedTemplateVersionStatus":
                if version_status(instance) not in values:
                    return False
            else:
                field, sign = DATE_FILTERS[key]
                moment = instant(getattr(instance, field))
                if not any((moment - v) * sign > 0 for v in values):
                    return False
        return True

    return keep if wanted else None
