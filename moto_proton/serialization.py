"""Answers on the wire, shaped by the botocore model: only the members of the output shape,
timestamps as epoch seconds (millisecond precision), as AWS's JSON 1.0 protocol has them.

moto's generic serializer does the same, but looks every member up under several spellings on
every response (a third of a List call's time, measured in `bench/`). Backend results here are
already dicts keyed by the model's member names, so the work that depends only on the model is
done once per shape and each answer is a plain walk.
"""

import base64
import datetime
import functools
import json
from collections.abc import Callable
from typing import Any, Optional

from botocore.model import OperationModel, Shape

Convert = Optional[Callable[[Any], Any]]  # None: the value goes out as it is


_EPOCH = datetime.datetime(1970, 1, 1)


def epoch_seconds(value: datetime.datetime) -> float:
    """Seconds since the epoch, to the millisecond below; a naive value is UTC (moto's
    `utcnow`)."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    since = value - _EPOCH
    seconds = since.days * 86400 + since.seconds
    return seconds + (value.microsecond // 1000) / 1000 if value.microsecond else seconds


def _compile(shape: Shape, seen: dict[str, Convert]) -> Convert:
    if shape.name in seen:  # a recursive shape: look the converter up when it is used
        return lambda value: seen[shape.name](value) if seen[shape.name] else value  # type: ignore[misc]
    kind = shape.type_name
    if kind == "timestamp":
        return epoch_seconds
    if kind == "blob":
        return lambda value: base64.b64encode(value).decode() if isinstance(value, bytes) else value
    if kind not in ("structure", "list", "map"):
        return None
    seen[shape.name] = None
    convert: Convert
    if kind == "structure":
        members = [(name, _compile(member, seen)) for name, member in shape.members.items()]  # type: ignore[attr-defined]

        def convert(value: Any) -> Any:
            out = {}
            for name, member in members:
                item = value.get(name)
                if item is not None:
                    out[name] = member(item) if member else item
            return out

    elif kind == "list":
        item_convert = _compile(shape.member, seen)  # type: ignore[attr-defined]
        convert = (lambda value: [item_convert(v) for v in value]) if item_convert else list  # type: ignore[misc]
    else:
        value_convert = _compile(shape.value, seen)  # type: ignore[attr-defined]
        convert = (
            (lambda value: {k: value_convert(v) for k, v in value.items()})
            if value_convert
            else dict
        )  # type: ignore[misc]
    seen[shape.name] = convert
    return convert


@functools.cache
def _output_converter(operation: OperationModel) -> Callable[[Any], Any]:
    shape = operation.output_shape
    if shape is None:
        return lambda _: {}
    return _compile(shape, {}) or dict


#: One encoder for every answer (`json.dumps` with options builds a new one per call). The
#: converters build a new tree for each answer, which holds no cycle to look for.
_COMPACT = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def response_body(operation: OperationModel, result: dict[str, Any]) -> str:
    return _COMPACT.encode(_output_converter(operation)(result))
