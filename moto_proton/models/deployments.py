"""Deployments: one per create or deploying update of an environment, a service instance or a
service pipeline, IN_PROGRESS until it settles.

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
from .describing import described
from .paging import OrderedIndex, Selection, instant, paged
from .parts import BackendParts, stored

if TYPE_CHECKING:
    from .deployable import Deployable

DEPLOYMENT_MODEL = "proton::deployment"
state_manager.register_default_transition(DEPLOYMENT_MODEL, {"progression": "immediate"})
IN_PROGRESS, SUCCEEDED, FAILED, CANCELLING, CANCELLED = (
    "IN_PROGRESS",
    "SUCCEEDED",
    "FAILED",
    "CANCELLING",
    "CANCELLED",
)
SETTLED = (SUCCEEDED, FAILED, CANCELLED)


class Deployment(ManagedState):
    def __init__(
        self,
        arn_prefix: str,
        target: "Deployable",
        initial_state: Optional[dict[str, Any]],
        target_state: dict[str, Any],
        fails_with: Optional[str] = None,
        at: Optional[datetime.datetime] = None,
    ):
        # A deployment a test asked to fail (moto_proton.testing.fail_next_deployment) ends
        # FAILED where others end SUCCEEDED.
        super().__init__(DEPLOYMENT_MODEL, [(IN_PROGRESS, FAILED if fails_with else SUCCEEDED)])
        self.fails_with = fails_with
        self.id = str(mock_random.uuid4())
        self.arn = f"{arn_prefix}deployment/{self.id}"
        self.target_resource_type = target.target_resource_type
        self.state_member = target.state_member
        #: Where the target is: environmentName, serviceName, serviceInstanceName.
        self.names = target.deployment_names()
        self.target_arn = target.arn
        self.target_resource_created_at = target.created_at
        self.initial_state = initial_state
        self.target_state = target_state
        self.created_at = self.last_modified_at = at or utcnow()
        self.completed_at: Optional[datetime.datetime] = None
        self.status_message: Optional[str] = None
        self.last_attempted_deployment_id: Optional[str] = None
        self.last_succeeded_deployment_id: Optional[str] = None
        #: Whether the target took in how this deployment ended.
        self.outcome_applied = False

    @property
    def environment_name(self) -> str:
        return self.names["environmentName"]

    def settle(self) -> str:
        """The status now, recording the moment it settled."""
        status = self.status or IN_PROGRESS
        if status in SETTLED and self.completed_at is None:
            self.completed_at = self.last_modified_at = utcnow()
            if status == FAILED and self.status_message is None:
                self.status_message = self.fails_with or "The deployment failed."
            if status == CANCELLED:  # AWS's examples show it once CANCELLED
                self.status_message = "User initiated cancellation."
        return status

    def cancel(self) -> None:
        ManagedState.__init__(self, DEPLOYMENT_MODEL, [(CANCELLING, CANCELLED)])
        self.last_modified_at = utcnow()

    def fail(self, message: str) -> None:
        self.status = FAILED
        self.status_message = message
        self.settle()

    def succeed(self) -> None:
        self.status = SUCCEEDED
        self.settle()

    def describe(self, status: Optional[str] = None) -> dict[str, Any]:
        status = status or self.settle()  # settling may set the status message
        state = {"initialState": None, "targetState": {self.state_member: self.target_state}}
        if self.initial_state:
            state["initialState"] = {self.state_member: self.initial_state}
        return {
            **described(
                self,
                "id arn deploymentStatus deploymentStatusMessage",
                deploymentStatus=status,
                deploymentStatusMessage=self.status_message,
            ),
            **self.names,
            **described(
                self,
                "targetArn targetResourceType targetResourceCreatedAt initialState targetState "
                "createdAt lastModifiedAt completedAt lastAttemptedDeploymentId "
                "lastSucceededDeploymentId",
                **state,
            ),
        }


class DeploymentsMixin(BackendParts):
    """GetDeployment, ListDeployments and DeleteDeployment of `ProtonBackend`."""

    deployments: dict[str, Deployment] = stored(dict)

    def _settle(self, deployment: Deployment) -> str:
        """The deployment's status, with its target brought up to date first."""
        target = self.deployment_target(deployment)
        if target is not None and target.last_attempted_deployment_id == deployment.id:
            service = self.services.get(deployment.names.get("serviceName", ""))
            if service is not None and deployment.target_resource_type != "COMPONENT":
                # Through the service: its pipeline's creation waits for its instances.
                self.refresh_service(service)
            else:
                self.refresh_deployable(target)
        return deployment.settle()

    def _deployment(self, id: str, **filters: Optional[str]) -> Deployment:
        deployment = self.deployments.get(id)
        if deployment is None or any(
            value is not None and value != deployment.names.get(name)
            for name, value in filters.items()
        ):
            raise ResourceNotFoundException(f"The deployment {id} was not found.")
        return deployment

    def get_deployment(
        self,
        id: str,
        environment_name: Optional[str] = None,
        service_name: Optional[str] = None,
        service_instance_name: Optional[str] = None,
        component_name: Optional[str] = None,
    ) -> dict[str, Any]:
        if service_instance_name is not None and service_name is None:
            raise ValidationException(
                "serviceName must be specified to identify the service instance."
            )
        deployment = self._deployment(
            id,
            environmentName=environment_name,
            serviceName=service_name,
            serviceInstanceName=service_instance_name,
            componentName=component_name,
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
        if service_instance_name is not None and service_name is None:
            raise ValidationException(
                "serviceName must be specified to identify the service instance."
            )
        if environment_name is not None:
            self.environment(environment_name)
        if service_name is not None:
            service = self.service(service_name)
            if service_instance_name is not None:
                service.instance(service_instance_name)
        if component_name is not None:
            self.component(component_name)
        wanted = {
            "environmentName": environment_name,
            "serviceName": service_name,
            "serviceInstanceName": service_instance_name,
            "componentName": component_name,
        }
        wanted = {k: v for k, v in wanted.items() if v is not None}
        chosen = OrderedIndex(
            ((instant(d.created_at), d.id), d)
            for d in self.deployments.values()
            if all(d.names.get(k) == v for k, v in wanted.items())
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
