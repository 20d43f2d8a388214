"""What every part of `ProtonBackend` may use from the others, declared once."""

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

from moto.utilities.paginator import paginate
from moto.utilities.tagging_service import TaggingService

if TYPE_CHECKING:
    from .backend import ProtonBackend
    from .connections import EnvironmentAccountConnection
    from .deployments import Deployment
    from .environments import Environment
    from .templates import EnvironmentTemplate


def paged(result_key: str, unique_attribute: str) -> Callable[..., Callable[..., dict[str, Any]]]:
    """Turn a method that lists every item into a List operation: moto's `paginate` cuts the
    page (by `maxResults`, default 100) and the answer is `{result_key: page, "nextToken": ...}`.
    A `nextToken` is tied to the other parameters; a forged or foreign one is `InvalidToken`.
    """

    def decorate(list_all: Callable[..., list[Any]]) -> Callable[..., dict[str, Any]]:
        model = {
            list_all.__name__: {
                "input_token": "next_token",
                "limit_key": "max_results",
                "limit_default": 100,
                "unique_attribute": unique_attribute,
            }
        }
        list_page = paginate(model)(list_all)

        @functools.wraps(list_all)
        def operation(
            self: Any,
            max_results: Optional[int] = None,
            next_token: Optional[str] = None,
            **filters: Any,
        ) -> dict[str, Any]:
            page, token = list_page(self, max_results=max_results, next_token=next_token, **filters)
            return {result_key: page, "nextToken": token}

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
