"""The lifecycle every deployed resource shares: environments, service instances, service
pipelines and components.

A deployment starts IN_PROGRESS and settles through moto's state manager. While it runs, the
resource keeps showing the template version and spec it had (AWS's examples show the previous
version until the deployment succeeds); on success the deployment's target state becomes the
resource's, and `lastDeploymentSucceededAt` is that deployment's start. A cancelled or failed
deployment leaves the resource as it was, with the reason in `deploymentStatusMessage`.
Deletion goes DELETE_IN_PROGRESS -> gone through a state-manager model of the resource's kind.
"""

import datetime
from typing import Any, ClassVar, Optional

from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState

from .. import provisioning
from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from . import provisioned
from .deletions import Deletions
from .deployments import CANCELLING, FAILED, IN_PROGRESS, SUCCEEDED, Deployment
from .describing import described
from .parts import BackendParts, stored
from .templates import ENVIRONMENT, TemplateVersion

DELETING, DELETED, DELETE_FAILED = "DELETE_IN_PROGRESS", "DELETE_COMPLETE", "DELETE_FAILED"
BUSY = (IN_PROGRESS, CANCELLING)


def deletion_model(kind: str) -> str:
    """The state-manager model of a kind's deletion, registered on first use."""
    model = f"proton::{kind}-deletion"
    if model not in state_manager.get_registered_models():
        state_manager.register_default_transition(model, {"progression": "immediate"})
    return model


class Deletion(ManagedState):
    """DELETE_IN_PROGRESS -> gone, or -> DELETE_FAILED with `message` (a test asked for a
    failure, or self-managed provisioning reported one)."""

    def __init__(self, model: str, message: Optional[str] = None):
        super().__init__(model, [(DELETING, DELETED if message is None else DELETE_FAILED)])
        self.message = message


class Deployable:
    """A deployed resource with a deployment history; what a deployment aims at (its
    DeploymentState member) is the subclass's `state()`."""

    #: The Deployment's `targetResourceType` and the member of its DeploymentState union.
    target_resource_type: ClassVar[str]
    state_member: ClassVar[str]
    #: The state-manager model of its deletion, e.g. `proton::environment-deletion`.
    deletion_model: ClassVar[str]
    label: ClassVar[str]  # "environment", "service instance", ...

    def __init__(self, name: str, arn: str, created_at: datetime.datetime):
        self.name = name
        self.arn = arn
        self.created_at = created_at
        self.deployment_status = IN_PROGRESS
        self.deployment_status_message: Optional[str] = None
        self.last_deployment_attempted_at = created_at
        self.last_deployment_succeeded_at = created_at
        self.last_attempted_deployment_id = ""
        self.last_succeeded_deployment_id: Optional[str] = None
        self.deletion: Optional[ManagedState] = None
        #: What each deployment produced, by deployment id; empty unless a test puts
        #: something there.
        self.outputs: dict[str, list[dict[str, str]]] = {}
        self.provisioned_resources: list[dict[str, str]] = []

    def state(self) -> dict[str, Any]:
        """What a deployment of it starts from or aims at (the DeploymentState member)."""
        raise NotImplementedError

    def apply(self, state: dict[str, Any]) -> None:
        """Take the target state of a deployment that succeeded."""
        raise NotImplementedError

    def deployment_names(self) -> dict[str, str]:
        """environmentName, and serviceName/serviceInstanceName where they apply."""
        raise NotImplementedError


class VersionedDeployable(Deployable):
    """A resource deployed from a template version (environments, service instances,
    pipelines): its state is that version and a spec."""

    def __init__(
        self,
        name: str,
        arn: str,
        template_name: str,
        template_major_version: str,
        template_minor_version: str,
        spec: Optional[str],
        created_at: datetime.datetime,
    ):
        super().__init__(name, arn, created_at)
        self.template_name = template_name
        self.template_major_version = template_major_version
        self.template_minor_version = template_minor_version
        self.spec = spec

    def state(self) -> dict[str, Any]:
        state = {
            "templateName": self.template_name,
            "templateMajorVersion": self.template_major_version,
            "templateMinorVersion": self.template_minor_version,
            "spec": self.spec,
        }
        return {k: v for k, v in state.items() if v is not None}

    def apply(self, state: dict[str, Any]) -> None:
        self.template_name = state["templateName"]
        self.template_major_version = state["templateMajorVersion"]
        self.template_minor_version = state["templateMinorVersion"]
        self.spec = state.get("spec", self.spec)

    def uses_template_version(self, template_name: str, major: str, minor: str) -> bool:
        return (self.template_name, self.template_major_version, self.template_minor_version) == (
            template_name,
            major,
            minor,
        )

    def deployed(self) -> dict[str, Any]:
        """The members every deployed resource describes."""
        return {
            "arn": self.arn,
            **self.state(),
            **described(
                self,
                "deploymentStatus deploymentStatusMessage createdAt lastDeploymentAttemptedAt "
                "lastDeploymentSucceededAt lastAttemptedDeploymentId lastSucceededDeploymentId",
                lastAttemptedDeploymentId=self.last_attempted_deployment_id or None,
            ),
        }


class DeployableMixin(BackendParts):
    """Starting, settling, cancelling and deleting deployments of any `Deployable`."""

    #: Deployments and deletions a test asked to fail, by the ARN of their resource
    #: (`moto_proton.testing.fail_next_deployment`).
    failures_to_come: dict[str, str] = stored(dict)
    #: What was deleted, for retried deletes; in no listing and no quota.
    deletions: Deletions = stored(Deletions)

    def start_deployment(
        self,
        resource: Deployable,
        target_state: dict[str, Any],
        at: Optional[datetime.datetime] = None,
    ) -> Deployment:
        """Deploy `target_state`; the resource shows it only once the deployment succeeds.
        A first deployment (no previous one) records no initial state."""
        first = not resource.last_attempted_deployment_id
        initial = None if first else resource.state()
        fails_with = self.failures_to_come.pop(resource.arn, None)
        # `at`: one clock reading for createdAt and the first attempt.
        deployment = Deployment(self.arn(""), resource, initial, target_state, fails_with, at)
        deployment.last_attempted_deployment_id = deployment.id
        deployment.last_succeeded_deployment_id = resource.last_succeeded_deployment_id
        self.deployments[deployment.id] = deployment
        resource.last_attempted_deployment_id = deployment.id
        resource.last_deployment_attempted_at = deployment.created_at
        # A new resource's first event has no previous status.
        previous = None if first else resource.deployment_status
        resource.deployment_status = IN_PROGRESS
        resource.deployment_status_message = None
        provisioning.status_changed(self, resource, previous, IN_PROGRESS)
        # Bundle-backed resources only.
        provisioning.deploy(self, resource, deployment, provisioned.plan)
        return deployment

    def target_version(
        self,
        resource: VersionedDeployable,
        kind: Any,
        deployment_type: str,
        major: Optional[str],
        minor: Optional[str],
    ) -> Optional[TemplateVersion]:
        """The version a deploying update aims at, by `deploymentType` (None for NONE).
        CURRENT_VERSION redeploys the current version: an environment's update may repeat it,
        an instance's or a pipeline's may not name one (the API's documentation)."""
        template = self.template(resource.template_name, kind)
        current_major = resource.template_major_version
        if deployment_type == "CURRENT_VERSION" and kind is not ENVIRONMENT and (major or minor):
            raise ValidationException(
                "deploymentType CURRENT_VERSION redeploys the current version: don't include "
                "major or minor version parameters."
            )
        if deployment_type == "CURRENT_VERSION":
            if (major or current_major) != current_major or (
                minor or resource.template_minor_version
            ) != resource.template_minor_version:
                raise ValidationException(
                    "deploymentType CURRENT_VERSION keeps the template version; use "
                    "MINOR_VERSION or MAJOR_VERSION to change it."
                )
            return self.published_version(template, current_major, resource.template_minor_version)
        if deployment_type == "MINOR_VERSION":
            if major not in (None, current_major):
                raise ValidationException(
                    "deploymentType MINOR_VERSION keeps the major version; use MAJOR_VERSION to "
                    "change it."
                )
            return self.published_version(template, current_major, minor)
        if deployment_type == "MAJOR_VERSION":
            if major is None:
                recommended = template.recommended_version()
                major = recommended.major if recommended else current_major
            elif major.isdigit() and current_major.isdigit() and int(major) <= int(current_major):
                raise ValidationException(
                    f"deploymentType MAJOR_VERSION moves to a higher major version than "
                    f"{current_major}, not to {major}."
                )
            return self.published_version(template, major, minor)
        return None

    def current_deployment(self, resource: Deployable) -> Optional[Deployment]:
        return self.deployments.get(resource.last_attempted_deployment_id)

    def advance_deployable(self, resource: Deployable) -> None:
        """One read of the resource, as moto's state manager counts reads."""
        deployment = self.current_deployment(resource)
        if deployment is not None:
            deployment.advance()
        if resource.deletion is not None:
            resource.deletion.advance()

    def refresh_deployable(self, resource: Deployable) -> str:
        """Apply what happened since the last look; the resource's deploymentStatus."""
        previous = resource.deployment_status
        status = self._refresh_deployable(resource)
        if status != previous:  # events; a deleted resource's stack goes
            provisioning.status_changed(self, resource, previous, status)
        return status

    def _refresh_deployable(self, resource: Deployable) -> str:
        if resource.deletion is not None:
            resource.deployment_status = resource.deletion.status or DELETING
            if resource.deployment_status == DELETE_FAILED:
                resource.deployment_status_message = getattr(resource.deletion, "message", None)
            return resource.deployment_status
        deployment = self.current_deployment(resource)
        if deployment is not None and not deployment.outcome_applied:
            status = deployment.settle()
            if status == SUCCEEDED:
                resource.apply(deployment.target_state)
                resource.last_succeeded_deployment_id = deployment.id
                resource.last_deployment_succeeded_at = deployment.created_at
                deployment.last_succeeded_deployment_id = deployment.id
            if deployment.completed_at is not None:  # a success may carry a note too
                resource.deployment_status_message = deployment.status_message
            deployment.outcome_applied = deployment.completed_at is not None
            resource.deployment_status = status
        return resource.deployment_status

    def check_not_busy(self, resource: Deployable, doing: str) -> None:
        """ConflictException while a deployment or the deletion of `resource` runs."""
        status = self.refresh_deployable(resource)
        if (resource.deletion is not None and status != DELETE_FAILED) or status in BUSY:
            raise ConflictException(
                f"The {resource.label} {resource.name} is {status}; wait for it to finish "
                f"before {doing} it."
            )

    def cancel_deployment(self, resource: Deployable) -> None:
        status = self.refresh_deployable(resource)
        if status != IN_PROGRESS or resource.deletion is not None:
            raise ConflictException(
                f"The {resource.label} {resource.name} is {status}; only an IN_PROGRESS "
                "deployment can be cancelled."
            )
        deployment = self.current_deployment(resource)
        assert deployment is not None
        deployment.cancel()
        provisioning.revert(self, resource, deployment)  # bundle-backed resources only
        resource.deployment_status = CANCELLING

    def new_deletion(self, arn: str, model: str) -> ManagedState:
        """DELETE_IN_PROGRESS -> gone, or -> DELETE_FAILED when a test asked for a failure."""
        return Deletion(model, self.failures_to_come.pop(arn, None))

    def start_deletion(self, resource: Deployable) -> None:
        resource.deletion = self.new_deletion(resource.arn, resource.deletion_model)
        previous, resource.deployment_status = resource.deployment_status, DELETING
        provisioning.status_changed(self, resource, previous, DELETING)

    def outputs_of(self, resource: Deployable, deployment_id: Optional[str]) -> dict[str, Any]:
        """ListXOutputs: the outputs of a deployment of `resource` (by default the last that
        succeeded)."""
        if deployment_id is not None:
            deployment = self.deployments.get(deployment_id)
            if deployment is None or deployment.target_arn != resource.arn:
                raise ResourceNotFoundException(f"The deployment {deployment_id} was not found.")
        chosen = deployment_id or resource.last_succeeded_deployment_id or ""
        return {"outputs": list(resource.outputs.get(chosen, []))}

    # -- self-managed provisioning reports back ------------------------------------------

    def deployable_by_arn(self, arn: str) -> Deployable:
        """The environment, service instance, pipeline or component an ARN names."""
        not_found = ResourceNotFoundException(f"The resource {arn} was not found.")
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[2] != "proton" or parts[1] != self.partition:
            raise not_found
        if (parts[3], parts[4]) != (self.region_name, self.account_id):
            raise not_found
        path = parts[5].split("/")
        if path[0] == "environment" and len(path) == 2:
            return self.environment(path[1])
        if path[0] == "component" and len(path) == 2:
            return self.component(path[1])
        if path[0] == "service" and len(path) == 4 and path[2] == "service-instance":
            return self.service(path[1]).instance(path[3])
        if path[0] == "service" and path[2:] == ["pipeline"]:
            return self.pipeline_of(path[1])
        if path[0] in ("environment", "component") or (path[0] == "service" and len(path) > 2):
            raise not_found
        raise ValidationException(
            f"{arn} is not an environment, service instance, service pipeline or component."
        )

    def notify_resource_deployment_status_change(
        self,
        resource_arn: str,
        deployment_id: Optional[str] = None,
        status: Optional[str] = None,
        status_message: Optional[str] = None,
        outputs: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        resource = self.deployable_by_arn(resource_arn)
        current = self.refresh_deployable(resource)
        deployment = self.current_deployment(resource)
        if deployment_id is not None and (deployment is None or deployment.id != deployment_id):
            raise ValidationException(
                f"The deployment {deployment_id} is not the current deployment of {resource_arn}."
            )
        if resource.deletion is not None:
            if current != DELETING:
                raise ConflictException(f"{resource_arn} is {current}, not DELETE_IN_PROGRESS.")
            if status in (SUCCEEDED, FAILED):
                resource.deletion.status = DELETED if status == SUCCEEDED else DELETE_FAILED
                if isinstance(resource.deletion, Deletion) and status == FAILED:
                    resource.deletion.message = status_message or "The deletion failed."
                self.refresh_deployable(resource)
            return {}
        if current != IN_PROGRESS or deployment is None:
            raise ConflictException(f"{resource_arn} is {current}, not IN_PROGRESS.")
        if outputs:
            kept = {o["key"]: o for o in resource.outputs.get(deployment.id, []) if "key" in o}
            kept.update({o["key"]: o for o in outputs if "key" in o})
            resource.outputs[deployment.id] = list(kept.values())
        if status == SUCCEEDED:
            deployment.succeed()
        elif status == FAILED:
            deployment.fail(status_message or "The deployment failed.")
        self.refresh_deployable(resource)
        return {}
