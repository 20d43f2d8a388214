"""Environment account connections: one request seen by two accounts.

A connection is stored in its environment account's backend (the owner, whose ARN it
carries) and indexed in its management account's backend, so either party finds it by id
without a scan of every account (moto's VPC peering keeps the same two views).
"""

import dataclasses
import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from ..exceptions import (
    AccessDeniedException,
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from ..provisioning.events import status_change
from ..quotas import enforce_quota
from .describing import described
from .idempotency import ClientTokens, fingerprint
from .paging import OrderedIndex, Selection, SortKey, instant, paged
from .parts import BackendParts, stored
from .tags import check_tags

if TYPE_CHECKING:
    pass

PENDING, CONNECTED, REJECTED = "PENDING", "CONNECTED", "REJECTED"
QUOTA = "environment_account_connections_per_environment_account"
ROLE_MEMBERS = ("role_arn", "codebuild_role_arn", "component_role_arn")


@dataclasses.dataclass
class EnvironmentAccountConnection:
    id: str
    arn: str
    environment_account_id: str
    management_account_id: str
    environment_name: str
    role_arn: Optional[str]
    codebuild_role_arn: Optional[str]
    component_role_arn: Optional[str]
    status: str
    requested_at: datetime.datetime
    last_modified_at: datetime.datetime

    @property
    def order(self) -> SortKey:
        return (instant(self.requested_at), self.id)

    def status_changed(self, previous: Optional[str], status: str) -> None:
        """Tell EventBridge, in the environment account (the connection's owner); a new
        connection has no previous status."""
        detail = {"id": self.id, "status": status, "previousStatus": previous}
        status_change("Environment Account Connection", self.arn, detail)

    def describe(self) -> dict[str, Any]:
        """A snapshot in the API's shape (the serializer drops what a Summary lacks)."""
        return described(
            self,
            "arn id environmentAccountId managementAccountId environmentName roleArn "
            "codebuildRoleArn componentRoleArn status requestedAt lastModifiedAt",
        )


def _check_role_arns(account_id: str, roles: Mapping[str, Optional[str]]) -> None:
    for member, arn in roles.items():
        if arn is not None and arn.split(":")[4] != account_id:
            raise ValidationException(
                f"{_camel(member)} {arn} must be a role in the environment account "
                f"{account_id}, the account that calls this operation."
            )


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)


class ConnectionsMixin(BackendParts):
    """The environment account connection operations of `ProtonBackend`."""

    #: This account's connections as environment account, and as management account.
    connections: dict[str, EnvironmentAccountConnection] = stored(dict)
    managed_connections: dict[str, EnvironmentAccountConnection] = stored(dict)
    #: Both sides' connections in List order: requestedAt, then id.
    connection_order: OrderedIndex = stored(OrderedIndex)
    managed_connection_order: OrderedIndex = stored(OrderedIndex)
    connection_client_tokens: ClientTokens = stored(ClientTokens)
    #: The PENDING or CONNECTED connection of each (management account, environment name).
    open_connections: dict[tuple[str, str], EnvironmentAccountConnection] = stored(dict)

    # -- finding a connection, with the who-may-call rules ------------------------------

    def _visible_connection(self, connection_id: str) -> EnvironmentAccountConnection:
        connection = self.connections.get(connection_id) or self.managed_connections.get(
            connection_id
        )
        if connection is None:
            raise ResourceNotFoundException(
                f"The environment account connection {connection_id} was not found."
            )
        return connection

    def _as_environment_account(
        self, connection_id: str, operation: str
    ) -> EnvironmentAccountConnection:
        connection = self._visible_connection(connection_id)
        if connection.environment_account_id != self.account_id:
            raise AccessDeniedException(
                f"Only the environment account {connection.environment_account_id} of "
                f"environment account connection {connection_id} can call {operation}; "
                f"account {self.account_id} is its management account."
            )
        return connection

    def _as_management_account(
        self, connection_id: str, operation: str
    ) -> EnvironmentAccountConnection:
        connection = self._visible_connection(connection_id)
        if connection.management_account_id != self.account_id:
            raise AccessDeniedException(
                f"Only the management account {connection.management_account_id} of "
                f"environment account connection {connection_id} can call {operation}; "
                f"account {self.account_id} is its environment account."
            )
        return connection

    def close(self, connection: EnvironmentAccountConnection) -> None:
        """Forget `connection` as the open one of its environment (rejected or deleted)."""
        key = (connection.management_account_id, connection.environment_name)
        if self.open_connections.get(key) is connection:
            del self.open_connections[key]

    # -- operations ---------------------------------------------------------------------

    def create_environment_account_connection(
        self,
        management_account_id: str,
        environment_name: str,
        role_arn: Optional[str] = None,
        codebuild_role_arn: Optional[str] = None,
        component_role_arn: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals(), tags=tags or [])
        roles = {
            "role_arn": role_arn,
            "codebuild_role_arn": codebuild_role_arn,
            "component_role_arn": component_role_arn,
        }
        original_id = self.connection_client_tokens.replay(client_token, request)
        if original_id in self.connections:
            return {"environmentAccountConnection": self.connections[original_id].describe()}

        self._check_new_connection(management_account_id, environment_name, roles, tags)
        connection_id = str(mock_random.uuid4())
        now = utcnow()
        connection = EnvironmentAccountConnection(
            id=connection_id,
            arn=(
                f"arn:{self.partition}:proton:{self.region_name}:{self.account_id}:"
                f"environment-account-connection/{connection_id}"
            ),
            environment_account_id=self.account_id,
            management_account_id=management_account_id,
            environment_name=environment_name,
            role_arn=role_arn,
            codebuild_role_arn=codebuild_role_arn,
            component_role_arn=component_role_arn,
            status=PENDING,
            requested_at=now,
            last_modified_at=now,
        )
        self.add_tags(connection.arn, tags)
        self.connections[connection_id] = connection
        self.connection_order.add(connection.order, connection)
        self.open_connections[(management_account_id, environment_name)] = connection
        management = self.backend_of(management_account_id)
        management.managed_connections[connection_id] = connection
        management.managed_connection_order.add(connection.order, connection)
        self.connection_client_tokens.remember(client_token, request, connection_id)
        connection.status_changed(None, PENDING)
        return {"environmentAccountConnection": connection.describe()}

    def _check_new_connection(
        self,
        management_account_id: str,
        environment_name: str,
        roles: dict[str, Optional[str]],
        tags: Optional[list[dict[str, str]]],
    ) -> None:
        """CreateEnvironmentAccountConnection's checks, in order."""
        if management_account_id == self.account_id:
            raise ValidationException(
                "managementAccountId must be another account than the environment account "
                f"{self.account_id} that requests the connection."
            )
        if roles["role_arn"] is None and roles["codebuild_role_arn"] is None:
            raise ValidationException(
                "At least one of roleArn and codebuildRoleArn must be specified."
            )
        _check_role_arns(self.account_id, roles)
        check_tags(tags)
        existing = self.open_connections.get((management_account_id, environment_name))
        if existing is not None:
            raise ConflictException(
                f"Environment account connection {existing.id} ({existing.status}) "
                f"already connects environment account {self.account_id} to management "
                f"account {management_account_id} for environment {environment_name}."
            )
        enforce_quota(
            QUOTA,
            len(self.connections),
            f"Environment account {self.account_id}",
            f"environment account connections in {self.region_name}",
        )

    def get_environment_account_connection(self, id: str) -> dict[str, Any]:
        return {"environmentAccountConnection": self._visible_connection(id).describe()}

    @paged("environmentAccountConnections")
    def list_environment_account_connections(
        self,
        requested_by: str,
        environment_name: Optional[str] = None,
        statuses: Optional[list[str]] = None,
    ) -> Selection:
        def keep(c: EnvironmentAccountConnection) -> bool:
            return (environment_name is None or c.environment_name == environment_name) and (
                not statuses or c.status in statuses
            )

        mine = requested_by == "ENVIRONMENT_ACCOUNT"
        return (self.connection_order if mine else self.managed_connection_order), keep

    def update_environment_account_connection(
        self,
        id: str,
        role_arn: Optional[str] = None,
        codebuild_role_arn: Optional[str] = None,
        component_role_arn: Optional[str] = None,
    ) -> dict[str, Any]:
        connection = self._as_environment_account(id, "UpdateEnvironmentAccountConnection")
        if connection.status == REJECTED:
            raise ConflictException(
                f"Environment account connection {id} is REJECTED and can't be updated."
            )
        changes = {
            member: arn
            for member, arn in zip(ROLE_MEMBERS, (role_arn, codebuild_role_arn, component_role_arn))
            if arn is not None
        }
        _check_role_arns(self.account_id, changes)
        if any(getattr(connection, member) != arn for member, arn in changes.items()):
            for member, arn in changes.items():
                setattr(connection, member, arn)
            connection.last_modified_at = utcnow()
        return {"environmentAccountConnection": connection.describe()}

    def accept_environment_account_connection(self, id: str) -> dict[str, Any]:
        connection = self._as_management_account(id, "AcceptEnvironmentAccountConnection")
        if connection.status == REJECTED:
            raise ConflictException(
                f"Environment account connection {id} is REJECTED and can't be accepted."
            )
        if connection.status == PENDING:
            connection.status = CONNECTED
            connection.last_modified_at = utcnow()
            connection.status_changed(PENDING, CONNECTED)
        return {"environmentAccountConnection": connection.describe()}

    def reject_environment_account_connection(self, id: str) -> dict[str, Any]:
        connection = self._as_management_account(id, "RejectEnvironmentAccountConnection")
        if connection.status != REJECTED:
            if self.connection_in_use(connection):
                raise ConflictException(
                    f"Environment account connection {id} is used by an environment and "
                    "can't be rejected."
                )
            previous, connection.status = connection.status, REJECTED
            connection.last_modified_at = utcnow()
            self.backend_of(connection.environment_account_id).close(connection)
            connection.status_changed(previous, REJECTED)
        return {"environmentAccountConnection": connection.describe()}

    def delete_environment_account_connection(self, id: str) -> dict[str, Any]:
        arn = self.arn(f"environment-account-connection/{id}")
        return self.deletions.retry_or(arn, lambda: self._remove_connection(id))

    def _remove_connection(self, id: str) -> dict[str, Any]:
        connection = self._as_environment_account(id, "DeleteEnvironmentAccountConnection")
        del self.connections[id]
        self.connection_order.remove(connection.order)
        self.close(connection)
        management = self.backend_of(connection.management_account_id)
        management.managed_connections.pop(id, None)
        management.managed_connection_order.remove(connection.order)
        self.drop_tags(connection.arn)
        answer = {"environmentAccountConnection": connection.describe()}
        self.deletions.remember(connection.arn, answer)
        connection.status_changed(connection.status, "DELETED")
        return answer
