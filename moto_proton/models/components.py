"""Directly defined components: a developer's own infrastructure next to an environment,
optionally attached to a service instance (at most one per instance).

Components follow the lifecycle of every deployed resource (`deployable.py`); what they
deploy is their template file and, when attached, the service spec, not a template version.
"""

import datetime
from typing import Any, Optional

from moto.core.utils import utcnow

from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from ..quotas import enforce_quota
from ..specs import parse_service_spec
from ..yaml_documents import YamlFault, read_yaml
from .deployable import BUSY, DELETED, Deployable, deletion_model
from .describing import described
from .environments import Environment
from .idempotency import ClientTokens, fingerprint
from .instances import ServiceInstance
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, found, live, stored
from .templates import SERVICE


class Component(Deployable):
    target_resource_type = "COMPONENT"
    state_member = "component"
    deletion_model = deletion_model("component")
    label = "component"

    def __init__(
        self,
        name: str,
        arn: str,
        environment_name: str,
        manifest: str,
        template_file: str,
        created_at: datetime.datetime,
        description: Optional[str],
        client_token: Optional[str],
    ):
        super().__init__(name, arn, created_at)
        self.environment_name = environment_name
        self.manifest = manifest
        self.template_file = template_file
        self.service_name: Optional[str] = None
        self.service_instance_name: Optional[str] = None
        self.service_spec: Optional[str] = None
        self.description = description
        self.last_modified_at = created_at
        self.last_client_request_token = client_token

    @property
    def attached(self) -> bool:
        return self.service_instance_name is not None

    def state(self) -> dict[str, Any]:
        state = {
            "serviceName": self.service_name or "",
            "serviceInstanceName": self.service_instance_name or "",
            "serviceSpec": self.service_spec,
            "templateFile": self.template_file,
        }
        return {k: v for k, v in state.items() if v is not None}

    def apply(self, state: dict[str, Any]) -> None:
        self.service_name = state.get("serviceName") or None
        self.service_instance_name = state.get("serviceInstanceName") or None
        self.service_spec = state.get("serviceSpec")
        self.template_file = state["templateFile"]

    def deployment_names(self) -> dict[str, str]:
        names = {"environmentName": self.environment_name, "componentName": self.name}
        if self.service_name and self.service_instance_name:
            names.update(
                serviceName=self.service_name, serviceInstanceName=self.service_instance_name
            )
        return names

    def describe(self) -> dict[str, Any]:
        return described(
            self,
            "arn name description environmentName serviceName serviceInstanceName serviceSpec "
            "deploymentStatus deploymentStatusMessage createdAt lastModifiedAt "
            "lastDeploymentAttemptedAt lastDeploymentSucceededAt lastAttemptedDeploymentId "
            "lastSucceededDeploymentId lastClientRequestToken",
            lastDeploymentSucceededAt=self.last_deployment_succeeded_at
            if self.last_succeeded_deployment_id
            else None,
            lastAttemptedDeploymentId=self.last_attempted_deployment_id or None,
        )


def check_manifest(manifest: str) -> None:
    """A component manifest names exactly one IaC file: `infrastructure: templates: [...]`."""
    try:
        document = read_yaml(manifest)
    except YamlFault:
        document = None
    templates = (
        document.get("infrastructure", {}).get("templates")
        if isinstance(document, dict) and isinstance(document.get("infrastructure"), dict)
        else None
    )
    if not isinstance(templates, list) or len(templates) != 1 or not isinstance(templates[0], dict):
        raise ValidationException(
            "The component manifest must be YAML with infrastructure.templates listing exactly "
            "one template file (components support a single IaC file)."
        )
    missing = [
        k for k in ("file", "rendering_engine", "template_language") if k not in templates[0]
    ]
    if missing:
        raise ValidationException(
            f"The component manifest's template entry needs {', '.join(missing)}."
        )


class ComponentsMixin(BackendParts):
    """The component operations of `ProtonBackend`."""

    components: dict[str, Component] = stored(dict)
    component_client_tokens: ClientTokens = stored(ClientTokens)

    def component(self, name: str) -> Component:
        component = self.components.get(name)
        if component is not None and self.refresh_deployable(component) == DELETED:
            del self.components[name]
            self.drop_tags(component.arn)
            component = None
        if component is None:
            raise ResourceNotFoundException(f"The component {name} was not found.")
        return component

    def live_components(self) -> list[Component]:
        """Every component, brought up to date; those whose deletion has finished are gone."""
        return live(self.components, self.component)

    def components_by_instance(self) -> dict[tuple[Any, Any], Component]:
        """Each (service, instance) with the component attached to it, or being attached to
        it by a running deployment; one pass over the components."""
        found: dict[tuple[Any, Any], Component] = {}
        for component in self.live_components():
            found.setdefault((component.service_name, component.service_instance_name), component)
            target = self.current_deployment(component)
            if target is not None and component.deployment_status in BUSY:
                pending = target.target_state
                found.setdefault(
                    (pending.get("serviceName"), pending.get("serviceInstanceName")), component
                )
        return found

    def component_of(self, service_name: str, instance_name: str) -> Optional[Component]:
        """The component attached to a service instance, if any (attached or attaching)."""
        return self.components_by_instance().get((service_name, instance_name))

    def components_in_environment(self, environment_name: str) -> list[str]:
        return sorted(
            c.name for c in self.live_components() if c.environment_name == environment_name
        )

    def _component_role(self, environment_name: str) -> None:
        """The environment, or its environment account connection, must give a component role
        (self-managed environments need none)."""
        environment = self.environment(environment_name)
        if environment.provisioning_repository is not None or environment.component_role_arn:
            return
        connection_id = environment.environment_account_connection_id
        connection = self.managed_connections.get(connection_id or "")
        if connection is not None and connection.component_role_arn:
            return
        raise ValidationException(
            f"The environment {environment_name} has no componentRoleArn (nor has its "
            "environment account connection): set one before adding components."
        )

    def _attachable(
        self, service_name: str, instance_name: str, component_name: str
    ) -> ServiceInstance:
        instance = self.service(service_name).instance(instance_name)
        version = self.template(instance.template_name, SERVICE).version(
            instance.template_major_version, instance.template_minor_version
        )
        if version is None or "DIRECTLY_DEFINED" not in (version.supported_component_sources or []):
            raise ValidationException(
                f"The service template version {instance.template_name}:"
                f"{instance.template_major_version}.{instance.template_minor_version} of "
                f"service instance {service_name}/{instance_name} doesn't support directly "
                "defined components (supportedComponentSources)."
            )
        other = self.component_of(service_name, instance_name)
        if other is not None and other.name != component_name:
            raise ConflictException(
                f"The service instance {service_name}/{instance_name} already has the "
                f"component {other.name}."
            )
        if self.refresh_deployable(instance) in BUSY or instance.deletion is not None:
            raise ConflictException(
                f"The service instance {service_name}/{instance_name} is "
                f"{instance.deployment_status}; wait for it to finish."
            )
        return instance

    def create_component(
        self,
        name: str,
        manifest: str,
        template_file: str,
        environment_name: Optional[str] = None,
        service_name: Optional[str] = None,
        service_instance_name: Optional[str] = None,
        service_spec: Optional[str] = None,
        description: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        original = self.component_client_tokens.replay(client_token, request)
        replayed = (
            found(self.components, self.component, original) if original is not None else None
        )
        if replayed is not None:  # once the original is deleted, a retry creates anew
            return {"component": replayed.describe()}
        environment, instance = self._check_new_component(
            name, manifest, environment_name, service_name, service_instance_name, service_spec
        )
        now = utcnow()
        component = Component(
            name,
            self.arn(f"component/{name}"),
            environment.name,
            manifest,
            template_file,
            now,
            description,
            client_token,
        )
        managed = {
            "aws:proton:account": self.account_id,
            "aws:proton:environment": environment.arn,
            "aws:proton:component": component.arn,
        }
        if instance is not None:
            managed["aws:proton:service"] = self.service(instance.service_name).arn
            managed["aws:proton:service-instance"] = instance.arn
        self.add_tags(component.arn, tags, managed)
        target = {
            "serviceName": service_name or "",
            "serviceInstanceName": service_instance_name or "",
            "templateFile": template_file,
            **({"serviceSpec": service_spec} if service_spec is not None else {}),
        }
        component.apply(target)  # a new component is attached from the start
        self.start_deployment(component, target, at=now)
        self.components[name] = component
        self.component_client_tokens.remember(client_token, request, name)
        return {"component": component.describe()}

    def _check_new_component(
        self,
        name: str,
        manifest: str,
        environment_name: Optional[str],
        service_name: Optional[str],
        service_instance_name: Optional[str],
        service_spec: Optional[str],
    ) -> tuple[Environment, Optional[ServiceInstance]]:
        """CreateComponent's checks, in order; the component's environment, and the service
        instance it is attached to."""
        if (service_name is None) != (service_instance_name is None):
            raise ValidationException(
                "Specify both serviceName and serviceInstanceName to attach the component, or "
                "neither."
            )
        if service_spec is not None and service_instance_name is None:
            raise ValidationException("serviceSpec applies to an attached component only.")
        if service_spec is not None:
            parse_service_spec(service_spec, need_instances=False)
        instance: Optional[ServiceInstance] = None
        if service_name is not None and service_instance_name is not None:
            instance = self._attachable(service_name, service_instance_name, name)
            if environment_name not in (None, instance.environment_name):
                raise ValidationException(
                    f"The service instance {service_name}/{service_instance_name} runs in "
                    f"environment {instance.environment_name}, not {environment_name}."
                )
            environment_name = instance.environment_name
        if environment_name is None:
            raise ValidationException(
                "Specify environmentName for a component that isn't attached to a service instance."
            )
        environment = self.environment(environment_name)
        if environment.deletion is not None:
            raise ConflictException(f"The environment {environment_name} is being deleted.")
        self._component_role(environment_name)
        check_manifest(manifest)
        if found(self.components, self.component, name) is not None:
            raise ConflictException(f"The component {name} already exists.")
        enforce_quota(
            "components",
            len(self.live_components()),
            f"Account {self.account_id}",
            f"components in {self.region_name}",
        )
        return environment, instance

    def get_component(self, name: str) -> dict[str, Any]:
        component = self.components.get(name)
        if component is not None:
            self.advance_deployable(component)
        return {"component": self.component(name).describe()}

    @paged("components")
    def list_components(
        self,
        environment_name: Optional[str] = None,
        service_name: Optional[str] = None,
        service_instance_name: Optional[str] = None,
    ) -> Selection:
        if service_instance_name is not None and service_name is None:
            raise ValidationException(
                "serviceName must be specified to identify the service instance."
            )
        chosen = [
            ((component.name,), component)
            for component in self.live_components()
            if environment_name in (None, component.environment_name)
            and service_name in (None, component.service_name)
            and service_instance_name in (None, component.service_instance_name)
        ]
        return OrderedIndex(chosen), None

    def update_component(
        self,
        name: str,
        deployment_type: str,
        description: Optional[str] = None,
        service_name: Optional[str] = None,
        service_instance_name: Optional[str] = None,
        service_spec: Optional[str] = None,
        template_file: Optional[str] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        component = self.component(name)
        if self.component_client_tokens.replay(client_token, request) is not None:
            return {"component": component.describe()}
        self._check_updatable(component)
        if deployment_type == "NONE":
            others = [service_name, service_instance_name, service_spec, template_file]
            if any(v is not None for v in others):
                raise ValidationException(
                    "deploymentType NONE updates the description only: don't specify "
                    "serviceName, serviceInstanceName, serviceSpec or templateFile."
                )
            if description is not None and description != component.description:
                component.description = description
                component.last_modified_at = utcnow()
            component.last_client_request_token = (
                client_token or component.last_client_request_token
            )
            self.component_client_tokens.remember(client_token, request, name)
            return {"component": component.describe()}
        target = self._update_target(
            component, service_name, service_instance_name, service_spec, template_file
        )
        if description is not None:
            component.description = description
        component.last_modified_at = utcnow()
        component.last_client_request_token = client_token or component.last_client_request_token
        deployment = self.start_deployment(component, target)
        if target.get("serviceName"):  # an attaching deployment is the instance's too
            deployment.names.update(
                serviceName=target["serviceName"],
                serviceInstanceName=target["serviceInstanceName"],
            )
        self.component_client_tokens.remember(client_token, request, name)
        return {"component": component.describe()}

    def _check_updatable(self, component: Component) -> None:
        """Neither the component nor the service instance it is attached to is busy."""
        self.check_not_busy(component, "updating")
        if component.attached:
            service = self.services.get(component.service_name or "")
            attached_to = (
                service.instances.get(component.service_instance_name or "") if service else None
            )
            if attached_to is not None and self.refresh_deployable(attached_to) in BUSY:
                raise ConflictException(
                    f"The service instance {component.service_name}/"
                    f"{component.service_instance_name} is {attached_to.deployment_status}; "
                    "wait for it to finish."
                )

    def _update_target(
        self,
        component: Component,
        service_name: Optional[str],
        service_instance_name: Optional[str],
        service_spec: Optional[str],
        template_file: Optional[str],
    ) -> dict[str, Any]:
        """The state a deploying UpdateComponent aims at, once its checks passed: attached,
        detached (both names empty) or as it was, with the new spec and template file."""
        name, target = component.name, component.state()
        if (service_name is None) != (service_instance_name is None) or (
            service_name is not None and (service_name == "") != (service_instance_name == "")
        ):
            raise ValidationException(
                "Specify both serviceName and serviceInstanceName (both empty to detach), or "
                "neither."
            )
        if service_name == "" and service_instance_name == "":
            target.update(serviceName="", serviceInstanceName="")
            target.pop("serviceSpec", None)  # detached components have no inputs
        elif service_name and service_instance_name:
            current = (component.service_name, component.service_instance_name)
            if component.attached and current != (service_name, service_instance_name):
                raise ValidationException(
                    f"The component {name} is attached to {current[0]}/{current[1]}: detach it "
                    "before attaching it to another service instance."
                )
            instance = self._attachable(service_name, service_instance_name, name)
            if instance.environment_name != component.environment_name:
                raise ValidationException(
                    f"The service instance {service_name}/{service_instance_name} runs in "
                    f"environment {instance.environment_name}, not in the component's "
                    f"environment {component.environment_name}."
                )
            target.update(serviceName=service_name, serviceInstanceName=service_instance_name)
        if service_spec is not None:
            if not target.get("serviceInstanceName"):
                raise ValidationException("serviceSpec applies to an attached component only.")
            parse_service_spec(service_spec, need_instances=False)
            target["serviceSpec"] = service_spec
        if template_file is not None:
            target["templateFile"] = template_file
        return target

    def delete_component(self, name: str) -> dict[str, Any]:
        component = self.component(name)
        if component.attached:
            raise ConflictException(
                f"The component {name} is attached to service instance {component.service_name}/"
                f"{component.service_instance_name}: detach it before deleting it."
            )
        self.check_not_busy(component, "deleting")
        self.start_deletion(component)
        return {"component": component.describe()}

    def cancel_component_deployment(self, component_name: str) -> dict[str, Any]:
        component = self.component(component_name)
        self.cancel_deployment(component)
        return {"component": component.describe()}

    def list_component_outputs(
        self,
        component_name: str,
        deployment_id: Optional[str] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        return self.outputs_of(self.component(component_name), deployment_id)

    def list_component_provisioned_resources(
        self, component_name: str, next_token: Optional[str] = None
    ) -> dict[str, Any]:
        component = self.component(component_name)
        return {"provisionedResources": list(component.provisioned_resources)}
