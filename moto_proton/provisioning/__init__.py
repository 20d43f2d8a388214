"""Real provisioning: template bundles read from moto's S3, spec inputs checked against the
bundle's schema, IaC files rendered (`offline.render_bundle`, the function behind
`moto-proton render`) and deployed as moto CloudFormation stacks in the account AWS would use,
stack outputs captured, and Proton's EventBridge events. What a deployment renders is the
backend's to say (`moto_proton.models.provisioned`): nothing here reads the backend's models.

Everything here is inert for template versions without a bundle: the lenient behaviour of the
mock (registration succeeds, nothing rendered, no stack) stays. Needs the `provisioning` extra:
`pip install 'moto-proton[provisioning]'` (moto's CloudFormation, S3 and events backends,
Jinja2 and jsonschema).
"""

import string
from collections.abc import Callable, Mapping
from typing import Any, Optional, cast

from ..exceptions import ValidationException
from ..extras import PROVISIONING_INSTALL_HINT, RENDERING_MODULES, first_missing
from ..specs import parse_environment_spec, parse_service_spec
from ..switches import bundles_required, modelled_resources_required
from .bundle import Bundle, BundleError, read_bundle
from .events import DEPLOYED_KINDS, listened_to, resource_detail, status_change
from .inputs import check_inputs, check_type
from .offline import (
    RenderFault,
    SpecFault,
    TemplateFault,
    UsageFault,
    bundle_from_files,
    load_bundle,
    merged,
    render_bundle,
)
from .render import RenderError, load_document, load_template, template_json

INSTALL_HINT = PROVISIONING_INSTALL_HINT
#: Capabilities AWS passes on (samples carry IAM resources and a SAM Transform).
CAPABILITIES = ("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND")
DELETED_STATUSES = ("DELETE_COMPLETE", "DELETED")

__all__ = [
    "CAPABILITIES",
    "INSTALL_HINT",
    "Bundle",
    "Plan",
    "BundleError",
    "bundle_of",
    "check_environment_spec",
    "check_service_spec",
    "deploy",
    "load_bundle",
    "merged",
    "register_version",
    "release",
    "render_bundle",
    "RenderFault",
    "SpecFault",
    "TemplateFault",
    "UsageFault",
    "bundle_from_files",
    "status_changed",
    "version_status_changed",
]


def missing_dependency(deploying: bool = False) -> Optional[str]:
    """Why provisioning can't run here (a module of the extra is missing), or None. Registration
    only looks the modules up (importing moto's CloudFormation loads every moto backend);
    a deployment imports them."""
    try:
        missing = first_missing((*RENDERING_MODULES, "cfnlint"))
        if missing is not None:
            raise ImportError(name=missing)
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
    version_status_changed(version, "REGISTRATION_IN_PROGRESS", outcome)


def version_status_changed(version: Any, previous: Optional[str], status: Optional[str]) -> None:
    kind = "Environment" if version.kind.name == "environment" else "Service"
    status_change(
        f"{kind} Template Version",
        version.arn,
        {
            "name": version.template_name,
            "majorVersion": version.major,
            "minorVersion": version.minor,
            "status": status,
            "previousStatus": previous,
        },
    )


# -- specs ------------------------------------------------------------------------------------


def check_environment_spec(version: Any, spec: Optional[str]) -> dict[str, Any]:
    """The environment inputs with defaults (empty without a bundle); ValidationException."""
    bundle = bundle_of(version)
    if bundle is None or "environment" not in bundle.input_types:
        return {}
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


# -- deployments ------------------------------------------------------------------------------


class Plan:
    """What one deployment renders and where its stack goes: `text()` renders the template."""

    def __init__(self, account_id: str, file: str, text: Callable[[], str], role: Optional[str]):
        self.account_id = account_id
        self.file = file
        self.text = text
        self.role = role


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


def _update(stack: Any, text: str, role: Optional[str]) -> None:
    """Set a stack's template to `text` (moto builds the stack from its JSON form)."""
    stack.update(load_template(text, stack.name), role)
    stack.template = text


def _apply_stack(backend: Any, resource: Any, plan: Plan, text: str, template: str) -> Any:
    """Create or update the resource's stack. moto's CloudFormation builds it from the
    template as JSON (its own YAML reader misreads some short forms, such as a `!GetAtt` list),
    and the stack then holds the rendered text itself, as GetTemplate shows it on AWS."""
    from moto.cloudformation.models import cloudformation_backends

    region = backend.region_name
    cloudformation = cloudformation_backends[plan.account_id][region]
    stack = _current_stack(backend, resource, plan.account_id)
    if stack is not None:
        previous = cast(str, stack.template)
        try:
            cloudformation.update_stack(
                name=stack.stack_id, template=template, role_arn=plan.role, parameters=[], tags=None
            )
        except Exception:
            try:  # roll back, as CloudFormation does
                _update(stack, previous, plan.role)
            except Exception:
                pass
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
            raise
        stack.template = text
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
    stack.template = text
    resource.provisioned_stack = (plan.account_id, region, stack.stack_id)
    return stack


def unmodelled_resources(template: Mapping[str, Any]) -> list[str]:
    """The resources of a template document that moto's CloudFormation doesn't model, as
    "LogicalId (Type)": moto skips them with a warning and the stack still completes, so a
    deployment would otherwise succeed without them unnoticed. Empty where this moto's
    registry of resource types can't be read."""
    try:
        from moto.cloudformation.parsing import NULL_MODELS, get_model_map

        modelled = set(get_model_map()) | set(NULL_MODELS)
    except (ImportError, AttributeError):
        return []
    resources = template.get("Resources") or {}
    return [
        f"{logical_id} ({kind})"
        for logical_id, resource in resources.items()
        for kind in [resource.get("Type") if isinstance(resource, dict) else None]
        if isinstance(kind, str) and kind not in modelled and not kind.startswith("Custom::")
    ]


def deploy(
    backend: Any,
    resource: Any,
    deployment: Any,
    plan_of: Callable[[Any, Any, Any], Optional[Plan]],
) -> None:
    """Render and deploy a bundle-backed resource's IaC file as a moto CloudFormation stack;
    any fault fails the deployment with its reason (never an error of the Proton call).
    `plan_of(backend, resource, deployment)` is the backend's account of what to render
    (None: nothing to provision)."""
    if deployment.fails_with:  # a test asked this deployment to fail
        return
    rendered = _rendered(backend, resource, deployment, plan_of)
    if rendered is None:
        return
    plan, text, template, unmodelled = rendered
    before = _current_stack(backend, resource, plan.account_id)
    # What a cancel reverts to: the stack's template before, or no stack at all.
    deployment.stack_before = (before.template, plan.role) if before is not None else None
    deployment.stack_account = plan.account_id
    try:
        stack = _apply_stack(backend, resource, plan, text, template)
    except Exception as error:
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        deployment.fail(
            f"CloudFormation stack of {resource.label} {resource.name} failed: {reason}"
        )
        return
    if str(stack.status).endswith("FAILED"):
        deployment.fail(f"CloudFormation stack {stack.name} is {stack.status}.")
        return
    if unmodelled:
        deployment.status_message = (
            f"Deployed without {', '.join(unmodelled)}: moto's CloudFormation doesn't model "
            "them. require_modelled_resources(True) makes such a deployment fail."
        )
    resource.outputs[deployment.id] = [
        {"key": o["OutputKey"], "valueString": _output_value(o["OutputValue"])}
        for o in stack.outputs or []
    ]
    resource.provisioned_resources = [
        {"name": stack.name, "identifier": stack.stack_id, "provisioningEngine": "CLOUDFORMATION"}
    ]


def _rendered(
    backend: Any,
    resource: Any,
    deployment: Any,
    plan_of: Callable[[Any, Any, Any], Optional[Plan]],
) -> Optional[tuple[Plan, str, Any, list[str]]]:
    """What `deploy` deploys once every check passed: the plan, its rendered IaC text, that
    text as a template, and the resource types moto's CloudFormation doesn't model. None when
    there is nothing to provision, or when a check failed the deployment."""
    try:
        plan = plan_of(backend, resource, deployment)
    except ValidationException as error:
        deployment.fail(f"Invalid inputs: {error.message}")
        return None
    except Exception as error:
        deployment.fail(f"Rendering failed: {type(error).__name__}: {error}")
        return None
    if plan is None:
        return None
    missing = missing_dependency(deploying=True)
    if missing is not None:
        deployment.fail(f"Provisioning needs CloudFormation: {missing}")
        return None
    try:
        text = plan.text()
        document = load_document(text, plan.file)  # refuses what is no CloudFormation template
    except SpecFault as fault:
        deployment.fail(f"Invalid inputs: {fault.reason}")
        return None
    except (RenderFault, RenderError, UsageFault) as error:
        deployment.fail(f"Rendering failed: {error}")
        return None
    unmodelled = unmodelled_resources(document)
    if unmodelled and modelled_resources_required():
        deployment.fail(
            f"moto's CloudFormation doesn't model {', '.join(unmodelled)}; the deployment "
            "fails because require_modelled_resources is on."
        )
        return None
    return plan, text, template_json(document), unmodelled


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
            _update(stack, template, role)
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
    kind = DEPLOYED_KINDS.get(resource.target_resource_type)
    if kind is None or not listened_to(resource.arn):
        return
    status_change(kind, resource.arn, resource_detail(resource, status, previous))
    deployment = backend.deployments.get(resource.last_attempted_deployment_id)
    if deployment is not None and status in ("IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELLED"):
        status_change(
            "Deployment",
            deployment.arn,
            {
                "id": deployment.id,
                "status": status,
                # IN_PROGRESS is a deployment's first status: it had none before.
                "previousStatus": None if status == "IN_PROGRESS" else previous,
                "targetArn": resource.arn,
                "targetResourceType": resource.target_resource_type,
            },
        )
