"""What the parts (mixins) of `ProtonBackend` share: `BackendParts`, which declares what each
part may use from the others; `stored`, how a part declares the stores it owns; `found` and
`live`, how a part finds the resources whose deletion has not finished."""

import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Optional, TypeVar, cast

from moto.core.base_backend import BaseBackend
from moto.utilities.tagging_service import TaggingService

from ..exceptions import ResourceNotFoundException

if TYPE_CHECKING:
    from ..specs import InstanceSpec
    from .backend import ProtonBackend
    from .components import Component
    from .connections import EnvironmentAccountConnection
    from .deletions import Deletions
    from .deployable import Deployable, VersionedDeployable
    from .deployments import Deployment
    from .environments import Environment
    from .instances import ServiceInstance
    from .pipelines import ServicePipeline
    from .repositories import Repository
    from .services import Service
    from .sync import ServiceSyncConfig
    from .templates import Template, TemplateKind, TemplateVersion

Found = TypeVar("Found")
Stored = TypeVar("Stored")


class _Store:
    def __init__(self, create: Callable[[], Any]):
        self.create = create


def stored(create: Callable[[], Stored]) -> Stored:
    """Declares, in the part that owns it, a store each backend gets its own of, made empty by
    `create` when the backend is (`BackendParts.__init__`): `services: dict[str, Service] =
    stored(dict)`. Adding a store is that one line."""
    return cast(Stored, _Store(create))


def found(store: Mapping[str, Any], find: Callable[[str], Found], name: str) -> Optional[Found]:
    """What `find` finds by `name` in `store`, brought up to date; None when there is none, or
    its deletion has finished (`find` then forgets it and raises ResourceNotFoundException).
    `store` is asked first: making the error costs more than the rest of a lookup (moto's
    error class renders an XML body that the JSON one then replaces)."""
    if name not in store:
        return None
    try:
        return find(name)
    except ResourceNotFoundException:
        return None


def live(store: Mapping[str, Any], find: Callable[[str], Found]) -> list[Found]:
    """The resources of `store` that `find` still finds, in the store's order, each brought up
    to date; one whose deletion has finished meanwhile is left out."""
    resources = (found(store, find, name) for name in list(store))
    return [resource for resource in resources if resource is not None]


class BackendParts(BaseBackend):
    """The state and helpers the parts (mixins) of `ProtonBackend` share. Each part declares
    the stores it owns with `stored` (created here, in `__init__`); below, for the type
    checker, the stores and methods one part uses from another."""

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

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        for part in type(self).__mro__:
            for name, store in vars(part).items():
                if isinstance(store, _Store):
                    setattr(self, name, store.create())

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

        def template_version(
            self, kind: "TemplateKind", name: str, major: str, minor: str
        ) -> "TemplateVersion": ...

        def published_version(
            self, template: "Template", major: str, minor: Optional[str]
        ) -> "TemplateVersion": ...

        def template_version_users(self, version: "TemplateVersion") -> list[str]: ...

        def environment(self, name: str) -> "Environment": ...

        def live_environments(self) -> "list[Environment]": ...

        def target_version(
            self,
            resource: "VersionedDeployable",
            kind: Any,
            deployment_type: str,
            major: Optional[str],
            minor: Optional[str],
        ) -> "Optional[TemplateVersion]": ...

        def service(self, name: str) -> "Service": ...

        def live_services(self) -> "list[Service]": ...

        def refresh_service(self, service: "Service") -> str: ...

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

        def refresh_deployable(self, resource: "Deployable") -> str: ...

        def check_not_busy(self, resource: "Deployable", doing: str) -> None: ...

        def cancel_deployment(self, resource: "Deployable") -> None: ...

        def start_deletion(self, resource: "Deployable") -> None: ...

        def outputs_of(
            self, resource: "Deployable", deployment_id: Optional[str]
        ) -> dict[str, Any]: ...

        def current_deployment(self, resource: "Deployable") -> "Optional[Deployment]": ...

        def new_deletion(self, arn: str, model: str) -> Any: ...

        def templates_of(self, kind: "TemplateKind") -> "dict[str, Template]": ...

        def create_template_version(
            self, kind: "TemplateKind", **request: Any
        ) -> dict[str, Any]: ...

        def pipeline_of(self, service_name: str) -> "ServicePipeline": ...

        def check_pipeline_roles(self) -> None: ...

        def service_instance(self, service_name: str, name: str) -> "ServiceInstance": ...

        def forget_instance(self, service: "Service", instance: "ServiceInstance") -> None: ...

        def check_placeable(
            self, version: "TemplateVersion", placement: "InstanceSpec"
        ) -> None: ...

        def new_instance(
            self,
            service: "Service",
            placement: "InstanceSpec",
            version: "TemplateVersion",
            spec: str,
            at: datetime.datetime,
            tags: Optional[list[dict[str, str]]] = None,
            client_token: Optional[str] = None,
        ) -> "ServiceInstance": ...

        def component(self, name: str) -> "Component": ...

        def live_components(self) -> "list[Component]": ...

        def component_of(self, service_name: str, instance_name: str) -> "Optional[Component]": ...

        def components_by_instance(self) -> "dict[tuple[Any, Any], Component]": ...

        def components_in_environment(self, environment_name: str) -> list[str]: ...

        def repository(self, provider: str, name: str) -> "Repository": ...

        def linked_repository(self, provider: str, name: str, used_as: str) -> "Repository": ...

        def sync_configs(self) -> list[Any]: ...

        def block_sync(
            self, service_name: str, instance_name: Optional[str], reason: str
        ) -> None: ...
