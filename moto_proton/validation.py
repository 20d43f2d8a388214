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
from collections.abc import Callable
from typing import Any, Optional

from botocore.model import OperationModel

from .exceptions import SerializationException, ValidationException

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


#: A compiled check of one shape: `check(value, path, errors)` appends what `value`, found at
#: `path`, fails (nothing when it passes), and gives the value the backend sees: without the
#: members the model does not know and without nulls, at every level (so that backends, and
#: the client-token fingerprints they keep, see only the model's members).
Check = Callable[[Any, str, list[str]], Any]


def _fail(errors: list[str], value: Any, path: str, constraint: str) -> None:
    shown = "null" if value is None else f"'{_show(value)}'"
    errors.append(f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}")


@functools.cache
def _input_check(operation: OperationModel) -> Optional[Check]:
    """The check of the operation's input, compiled once: what depends only on the model
    (members, required ones, limits, patterns) is read from it here, not on every request."""
    shape = operation.input_shape
    return None if shape is None else _compile(shape, {})


def _compile(shape: Any, seen: dict[str, Optional[Check]]) -> Check:
    if shape.name in seen:  # a recursive shape: look its check up when it is used
        return lambda value, path, errors: seen[shape.name](value, path, errors)  # type: ignore[misc]
    kind = shape.type_name
    if kind == "structure":
        seen[shape.name] = None
        check = _structure(shape, seen)
        seen[shape.name] = check
        return check
    if kind == "list":
        return _list(shape, _compile(shape.member, seen))
    if kind == "map":
        return _map(shape, _compile(shape.key, seen), _compile(shape.value, seen))
    if kind == "string":
        return _string(shape)
    if kind in _NUMBER_TYPES:
        return _number(shape)
    if kind == "boolean":
        return _boolean
    if kind == "timestamp":
        return _timestamp
    if kind == "blob":
        return _blob
    return _anything


def _structure(shape: Any, seen: dict[str, Optional[Check]]) -> Check:
    required = set(shape.required_members)
    members = [
        (name, _compile(member, seen), name in required) for name, member in shape.members.items()
    ]
    tagged_union = getattr(shape, "is_tagged_union", False)

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            _fail(errors, value, path, "Member must be a structure")
            return value
        prefix = f"{path}." if path else ""
        known = {}
        for name, member_check, is_required in members:
            member_value = value.get(name)
            if member_value is None:
                if is_required:
                    _fail(errors, None, prefix + name, "Member must not be null")
                continue
            known[name] = member_check(member_value, prefix + name, errors)
        if tagged_union and path and len(known) != 1:
            _fail(errors, value, path, "Member must have exactly one member set")
        return known

    return check


def _length(shape: Any) -> Check:
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")

    def check(value: Any, path: str, errors: list[str]) -> None:
        if low is not None and len(value) < low:
            _fail(errors, value, path, f"Member must have length greater than or equal to {low}")
        if high is not None and len(value) > high:
            _fail(errors, value, path, f"Member must have length less than or equal to {high}")

    return check


def _list(shape: Any, item_check: Check) -> Check:
    length = _length(shape)

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, list):
            _fail(errors, value, path, "Member must be a list")
            return value
        length(value, path, errors)
        known = []
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                _fail(errors, None, item_path, "Member must not be null")
            else:
                known.append(item_check(item, item_path, errors))
        return known

    return check


def _map(shape: Any, key_check: Check, value_check: Check) -> Check:
    length = _length(shape)

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, dict):
            _fail(errors, value, path, "Member must be a map")
            return value
        length(value, path, errors)
        known = {}
        for key, item in value.items():
            key_check(key, f"{path}.{key}.key", errors)
            if item is not None:
                known[key] = value_check(item, f"{path}.{key}.value", errors)
        return known

    return check


def _string(shape: Any) -> Check:
    meta = shape.metadata
    length = _length(shape)
    pattern = meta.get("pattern")
    compiled = _pattern(pattern) if pattern is not None else None
    enum = meta.get("enum")

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not isinstance(value, str):
            _fail(errors, value, path, "Member must be a string")
            return value
        length(value, path, errors)
        # Java's matches(): the whole value, not a prefix of it.
        if compiled is not None and not compiled.fullmatch(value):
            _fail(errors, value, path, f"Member must satisfy regular expression pattern: {pattern}")
        if enum is not None and value not in enum:
            _fail(errors, value, path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        return value

    return check


def _number(shape: Any) -> Check:
    meta = shape.metadata
    kind = shape.type_name
    types = _NUMBER_TYPES[kind]
    low, high = meta.get("min"), meta.get("max")

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if isinstance(value, bool) or not isinstance(value, types):
            _fail(errors, value, path, f"Member must be of type {kind}")
            return value
        if low is not None and value < low:
            _fail(errors, value, path, f"Member must have value greater than or equal to {low}")
        if high is not None and value > high:
            _fail(errors, value, path, f"Member must have value less than or equal to {high}")
        return value

    return check


def _type_check(accepts: Callable[[Any], bool], constraint: str) -> Check:
    """The check of a shape that only constrains the value's JSON type."""

    def check(value: Any, path: str, errors: list[str]) -> Any:
        if not accepts(value):
            _fail(errors, value, path, constraint)
        return value

    return check


_boolean = _type_check(lambda value: isinstance(value, bool), "Member must be a boolean")
_timestamp = _type_check(
    lambda value: not isinstance(value, bool) and isinstance(value, (int, float, str)),
    "Member must be a timestamp",
)
_blob = _type_check(lambda value: isinstance(value, str), "Member must be a base64-encoded string")


def _anything(value: Any, path: str, errors: list[str]) -> Any:
    return value


def validation_message(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)


#: The members of recent bodies of at most CACHED_BODY characters whose members are all text,
#: numbers or booleans are kept (at most CACHED_BODIES; then the record starts again): clients
#: send the same Get or List (a waiter's poll) again and again, and the members depend on the
#: operation and the body alone.
CACHED_BODIES = 256
CACHED_BODY = 1024
_SCALARS = (str, int, float, bool)
_flat_members: dict[tuple[str, str], tuple[tuple[str, Any], ...]] = {}


def parse_and_validate(operation: OperationModel, body: str) -> dict[str, Any]:
    """The request's known, non-null members, at every level, after every model check
    passed. Each call gets a dict of its own."""
    key = (operation.name, body)
    members = _flat_members.get(key)
    if members is not None:
        return dict(members)
    parsed = _parse_and_validate(operation, body)
    # Lists and mappings are left out: the backend may keep and change them.
    if len(body) <= CACHED_BODY and all(type(value) in _SCALARS for value in parsed.values()):
        if len(_flat_members) >= CACHED_BODIES:
            _flat_members.clear()
        _flat_members[key] = tuple(parsed.items())
    return parsed


def _refuse_constant(name: str) -> Any:
    # NaN, Infinity and -Infinity are not JSON, though Python's parser reads them.
    raise SerializationException(f"The request body is not valid JSON: {name} is not a JSON number")


#: One decoder for every body (`json.loads` with an option builds a new one per call).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _parse_and_validate(operation: OperationModel, body: str) -> dict[str, Any]:
    try:
        if not body or not body.strip():
            params: Any = {}
        elif isinstance(body, str):
            params = _DECODER.decode(body)
        else:  # bytes: json.loads finds their encoding
            params = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise SerializationException("The request body is nested too deeply to be read as JSON")
    except ValueError as error:
        raise SerializationException(f"The request body is not valid JSON: {error}")
    if not isinstance(params, dict):
        raise SerializationException("The request body must be a JSON object")
    check = _input_check(operation)
    if check is None:
        return {}
    errors: list[str] = []
    known: dict[str, Any] = check(params, "", errors)
    if errors:
        raise ValidationException(validation_message(errors))
    return known
