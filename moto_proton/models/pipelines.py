"""Service pipelines: the CI/CD pipeline of a service whose template has one, deployed from
the service's template version (`deployable.py`) with the `pipeline:` inputs of its spec."""

import datetime
from typing import TYPE_CHECKING, Any, Optional

from .. import provisioning
from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from ..specs import parse_service_spec, with_current_values
from .deployable import VersionedDeployable, deletion_model
from .parts import BackendParts
from .templates import SERVICE, TemplateVersion

if TYPE_CHECKING:
    from .services import Service


PIPELINE_ROLES_MISSING = "Operation cannot be run until pipeline roles have been configured"


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


class ServicePipelinesMixin(BackendParts):
    """The service pipeline operations of `ProtonBackend`."""

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
