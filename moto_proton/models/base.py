"""What every part of `ProtonBackend` may use from the others, declared once."""

from typing import TYPE_CHECKING, Any, Optional

from moto.utilities.tagging_service import TaggingService

if TYPE_CHECKING:
    from .backend import ProtonBackend
    from .connections import EnvironmentAccountConnection
    from .deployments import Deployment
    from .environments import Environment
    from .templates import EnvironmentTemplate


def pagination_model(**unique_attributes: str) -> dict[str, dict[str, Any]]:
    """moto `paginate` settings for list helpers: method name -> the attribute tokens name."""
    return {
        method: {
            "input_token": "next_token",
            "limit_key": "max_results",
            "limit_default": 100,
            "unique_attribute": attribute,
        }
        for method, attribute in unique_attributes.items()
    }


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
