"""Service instances: each runs a service in one environment, deployed from the service's
template version (`deployable.py`); and ListServiceInstances' filters and sort orders."""

import datetime
from typing import TYPE_CHECKING, Any, Optional

from moto.core.utils import utcnow

from .. import provisioning
from ..exceptions import ConflictException, ValidationException
from ..quotas import get_quota
from ..specs import InstanceSpec, parse_service_spec, with_current_values
from .deployable import BUSY, DELETED, VersionedDeployable, deletion_model
from .describing import described
from .idempotency import ClientTokens, fingerprint
from .paging import OrderedIndex, Selection, instant, paged
from .parts import BackendParts, stored
from .tags import MAX_USER_TAGS, reserved_tag
from .templates import SERVICE, TemplateVersion

if TYPE_CHECKING:
    from .services import Service


class ServiceInstance(VersionedDeployable):
    target_resource_type = "SERVICE_INSTANCE"
    state_member = "serviceInstance"
    deletion_model = deletion_model("service-instance")
    label = "service instance"

    def __init__(
        self,
        service: "Service",
        name: str,
        environment_name: str,
        version: TemplateVersion,
        spec: str,
        created_at: datetime.datetime,
        client_token: Optional[str] = None,
    ):
        super().__init__(
            name,
            f"{service.arn}/service-instance/{name}",
            version.template_name,
            version.major,
            version.minor,
            spec,
            created_at,
        )
        self.service_name = service.name
        self.environment_name = environment_name
        self.last_client_request_token = client_token

    @property
    def order(self) -> tuple[str, str]:
        return (self.service_name, self.name)

    def deployment_names(self) -> dict[str, str]:
        return {
            "environmentName": self.environment_name,
            "serviceName": self.service_name,
            "serviceInstanceName": self.name,
        }

    def describe(self) -> dict[str, Any]:
        return {
            **described(self, "name serviceName environmentName"),
            **self.deployed(),
            **described(self, "lastClientRequestToken"),
        }


class ServiceInstancesMixin(BackendParts):
    """The service instance operations of `ProtonBackend`."""

    #: Every service instance by (serviceName, name): ListServiceInstances' default order.
    instance_order: OrderedIndex = stored(OrderedIndex)
    instance_client_tokens: ClientTokens = stored(ClientTokens)

    def service_instance(self, service_name: str, name: str) -> ServiceInstance:
        return self.service(service_name).instance(name)

    def forget_instance(self, service: "Service", instance: ServiceInstance) -> None:
        del service.instances[instance.name]
        self.instance_order.remove(instance.order)
        self.drop_tags(instance.arn)

    def instances_in_environment(self, environment_name: str) -> list[str]:
        """`service/instance` names of the instances that run in an environment; a deletion
        that has finished (seen first) no longer counts."""
        return [
            f"{s.name}/{i.name}"
            for s in self.live_services()
            for i in list(s.instances.values())
            if i.environment_name == environment_name
        ]

    # -- checks and building shared with CreateService and UpdateService -----------------

    def check_placeable(self, version: TemplateVersion, placement: InstanceSpec) -> None:
        """The instance's environment exists, is not being deleted, and runs a template the
        version is compatible with."""
        environment = self.environment(placement.environment)
        if environment.deletion is not None:
            raise ConflictException(
                f"The environment {environment.name} is being deleted; instance "
                f"{placement.name} can't be placed in it."
            )
        if not version.compatible_with(
            environment.template_name, environment.template_major_version
        ):
            raise ValidationException(
                f"Service template version {version.template_name}:{version.major}."
                f"{version.minor} is not compatible with environment {environment.name} "
                f"(environment template {environment.template_name}, major version "
                f"{environment.template_major_version})."
            )

    def _inherited_tags(
        self, parent_arn: str, own: Optional[list[dict[str, str]]]
    ) -> list[dict[str, str]]:
        """A child's user tags: its parent's, then its own (own wins); above the limit the
        inherited ones are dropped first."""
        mine = {t["key"]: t["value"] for t in own or []}
        parent = self.tagger.get_tag_dict_for_resource(parent_arn)
        room = MAX_USER_TAGS - len(mine)
        inherited: dict[str, str] = {}
        for k, v in parent.items():
            if len(inherited) >= room:
                break
            if k not in mine and not reserved_tag(k):
                inherited[k] = v
        return [{"key": k, "value": v} for k, v in {**inherited, **mine}.items()]

    def new_instance(
        self,
        service: "Service",
        placement: InstanceSpec,
        version: TemplateVersion,
        spec: str,
        at: datetime.datetime,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> ServiceInstance:
        instance = ServiceInstance(
            service, placement.name, placement.environment, version, spec, at, client_token
        )
        environment = self.environment(placement.environment)
        managed = {
            "aws:proton:account": self.account_id,
            "aws:proton:template": self.template(version.template_name, SERVICE).arn,
            "aws:proton:service": service.arn,
            "aws:proton:environment": environment.arn,
            "aws:proton:service-instance": instance.arn,
        }
        self.add_tags(instance.arn, self._inherited_tags(service.arn, tags), managed)
        self.start_deployment(instance, instance.state(), at=at)
        service.instances[instance.name] = instance
        self.instance_order.add(instance.order, instance)
        return instance

    # -- operations ---------------------------------------------------------------------

    def create_service_instance(
        self,
        name: str,
        service_name: str,
        spec: str,
        template_major_version: Optional[str] = None,
        template_minor_version: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        service = self.service(service_name)
        original = self.instance_client_tokens.replay(client_token, request)
        if original is not None and original in service.instances:
            return {"serviceInstance": service.instances[original].describe()}
        if name in service.instances:
            raise ConflictException(f"The service {service_name} already has an instance {name}.")
        if service.in_progress or service.deletion is not None:
            raise ConflictException(
                f"The service {service_name} is {service.status}; wait for it to finish before "
                "adding an instance."
            )
        placement = parse_service_spec(spec).instance(name)
        if placement is None:
            raise ValidationException(
                f"The spec must list the instance {name} under instances, with its environment."
            )
        template = self.template(service.template_name, SERVICE)
        if template_major_version is None:
            recommended = template.recommended_version()
            if recommended is None:
                raise ValidationException(
                    f"Service template {template.name} has no published version."
                )
            version = recommended
        else:
            version = self.published_version(
                template, template_major_version, template_minor_version
            )
        self.check_placeable(version, placement)
        provisioning.check_service_spec(version, spec, instances=[name], pipeline=False)
        if len(service.instances) >= get_quota("service_instances_per_service"):
            raise ValidationException(
                f"Service {service_name} has reached its quota of "
                f"{get_quota('service_instances_per_service')} service instances "
                "(service_instances_per_service)."
            )
        instance = self.new_instance(
            service, placement, version, spec, utcnow(), tags, client_token
        )
        self.instance_client_tokens.remember(client_token, request, name)
        self.block_sync(service_name, name, f"Manual creation of service instance {name}")
        return {"serviceInstance": instance.describe()}

    def get_service_instance(self, name: str, service_name: str) -> dict[str, Any]:
        service = self.services.get(service_name)
        instance = service.instances.get(name) if service else None
        if instance is not None:
            self.advance_deployable(instance)
        return {"serviceInstance": self.service_instance(service_name, name).describe()}

    def list_service_instances(
        self,
        service_name: Optional[str] = None,
        filters: Optional[list[dict[str, str]]] = None,
        sort_by: Optional[str] = None,
        sort_order: Optional[str] = None,
        max_results: Optional[int] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        if service_name is not None:
            self.service(service_name)
        if next_token is None or sort_by not in (None, "serviceName"):
            # Every service up to date ahead of a first page, and of every page whose order
            # is built from the instances' state. Later pages in the serviceName order bring
            # up to date only the instances they go through (`_current`): refreshing every
            # service on every page made a full listing grow with N².
            self.live_services()
        return self._list_service_instances(
            max_results=max_results,
            next_token=next_token,
            service_name=service_name,
            filters=filters or [],
            sort_by=sort_by or "serviceName",
            sort_order=sort_order or "ASCENDING",
        )

    @paged("serviceInstances")
    def _list_service_instances(
        self,
        service_name: Optional[str],
        filters: list[dict[str, str]],
        sort_by: str,
        sort_order: str,
    ) -> Selection:
        keep = self._current(instance_filter(self, service_name, filters))
        descending = sort_order == "DESCENDING"
        if sort_by == "serviceName" and not descending:
            return self.instance_order, keep
        field = SORT_FIELDS[sort_by]
        index = OrderedIndex(
            (((*_sortable(getattr(i, field)), i.service_name, i.name)), i)
            for i in self.instance_order.items
        )
        index.descending = descending
        return index, keep

    def _current(self, keep: Any) -> Any:
        """`keep` (or None) for an instance brought up to date first; False once it is
        deleted: it leaves the index at the next refresh of its service, not while a page walks
        the index."""

        def current(instance: ServiceInstance) -> bool:
            return self.refresh_deployable(instance) != DELETED and (keep is None or keep(instance))

        return current

    def update_service_instance(
        self,
        name: str,
        service_name: str,
        deployment_type: str,
        spec: Optional[str] = None,
        template_major_version: Optional[str] = None,
        template_minor_version: Optional[str] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        service = self.service(service_name)
        instance = service.instance(name)
        if self.instance_client_tokens.replay(client_token, request) is not None:
            return {"serviceInstance": instance.describe()}
        if service.deletion is not None:
            raise ConflictException(f"The service {service_name} is {service.status}.")
        self.check_not_busy(instance, "updating")
        component = self.component_of(service_name, name)
        if component is not None and self.refresh_deployable(component) in BUSY:
            raise ConflictException(
                f"The component {component.name} of service instance {service_name}/{name} is "
                f"{component.deployment_status}; wait for it to finish."
            )
        new_spec = instance.spec
        if spec is not None and deployment_type != "NONE":  # NONE deploys nothing: ignored
            current = parse_service_spec(instance.spec or "", need_instances=False)
            parsed = with_current_values(parse_service_spec(spec), current)
            placement = parsed.instance(name)
            if placement is None or placement.environment != instance.environment_name:
                raise ValidationException(
                    f"The spec must list the instance {name} under instances, in its "
                    f"environment {instance.environment_name}."
                )
            new_spec = parsed.text
        target = self.target_version(
            instance, SERVICE, deployment_type, template_major_version, template_minor_version
        )
        if target is not None:
            provisioning.check_service_spec(target, new_spec, instances=[name], pipeline=False)
            environment = self.environment(instance.environment_name)
            if not target.compatible_with(
                environment.template_name, environment.template_major_version
            ):
                raise ValidationException(
                    f"Service template version {target.template_name}:{target.major}."
                    f"{target.minor} is not compatible with environment {environment.name}."
                )
            self.start_deployment(instance, target.deployment_state(new_spec))
            self.block_sync(service_name, name, f"Manual update of service instance {name}")
        instance.last_client_request_token = client_token or instance.last_client_request_token
        self.instance_client_tokens.remember(client_token, request, name)
        return {"serviceInstance": instance.describe()}

    def cancel_service_instance_deployment(
        self, service_instance_name: str, service_name: str
    ) -> dict[str, Any]:
        instance = self.service_instance(service_name, service_instance_name)
        self.cancel_deployment(instance)
        return {"serviceInstance": instance.describe()}

    def list_service_instance_outputs(
        self,
        service_instance_name: str,
        service_name: str,
        deployment_id: Optional[str] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        instance = self.service_instance(service_name, service_instance_name)
        return self.outputs_of(instance, deployment_id)

    def list_service_instance_provisioned_resources(
        self, service_instance_name: str, service_name: str, next_token: Optional[str] = None
    ) -> dict[str, Any]:
        instance = self.service_instance(service_name, service_instance_name)
        return {"provisionedResources": list(instance.provisioned_resources)}


#: ListServiceInstances' sortBy values and the attribute each sorts by.
SORT_FIELDS = {
    "name": "name",
    "deploymentStatus": "deployment_status",
    "templateName": "template_name",
    "serviceName": "service_name",
    "environmentName": "environment_name",
    "lastDeploymentAttemptedAt": "last_deployment_attempted_at",
    "createdAt": "created_at",
}
#: ListServiceInstances' filter keys that compare a string, and the attribute they compare.
STRING_FILTERS = {
    "name": "name",
    "deploymentStatus": "deployment_status",
    "templateName": "template_name",
    "serviceName": "service_name",
    "environmentName": "environment_name",
}
DATE_FILTERS = {
    "lastDeploymentAttemptedAtBefore": ("last_deployment_attempted_at", -1),
    "lastDeploymentAttemptedAtAfter": ("last_deployment_attempted_at", 1),
    "createdAtBefore": ("created_at", -1),
    "createdAtAfter": ("created_at", 1),
}


def _sortable(value: Any) -> tuple[Any, ...]:
    return (instant(value),) if isinstance(value, datetime.datetime) else (value,)


def _moment(key: str, value: str) -> float:
    text = value.strip()
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or not text.upper().endswith("Z") and moment.tzinfo is None:
        raise ValidationException(
            f"Filter {key} needs a date and time in RFC 3339 format, e.g. "
            f"1985-04-12T23:20:50.52Z, not '{value}'."
        )
    return moment.timestamp()


def instance_filter(
    backend: "ServiceInstancesMixin", service_name: Optional[str], filters: list[dict[str, str]]
) -> Any:
    """The predicate of ListServiceInstances: the same key ORed, different keys ANDed."""
    wanted: dict[str, list[Any]] = {}
    for entry in filters:
        key, value = entry.get("key"), entry.get("value")
        if key is None or value is None:
            raise ValidationException("Each filter needs a key and a value.")
        if key in DATE_FILTERS:
            wanted.setdefault(key, []).append(_moment(key, value))
        else:
            wanted.setdefault(key, []).append(value)
    if service_name is not None:  # ANDed with any serviceName filter
        given = wanted.get("serviceName")
        wanted["serviceName"] = [service_name] if given is None or service_name in given else []

    def version_status(instance: ServiceInstance) -> Optional[str]:
        template = backend.service_templates.get(instance.template_name)
        version = (
            template.version(instance.template_major_version, instance.template_minor_version)
            if template
            else None
        )
        return version.status if version else None

    def keep(instance: ServiceInstance) -> bool:
        for key, values in wanted.items():
            if key in STRING_FILTERS:
                if getattr(instance, STRING_FILTERS[key]) not in values:
                    return False
            elif key == "deployedTemplateVersionStatus":
                if version_status(instance) not in values:
                    return False
            else:
                field, sign = DATE_FILTERS[key]
                moment = instant(getattr(instance, field))
                if not any((moment - v) * sign > 0 for v in values):
                    return False
        return True

    return keep if wanted else None
