"""The backend's side of provisioning: what a deployment renders, found in the backend (its
template version's bundle, its spec and names, the outputs it depends on) and handed to the
provisioning part as plain data, to be rendered by `render_bundle` (the function behind
`moto-proton render`) and applied as a CloudFormation stack."""

from typing import Any, Optional

from ..provisioning import Plan, bundle_of, render_bundle
from ..provisioning.bundle import cloudformation_entry
from ..provisioning.inputs import check_inputs
from ..provisioning.render import render
from ..specs import parse_service_spec
from ..yaml_documents import read_yaml
from .templates import ENVIRONMENT, SERVICE, TemplateKind


def _version(backend: Any, kind: TemplateKind, state: dict[str, Any]) -> Any:
    """The template version a deployment's target state names (None without one)."""
    template = backend.templates_of(kind).get(state.get("templateName", ""))
    if template is None or "templateMajorVersion" not in state:
        return None
    return template.version(state["templateMajorVersion"], state.get("templateMinorVersion", ""))


def _outputs(backend: Any, resource: Any) -> dict[str, str]:
    """What a resource's dependants see: the outputs of its deployment in force (the current one
    once it produced outputs and did not fail, else the last that succeeded)."""
    chosen: Optional[str] = resource.last_succeeded_deployment_id
    current = backend.deployments.get(resource.last_attempted_deployment_id)
    if current is not None and current.id in resource.outputs and current.status != "FAILED":
        chosen = current.id
    return {
        o["key"]: o.get("valueString", "")
        for o in resource.outputs.get(chosen or "", [])
        if "key" in o
    }


def _target_state(backend: Any, resource: Any) -> dict[str, Any]:
    current = backend.deployments.get(resource.last_attempted_deployment_id)
    if current is not None and current.status not in ("FAILED", "CANCELLED", "CANCELLING"):
        state: dict[str, Any] = current.target_state
        return state
    state = resource.state()
    return state


def _environment_view(backend: Any, environment: Any) -> dict[str, Any]:
    return {
        "name": environment.name,
        "account_id": environment.environment_account_id,
        "outputs": _outputs(backend, environment),
    }


def _instance_inputs(backend: Any, instance: Any, state: dict[str, Any]) -> dict[str, Any]:
    version = _version(backend, SERVICE, state)
    parsed = parse_service_spec(state.get("spec") or "", need_instances=False)
    entry = parsed.instance(instance.name)
    inputs = entry.inputs if entry is not None else {}
    bundle = bundle_of(version)
    if bundle is not None and "service" in bundle.input_types:
        return check_inputs(
            bundle.input_types["service"], inputs, f"service instance {instance.name}"
        )
    return dict(inputs)


def _service_view(service: Any) -> dict[str, Any]:
    view = {"name": service.name}
    for member, key in (
        ("repositoryConnectionArn", "repository_connection_arn"),
        ("repositoryId", "repository_id"),
        ("branchName", "branch_name"),
    ):
        if service.repository.get(member) is not None:
            view[key] = service.repository[member]
    return view


def _component_view(backend: Any, service_name: str, instance_name: str) -> dict[str, Any]:
    component = backend.component_of(service_name, instance_name)
    if component is None:
        return {"outputs": {}}
    return {"name": component.name, "outputs": _outputs(backend, component)}


def _environment_role(backend: Any, environment: Any) -> Optional[str]:
    if environment.environment_account_connection_id:
        connection = backend.managed_connections.get(environment.environment_account_connection_id)
        if connection is not None:
            role: Optional[str] = connection.role_arn
            return role
    role = environment.proton_service_role_arn
    return role


#: Where each deployed resource's IaC file is: its template's kind and the bundle's folder.
_IAC_FOLDERS: dict[str, tuple[TemplateKind, str]] = {
    "ENVIRONMENT": (ENVIRONMENT, "infrastructure"),
    "SERVICE_INSTANCE": (SERVICE, "instance_infrastructure"),
    "SERVICE_PIPELINE": (SERVICE, "pipeline_infrastructure"),
}


def _iac_file(backend: Any, kind: str, state: dict[str, Any]) -> Optional[tuple[Any, str]]:
    """The bundle of the version a deployment aims at and the path of its CloudFormation file
    for the resource's kind; None without one (most deployments: no bundle)."""
    template_kind, folder = _IAC_FOLDERS[kind]
    bundle = bundle_of(_version(backend, template_kind, state))
    section = bundle.sections.get(folder) if bundle is not None else None
    found = section.cloudformation_file() if section is not None else None
    if bundle is None or found is None:
        return None
    return bundle, f"{folder}/{found[0]}"


def _pipeline_instances(backend: Any, service: Any) -> list[dict[str, Any]]:
    """The pipeline's `service_instances`: each running instance with its own inputs, its
    outputs and its environment's."""
    instances = []
    for instance in service.instances.values():
        if instance.deletion is not None:
            continue
        environment = backend.environments.get(instance.environment_name)
        instances.append(
            {
                "name": instance.name,
                "inputs": _instance_inputs(backend, instance, _target_state(backend, instance)),
                "outputs": _outputs(backend, instance),
                "environment": _environment_view(backend, environment)
                if environment is not None
                else {"name": instance.environment_name, "outputs": {}},
            }
        )
    return instances


def _component_plan(backend: Any, resource: Any, state: dict[str, Any]) -> Optional[Plan]:
    environment = backend.environments.get(resource.environment_name)
    if (
        environment is None
        or bundle_of(_version(backend, ENVIRONMENT, environment.state())) is None
    ):
        return None
    try:
        manifest = read_yaml(resource.manifest)
        templates = manifest["infrastructure"]["templates"]
        file = str(templates[0]["file"])
    except Exception:
        return None
    found = cloudformation_entry(templates, {file: state.get("templateFile", "")})
    if found is None:
        return None
    namespace: dict[str, Any] = {
        "component": {"name": resource.name},
        "environment": _environment_view(backend, environment),
    }
    service_name, instance_name = state.get("serviceName"), state.get("serviceInstanceName")
    if service_name and instance_name and service_name in backend.services:
        instance = backend.services[service_name].instances.get(instance_name)
        namespace["service"] = {"name": service_name}
        namespace["service_instance"] = {
            "name": instance_name,
            "inputs": _instance_inputs(backend, instance, _target_state(backend, instance))
            if instance is not None
            else {},
        }
    connection = backend.managed_connections.get(
        environment.environment_account_connection_id or ""
    )
    role = environment.component_role_arn or (
        connection.component_role_arn if connection is not None else None
    )
    path = f"component/{found[0]}"
    return Plan(
        environment.environment_account_id, path, lambda: render(found[1], namespace, path), role
    )


def plan(backend: Any, resource: Any, deployment: Any) -> Optional[Plan]:
    """What `deployment` of `resource` renders (None: not bundle-backed, nothing to provision):
    the bundle, the spec and the names, rendered by `render_bundle` (the function behind
    `moto-proton render`) with what only a deployment knows (outputs of the environment and of
    the component, account, repository) as the renderer's context. That context is gathered
    only once the version is known to have a bundle."""
    kind = resource.target_resource_type
    state = deployment.target_state
    if kind == "COMPONENT":
        return _component_plan(backend, resource, state)
    if kind not in _IAC_FOLDERS:
        return None
    if kind == "ENVIRONMENT" and resource.provisioning_repository is not None:
        return None
    found = _iac_file(backend, kind, state)
    if found is None:
        return None
    bundle, path = found
    what: dict[str, Any]
    if kind == "ENVIRONMENT":
        account, role = resource.environment_account_id, _environment_role(backend, resource)
        what = {"name": resource.name}
    elif kind == "SERVICE_INSTANCE":
        environment = backend.environments[resource.environment_name]
        env_view = _environment_view(backend, environment)
        component = _component_view(backend, resource.service_name, resource.name)
        account, role = environment.environment_account_id, _environment_role(backend, environment)
        what = {
            "service": resource.service_name,
            "instance": resource.name,
            "context": {
                "service": _service_view(backend.services[resource.service_name]),
                "service_instance": {
                    "components": {"default": component},
                    "environment": env_view,
                },
                "environment": env_view,
            },
        }
    else:  # SERVICE_PIPELINE
        service = backend.services[resource.name]
        account, role = backend.account_id, backend.account_settings.get("pipelineServiceRoleArn")
        what = {
            "service": resource.name,
            "pipeline": True,
            # The service's instances replace the spec's (their own inputs, outputs).
            "context": {
                "service": _service_view(service),
                "service_instances": _pipeline_instances(backend, service),
            },
        }
    spec = state.get("spec") or ""
    return Plan(account, path, lambda: render_bundle(bundle, spec, **what), role)
