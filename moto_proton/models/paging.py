"""Paging of List operations: items kept in sort-key order (`OrderedIndex`) and the `paged`
decorator that turns a selection of them into pages with opaque `nextToken`s."""

import base64
import bisect
import calendar
import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Optional

from ..exceptions import ValidationException

SortKey = tuple[Any, ...]  # JSON-safe values: str, int, float


def _checksum(filters: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def _start_at(token: Optional[str], filters: dict[str, Any]) -> Optional[SortKey]:
    """The sort key a `nextToken` resumes at; ValidationException when it is not ours."""
    if token is None:
        return None
    try:
        decoded = json.loads(base64.b64decode(token, validate=True))
        if decoded["filters"] == _checksum(filters):
            return tuple(decoded["from"])
    except (ValueError, TypeError, KeyError):
        pass
    raise ValidationException("The nextToken is not valid for this request.")


def instant(moment: datetime.datetime) -> float:
    """A timestamp as a sortable, JSON-safe number (UTC seconds, microseconds kept)."""
    return calendar.timegm(moment.utctimetuple()) + moment.microsecond / 1_000_000


class OrderedIndex:
    """Items in sort-key order, so that a List page starts with a binary search and a full
    listing stays linear however many items an account holds."""

    def __init__(self, entries: Iterable[tuple[SortKey, Any]] = (), descending: bool = False):
        ordered = sorted(entries, key=lambda entry: entry[0])
        self.keys: list[SortKey] = [key for key, _ in ordered]
        self.items: list[Any] = [item for _, item in ordered]
        #: Pages go from the highest key down (keys stay stored in ascending order).
        self.descending = descending

    def add(self, key: SortKey, item: Any) -> None:
        at = bisect.bisect_left(self.keys, key)
        self.keys.insert(at, key)
        self.items.insert(at, item)

    def remove(self, key: SortKey) -> None:
        at = bisect.bisect_left(self.keys, key)
        if at < len(self.keys) and self.keys[at] == key:
            del self.keys[at]
            del self.items[at]

    def from_key(self, key: Optional[SortKey]) -> Iterator[tuple[SortKey, Any]]:
        try:
            if self.descending:
                end = bisect.bisect_right(self.keys, key) if key is not None else len(self.keys)
                positions = range(end - 1, -1, -1)
            else:
                start = bisect.bisect_left(self.keys, key) if key is not None else 0
                positions = range(start, len(self.keys))
        except TypeError:  # a key of other types than this index's: not a token of ours
            raise ValidationException("The nextToken is not valid for this request.")
        return ((self.keys[at], self.items[at]) for at in positions)


Selection = tuple[OrderedIndex, Optional[Callable[[Any], bool]]]


def paged(
    result_key: str,
    describe: Callable[[Any, Any], dict[str, Any]] = lambda backend, item: item.describe(),
) -> Callable[..., Callable[..., dict[str, Any]]]:
    """Turn a method that selects items (an `OrderedIndex` and a filter) into a List operation.

    A page holds `maxResults` items (default 100) in index order, and only those are
    described. `nextToken` carries the sort key of the next item and a checksum of the other
    parameters: it is never repeated, survives deletions between pages, and a forged or
    foreign token is a ValidationException.
    """

    def decorate(select: Callable[..., Selection]) -> Callable[..., dict[str, Any]]:
        @functools.wraps(select)
        def operation(
            self: Any,
            max_results: Optional[int] = None,
            next_token: Optional[str] = None,
            **filters: Any,
        ) -> dict[str, Any]:
            start = _start_at(next_token, filters)
            index, keep = select(self, **filters)
            limit = max_results or 100
            page: list[Any] = []
            next_key: Optional[SortKey] = None
            for key, item in index.from_key(start):
                if keep is None or keep(item):
                    if len(page) == limit:
                        next_key = key
                        break
                    page.append(item)
            answer: dict[str, Any] = {result_key: [describe(self, item) for item in page]}
            if next_key is not None:
                token = {"filters": _checksum(filters), "from": list(next_key)}
                answer["nextToken"] = base64.b64encode(json.dumps(token).encode()).decode()
            return answer

        return operation

    return decorate
