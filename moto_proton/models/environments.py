"""Environments: deployed from a published template version, provisioned through an
environment account connection, a Proton service role, a CodeBuild role or a repository.

Every create or update records a `Deployment`; deletion goes DELETE_IN_PROGRESS -> gone
through moto's state manager as `proton::environment-deletion`.
"""

import dataclasses
import datetime
from typing import Any, Optional

from moto.core.utils import utcnow
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState

from ..exceptions import (
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from ..quotas import enforce_quota
from .base import BackendParts, OrderedIndex, Selection, paged
from .connections import CONNECTED, EnvironmentAccountConnection
from .deployments import CANCELLING, IN_PROGRESS, SUCCEEDED, Deployment
from .templates import PUBLISHED, EnvironmentTemplate, TemplateVersion, version_key

DELETION_MODEL = "proton::environment-deletion"
state_manager.register_default_transition(DELETION_MODEL, {"progression": "immediate"})
DELETING, DELETED = "DELETE_IN_PROGRESS", "DELETE_COMPLETE"
BUSY = (IN_PROGRESS, CANCELLING)


@dataclasses.dataclass
class Environment:
    name: str
    arn: str
    template_name: str
    template_major_version: str
    template_minor_version: str
    spec: str
    description: Optional[str]
    environment_account_id: str
    environment_account_connection_id: Optional[str]
    proton_service_role_arn: Optional[str]
    codebuild_role_arn: Optional[str]
    component_role_arn: Optional[str]
    provisioning: Optional[str]
    provisioning_repository: Optional[dict[str, str]]
    created_at: datetime.datetime
    last_deployment_attempted_at: datetime.datetime
    last_deployment_succeeded_at: datetime.datetime
    last_attempted_deployment_id: str
    last_succeeded_deployment_id: Optional[str] = None
    deployment_status: str = IN_PROGRESS
    deletion: Optional[ManagedState] = None
    #: What the provisioning produced; empty unless a test puts something here.
    outputs: list[dict[str, str]] = dataclasses.field(default_factory=list)
    provisioned_resources: list[dict[str, str]] = dataclasses.field(default_factory=list)

    def state(self) -> dict[str, str]:
        return {
            "templateName": self.template_name,
            "templateMajorVersion": self.template_major_version,
            "templateMinorVersion": self.template_minor_version,
            "spec": self.spec,
        }

    def uses_template_version(self, version: TemplateVersion) -> bool:
        return (self.template_name, self.template_major_version, self.template_minor_version) == (
            version.template_name,
            version.major,
            version.minor,
        )

    def describe(self) -> dict[str, Any]:
        described = {
            "name": self.name,
            "arn": self.arn,
            **self.state(),
            "description": self.description,
            "deploymentStatus": self.deployment_status,
            "environmentAccountId": self.environment_account_id,
            "environmentAccountConnectionId": self.environment_account_connection_id,
            "protonServiceRoleArn": self.proton_service_role_arn,
            "codebuildRoleArn": self.codebuild_role_arn,
            "componentRoleArn": self.component_role_arn,
            "provisioning": self.provisioning,
            "provisioningRepository": self.provisioning_repository,
            "createdAt": self.created_at,
            "lastDeploymentAttemptedAt": self.last_deployment_attempted_at,
            "lastDeploymentSucceededAt": self.last_deployment_succeeded_at,
            "lastAttemptedDeploymentId": self.last_attempted_deployment_id,
            "lastSucceededDeploymentId": self.last_succeeded_deployment_id,
        }
        return {k: v for k, v in described.items() if v is not None}


class EnvironmentsMixin(BackendParts):
    """The environment operations of `ProtonBackend`."""

    # -- status, as the state manager moves it ------------------------------------------

    def sync_environment(self, environment: Environment) -> str:
        """Apply what happened since the last look; the environment's deploymentStatus."""
        if environment.deletion is not None:
            environment.deployment_status = environment.deletion.status or DELETING
            return environment.deployment_status
        deployment = self.deployments.get(environment.last_attempted_deployment_id)
        if deployment is not None and not deployment.outcome_applied:
            status = deployment.settle()
            if status == SUCCEEDED:
                environment.last_succeeded_deployment_id = deployment.id
                environment.last_deployment_succeeded_at = deployment.completed_at or utcnow()
                deployment.last_succeeded_deployment_id = deployment.id
            elif deployment.completed_at is not None and deployment.initial_state:
                # Cancelled (or failed): the environment keeps what it had before.
                initial = deployment.initial_state
                environment.template_name = initial["templateName"]
                environment.template_major_version = initial["templateMajorVersion"]
                environment.template_minor_version = initial["templateMinorVersion"]
                environment.spec = initial.get("spec", environment.spec)
            deployment.outcome_applied = deployment.completed_at is not None
            environment.deployment_status = status
        return environment.deployment_status

    def environment(self, name: str) -> Environment:
        environment = self.environments.get(name)
        if environment is not None and self.sync_environment(environment) == DELETED:
            del self.environments[name]
            self.drop_tags(environment.arn)
            environment = None
        if environment is None:
            raise ResourceNotFoundException(f"The environment {name} was not found.")
        return environment

    def connection_in_use(self, connection: EnvironmentAccountConnection) -> bool:
        return any(
            e.environment_account_connection_id == connection.id
            for e in list(self.environments.values())
            if e.deletion is None
        )

    # -- helpers for create and update ------------------------------------------------------

    def _published_version(
        self, template: EnvironmentTemplate, major: str, minor: Optional[str]
    ) -> TemplateVersion:
        label = f"{template.name}:{major}.{minor}" if minor else f"{template.name}:{major}"
        if minor is None:
            minor = template.recommended_minor(major)
            if minor is None:
                raise ValidationException(
                    f"Environment template {template.name} has no published version in major "
                    f"version {major}."
                )
        try:
            version = template.versions.get(version_key(major, minor))
        except ValueError:
            version = None
        if version is None:
            raise ResourceNotFoundException(
                f"The environment template version {label} was not found."
            )
        if version.status != PUBLISHED:
            raise ValidationException(
                f"Environment template version {template.name}:{version.major}.{version.minor} "
                f"is {version.status}; only a PUBLISHED version can be deployed."
            )
        return version

    def _usable_connection(
        self, connection_id: str, environment_name: str
    ) -> EnvironmentAccountConnection:
        connection = self.managed_connections.get(connection_id)
        if connection is None:
            if connection_id in self.connections:
                raise ValidationException(
                    f"Environment account connection {connection_id} must be used from its "
                    f"management account, not from its environment account {self.account_id}."
                )
            raise ResourceNotFoundException(
                f"The environment account connection {connection_id} was not found."
            )
        if connection.status != CONNECTED:
            raise ValidationException(
                f"Environment account connection {connection_id} is {connection.status}; "
                "only a CONNECTED connection can provision an environment."
            )
        if connection.environment_name != environment_name:
            raise ValidationException(
                f"Environment account connection {connection_id} is for environment "
                f"{connection.environment_name}, not {environment_name}."
            )
        return connection

    def _repository(self, repository: Optional[dict[str, str]]) -> Optional[dict[str, str]]:
        if repository is None:
            return None
        provider = repository["provider"].lower()
        return {**repository, "arn": self.arn(f"repository/{provider}:{repository['name']}")}

    def _deploy(self, environment: Environment, initial: Optional[dict[str, str]]) -> Deployment:
        deployment = Deployment(
            arn_prefix=self.arn(""),
            environment_name=environment.name,
            target_arn=environment.arn,
            target_created_at=environment.created_at,
            initial_state=initial,
            target_state=environment.state(),
        )
        deployment.last_attempted_deployment_id = deployment.id
        deployment.last_succeeded_deployment_id = environment.last_succeeded_deployment_id
        self.deployments[deployment.id] = deployment
        environment.last_attempted_deployment_id = deployment.id
        environment.last_deployment_attempted_at = deployment.created_at
        environment.deployment_status = IN_PROGRESS
        return deployment

    # -- operations ---------------------------------------------------------------------

    def create_environment(
        self,
        name: str,
        template_name: str,
        template_major_version: str,
        spec: str,
        template_minor_version: Optional[str] = None,
        description: Optional[str] = None,
        environment_account_connection_id: Optional[str] = None,
        proton_service_role_arn: Optional[str] = None,
        codebuild_role_arn: Optional[str] = None,
        component_role_arn: Optional[str] = None,
        provisioning_repository: Optional[dict[str, str]] = None,
        tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        try:
            self.environment(name)
        except ResourceNotFoundException:
            pass
        else:
            raise ConflictException(f"The environment {name} already exists.")
        template = self.template(template_name)
        version = self._published_version(template, template_major_version, template_minor_version)
        ways = [
            w
            for w in (
                environment_account_connection_id,
                proton_service_role_arn,
                provisioning_repository,
            )
            if w is not None
        ]
        if len(ways) > 1:
            raise ValidationException(
                "Specify only one of environmentAccountConnectionId, protonServiceRoleArn and "
                "provisioningRepository."
            )
        if not ways and codebuild_role_arn is None:
            raise ValidationException(
                "Specify how to provision the environment: environmentAccountConnectionId, "
                "protonServiceRoleArn, codebuildRoleArn or provisioningRepository."
            )
        environment_account_id = self.account_id
        if environment_account_connection_id is not None:
            connection = self._usable_connection(environment_account_connection_id, name)
            environment_account_id = connection.environment_account_id
        enforce_quota(
            "environments",
            len(self.environments),
            f"Account {self.account_id}",
            f"environments in {self.region_name}",
        )
        now = utcnow()
        environment = Environment(
            name=name,
            arn=self.arn(f"environment/{name}"),
            template_name=template_name,
            template_major_version=version.major,
            template_minor_version=version.minor,
            spec=spec,
            description=description,
            environment_account_id=environment_account_id,
            environment_account_connection_id=environment_account_connection_id,
            proton_service_role_arn=proton_service_role_arn,
            codebuild_role_arn=codebuild_role_arn,
            component_role_arn=component_role_arn,
            provisioning=template.provisioning,
            provisioning_repository=self._repository(provisioning_repository),
            created_at=now,
            last_deployment_attempted_at=now,
            last_deployment_succeeded_at=now,
            last_attempted_deployment_id="",
        )
        managed = {"aws:proton:template": template.arn, "aws:proton:environment": environment.arn}
        self.add_tags(environment.arn, tags, managed)
        self._deploy(environment, initial=None)
        self.environments[name] = environment
        return {"environment": environment.describe()}

    def get_environment(self, name: str) -> dict[str, Any]:
        environment = self.environments.get(name)
        deployment = (
            self.deployments.get(environment.last_attempted_deployment_id) if environment else None
        )
        if deployment is not None:
            deployment.advance()
        if environment is not None and environment.deletion is not None:
            environment.deletion.advance()
        return {"environment": self.environment(name).describe()}

    @paged("environments")
    def list_environments(
        self, environment_templates: Optional[list[dict[str, str]]] = None
    ) -> Selection:
        wanted = {(f["templateName"], f["majorVersion"]) for f in environment_templates or []}
        chosen = []
        for name in list(self.environments):
            try:
                environment = self.environment(name)
            except ResourceNotFoundException:
                continue
            if (
                not wanted
                or (environment.template_name, environment.template_major_version) in wanted
            ):
                chosen.append(((name,), environment))
        return OrderedIndex(chosen), None

    def update_environment(
        self,
        name: str,
        deployment_type: str,
        spec: Optional[str] = None,
        template_major_version: Optional[str] = None,
        template_minor_version: Optional[str] = None,
        description: Optional[str] = None,
        environment_account_connection_id: Optional[str] = None,
        proton_service_role_arn: Optional[str] = None,
        codebuild_role_arn: Optional[str] = None,
        component_role_arn: Optional[str] = None,
        provisioning_repository: Optional[dict[str, str]] = None,
    ) -> dict[str, Any]:
        environment = self.environment(name)
        status = environment.deployment_status
        if environment.deletion is not None or status in BUSY:
            raise ConflictException(
                f"The environment {name} is {status}; wait for it to finish before updating it."
            )
        new_connection = environment_account_connection_id
        if (
            new_connection is not None
            and new_connection != environment.environment_account_connection_id
        ):
            if environment.environment_account_connection_id is None:
                raise ValidationException(
                    f"The environment {name} is not provisioned through an environment account "
                    "connection, so it can't be connected to one."
                )
            connection = self._usable_connection(new_connection, name)
            if connection.environment_account_id != environment.environment_account_id:
                raise ValidationException(
                    f"Environment account connection {new_connection} is for environment account "
                    f"{connection.environment_account_id}; the environment {name} is provisioned "
                    f"in {environment.environment_account_id}."
                )
        target: Optional[TemplateVersion] = None
        template = self.template(environment.template_name)
        current_major = environment.template_major_version
        if deployment_type == "CURRENT_VERSION":
            if (template_major_version or current_major) != current_major or (
                template_minor_version or environment.template_minor_version
            ) != environment.template_minor_version:
                raise ValidationException(
                    "deploymentType CURRENT_VERSION keeps the template version; use "
                    "MINOR_VERSION or MAJOR_VERSION to change it."
                )
            target = self._published_version(
                template, current_major, environment.template_minor_version
            )
        elif deployment_type == "MINOR_VERSION":
            if template_major_version not in (None, current_major):
                raise ValidationException(
                    "deploymentType MINOR_VERSION keeps the major version; use MAJOR_VERSION to "
                    "change it."
                )
            target = self._published_version(template, current_major, template_minor_version)
        elif deployment_type == "MAJOR_VERSION":
            major = template_major_version
            if major is None:
                recommended = template.recommended_version()
                major = recommended.major if recommended else current_major
            target = self._published_version(template, major, template_minor_version)

        initial = environment.state()
        for field, value in (
            ("description", description),
            ("environment_account_connection_id", new_connection),
            ("proton_service_role_arn", proton_service_role_arn),
            ("codebuild_role_arn", codebuild_role_arn),
            ("component_role_arn", component_role_arn),
        ):
            if value is not None:
                setattr(environment, field, value)
        if provisioning_repository is not None:
            environment.provisioning_repository = self._repository(provisioning_repository)
        if target is not None:  # every deploymentType but NONE deploys
            environment.template_major_version = target.major
            environment.template_minor_version = target.minor
            if spec is not None:
                environment.spec = spec
            self._deploy(environment, initial=initial)
        return {"environment": environment.describe()}

    def cancel_environment_deployment(self, environment_name: str) -> dict[str, Any]:
        environment = self.environment(environment_name)
        if environment.deployment_status != IN_PROGRESS:
            raise ConflictException(
                f"The environment {environment_name} is {environment.deployment_status}; only "
                "an IN_PROGRESS deployment can be cancelled."
            )
        self.deployments[environment.last_attempted_deployment_id].cancel()
        environment.deployment_status = CANCELLING
        return {"environment": environment.describe()}

    def delete_environment(self, name: str) -> dict[str, Any]:
        environment = self.environment(name)
        if environment.deletion is not None or environment.deployment_status in BUSY:
            raise ConflictException(
                f"The environment {name} is {environment.deployment_status} and can't be "
                "deleted now."
            )
        environment.deletion = ManagedState(DELETION_MODEL, [(DELETING, DELETED)])
        environment.deployment_status = DELETING
        return {"environment": environment.describe()}

    def list_environment_outputs(
        self,
        environment_name: str,
        deployment_id: Optional[str] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        environment = self.environment(environment_name)
        if deployment_id is not None:
            deployment = self.deployments.get(deployment_id)
            if deployment is None or deployment.environment_name != environment_name:
                raise ResourceNotFoundException(f"The deployment {deployment_id} was not found.")
        return {"outputs": list(environment.outputs)}

    def list_environment_provisioned_resources(
        self, environment_name: str, next_token: Optional[str] = None
    ) -> dict[str, Any]:
        environment = self.environment(environment_name)
        return {"provisionedResources": list(environment.provisioned_resources)}
