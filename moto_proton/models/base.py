"""What every part of `ProtonBackend` may use from the others, declared once."""

import base64
import bisect
import calendar
import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Optional

from moto.utilities.tagging_service import TaggingService

from ..exceptions import ValidationException

if TYPE_CHECKING:
    from .backend import ProtonBackend
    from .components import Component
    from .connections import EnvironmentAccountConnection
    from .deletions import Deletions
    from .deployable import Deployable, VersionedDeployable
    from .deployments import Deployment
    from .environments import Environment
    from .repositories import Repository
    from .services import Service, ServicePipeline
    from .sync import ServiceSyncConfig
    from .templates import Template, TemplateKind, TemplateVersion


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


class BackendParts:
    """The state and helpers the resource mixins of `ProtonBackend` share."""

    account_id: str
    region_name: str
    partition: str
    tagger: TaggingService
    connections: "dict[str, EnvironmentAccountConnection]"
    managed_connections: "dict[str, EnvironmentAccountConnection]"
    environment_templates: "dict[str, Template]"
    service_templates: "dict[str, Template]"
    environments: "dict[str, Environment]"
    services: "dict[str, Service]"
    deployments: "dict[str, Deployment]"
    account_settings: dict[str, Any]
    components: "dict[str, Component]"
    repositories: "dict[tuple[str, str], Repository]"
    service_sync_configs: "dict[str, ServiceSyncConfig]"
    failures_to_come: dict[str, str]
    deletions: "Deletions"

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

        def template(self, name: str, kind: "TemplateKind" = ...) -> "Template": ...

        def published_version(
            self, template: "Template", major: str, minor: Optional[str]
        ) -> "TemplateVersion": ...

        def template_version_users(self, version: "TemplateVersion") -> list[str]: ...

        def environment(self, name: str) -> "Environment": ...

        def target_version(
            self,
            resource: "VersionedDeployable",
            kind: Any,
            deployment_type: str,
            major: Optional[str],
            minor: Optional[str],
        ) -> "Optional[TemplateVersion]": ...

        def service(self, name: str) -> "Service": ...

        def sync_service(self, service: "Service") -> str: ...

        def forget_template_sync(self, template_type: str, template_name: str) -> None: ...

        def forget_service_sync(self, service_name: str) -> None: ...

        def instances_in_environment(self, environment_name: str) -> list[str]: ...

        def deployment_target(self, deployment: "Deployment") -> "Optional[Deployable]": ...

        def start_deployment(
            self,
            resource: "Deployable",
            target_state: dict[str, Any],
            at: Optional[datetime.datetime] = None,
        ) -> "Deployment": ...

        def advance_deployable(self, resource: "Deployable") -> None: ...

        def sync_deployable(self, resource: "Deployable") -> str: ...

        def check_not_busy(self, resource: "Deployable", doing: str) -> None: ...

        def cancel_deployment(self, resource: "Deployable") -> None: ...

        def start_deletion(self, resource: "Deployable") -> None: ...

        def outputs_of(
            self, resource: "Deployable", deployment_id: Optional[str]
        ) -> dict[str, Any]: ...

        def current_deployment(self, resource: "Deployable") -> "Optional[Deployment]": ...

        def new_deletion(self, arn: str, model: str) -> Any: ...

        def templates_of(self, kind: "TemplateKind") -> "dict[str, Template]": ...

        def _create_template_version(
            self,
            kind: "TemplateKind",
            template_name: str,
            source: dict[str, Any],
            major_version: Optional[str] = None,
            description: Optional[str] = None,
            tags: Optional[list[dict[str, str]]] = None,
            client_token: Optional[str] = None,
            compatible_environment_templates: Optional[list[dict[str, str]]] = None,
            supported_component_sources: Optional[list[str]] = None,
        ) -> dict[str, Any]: ...

        def pipeline_of(self, service_name: str) -> "ServicePipeline": ...

        def component(self, name: str) -> "Component": ...

        def component_of(self, service_name: str, instance_name: str) -> "Optional[Component]": ...

        def components_by_instance(self) -> "dict[tuple[Any, Any], Component]": ...

        def components_in_environment(self, environment_name: str) -> list[str]: ...

        def repository(self, provider: str, name: str) -> "Repository": ...

        def linked_repository(self, provider: str, name: str, used_as: str) -> "Repository": ...

        def sync_configs(self) -> list[Any]: ...

        def block_sync(
            self, service_name: str, instance_name: Optional[str], reason: str
        ) -> None: ...
