"""Checks every Proton request against the constraints of the botocore model.

One walk of the input shape serves all 87 operations: required members, types, string and
list length, regular expression pattern, enum and numeric range. Messages use the format AWS
services answer with, e.g.
`1 validation error detected: Value 'abc' at 'managementAccountId' failed to satisfy
constraint: Member must satisfy regular expression pattern: ^\\d{12}$`.
"""

import functools
import json
import re
from typing import Any, Optional

from botocore.model import OperationModel, Shape

from .exceptions import ValidationException

_NUMBER_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
}


@functools.cache
def _pattern(regex: str) -> Optional["re.Pattern[str]"]:
    """The model's pattern as AWS's (Java) validators read it: `\\d`, `\\w` and `\\s` match
    ASCII only (Python's would also match e.g. Arabic-Indic digits)."""
    try:
        return re.compile(regex, re.ASCII)
    except re.error:  # a Java-only construct: leave the check to AWS's documentation
        return None


#: Values nested deeper than this are shown as `...` in messages.
_SHOW_DEPTH = 20


def _show(value: Any, depth: int = 0) -> str:
    """Render a value the way AWS's (Java) messages do."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)) and depth >= _SHOW_DEPTH:
        return "..."
    if isinstance(value, list):
        return "[" + ", ".join(_show(v, depth + 1) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_show(v, depth + 1)}" for k, v in value.items()) + "}"
    return str(value)


class _Walker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, value: Any, path: str, constraint: str) -> None:
        shown = "null" if value is None else f"'{_show(value)}'"
        self.errors.append(f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}")

    def walk(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure":
            self.structure(shape, value, path)
        elif kind == "list":
            self.list(shape, value, path)
        elif kind == "map":
            self.map(shape, value, path)
        elif kind == "string":
            self.string(shape, value, path)
        elif kind in _NUMBER_TYPES:
            self.number(shape, value, path)
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.fail(value, path, "Member must be a boolean")
        elif kind == "timestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                self.fail(value, path, "Member must be a timestamp")
        elif kind == "blob" and not isinstance(value, str):
            self.fail(value, path, "Member must be a base64-encoded string")

    def structure(self, shape: Any, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.fail(value, path, "Member must be a structure")
            return
        prefix = f"{path}." if path else ""
        required = set(shape.required_members)
        for name, member in shape.members.items():
            member_value = value.get(name)
            if member_value is None:
                if name in required:
                    self.fail(None, prefix + name, "Member must not be null")
                continue
            self.walk(member, member_value, prefix + name)
        if getattr(shape, "is_tagged_union", False) and path:
            chosen = [name for name in shape.members if value.get(name) is not None]
            if len(chosen) != 1:
                self.fail(value, path, "Member must have exactly one member set")

    def list(self, shape: Any, value: Any, path: str) -> None:
        if not isinstance(value, list):
            self.fail(value, path, "Member must be a list")
            return
        self.length(shape, value, path)
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                self.fail(None, item_path, "Member must not be null")
            else:
                self.walk(shape.member, item, item_path)

    def map(self, shape: Any, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            self.fail(value, path, "Member must be a map")
            return
        self.length(shape, value, path)
        for key, item in value.items():
            self.walk(shape.key, key, f"{path}.{key}.key")
            if item is not None:
                self.walk(shape.value, item, f"{path}.{key}.value")

    def string(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, str):
            self.fail(value, path, "Member must be a string")
            return
        self.length(shape, value, path)
        meta = shape.metadata
        if "pattern" in meta:
            compiled = _pattern(meta["pattern"])
            if compiled is not None and not compiled.fullmatch(value):
                # Java's matches(): the whole value, not a prefix of it.
                self.fail(
                    value,
                    path,
                    f"Member must satisfy regular expression pattern: {meta['pattern']}",
                )
        if "enum" in meta and value not in meta["enum"]:
            self.fail(
                value, path, f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]"
            )

    def number(self, shape: Shape, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, _NUMBER_TYPES[shape.type_name]):
            self.fail(value, path, f"Member must be of type {shape.type_name}")
            return
        meta = shape.metadata
        if "min" in meta and value < meta["min"]:
            self.fail(value, path, f"Member must have value greater than or equal to {meta['min']}")
        if "max" in meta and value > meta["max"]:
            self.fail(value, path, f"Member must have value less than or equal to {meta['max']}")

    def length(self, shape: Shape, value: Any, path: str) -> None:
        meta = shape.metadata
        if "min" in meta and len(value) < meta["min"]:
            self.fail(
                value, path, f"Member must have length greater than or equal to {meta['min']}"
            )
        if "max" in meta and len(value) > meta["max"]:
            self.fail(value, path, f"Member must have length less than or equal to {meta['max']}")


def validation_message(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)


def _known(shape: Shape, value: Any) -> Any:
    """`value` without the members the model does not know and without nulls, at every level
    (so that backends, and the client-token fingerprints they keep, see only the model's
    members)."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members  # type: ignore[attr-defined]
        return {
            k: _known(members[k], v) for k, v in value.items() if v is not None and k in members
        }
    if kind == "list" and isinstance(value, list):
        return [_known(shape.member, item) for item in value]  # type: ignore[attr-defined]
    if kind == "map" and isinstance(value, dict):
        inner = shape.value  # type: ignore[attr-defined]
        return {k: _known(inner, v) for k, v in value.items() if v is not None}
    return value


def parse_and_validate(operation: OperationModel, body: str) -> dict[str, Any]:
    """The request's known, non-null members, at every level, after every model check
    passed."""
    from .exceptions import SerializationException

    def refuse_constant(name: str) -> Any:
        # NaN, Infinity and -Infinity are not JSON, though Python's parser reads them.
        raise SerializationException(
            f"The request body is not valid JSON: {name} is not a JSON number"
        )

    try:
        params = json.loads(body, parse_constant=refuse_constant) if body and body.strip() else {}
    except RecursionError:
        raise SerializationException("The request body is nested too deeply to be read as JSON")
    except ValueError as error:
        raise SerializationException(f"The request body is not valid JSON: {error}")
    if not isinstance(params, dict):
        raise SerializationException("The request body must be a JSON object")
    shape = operation.input_shape
    if shape is None:
        return {}
    walker = _Walker()
    walker.structure(shape, params, "")
    if walker.errors:
        raise ValidationException(validation_message(walker.errors))
    known: dict[str, Any] = _known(shape, params)
    return known
