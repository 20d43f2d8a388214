"""How a resource is described in answers: the API's members, read from its attributes."""

import functools
import re
from typing import Any

_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def described(resource: Any, members: str, **values: Any) -> dict[str, Any]:
    """The members named in `members` (the API's names, space-separated, in its order): each
    from `values` when given there, else from the resource's attribute of the same name in
    snake_case (`connectionArn` from `connection_arn`). Members that are None are left out."""
    found = {}
    for member, attribute in _attributes(members):
        value = values[member] if member in values else getattr(resource, attribute)
        if value is not None:
            found[member] = value
    return found


@functools.cache
def _attributes(members: str) -> tuple[tuple[str, str], ...]:
    """Each member with the attribute it is read from, worked out once per list."""
    return tuple((member, _WORD_START.sub("_", member).lower()) for member in members.split())
