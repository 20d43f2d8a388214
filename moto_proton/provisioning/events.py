"""Proton's EventBridge events on moto's default bus, best effort: only where the owning
account has rules on its default bus (nothing else would see them), never failing a call."""

import functools
import json
from typing import Any, Optional

SOURCE = "aws.proton"


@functools.cache
def _events_backends() -> Any:
    """moto's events backends, imported once; None without them (nobody to deliver to)."""
    try:
        from moto.events.models import events_backends
    except Exception:
        return None
    return events_backends


def _default_bus_with_rules(account_id: str, region: str) -> Any:
    """The events backend of the account and Region when its default bus has rules (only
    then would anything see an event), else None."""
    events_backends = _events_backends()
    if events_backends is None or account_id not in dict.keys(events_backends):
        return None
    regional = events_backends[account_id]
    if not dict.__contains__(regional, region):  # its `in` says yes to any Region
        return None
    backend = regional[region]
    bus = backend.event_buses.get("default")
    return backend if bus is not None and bus.rules else None


def listened_to(arn: str) -> bool:
    """Whether events about the resource `arn` names would reach a rule (see `status_change`):
    callers skip building events nobody would see."""
    parts = arn.split(":", 5)
    try:
        return _default_bus_with_rules(parts[4], parts[3]) is not None
    except Exception:
        return False


def _put_event(
    account_id: str,
    region: str,
    detail_type: str,
    detail: dict[str, Any],
    resource_arn: Optional[str] = None,
) -> None:
    try:
        backend = _default_bus_with_rules(account_id, region)
        if backend is None:
            return
        backend.put_events(
            [
                {
                    "Source": SOURCE,
                    "DetailType": detail_type,
                    "Detail": json.dumps({k: v for k, v in detail.items() if v is not None}),
                    "Resources": [resource_arn] if resource_arn else [],
                }
            ]
        )
    except Exception:  # best effort: a failure to deliver never fails a Proton call
        return


#: The kind each deployed resource's events name (`AWS Proton <kind> Status Change`).
DEPLOYED_KINDS = {
    "ENVIRONMENT": "Environment",
    "SERVICE_INSTANCE": "Service Instance",
    "SERVICE_PIPELINE": "Service Pipeline",
    "COMPONENT": "Component",
}


def resource_detail(resource: Any, status: str, previous: Optional[str]) -> dict[str, Any]:
    kind = resource.target_resource_type
    if kind == "SERVICE_PIPELINE":
        return {"serviceName": resource.name, "status": status, "previousStatus": previous}
    detail = {"name": resource.name, "status": status, "previousStatus": previous}
    if kind == "SERVICE_INSTANCE":
        detail["serviceName"] = resource.service_name
    return detail


def status_change(kind: str, arn: str, detail: dict[str, Any]) -> None:
    """`AWS Proton <kind> Status Change` about the resource `arn` names, on the default bus of
    the account and Region in that ARN: the account that owns the resource."""
    parts = arn.split(":", 5)
    _put_event(parts[4], parts[3], f"AWS Proton {kind} Status Change", detail, arn)
