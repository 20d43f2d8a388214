"""Render a Proton template bundle without Proton, as Proton did at each deployment: read the
bundle, check the spec against the bundle's schema (applying its defaults), build Proton's
parameter namespace, and render the IaC file with Jinja and Proton's filters.

This is what `moto-proton render` runs and what the emulator's provisioning renders with, so
the template of a stack the emulator deploys is the text this module gives for the same bundle,
spec and outputs. It needs Jinja2 and jsonschema (`pip install 'moto-proton[provisioning]'`)
and no backend.

    from moto_proton.provisioning import load_bundle, render_bundle

    bundle = load_bundle("load-balanced-fargate-svc/v1")  # a folder or a .tar.gz
    text = render_bundle(
        bundle,
        spec_text,
        service="frontend",
        instance="frontend-prod",
        context={"environment": {"outputs": {"VPC": "vpc-0123"}}},
    )
"""

import os
from collections.abc import Mapping
from typing import Any, Optional

from ..exceptions import ValidationException
from ..specs import parse_environment_spec, parse_service_spec
from .bundle import CUSTOMER_MANAGED, Bundle, BundleError, archive_members, bundle_of_files
from .inputs import check_inputs, check_type, with_defaults
from .render import RenderError, render

#: The folder of the IaC file each kind of rendering uses.
ENVIRONMENT_FOLDER = "infrastructure"
INSTANCE_FOLDER = "instance_infrastructure"
PIPELINE_FOLDER = "pipeline_infrastructure"


class RenderFault(Exception):
    """The bundle, the spec, the context or the template can't be rendered (exit 1)."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


class SpecFault(RenderFault):
    """The spec is not YAML or breaks the bundle's schema."""


class TemplateFault(RenderFault):
    """The IaC file fails to render: Jinja syntax, an undefined value, a filter's check."""


class UsageFault(Exception):
    """The request itself is wrong: no such bundle, a name the spec doesn't have, a missing or
    conflicting choice (exit 2)."""


def _bundle_kind(files: Mapping[str, bytes], location: str) -> tuple[str, Optional[str]]:
    """("environment" or "service", the provisioning to read it with), from its folders."""
    folders = {part for name in files for part in name.split("/")[:2]}
    if INSTANCE_FOLDER in folders:
        # Without a pipeline folder the service template is read as one without a pipeline.
        return "service", None if PIPELINE_FOLDER in folders else CUSTOMER_MANAGED
    if ENVIRONMENT_FOLDER in folders:
        return "environment", None
    raise RenderFault(location, f"has neither {ENVIRONMENT_FOLDER}/ nor {INSTANCE_FOLDER}/")


def _folder_files(path: str) -> dict[str, bytes]:
    """The files of a bundle folder; hidden ones (`.git/`, `.DS_Store`) are no part of it."""
    files: dict[str, bytes] = {}
    for folder, folders, names in os.walk(path):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, path).replace(os.sep, "/")
            with open(full, "rb") as file:
                files[relative] = file.read()
    return files


def bundle_from_files(files: Mapping[str, bytes], location: str = "bundle") -> Bundle:
    """A bundle from its files (path inside the bundle -> bytes; one leading folder allowed);
    its folders decide whether it is an environment or a service template."""
    kind, provisioning = _bundle_kind(files, location)
    try:
        return bundle_of_files(dict(files), location, kind, provisioning, check_type)
    except BundleError as error:
        raise RenderFault(f"{location}: {error.file}", error.fault) from None


def load_bundle(path: str) -> Bundle:
    """The bundle in a folder or a `.tar.gz` as uploaded to S3; UsageFault when there is none,
    RenderFault when it can't be read."""
    if os.path.isdir(path):
        return bundle_from_files(_folder_files(path), path)
    if not os.path.isfile(path):
        raise UsageFault(f"no such bundle: {path} (a folder or a .tar.gz)")
    with open(path, "rb") as file:
        data = file.read()
    try:
        files = archive_members(data)
    except BundleError as error:
        raise RenderFault(path, error.fault) from None
    return bundle_from_files(files, path)


def merged(base: Any, over: Any) -> Any:
    """`over` deep-merged over `base`: mappings merge key by key, any other value (a list
    too) replaces."""
    if not isinstance(base, dict) or not isinstance(over, Mapping):
        return over
    result = dict(base)
    for key, value in over.items():
        result[key] = merged(result[key], value) if key in result else value
    return result


def _checked(type_schema: Optional[dict[str, Any]], inputs: Any, what: str) -> dict[str, Any]:
    if type_schema is None:
        return dict(inputs or {})
    return check_inputs(type_schema, inputs, what)


def _environment_namespace(bundle: Bundle, spec: str, name: Optional[str]) -> dict[str, Any]:
    if not name:
        raise UsageFault("an environment bundle needs the environment's name (--name)")
    document = parse_environment_spec(spec)
    inputs = _checked(bundle.input_types.get("environment"), document.get("spec"), "environment")
    return {"environment": {"name": name, "inputs": inputs}}


def _instance_namespace(bundle: Bundle, spec: str, service: str, name: str) -> dict[str, Any]:
    parsed = parse_service_spec(spec, need_instances=False)
    entry = parsed.instance(name)
    if entry is None:
        listed = ", ".join(i.name for i in parsed.instances) or "none"
        raise UsageFault(f"the spec lists no instance {name} (it lists: {listed})")
    inputs = _checked(
        bundle.input_types.get("service"), entry.inputs, f"service instance {entry.name}"
    )
    return {
        "service": {"name": service},
        "service_instance": {
            "name": entry.name,
            "inputs": inputs,
            "components": {"default": {"outputs": {}}},
        },
        "environment": {"name": entry.environment},
    }


def _pipeline_namespace(bundle: Bundle, spec: str, service: str) -> dict[str, Any]:
    if PIPELINE_FOLDER not in bundle.sections:
        raise UsageFault(f"the bundle has no {PIPELINE_FOLDER}/ to render")
    parsed = parse_service_spec(spec, need_instances=False)
    service_type = bundle.input_types.get("service")
    pipeline = _checked(bundle.input_types.get("pipeline"), parsed.pipeline, "pipeline")
    instances = [
        {
            "name": entry.name,
            # Defaults only: each instance's inputs are checked when the instance renders.
            "inputs": with_defaults(service_type, dict(entry.inputs)),
            "environment": {"name": entry.environment},
            "outputs": {},
        }
        for entry in parsed.instances
    ]
    return {
        "service": {"name": service},
        "pipeline": {"inputs": pipeline},
        "service_instances": instances,
    }


def namespace(
    bundle: Bundle,
    spec: str,
    name: Optional[str],
    service: Optional[str],
    instance: Optional[str],
    pipeline: bool,
) -> tuple[str, dict[str, Any]]:
    """(folder of the IaC file, Proton's parameter namespace) for one rendering of `bundle`
    (the arguments of `render_bundle`). SpecFault for a spec that is not YAML or breaks the
    schema; UsageFault for a choice the bundle or the spec can't serve."""
    is_environment = ENVIRONMENT_FOLDER in bundle.sections
    try:
        if is_environment:
            if service or instance or pipeline:
                raise UsageFault(
                    "an environment bundle takes --name, not --service/--instance/--pipeline"
                )
            return ENVIRONMENT_FOLDER, _environment_namespace(bundle, spec, name)
        if not service:
            raise UsageFault("a service bundle needs the service's name (--service)")
        if bool(instance) == pipeline:
            raise UsageFault("a service bundle renders one of --instance NAME or --pipeline")
        if pipeline:
            return PIPELINE_FOLDER, _pipeline_namespace(bundle, spec, service)
        return INSTANCE_FOLDER, _instance_namespace(bundle, spec, service, str(instance))
    except ValidationException as error:
        raise SpecFault("spec", error.message) from None


def render_bundle(
    bundle: Bundle,
    spec: str,
    *,
    name: Optional[str] = None,
    service: Optional[str] = None,
    instance: Optional[str] = None,
    pipeline: bool = False,
    context: Optional[Mapping[str, Any]] = None,
) -> str:
    """The rendered IaC file of `bundle` for `spec` (the text of an `EnvironmentSpec` or a
    `ServiceSpec`), exactly as Proton handed it to CloudFormation.

    Render an environment with `name`, a service instance with `service` and `instance`, a
    service's pipeline with `service` and `pipeline=True`. `context` is deep-merged over the
    namespace built from the spec (mappings merge key by key, other values replace): it carries
    what only a deployment knows, such as `environment.outputs`,
    `service_instance.components.default.outputs`, `environment.account_id` or
    `service.repository_id`.

    Raises SpecFault (the spec), TemplateFault (the IaC file) and UsageFault (the choice of
    what to render), each with a one-line message."""
    folder, built = namespace(bundle, spec, name, service, instance, pipeline)
    found = bundle.sections[folder].cloudformation_file()
    if found is None:
        raise UsageFault(
            f"{folder}/manifest.yaml names no Jinja CloudFormation file "
            "(rendering_engine: jinja, template_language: cloudformation)"
        )
    file, source = f"{folder}/{found[0]}", found[1]
    try:
        return render(source, merged(built, context or {}), file)
    except RenderError as error:
        # RenderError says "<file>: reason" or "<file> line N: reason".
        reason = str(error).removeprefix(file).removeprefix(":").strip()
        raise TemplateFault(file, reason) from None
