"""Environments: deployed from a published template version, provisioned through an
environment account connection, a Proton service role, a CodeBuild role or a repository.

They follow the lifecycle of every deployed resource (`deployable.py`): every create or
deploying update records a `Deployment`; deletion goes DELETE_IN_PROGRESS -> gone through
moto's state manager as `proton::environment-deletion`.
"""

import datetime
from typing import Any, Optional

from moto.core.utils import utcnow

from .. import provisioning
from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from ..quotas import enforce_quota
from ..specs import parse_environment_spec
from .connections import CONNECTED, EnvironmentAccountConnection
from .deployable import DELETED, DELETING, VersionedDeployable, deletion_model
from .describing import described
from .idempotency import Fingerprint, fingerprint, idempotent_create
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, found, live, stored
from .templates import ENVIRONMENT, TemplateVersion


class Environment(VersionedDeployable):
    target_resource_type = "ENVIRONMENT"
    state_member = "environment"
    deletion_model = deletion_model("environment")
    label = "environment"

    def __init__(
        self,
        name: str,
        arn: str,
        version: TemplateVersion,
        spec: str,
        created_at: datetime.datetime,
        description: Optional[str],
        environment_account_id: str,
        environment_account_connection_id: Optional[str],
        proton_service_role_arn: Optional[str],
        codebuild_role_arn: Optional[str],
        component_role_arn: Optional[str],
        provisioning: Optional[str],
        provisioning_repository: Optional[dict[str, str]],
        created_with: Fingerprint,
    ):
        super().__init__(
            name, arn, version.template_name, version.major, version.minor, spec, created_at
        )
        self.description = description
        self.environment_account_id = environment_account_id
        self.environment_account_connection_id = environment_account_connection_id
        self.proton_service_role_arn = proton_service_role_arn
        self.codebuild_role_arn = codebuild_role_arn
        self.component_role_arn = component_role_arn
        self.provisioning = provisioning
        self.provisioning_repository = provisioning_repository
        #: The parameters it was created with, and whether a user changed it since
        #: (an identical create is then answered with it, or refused).
        self.created_with = created_with
        self.modified = False

    def deployment_names(self) -> dict[str, str]:
        return {"environmentName": self.name}

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **self.deployed(),
            **described(
                self,
                "description environmentAccountId environmentAccountConnectionId "
                "protonServiceRoleArn codebuildRoleArn componentRoleArn provisioning "
                "provisioningRepository",
                # AWS's examples show it only for an environment provisioned through a
                # connection.
                environmentAccountId=self.environment_account_id
                if self.environment_account_connection_id
                else None,
            ),
        }


class EnvironmentsMixin(BackendParts):
    """The environment operations of `ProtonBackend`."""

    environments: dict[str, Environment] = stored(dict)

    def environment(self, name: str) -> Environment:
        environment = self.environments.get(name)
        if environment is not None and self.refresh_deployable(environment) == DELETED:
            del self.environments[name]
            self.drop_tags(environment.arn)
            self.deletions.remember(environment.arn, {})  # a retry once done answers empty
            environment = None
        if environment is None:
            raise ResourceNotFoundException(f"The environment {name} was not found.")
        return environment

    def live_environments(self) -> list[Environment]:
        """Every environment, brought up to date; those whose deletion has finished are gone."""
        return live(self.environments, self.environment)

    def connection_in_use(self, connection: EnvironmentAccountConnection) -> bool:
        return any(
            e.environment_account_connection_id == connection.id
            for e in list(self.environments.values())
            if e.deletion is None
        )

    # -- helpers for create and update ------------------------------------------------------

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
        linked = self.linked_repository(
            repository["provider"], repository["name"], "provisioningRepository"
        )
        return {**repository, "arn": linked.arn}

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
        request = fingerprint(locals())
        existing = found(self.environments, self.environment, name)
        if existing is not None:
            label = f"environment {name}"
            return {"environment": idempotent_create(existing, request, label).describe()}
        template = self.template(template_name, ENVIRONMENT)
        version = self.published_version(template, template_major_version, template_minor_version)
        environment_account_id = self._check_new_environment(
            name,
            version,
            spec,
            environment_account_connection_id,
            proton_service_role_arn,
            codebuild_role_arn,
            provisioning_repository,
        )
        repository = self._repository(provisioning_repository)  # linked, or a ValidationException
        now = utcnow()
        environment = Environment(
            name=name,
            arn=self.arn(f"environment/{name}"),
            version=version,
            spec=spec,
            created_at=now,
            description=description,
            environment_account_id=environment_account_id,
            environment_account_connection_id=environment_account_connection_id,
            proton_service_role_arn=proton_service_role_arn,
            codebuild_role_arn=codebuild_role_arn,
            component_role_arn=component_role_arn,
            provisioning=template.provisioning,
            provisioning_repository=repository,
            created_with=request,
        )
        managed = {
            "aws:proton:account": self.account_id,
            "aws:proton:template": template.arn,
            "aws:proton:environment": environment.arn,
        }
        self.add_tags(environment.arn, tags, managed)
        self.start_deployment(environment, environment.state(), at=now)
        self.environments[name] = environment
        return {"environment": environment.describe()}

    def _check_new_environment(
        self,
        name: str,
        version: TemplateVersion,
        spec: str,
        environment_account_connection_id: Optional[str],
        proton_service_role_arn: Optional[str],
        codebuild_role_arn: Optional[str],
        provisioning_repository: Optional[dict[str, str]],
    ) -> str:
        """CreateEnvironment's checks, in order; the account the environment is provisioned
        in (another one's through an environment account connection)."""
        parse_environment_spec(spec)
        provisioning.check_environment_spec(version, spec)  # bundle-backed versions only
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
        return environment_account_id

    def get_environment(self, name: str) -> dict[str, Any]:
        environment = self.environments.get(name)
        if environment is not None:
            self.advance_deployable(environment)
        return {"environment": self.environment(name).describe()}

    @paged("environments")
    def list_environments(
        self, environment_templates: Optional[list[dict[str, str]]] = None
    ) -> Selection:
        wanted = {(f["templateName"], f["majorVersion"]) for f in environment_templates or []}
        chosen = [
            ((environment.name,), environment)
            for environment in self.live_environments()
            if not wanted
            or (environment.template_name, environment.template_major_version) in wanted
        ]
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
        self.check_not_busy(environment, "updating")
        new_connection = environment_account_connection_id
        self._check_connection_change(environment, new_connection)
        target = self.target_version(
            environment,
            ENVIRONMENT,
            deployment_type,
            template_major_version,
            template_minor_version,
        )
        if target is not None and spec is not None:
            parse_environment_spec(spec)
        if target is not None:  # bundle-backed versions only
            provisioning.check_environment_spec(target, environment.spec if spec is None else spec)
        changes = {
            "description": description,
            "environment_account_connection_id": new_connection,
            "proton_service_role_arn": proton_service_role_arn,
            "codebuild_role_arn": codebuild_role_arn,
            "component_role_arn": component_role_arn,
            "provisioning_repository": self._repository(provisioning_repository),
        }
        for field, value in changes.items():
            if value is not None and value != getattr(environment, field):
                setattr(environment, field, value)
                environment.modified = True
        if target is not None:  # every deploymentType but NONE deploys
            environment.modified = True
            new_spec = environment.spec if spec is None else spec
            self.start_deployment(environment, target.deployment_state(new_spec))
        return {"environment": environment.describe()}

    def _check_connection_change(
        self, environment: Environment, new_connection: Optional[str]
    ) -> None:
        """An environment provisioned through an environment account connection may move to
        another usable connection to the same environment account."""
        if (
            new_connection is None
            or new_connection == environment.environment_account_connection_id
        ):
            return
        name = environment.name
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

    def cancel_environment_deployment(self, environment_name: str) -> dict[str, Any]:
        environment = self.environment(environment_name)
        self.cancel_deployment(environment)
        return {"environment": environment.describe()}

    def delete_environment(self, name: str) -> dict[str, Any]:
        return self.deletions.retry_or(
            self.arn(f"environment/{name}"), lambda: self._start_environment_deletion(name)
        )

    def _start_environment_deletion(self, name: str) -> dict[str, Any]:
        environment = self.environment(name)
        if environment.deployment_status == DELETING:  # a retry: the deletion goes on
            return {"environment": environment.describe()}
        self.check_not_busy(environment, "deleting")
        running = self.instances_in_environment(name)
        if running:
            raise ConflictException(
                f"The environment {name} can't be deleted while service instances run in it: "
                f"{', '.join(running)}."
            )
        components = self.components_in_environment(name)
        if components:
            raise ConflictException(
                f"The environment {name} can't be deleted while it has components: "
                f"{', '.join(components)}."
            )
        self.start_deletion(environment)
        environment.modified = True
        return {"environment": environment.describe()}

    def list_environment_outputs(
        self,
        environment_name: str,
        deployment_id: Optional[str] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        return self.outputs_of(self.environment(environment_name), deployment_id)

    def list_environment_provisioned_resources(
        self, environment_name: str, next_token: Optional[str] = None
    ) -> dict[str, Any]:
        environment = self.environment(environment_name)
        return {"provisionedResources": list(environment.provisioned_resources)}
