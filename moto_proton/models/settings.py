"""Account settings: the roles and repository that service pipelines are provisioned with,
per account and Region. A template with a pipeline can't be used until one is set."""

from typing import Any, Optional

from ..exceptions import ValidationException
from .parts import BackendParts, stored


class SettingsMixin(BackendParts):
    """GetAccountSettings and UpdateAccountSettings of `ProtonBackend`."""

    account_settings: dict[str, Any] = stored(dict)

    def get_account_settings(self) -> dict[str, Any]:
        return {"accountSettings": dict(self.account_settings)}

    def update_account_settings(
        self,
        pipeline_service_role_arn: Optional[str] = None,
        pipeline_codebuild_role_arn: Optional[str] = None,
        pipeline_provisioning_repository: Optional[dict[str, str]] = None,
        delete_pipeline_provisioning_repository: Optional[bool] = None,
    ) -> dict[str, Any]:
        if pipeline_provisioning_repository is not None and delete_pipeline_provisioning_repository:
            raise ValidationException(
                "Don't set deletePipelineProvisioningRepository when you update the pipeline "
                "provisioning repository."
            )
        linked = None
        if pipeline_provisioning_repository is not None:
            linked = self.linked_repository(
                pipeline_provisioning_repository["provider"],
                pipeline_provisioning_repository["name"],
                "pipelineProvisioningRepository",
            )
        settings = self.account_settings
        for member, value in (
            ("pipelineServiceRoleArn", pipeline_service_role_arn),
            ("pipelineCodebuildRoleArn", pipeline_codebuild_role_arn),
        ):
            if value == "":  # an empty string removes the role
                settings.pop(member, None)
            elif value is not None:
                settings[member] = value
        if delete_pipeline_provisioning_repository:
            settings.pop("pipelineProvisioningRepository", None)
        if linked is not None and pipeline_provisioning_repository is not None:
            settings["pipelineProvisioningRepository"] = {
                "arn": linked.arn,
                "name": linked.name,
                "provider": linked.provider,
                "branch": pipeline_provisioning_repository["branch"],
            }
        return {"accountSettings": dict(settings)}
