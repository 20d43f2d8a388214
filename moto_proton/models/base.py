"""What every part of `ProtonBackend` may use from the others, declared once."""

import base64
import bisect
import functools
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

from moto.utilities.tagging_service import TaggingService

from ..exceptions import ValidationException

if TYPE_CHECKING:
    from .backend import ProtonBackend
    from .connections import EnvironmentAccountConnection
    from .deployments import Deployment
    from .environments import Environment
    from .templates import EnvironmentTemplate


def _checksum(filters: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def _start_after(token: Optional[str], filters: dict[str, Any]) -> Optional[list[Any]]:
    """The sort key a `nextToken` resumes at; ValidationException when it is not ours."""
    if token is None:
        return None
    try:
        decoded = json.loads(base64.b64decode(token, validate=True))
        if decoded["filters"] == _checksum(filters):
            return list(decoded["from"])
    except (ValueError, TypeError, KeyError):
        pass
    raise ValidationException("The nextToken is not valid for this request.")


def paged(
    result_key: str,
    order: Callable[[Any], tuple[Any, ...]],
    describe: Callable[[Any, Any], dict[str, Any]] = lambda backend, item: item.describe(),
) -> Callable[..., Callable[..., dict[str, Any]]]:
    """Turn a method that returns every matching item into a List operation.

    Items are sorted by `order`; a page holds `maxResults` of them (default 100), and only
    those are described. `nextToken` carries the sort key of the next item and a checksum of
    the other parameters, so it is never repeated, survives deletions between pages, and a
    forged or foreign token is a ValidationException.
    """

    def decorate(list_all: Callable[..., list[Any]]) -> Callable[..., dict[str, Any]]:
        @functools.wraps(list_all)
        def operation(
            self: Any,
            max_results: Optional[int] = None,
            next_token: Optional[str] = None,
            **filters: Any,
        ) -> dict[str, Any]:
            start_from = _start_after(next_token, filters)
            items = sorted(list_all(self, **filters), key=order)
            keys = [list(order(item)) for item in items]
            first = bisect.bisect_left(keys, start_from) if start_from is not None else 0
            last = first + (max_results or 100)
            page = [describe(self, item) for item in items[first:last]]
            answer: dict[str, Any] = {result_key: page}
            if last < len(items):
                token = {"filters": _checksum(filters), "from": keys[last]}
                answer["nextToken"] = base64.b64encode(json.dumps(token).encode()).decode()
            return answer

        return operation

    return decorate


class BackendParts:
    """The state and helpers the resource mixins of `ProtonBackend` share."""

    account_id: str
    region_name: str
    partition: str
    tagger: TaggingService
    connections: "dict[str, EnvironmentAccountConnection]"
    managed_connections: "dict[str, EnvironmentAccountConnection]"
    environment_templates: "dict[str, EnvironmentTemplate]"
    environments: "dict[str, Environment]"
    deployments: "dict[str, Deployment]"

    if TYPE_CHECKING:  # each is defined by one part; listed here for the type checker

        def backend_of(self, account_id: str) -> "ProtonBackend": ...

        def arn(self, resource: str) -> str: ...

        def owns_resource(self, kind: str, name: str) -> bool: ...

        def add_tags(
            self,
            arn: str,
            tags: Optional[list[dict[str, str]]],
            managed: Optional[dict[str, str]] = None,
        ) -> None: ...

        def drop_tags(self, arn: str) -> None: ...

        def _as_environment_account(
            self, connection_id: str, operation: str
        ) -> "EnvironmentAccountConnection": ...

        def connection_in_use(self, connection: "EnvironmentAccountConnection") -> bool: ...

        def template(self, name: str) -> "EnvironmentTemplate": ...

        def sync_environment(self, environment: "Environment") -> str: ...
