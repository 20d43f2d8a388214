"""Spec inputs checked against the schema's input type (OpenAPI 3 schema objects, validated
with `jsonschema`'s Draft 4 rules, which OpenAPI 3.0's schema objects follow): defaults are
applied first; unknown inputs are allowed; `pattern` is unanchored; integers are numbers."""

import copy
from typing import Any

from ..exceptions import ValidationException


def _json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema object as JSON Schema (draft 4): `nullable` becomes a null type."""
    if isinstance(schema, list):
        return [_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _json_schema(value) for key, value in schema.items()}
    if converted.pop("nullable", False) is True and isinstance(converted.get("type"), str):
        converted["type"] = [converted["type"], "null"]
    return converted


def check_type(type_schema: dict[str, Any]) -> None:
    """ValueError when the input type is not a valid schema object."""
    import jsonschema

    try:
        jsonschema.Draft4Validator.check_schema(_json_schema(type_schema))
    except jsonschema.SchemaError as error:
        path = ".".join(str(p) for p in error.path)
        raise ValueError(f"{error.message}" + (f" (at {path})" if path else "")) from None


def with_defaults(type_schema: Any, value: Any) -> Any:
    """`value` with the schema's defaults for absent properties, recursively."""
    if not isinstance(type_schema, dict) or not isinstance(value, dict):
        return value
    properties = type_schema.get("properties")
    if not isinstance(properties, dict):
        return value
    filled = dict(value)
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        if name not in filled and "default" in prop:
            filled[name] = copy.deepcopy(prop["default"])
        if name in filled:
            filled[name] = with_defaults(prop, filled[name])
    return filled


def _rule(error: Any) -> str:
    rule = error.validator
    if rule in ("minimum", "maximum", "minLength", "maxLength", "pattern", "type"):
        return f"{rule} {error.validator_value!r}"
    if rule == "enum":
        return f"enum {list(error.validator_value)!r}"
    return str(rule)


def check_inputs(type_schema: dict[str, Any], inputs: Any, what: str) -> dict[str, Any]:
    """The inputs with defaults applied; ValidationException naming the input and the rule."""
    import jsonschema

    if inputs is None:
        inputs = {}
    if not isinstance(inputs, dict):
        raise ValidationException(f"The {what} inputs must be a mapping.")
    filled = with_defaults(type_schema, inputs)
    validator = jsonschema.Draft4Validator(_json_schema(type_schema))
    errors = sorted(validator.iter_errors(filled), key=lambda e: (list(e.path), e.validator))
    if not errors:
        result: dict[str, Any] = filled
        return result
    error = errors[0]
    path = [str(p) for p in error.path]
    if error.validator == "required":
        missing = [
            r
            for r in error.validator_value
            if isinstance(error.instance, dict) and r not in error.instance
        ]
        name = ".".join(path + missing[:1])
        raise ValidationException(
            f"Invalid {what} input: {name} is required (rule: required) and has no default."
        )
    name = ".".join(path) or "(the inputs)"
    raise ValidationException(
        f"Invalid {what} input {name}: fails {_rule(error)} ({error.message})."
    )
