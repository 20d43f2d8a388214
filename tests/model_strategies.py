"""Hypothesis strategies generated from a botocore service model, not written per field.

`ModelStrategies(hints)` turns any input shape into:

- `valid(shape)`: values that satisfy every constraint the model states: strings drawn from
  the shape's pattern (`st.from_regex(..., fullmatch=True)`, with Java's ASCII meaning of
  `\\d`, `\\w` and `\\s`, as AWS's validators have it, and bounded repetitions such as
  `{1,512}` drawn up to 12 times) and kept within min/max length, enum members, numbers in
  range, lists and maps within their length, structures with every required member and a
  random subset of the optional ones (exactly one member for a union);
- `invalid(shape, path)`: `(value, path)` pairs where `value` breaks one constraint at `path`
  (the path AWS's messages name, e.g. `tags.2.member.key`): wrong JSON type, number out of
  range, string or list too long or too short, pattern or enum violated, required member
  missing or null, null list item;
- `request(operation)` / `invalid_request(operation)`: the same for a whole request body;
- `with_unknown_members(shape, value)`: `value` plus members the model does not know, at every
  level, and explicit nulls for optional members left out (both must be ignored).

`hints` maps shape names to values that are mixed into that shape's valid values with
`st.sampled_from` (three times in four: ids and ARNs of seeded resources, accounts, role
ARNs), so that generated requests reach domain code instead of only ResourceNotFound. A key
`Structure.member` (e.g. `CreateServiceInput.spec`) or `*.member` (e.g. `*.serviceName`)
hints one member instead of a whole shape: names of services where a service is named, not
every `ResourceName`. The most specific key wins, and a member hint is mixed in before the
shape's. A key `Structure+` holds overlays: partial values of the structure that are laid
over a generated one half the time (a member given as None is left out), so that members that
only make sense together (a service and one of its instances, a template and one of its
versions, a template with a pipeline and the repository it needs) are drawn together.
Hints and overlays that do not satisfy the shape's constraints are dropped, so `valid` stays
valid.
"""

from __future__ import annotations

import base64
import functools
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional

from botocore.model import OperationModel, Shape
from hypothesis import strategies as st

Strategy = st.SearchStrategy
Hints = Mapping[str, Sequence[Any]]

#: How far beyond a minimum the generator goes for strings without a pattern and for lists;
#: boundary values (exactly the maximum) are generated separately.
EXTRA_CHARS = 24
EXTRA_ITEMS = 3
#: Structures nested deeper than this get only their required members.
MAX_DEPTH = 6
INTEGER_BOUNDS = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}
#: Characters that break ASCII-only regular expressions while looking harmless.
LOOKALIKES = "\u0663\uff17\u00e9\u0430 \n\t"

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
JSON_VALUES = (
    JSON_SCALARS
    | st.lists(JSON_SCALARS, max_size=3)
    | st.dictionaries(st.text(max_size=6), JSON_SCALARS | st.lists(JSON_SCALARS), max_size=3)
)


@functools.cache
def java_pattern(regex: str) -> Optional[re.Pattern[str]]:
    """The model's regular expression with Java's semantics (ASCII classes), or None when
    Python cannot compile it."""
    try:
        return re.compile(regex, re.ASCII)
    except re.error:
        return None


#: Bounded repetitions above this are generated up to it only (the values stay valid; a
#: 512-character run drawn character by character would make every example slow).
MAX_REPEAT = 12


def _capped(regex: str) -> str:
    def cap(match: re.Match[str]) -> str:
        low, high = int(match.group(1)), int(match.group(2))
        return f"{{{low},{max(low, min(high, MAX_REPEAT))}}}"

    return re.sub(r"(?<!\\)\{(\d+),(\d+)\}", cap, regex)


def string_ok(shape: Shape, value: Any) -> bool:
    """Whether `value` satisfies a string shape's type, length, pattern and enum."""
    if not isinstance(value, str):
        return False
    meta = shape.metadata
    if len(value) < meta.get("min", 0) or ("max" in meta and len(value) > meta["max"]):
        return False
    if "enum" in meta and value not in meta["enum"]:
        return False
    pattern = java_pattern(meta["pattern"]) if "pattern" in meta else None
    return pattern is None or pattern.fullmatch(value) is not None


def _text_of_length(size: int) -> Strategy[str]:
    """A string of exactly `size` characters, cheap even for large sizes."""
    if size <= 64:
        return st.text(min_size=size, max_size=size)
    return st.text(string.ascii_letters, min_size=1, max_size=4).map(
        lambda unit: (unit * (size // len(unit) + 1))[:size]
    )


class ModelStrategies:
    def __init__(self, hints: Optional[Hints] = None):
        self.hints = {name: tuple(values) for name, values in (hints or {}).items()}
        self._valid: dict[tuple[str, int], Strategy[Any]] = {}
        self._members: dict[tuple[str, str, int], Strategy[Any]] = {}
        self._invalid: dict[tuple[str, str], Strategy[tuple[Any, str]]] = {}
        self._optional_nulls: dict[str, Strategy[list[str]]] = {}
        self._unknown: dict[str, Strategy[dict[str, Any]]] = {}

    # -- valid values ---------------------------------------------------------------------

    def valid(self, shape: Shape, depth: int = 0) -> Strategy[Any]:
        key = (shape.name, min(depth, MAX_DEPTH + 1))
        if key not in self._valid:
            generated = self._generate_valid(shape, depth)
            hinted = [h for h in self.hints.get(shape.name, ()) if self._hint_ok(shape, h)]
            if hinted:
                generated = _mostly(st.sampled_from(hinted), generated)
            overlays = [o for o in self.hints.get(f"{shape.name}+", ()) if _overlay_ok(shape, o)]
            if overlays:
                plain = generated
                laid = st.tuples(plain, st.sampled_from(overlays)).map(_overlaid)
                generated = st.booleans().flatmap(lambda lay: laid if lay else plain)
            self._valid[key] = generated
        return self._valid[key]

    def _hint_ok(self, shape: Shape, value: Any) -> bool:
        return shape.type_name != "string" or string_ok(shape, value)

    def member(self, structure: Shape, name: str, depth: int) -> Strategy[Any]:
        """Valid values of `structure`'s member `name`, with its member hints mixed in."""
        key = (structure.name, name, min(depth, MAX_DEPTH + 1))
        if key not in self._members:
            shape: Shape = structure.members[name]  # type: ignore[attr-defined]
            generated = self.valid(shape, depth)
            hints = self.hints.get(f"{structure.name}.{name}") or self.hints.get(f"*.{name}", ())
            hinted = [h for h in hints if self._hint_ok(shape, h)]
            if hinted:
                generated = _mostly(st.sampled_from(hinted), generated)
            self._members[key] = generated
        return self._members[key]

    def _generate_valid(self, shape: Shape, depth: int) -> Strategy[Any]:
        kind = shape.type_name
        meta = shape.metadata
        if kind == "structure":
            return self._structure(shape, depth)
        if kind == "list":
            low = meta.get("min", 0)
            high = meta.get("max", low + EXTRA_ITEMS)
            items = self.valid(shape.member, depth + 1)  # type: ignore[attr-defined]
            return st.lists(items, min_size=low, max_size=min(high, low + EXTRA_ITEMS))
        if kind == "map":
            low = meta.get("min", 0)
            high = meta.get("max", low + EXTRA_ITEMS)
            return st.dictionaries(
                self.valid(shape.key, depth + 1),  # type: ignore[attr-defined]
                self.valid(shape.value, depth + 1),  # type: ignore[attr-defined]
                min_size=low,
                max_size=min(high, low + EXTRA_ITEMS),
            )
        if kind == "string":
            return self._string(shape)
        if kind in INTEGER_BOUNDS:
            low, high = INTEGER_BOUNDS[kind]
            return st.integers(meta.get("min", low), meta.get("max", high))
        if kind in ("float", "double"):
            return st.floats(
                meta.get("min"), meta.get("max"), allow_nan=False, allow_infinity=False
            )
        if kind == "boolean":
            return st.booleans()
        if kind == "timestamp":
            return st.integers(0, 4_102_444_800) | st.floats(0, 4_102_444_800)
        if kind == "blob":
            return st.binary(max_size=32).map(lambda b: base64.b64encode(b).decode())
        return JSON_VALUES  # a type this generator does not know: anything JSON

    def _string(self, shape: Shape) -> Strategy[str]:
        meta = shape.metadata
        if "enum" in meta:
            return st.sampled_from(meta["enum"])
        low, high = meta.get("min", 0), meta.get("max")
        pattern = java_pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None:
            drawn: Strategy[str] = st.from_regex(
                re.compile(_capped(pattern.pattern), re.ASCII), fullmatch=True
            )
        else:
            top = low + EXTRA_CHARS if high is None else min(high, low + EXTRA_CHARS)
            drawn = st.text(min_size=low, max_size=top)
            if high is not None and high > top:
                drawn = drawn | _text_of_length(high)
        return drawn.filter(lambda value: string_ok(shape, value))

    def _structure(self, shape: Shape, depth: int) -> Strategy[dict[str, Any]]:
        members: dict[str, Shape] = shape.members  # type: ignore[attr-defined]
        required = set(shape.required_members)  # type: ignore[attr-defined]
        if shape.metadata.get("union"):
            return st.one_of(
                *(
                    st.fixed_dictionaries({name: self.member(shape, name, depth + 1)})
                    for name in members
                )
            )
        return st.fixed_dictionaries(
            {name: self.member(shape, name, depth + 1) for name in members if name in required},
            optional={
                name: self.member(shape, name, depth + 1)
                for name in members
                if name not in required and depth < MAX_DEPTH
            },
        )

    def request(self, operation: OperationModel) -> Strategy[dict[str, Any]]:
        shape = operation.input_shape
        return st.just({}) if shape is None else self.valid(shape)

    # -- invalid values -------------------------------------------------------------------

    def invalid(self, shape: Shape, path: str) -> Strategy[tuple[Any, str]]:
        """`(value, path)` with one constraint of `shape` broken at `path` (or below it)."""
        key = (shape.name, path)
        if key not in self._invalid:
            self._invalid[key] = self._generate_invalid(shape, path)
        return self._invalid[key]

    def _generate_invalid(self, shape: Shape, path: str) -> Strategy[tuple[Any, str]]:
        kind = shape.type_name
        meta = shape.metadata
        if path == "":  # a whole request: the body stays a JSON object
            inside = self.invalid_members(shape, path)
            assert inside is not None
            return inside
        here: list[Strategy[Any]] = [wrong_type(kind)]
        if kind == "string":
            here += self._bad_strings(shape)
        elif kind in INTEGER_BOUNDS or kind in ("float", "double"):
            if "min" in meta:
                here.append(st.integers(max_value=meta["min"] - 1))
            if "max" in meta:
                here.append(st.integers(min_value=meta["max"] + 1))
        elif kind == "list":
            item = self.valid(shape.member)  # type: ignore[attr-defined]
            if meta.get("min", 0) > 0:
                here.append(st.lists(item, max_size=meta["min"] - 1))
            if "max" in meta:
                here.append(item.map(lambda one: [one] * (meta["max"] + 1)))
        elif kind == "map" and "max" in meta:
            size = meta["max"] + 1
            here.append(
                self.valid(shape.value).map(  # type: ignore[attr-defined]
                    lambda one: {f"k{i}": one for i in range(size)}
                )
            )
        options = [st.one_of(here).map(lambda value: (value, path))]
        if kind == "structure":
            inside = self.invalid_members(shape, path)
            if inside is not None:
                options.append(inside)
        elif kind == "list":
            options.append(self._bad_item(shape, path))
        elif kind == "map":
            options.append(self._bad_entry(shape, path))
        return st.one_of(options)

    def _bad_strings(self, shape: Shape) -> list[Strategy[str]]:
        meta = shape.metadata
        low, high = meta.get("min", 0), meta.get("max")
        bad: list[Strategy[str]] = []
        if low > 0:
            bad.append(st.text(max_size=low - 1))
        if high is not None:
            bad.append(_text_of_length(high + 1))
        if "enum" in meta:
            enum = meta["enum"]
            bad.append(st.sampled_from(enum).map(str.lower).filter(lambda v: v not in enum))
            bad.append(st.text(max_size=12).filter(lambda v: v not in enum))
        pattern = java_pattern(meta["pattern"]) if "pattern" in meta else None
        if pattern is not None:
            near_misses = st.tuples(
                self._string(shape),
                st.integers(0, 10_000),
                st.sampled_from(LOOKALIKES) | st.characters(codec="utf-8"),
                st.sampled_from(["insert", "replace", "append"]),
            ).map(_mutate)
            bad.append(
                (near_misses | st.text(max_size=20)).filter(lambda v: not pattern.fullmatch(v))
            )
        return bad

    def _bad_item(self, shape: Shape, path: str) -> Strategy[tuple[Any, str]]:
        member = shape.member  # type: ignore[attr-defined]
        high = shape.metadata.get("max", EXTRA_ITEMS + 1)
        before = st.lists(self.valid(member), max_size=min(high - 1, 2))

        def build(items: list[Any], bad: tuple[Any, str]) -> tuple[Any, str]:
            return [*items, bad[0]], bad[1]

        def bad_at(items: list[Any]) -> Strategy[tuple[Any, str]]:
            where = f"{path}.{len(items) + 1}.member"
            return st.just((None, where)) | self.invalid(member, where)

        return before.flatmap(lambda items: bad_at(items).map(lambda bad: build(items, bad)))

    def _bad_entry(self, shape: Shape, path: str) -> Strategy[tuple[Any, str]]:
        key_shape, value_shape = shape.key, shape.value  # type: ignore[attr-defined]

        def bad_value(key: str) -> Strategy[tuple[Any, str]]:
            return self.invalid(value_shape, f"{path}.{key}.value").map(
                lambda bad: ({key: bad[0]}, bad[1])
            )

        options = [self.valid(key_shape).flatmap(bad_value)]
        bad_keys = self._bad_strings(key_shape)
        if bad_keys:
            options.append(
                st.tuples(st.one_of(bad_keys), self.valid(value_shape)).map(
                    lambda kv: ({kv[0]: kv[1]}, f"{path}.{kv[0]}.key")
                )
            )
        return st.one_of(options)

    def invalid_members(self, shape: Shape, path: str) -> Optional[Strategy[tuple[Any, str]]]:
        """A valid structure with one member made invalid, missing or null; None when the
        structure has no member to break."""
        members: dict[str, Shape] = shape.members  # type: ignore[attr-defined]
        if not members:
            return None
        prefix = f"{path}." if path else ""
        whole = self.valid(shape)
        options: list[Strategy[tuple[Any, str]]] = []
        for name in shape.required_members:  # type: ignore[attr-defined]
            options.append(whole.map(_without(name)).map(_at(prefix + name)))
            options.append(whole.map(_with(name, None)).map(_at(prefix + name)))
        for name, member in members.items():
            bad = self.invalid(member, prefix + name)
            options.append(st.tuples(whole, bad).map(_replace(name)))
        return st.one_of(options)

    def invalid_request(
        self, operation: OperationModel
    ) -> Optional[Strategy[tuple[dict[str, Any], str]]]:
        shape = operation.input_shape
        if shape is None or not shape.members:  # type: ignore[attr-defined]
            return None
        return self.invalid(shape, "")

    def broken(self, shape: Shape, value: dict[str, Any]) -> Strategy[tuple[dict[str, Any], str]]:
        """The valid request `value` with one top-level member made invalid, missing or null
        (cheaper than `invalid_request`: the rest of the request is not drawn again)."""
        members: dict[str, Shape] = shape.members  # type: ignore[attr-defined]
        required = shape.required_members  # type: ignore[attr-defined]
        ways = [("missing", name) for name in required] + [("null", name) for name in required]
        ways += [("bad", name) for name in members]

        def apply(way: tuple[str, str]) -> Strategy[tuple[dict[str, Any], str]]:
            how, name = way
            if how == "missing":
                return st.just(({k: v for k, v in value.items() if k != name}, name))
            if how == "null":
                return st.just(({**value, name: None}, name))
            return self.invalid(members[name], name).map(
                lambda bad: ({**value, name: bad[0]}, bad[1])
            )

        return st.sampled_from(ways).flatmap(apply)

    # -- members the model does not know ----------------------------------------------------

    def with_unknown_members(self, shape: Shape, value: Any) -> Strategy[Any]:
        """`value` with unknown members added to its structures and optional members that it
        leaves out set to null, at every level; a server must treat both as absent."""

        @st.composite
        def decorated(draw: Callable[[Strategy[Any]], Any]) -> Any:
            return self._decorate(shape, value, draw)

        return decorated()

    def _decorate(self, shape: Shape, value: Any, draw: Callable[[Strategy[Any]], Any]) -> Any:
        kind = shape.type_name
        if kind == "structure" and isinstance(value, dict):
            members: dict[str, Shape] = shape.members  # type: ignore[attr-defined]
            result = {
                name: self._decorate(members[name], item, draw) if name in members else item
                for name, item in value.items()
            }
            optional = [n for n in members if n not in shape.required_members]  # type: ignore[attr-defined]
            if shape.name not in self._unknown:
                unknown = st.text(min_size=1, max_size=12).filter(lambda n: n not in members)
                self._unknown[shape.name] = st.dictionaries(unknown, JSON_VALUES, max_size=2)
                self._optional_nulls[shape.name] = (
                    st.lists(st.sampled_from(optional), unique=True) if optional else st.just([])
                )
            for name in draw(self._optional_nulls[shape.name]):
                if name not in value:
                    result[name] = None
            result.update(draw(self._unknown[shape.name]))
            return result
        if kind == "list" and isinstance(value, list):
            member = shape.member  # type: ignore[attr-defined]
            return [self._decorate(member, item, draw) for item in value]
        if kind == "map" and isinstance(value, dict):
            inner = shape.value  # type: ignore[attr-defined]
            return {key: self._decorate(inner, item, draw) for key, item in value.items()}
        return value


def _overlay_ok(shape: Shape, overlay: Mapping[str, Any]) -> bool:
    """Whether `overlay` keeps a valid `shape` valid: known members, strings that satisfy
    their shape, no required member removed."""
    members: dict[str, Shape] = shape.members  # type: ignore[attr-defined]
    for name, value in overlay.items():
        if name not in members:
            return False
        if value is None:
            if name in shape.required_members:  # type: ignore[attr-defined]
                return False
        elif members[name].type_name == "string" and not string_ok(members[name], value):
            return False
    return True


def _overlaid(args: tuple[dict[str, Any], Mapping[str, Any]]) -> dict[str, Any]:
    value, overlay = args
    merged = {**value, **overlay}
    return {name: item for name, item in merged.items() if item is not None}


def _mostly(usual: Strategy[Any], other: Strategy[Any]) -> Strategy[Any]:
    """`usual` three times in four, else `other` (without drawing both)."""
    return st.integers(0, 3).flatmap(lambda n: other if n == 0 else usual)


def wrong_type(kind: str) -> Strategy[Any]:
    """JSON values of another type than a member of type `kind` takes."""
    text = st.text(max_size=8)
    numbers = st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    fractions = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f != int(f))
    small_list = st.lists(st.integers(), max_size=2)
    small_dict = st.dictionaries(st.text(max_size=4), st.integers(), max_size=2)
    by_kind: dict[str, Strategy[Any]] = {
        "string": numbers | st.booleans() | small_list | small_dict,
        "integer": text | st.booleans() | fractions | small_list,
        "long": text | st.booleans() | fractions | small_list,
        "float": text | st.booleans() | small_list,
        "double": text | st.booleans() | small_list,
        "boolean": text | numbers | small_list,
        "timestamp": st.booleans() | small_list | small_dict,
        "blob": numbers | st.booleans() | small_list,
        "list": text | numbers | small_dict,
        "map": text | numbers | small_list,
        "structure": text | numbers | st.booleans() | small_list,
    }
    return by_kind.get(kind, small_list)


def _mutate(args: tuple[str, int, str, str]) -> str:
    value, position, char, how = args
    where = position % (len(value) + 1)
    if how == "insert" or not value:
        return value[:where] + char + value[where:]
    if how == "replace":
        where = min(where, len(value) - 1)
        return value[:where] + char + value[where + 1 :]
    return value + char


def _without(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda value: {k: v for k, v in value.items() if k != name}


def _with(name: str, item: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda value: {**value, name: item}


def _at(path: str) -> Callable[[Any], tuple[Any, str]]:
    return lambda value: (value, path)


def _replace(name: str) -> Callable[[tuple[dict[str, Any], tuple[Any, str]]], tuple[Any, str]]:
    def replace(args: tuple[dict[str, Any], tuple[Any, str]]) -> tuple[Any, str]:
        whole, (bad, path) = args
        return {**whole, name: bad}, path

    return replace
