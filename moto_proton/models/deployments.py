"""Deployments: one per environment create or update, IN_PROGRESS until it settles.

Progress goes through moto's state manager as `proton::deployment` (immediate by default:
the next read sees SUCCEEDED; `{"progression": "manual", "times": N}` keeps it IN_PROGRESS for
N reads). A cancelled deployment goes CANCELLING -> CANCELLED the same way.
"""

import datetime
from typing import TYPE_CHECKING, Any, Optional

from moto.core.utils import utcnow
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random
from moto.moto_api._internal.managed_state_model import ManagedState

from ..exceptions import ResourceNotFoundException, ValidationException
from .base import BackendParts, OrderedIndex, Selection, instant, paged

if TYPE_CHECKING:
    pass

DEPLOYMENT_MODEL = "proton::deployment"
state_manager.register_default_transition(DEPLOYMENT_MODEL, {"progression": "immediate"})
IN_PROGRESS, SUCCEEDED, CANCELLING, CANCELLED = (
    "IN_PROGRESS",
    "SUCCEEDED",
    "CANCELLING",
    "CANCELLED",
)
SETTLED = ("SUCCEEDED", "FAILED", "CANCELLED")


class Deployment(ManagedState):
    def __init__(
        self,
        arn_prefix: str,
        environment_name: str,
        target_arn: str,
        target_created_at: datetime.datetime,
        initial_state: Optional[dict[str, Any]],
        target_state: dict[str, Any],
    ):
        super().__init__(DEPLOYMENT_MODEL, [(IN_PROGRESS, SUCCEEDED)])
        self.id = str(mock_random.uuid4())
        self.arn = f"{arn_prefix}deployment/{self.id}"
        self.environment_name = environment_name
        self.target_arn = target_arn
        self.target_resource_created_at = target_created_at
        self.initial_state = initial_state
        self.target_state = target_state
        self.created_at = self.last_modified_at = utcnow()
        self.completed_at: Optional[datetime.datetime] = None
        self.last_attempted_deployment_id: Optional[str] = None
        self.last_succeeded_deployment_id: Optional[str] = None
        #: Whether the environment took in how this deployment ended.
        self.outcome_applied = False

    def settle(self) -> str:
        """The status now, recording the moment it settled."""
        status = self.status or IN_PROGRESS
        if status in SETTLED and self.completed_at is None:
            self.completed_at = self.last_modified_at = utcnow()
        return status

    def cancel(self) -> None:
        ManagedState.__init__(self, DEPLOYMENT_MODEL, [(CANCELLING, CANCELLED)])
        self.last_modified_at = utcnow()

    def describe(self, status: Optional[str] = None) -> dict[str, Any]:
        described = {
            "id": self.id,
            "arn": self.arn,
            "deploymentStatus": status or self.settle(),
            "environmentName": self.environment_name,
            "targetArn": self.target_arn,
            "targetResourceType": "ENVIRONMENT",
            "targetResourceCreatedAt": self.target_resource_created_at,
            "initialState": {"environment": self.initial_state} if self.initial_state else None,
            "targetState": {"environment": self.target_state},
            "createdAt": self.created_at,
            "lastModifiedAt": self.last_modified_at,
            "completedAt": self.completed_at,
            "lastAttemptedDeploymentId": self.last_attempted_deployment_id,
            "lastSucceededDeploymentId": self.last_succeeded_deployment_id,
        }
        return {k: v for k, v in described.items() if v is not None}


class DeploymentsMixin(BackendParts):
    """GetDeployment, ListDeployments and DeleteDeployment of `ProtonBackend`."""

    def _settle(self, deployment: Deployment) -> str:
        """The deployment's status, with its environment brought up to date first."""
        environment = self.environments.get(deployment.environment_name)
        if environment is not None and environment.last_attempted_deployment_id == deployment.id:
            self.sync_environment(environment)
        return deployment.settle()

    def _deployment(self, id: str, **filters: Optional[str]) -> Deployment:
        deployment = self.deployments.get(id)
        if deployment is None or any(
            value is not None and value != self._deployment_field(deployment, name)
            for name, value in filters.items()
        ):
            raise ResourceNotFoundException(f"The deployment {id} was not found.")
        return deployment

    @staticmethod
    def _deployment_field(deployment: Deployment, name: str) -> Optional[str]:
        return deployment.environment_name if name == "environment_name" else None

    def get_deployment(
        self,
        id: str,
        environment_name: Optional[str] = None,
        service_name: Optional[str] = None,
        service_instance_name: Optional[str] = None,
        component_name: Optional[str] = None,
    ) -> dict[str, Any]:
        deployment = self._deployment(
            id,
            environment_name=environment_name,
            service_name=service_name,
            service_instance_name=service_instance_name,
            component_name=component_name,
        )
        deployment.advance()
        return {"deployment": deployment.describe(self._settle(deployment))}

    @paged("deployments", describe=lambda backend, d: d.describe(backend._settle(d)))
    def list_deployments(
        self,
        environment_name: Optional[str] = None,
        service_name: Optional[str] = None,
        service_instance_name: Optional[str] = None,
        component_name: Optional[str] = None,
    ) -> Selection:
        if service_name or service_instance_name or component_name:
            return OrderedIndex(), None  # services, instances and components have none yet
        chosen = OrderedIndex(
            ((instant(d.created_at), d.id), d)
            for d in self.deployments.values()
            if environment_name is None or d.environment_name == environment_name
        )
        return chosen, None

    def delete_deployment(self, id: str) -> dict[str, Any]:
        deployment = self._deployment(id)
        status = self._settle(deployment)
        if status not in SETTLED:
            raise ValidationException(
                f"The deployment {id} is {status}; only a finished deployment can be deleted."
            )
        del self.deployments[id]
        return {"deployment": deployment.describe(status)}
