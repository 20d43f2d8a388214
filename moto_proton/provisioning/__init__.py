"""Real provisioning (spec §15.7): template bundles read from moto's S3, spec inputs checked
against the bundle's schema, IaC files rendered with Jinja2 and deployed as moto CloudFormation
stacks in the account AWS would use, stack outputs captured, and Proton's EventBridge events.

Everything here is inert for template versions without a bundle: the lenient behaviour of the
mock (registration succeeds, nothing rendered, no stack) stays. Needs the `provisioning` extra:
`pip install 'moto-proton[provisioning]'` (moto's CloudFormation, S3 and events backends,
Jinja2 and jsonschema).
"""

import string
from typing import Any, Optional, cast

from ..exceptions import ValidationException
from ..switches import bundles_required
from ..yaml_documents import read_yaml
from .bundle import Bundle, BundleError, cloudformation_entry, read_bundle
from .events import DETAIL_TYPES, put_event, resource_detail
from .inputs import check_inputs, check_type
from .render import RenderError, load_template, render

INSTALL_HINT = "pip install 'moto-proton[provisioning]'"
#: Capabilities AWS passes on (samples carry IAM resources and a SAM Transform).
CAPABILITIES = ("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND")
DELETED_STATUSES = ("DELETE_COMPLETE", "DELETED")

__all__ = [
    "CAPABILITIES",
    "INSTALL_HINT",
    "Bundle",
    "BundleError",
    "bundle_of",
    "check_environment_spec",
    "check_service_spec",
    "deploy",
    "register_version",
    "release",
    "status_changed",
    "version_status_changed",
]


def missing_dependency(deploying: bool = False) -> Optional[str]:
    """Why provisioning can't run here (a module of the extra is missing), or None. Registration
    only looks the modules up (importing moto's CloudFormation loads every moto backend);
    a deployment imports them."""
    import importlib.util

    try:
        for module in ("jinja2", "jsonschema", "cfnlint"):
            if importlib.util.find_spec(module) is None:
                raise ImportError(name=module)
        if deploying:
            import jinja2  # noqa: F401
            import jsonschema  # noqa: F401
            from moto.cloudformation.models import cloudformation_backends  # noqa: F401
    except ImportError as error:
        return f"{error.name or error} is not installed; install the extra: {INSTALL_HINT}"
    return None


def bundle_of(version: Any) -> Optional[Bundle]:
    bundle = getattr(version, "bundle", None)
    return bundle if isinstance(bundle, Bundle) else None


# -- registration -----------------------------------------------------------------------------


def _s3_object(
    account_id: str, partition: str, region: str, bucket: Any, key: Any
) -> Optional[bytes]:
    """The object's bytes when it exists in moto's S3 of that account and Region."""
    if not isinstance(bucket, str) or not isinstance(key, str):
        return None
    try:
        from moto.s3.models import s3_backends
    except ImportError:
        return None
    try:
        if account_id not in dict.keys(s3_backends):
            return None
        s3 = s3_backends[account_id][partition]
        found = s3.buckets.get(bucket)
        if found is None or getattr(found, "region_name", region) != region:
            return None
        obj = s3.get_object(bucket, key)
        if obj is None:
            return None
        value: bytes = obj.value
        return value
    except Exception:  # no such key (moto raises), or an S3 we can't read
        return None


def register_version(backend: Any, template: Any, version: Any) -> None:
    """Read the version's bundle, if its S3 object exists: a good one is kept on the version
    with its schema text; a bad one (or a missing one when bundles are required) fails the
    registration with a statusMessage naming the file and the fault."""
    version.bundle = None
    version.schema = None
    s3 = (version.source or {}).get("s3") if isinstance(version.source, dict) else None
    bucket = s3.get("bucket") if isinstance(s3, dict) else None
    key = s3.get("key") if isinstance(s3, dict) else None
    location = f"s3://{bucket}/{key}"
    outcome = "DRAFT"
    if s3 is not None:
        data = _s3_object(backend.account_id, backend.partition, backend.region_name, bucket, key)
        if data is None:
            if bundles_required():
                version.fail_registration(
                    f"Template bundle {location}: the object does not exist in account "
                    f"{backend.account_id}, Region {backend.region_name}."
                )
                outcome = "REGISTRATION_FAILED"
        else:
            missing = missing_dependency()
            try:
                if missing is not None:
                    raise BundleError("bundle", missing)
                bundle = read_bundle(
                    data, location, template.kind.name, template.provisioning, check_type
                )
            except BundleError as error:
                version.fail_registration(f"Template bundle {location}: {error}")
                outcome = "REGISTRATION_FAILED"
            except Exception as error:  # never a 5xx: a bundle we can't read fails registration
                version.fail_registration(
                    f"Template bundle {location}: {type(error).__name__}: {error}"
                )
                outcome = "REGISTRATION_FAILED"
            else:
                version.bundle = bundle
                version.schema = bundle.schema_text
    version_status_changed(backend, version, "REGISTRATION_IN_PROGRESS", outcome)


def version_status_changed(
    backend: Any, version: Any, previous: Optional[str], status: Optional[str]
) -> None:
    kind = "Environment" if version.kind.name == "environment" else "Service"
    put_event(
        backend.account_id,
        backend.region_name,
        f"AWS Proton {kind} Template Version Status Change",
        {
            "name": version.template_name,
            "majorVersion": version.major,
            "minorVersion": version.minor,
            "status": status,
            "previousStatus": previous,
        },
        version.arn,
    )


# -- specs ------------------------------------------------------------------------------------


def check_environment_spec(version: Any, spec: Optional[str]) -> dict[str, Any]:
    """The environment inputs with defaults (empty without a bundle); ValidationException."""
    bundle = bundle_of(version)
    if bundle is None or "environment" not in bundle.input_types:
        return {}
    from ..models.specs import parse_environment_spec

    document = parse_environment_spec(spec or "")
    return check_inputs(bundle.input_types["environment"], document.get("spec"), "environment")


def check_service_spec(
    version: Any,
    spec: Any,
    instances: Optional[list[str]] = None,
    pipeline: bool = True,
) -> dict[str, Any]:
    """Check a service spec (text or parsed `ServiceSpec`) against the version's schema: the
    inputs of `instances` (every listed instance when None) and, with `pipeline`, the pipeline's.
    Returns {instance name: inputs, and "pipeline" when checked} with defaults applied."""
    bundle = bundle_of(version)
    if bundle is None:
        return {}
    from ..models.specs import parse_service_spec

    parsed = (
        parse_service_spec(spec or "", need_instances=False)
        if isinstance(spec, (str, type(None)))
        else spec
    )
    checked: dict[str, Any] = {}
    service_type = bundle.input_types.get("service")
    if service_type is not None:
        for entry in parsed.instances:
            if instances is None or entry.name in instances:
                checked[entry.name] = check_inputs(
                    service_type, entry.inputs, f"service instance {entry.name}"
                )
    pipeline_type = bundle.input_types.get("pipeline")
    if pipeline and pipeline_type is not None:
        checked["pipeline"] = check_inputs(pipeline_type, parsed.pipeline or {}, "pipeline")
    return checked


# -- the namespaces of 15.4 -------------------------------------------------------------------


def _version(backend: Any, kind_name: str, state: dict[str, Any]) -> Any:
    from ..models.templates import ENVIRONMENT, SERVICE

    kind = ENVIRONMENT if kind_name == "environment" else SERVICE
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
    version = _version(backend, "service", state)
    from ..models.specs import parse_service_spec

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


class Plan:
    """What one deployment renders and where its stack goes."""

    def __init__(
        self,
        account_id: str,
        file: str,
        source: str,
        namespace: dict[str, Any],
        role: Optional[str],
    ):
        self.account_id = account_id
        self.file = file
        self.source = source
        self.namespace = namespace
        self.role = role


def _section_file(version: Any, folder: str) -> Optional[tuple[str, str]]:
    bundle = bundle_of(version)
    section = bundle.sections.get(folder) if bundle is not None else None
    if section is None:
        return None
    found = section.cloudformation_file()
    return (f"{folder}/{found[0]}", found[1]) if found else None


def _environment_role(backend: Any, environment: Any) -> Optional[str]:
    if environment.environment_account_connection_id:
        connection = backend.managed_connections.get(environment.environment_account_connection_id)
        if connection is not None:
            role: Optional[str] = connection.role_arn
            return role
    role = environment.proton_service_role_arn
    return role


def _plan(backend: Any, resource: Any, deployment: Any) -> Optional[Plan]:
    kind = resource.target_resource_type
    state = deployment.target_state
    namespace: dict[str, Any]
    if kind == "ENVIRONMENT":
        version = _version(backend, "environment", state)
        found = _section_file(version, "infrastructure")
        if found is None or resource.provisioning_repository is not None:
            return None
        inputs = check_environment_spec(version, state.get("spec"))
        namespace = {"environment": {"name": resource.name, "inputs": inputs}}
        return Plan(
            resource.environment_account_id,
            found[0],
            found[1],
            namespace,
            _environment_role(backend, resource),
        )
    if kind == "SERVICE_INSTANCE":
        version = _version(backend, "service", state)
        found = _section_file(version, "instance_infrastructure")
        if found is None:
            return None
        environment = backend.environments[resource.environment_name]
        service = backend.services[resource.service_name]
        env_view = _environment_view(backend, environment)
        namespace = {
            "service": _service_view(service),
            "service_instance": {
                "name": resource.name,
                "inputs": _instance_inputs(backend, resource, state),
                "components": {
                    "default": _component_view(backend, resource.service_name, resource.name)
                },
                "environment": env_view,
            },
            "environment": env_view,
        }
        return Plan(
            environment.environment_account_id,
            found[0],
            found[1],
            namespace,
            _environment_role(backend, environment),
        )
    if kind == "SERVICE_PIPELINE":
        version = _version(backend, "service", state)
        found = _section_file(version, "pipeline_infrastructure")
        if found is None:
            return None
        service = backend.services[resource.name]
        pipeline_inputs = check_service_spec(version, state.get("spec"), instances=[]).get(
            "pipeline", {}
        )
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
        namespace = {
            "service": _service_view(service),
            "pipeline": {"inputs": pipeline_inputs},
            "service_instances": instances,
        }
        role = backend.account_settings.get("pipelineServiceRoleArn")
        return Plan(backend.account_id, found[0], found[1], namespace, role)
    if kind == "COMPONENT":
        environment = backend.environments.get(resource.environment_name)
        if (
            environment is None
            or bundle_of(_version(backend, "environment", environment.state())) is None
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
        namespace = {
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
        return Plan(
            environment.environment_account_id, f"component/{found[0]}", found[1], namespace, role
        )
    return None


# -- stacks -----------------------------------------------------------------------------------


def _stack_name(resource: Any) -> str:
    from moto.moto_api._internal import mock_random

    base = (
        resource.name
        if resource.target_resource_type != "SERVICE_PIPELINE"
        else f"{resource.name}-pipeline"
    )
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in base)[:15]
    letters = "".join(mock_random.choice(string.ascii_uppercase) for _ in range(15))
    return f"AWSProton-{cleaned}-cloudformation--{letters}"


def _stack_of(resource: Any) -> Optional[tuple[str, str, str]]:
    """(account, region, stack id) of the stack this mock made for the resource."""
    made = getattr(resource, "provisioned_stack", None)
    return made if isinstance(made, tuple) else None


def _output_value(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _current_stack(backend: Any, resource: Any, account_id: str) -> Any:
    """The live stack the mock made for `resource` in `account_id`, if any."""
    from moto.cloudformation.models import cloudformation_backends

    made = _stack_of(resource)
    if made is None or made[:2] != (account_id, backend.region_name):
        return None
    try:
        stack = cloudformation_backends[account_id][backend.region_name].get_stack(made[2])
    except Exception:
        return None
    return None if stack.status in DELETED_STATUSES else stack


def _apply_stack(backend: Any, resource: Any, plan: Plan, template: str) -> Any:
    from moto.cloudformation.models import cloudformation_backends

    region = backend.region_name
    cloudformation = cloudformation_backends[plan.account_id][region]
    stack = _current_stack(backend, resource, plan.account_id)
    if stack is not None:
        previous = stack.template
        try:
            cloudformation.update_stack(
                name=stack.stack_id, template=template, role_arn=plan.role, parameters=[], tags=None
            )
        except Exception:
            try:  # roll back, as CloudFormation does
                stack.update(cast(str, previous), plan.role)
            except Exception:
                pass
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            raise
        return stack
    name = _stack_name(resource)
    tags = {"proton:" + resource.target_resource_type.lower().replace("_", "-"): resource.arn}
    try:
        stack = cloudformation.create_stack(
            name=name, template=template, parameters={}, role_arn=plan.role, tags=tags
        )
    except Exception:
        for half_made in [s for s in list(cloudformation.stacks.values()) if s.name == name]:
            try:
                cloudformation.delete_stack(half_made.stack_id)
            except Exception:
                cloudformation.stacks.pop(half_made.stack_id, None)
        raise
    resource.provisioned_stack = (plan.account_id, region, stack.stack_id)
    return stack


def deploy(backend: Any, resource: Any, deployment: Any) -> None:
    """Render and deploy a bundle-backed resource's IaC file as a moto CloudFormation stack;
    any fault fails the deployment with its reason (never an error of the Proton call)."""
    if deployment.fails_with:  # a test asked this deployment to fail
        return
    try:
        plan = _plan(backend, resource, deployment)
    except ValidationException as error:
        deployment.fail(f"Invalid inputs: {error.message}")
        return
    except Exception as error:
        deployment.fail(f"Rendering failed: {type(error).__name__}: {error}")
        return
    if plan is None:
        return
    missing = missing_dependency(deploying=True)
    if missing is not None:
        deployment.fail(f"Provisioning needs CloudFormation: {missing}")
        return
    try:
        template = load_template(render(plan.source, plan.namespace, plan.file), plan.file)
    except RenderError as error:
        deployment.fail(f"Rendering failed: {error}")
        return
    before = _current_stack(backend, resource, plan.account_id)
    # What a cancel reverts to: the stack's template before, or no stack at all.
    deployment.stack_before = (before.template, plan.role) if before is not None else None
    deployment.stack_account = plan.account_id
    try:
        stack = _apply_stack(backend, resource, plan, template)
    except Exception as error:
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        deployment.fail(
            f"CloudFormation stack of {resource.label} {resource.name} failed: {reason}"
        )
        return
    if str(stack.status).endswith("FAILED"):
        deployment.fail(f"CloudFormation stack {stack.name} is {stack.status}.")
        return
    resource.outputs[deployment.id] = [
        {"key": o["OutputKey"], "valueString": _output_value(o["OutputValue"])}
        for o in stack.outputs or []
    ]
    resource.provisioned_resources = [
        {"name": stack.name, "identifier": stack.stack_id, "provisioningEngine": "CLOUDFORMATION"}
    ]


def revert(backend: Any, resource: Any, deployment: Any) -> None:
    """A cancelled deployment reverts the stack (AWS: a cancel "reverts the state of the
    resource"): back to the template it had, or gone if the deployment created it."""
    if not hasattr(deployment, "stack_account"):
        return  # not provisioned by the mock
    stack = _current_stack(backend, resource, deployment.stack_account)
    if stack is None:
        return
    try:
        if deployment.stack_before is None:
            release(backend, resource)
            resource.provisioned_resources = []
        else:
            template, role = deployment.stack_before
            stack.update(template, role)
    except Exception:
        return


def release(backend: Any, resource: Any) -> None:
    """Delete the stack the mock made for a deleted resource (best effort)."""
    made = _stack_of(resource)
    if made is None:
        return
    resource.provisioned_stack = None
    try:
        from moto.cloudformation.models import cloudformation_backends

        cloudformation_backends[made[0]][made[1]].delete_stack(made[2])
    except Exception:
        return


def status_changed(backend: Any, resource: Any, previous: Optional[str], status: str) -> None:
    """A deployed resource's status changed: deleted ones lose their stack; events go out."""
    if status in DELETED_STATUSES:
        release(backend, resource)
        status = "DELETED"
    detail_type = DETAIL_TYPES.get(resource.target_resource_type)
    if detail_type is None:
        return
    put_event(
        backend.account_id,
        backend.region_name,
        detail_type,
        resource_detail(resource, status, previous),
        resource.arn,
    )
    deployment = backend.deployments.get(resource.last_attempted_deployment_id)
    if deployment is not None and status in ("IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELLED"):
        put_event(
            backend.account_id,
            backend.region_name,
            "AWS Proton Deployment Status Change",
            {
                "id": deployment.id,
                "status": status,
                # IN_PROGRESS is a deployment's first status: it had none before.
                "previousStatus": None if status == "IN_PROGRESS" else previous,
                "targetArn": resource.arn,
                "targetResourceType": resource.target_resource_type,
            },
            deployment.arn,
        )
