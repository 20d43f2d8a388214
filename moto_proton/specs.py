"""Spec YAML, read in one place: environment specs and service specs.

A service spec names the service's instances (each with an environment and optional inputs)
and, for templates with a pipeline, the pipeline's inputs::

    proton: ServiceSpec
    pipeline:
      unit_test_command: make test
    instances:
      - name: frontend-dev
        environment: dev
        spec:
          port: 80

Only this structure is checked here; the inputs of bundle-backed versions are checked
against the bundle's schema by `moto_proton.provisioning`. `${Proton::CURRENT_VAL}` takes the
value at the same path of the current spec.
"""

import dataclasses
import re
from typing import Any, Optional

import yaml

from .exceptions import ValidationException
from .yaml_documents import YamlFault, read_yaml

#: AWS's ResourceName constraint, for names written inside a spec.
RESOURCE_NAME = re.compile(r"[0-9A-Za-z]+[0-9A-Za-z_\-]*", re.ASCII)
CURRENT_VAL = "${Proton::CURRENT_VAL}"
#: How many values a spec may hold once its aliases are expanded: a 51,200-character spec of
#: nested aliases (`a: &a [x, x]`, `b: &b [*a, *a]`, ...) names billions, which
#: `${Proton::CURRENT_VAL}` resolution and comparisons would walk one by one.
MAX_VALUES = 100_000


def load(text: str, what: str) -> dict[str, Any]:
    """The spec as a mapping; ValidationException when it is not YAML or not a mapping."""
    try:
        document = read_yaml(text)
    except YamlFault as fault:
        raise ValidationException(
            f"The {what} spec is nested too deeply."
            if fault.kind == "depth"
            else f"The {what} spec is not valid YAML: a value can't be read as the type its "
            "tag or form gives it."
            if fault.kind == "value"
            else f"The {what} spec is not valid YAML{fault.at}."
        )
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValidationException(f"The {what} spec must be a YAML mapping.")
    # Without an alias (`*name`) every value is written out in the text, with at least one
    # character of its own, and no value can hold itself: only a text with one is walked.
    if "*" not in text and len(text) < MAX_VALUES:
        return document
    try:
        _expanded_size(document, what)
    except RecursionError:
        raise ValidationException(f"The {what} spec is nested too deeply.")
    return document


def _expanded_size(document: Any, what: str) -> int:
    """How many values `document` holds with its aliases expanded (each shared value counted
    once per use, in linear time); ValidationException for an alias inside the value it names
    (a recursive value) or more than MAX_VALUES."""
    sizes: dict[int, int] = {}
    ancestors: set[int] = set()

    def size(node: Any) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in ancestors:
            raise ValidationException(
                f"The {what} spec has an alias inside the value it names (a recursive value)."
            )
        ancestors.add(key)
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        total = 1 + sum(size(child) for child in children)
        ancestors.discard(key)
        if total > MAX_VALUES:
            raise ValidationException(
                f"The {what} spec holds more than {MAX_VALUES} values once its aliases are "
                "expanded."
            )
        sizes[key] = total
        return total

    return size(document)


def _check_proton_key(document: dict[str, Any], expected: str, what: str) -> None:
    if "proton" in document and document["proton"] != expected:
        raise ValidationException(
            f"The {what} spec must have 'proton: {expected}', not 'proton: {document['proton']}'."
        )


def parse_environment_spec(text: str) -> dict[str, Any]:
    document = load(text, "environment")
    _check_proton_key(document, "EnvironmentSpec", "environment")
    return document


@dataclasses.dataclass
class InstanceSpec:
    name: str
    environment: str
    inputs: dict[str, Any]


@dataclasses.dataclass
class ServiceSpec:
    text: str
    document: dict[str, Any]
    instances: list[InstanceSpec]
    pipeline: Optional[dict[str, Any]]

    def instance(self, name: str) -> Optional[InstanceSpec]:
        return next((i for i in self.instances if i.name == name), None)


def _spec_name(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationException(f"The service spec needs a name at {path}.")
    if len(value) > 100 or not RESOURCE_NAME.fullmatch(value):
        raise ValidationException(
            f"The service spec has an invalid name at {path}: '{value}' must be 1 to 100 "
            "letters, digits, '-' or '_', starting with a letter or digit."
        )
    return value


def parse_service_spec(text: str, need_instances: bool = True) -> ServiceSpec:
    """The service spec's instances and pipeline inputs, their structure checked."""
    document = load(text, "service")
    _check_proton_key(document, "ServiceSpec", "service")
    entries = document.get("instances")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise ValidationException("The service spec's instances must be a list.")
    if need_instances and not entries:
        raise ValidationException("The service spec must list at least one instance.")
    instances: list[InstanceSpec] = []
    for index, entry in enumerate(entries):
        path = f"instances[{index}]"
        if not isinstance(entry, dict):
            raise ValidationException(f"The service spec's {path} must be a mapping.")
        name = _spec_name(entry.get("name"), f"{path}.name")
        environment = _spec_name(entry.get("environment"), f"{path}.environment")
        inputs = entry.get("spec") or {}
        if not isinstance(inputs, dict):
            raise ValidationException(f"The service spec's {path}.spec must be a mapping.")
        if any(i.name == name for i in instances):
            raise ValidationException(f"The service spec names the instance {name} twice.")
        instances.append(InstanceSpec(name, environment, inputs))
    pipeline = document.get("pipeline")
    if pipeline is not None and not isinstance(pipeline, dict):
        raise ValidationException("The service spec's pipeline must be a mapping.")
    return ServiceSpec(text, document, instances, pipeline)


def resolve_current_values(new: Any, current: Any) -> Any:
    """`new` with each `${Proton::CURRENT_VAL}` replaced by the value at the same path of
    `current`; a key with no current value is dropped."""
    if isinstance(new, dict):
        resolved = {}
        for key, value in new.items():
            now = current.get(key) if isinstance(current, dict) else None
            if value == CURRENT_VAL and now is None:
                continue
            resolved[key] = resolve_current_values(value, now)
        return resolved
    if isinstance(new, list):
        return [
            resolve_current_values(
                item, current[i] if isinstance(current, list) and i < len(current) else None
            )
            for i, item in enumerate(new)
        ]
    if new == CURRENT_VAL:
        return current
    return new


def with_current_values(new: ServiceSpec, current: Optional[ServiceSpec]) -> ServiceSpec:
    """`new` with `${Proton::CURRENT_VAL}` resolved against `current` (the pipeline section
    against the current one, each instance against the current instance of the same name).
    A resolved spec is stored as the YAML it resolves to."""
    if current is None or CURRENT_VAL not in new.text:
        return new
    document = dict(new.document)
    if isinstance(document.get("pipeline"), dict):
        document["pipeline"] = resolve_current_values(document["pipeline"], current.pipeline)
    entries = document.get("instances")
    if isinstance(entries, list):
        resolved = []
        for entry in entries:
            name = entry.get("name") if isinstance(entry, dict) else None
            before = current.instance(name) if isinstance(name, str) else None
            now = (
                {"name": before.name, "environment": before.environment, "spec": before.inputs}
                if before is not None
                else None
            )
            resolved.append(resolve_current_values(entry, now))
        document["instances"] = resolved
    return parse_service_spec(yaml.safe_dump(document, sort_keys=False), bool(new.instances))
