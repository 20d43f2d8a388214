"""Proton's EventBridge events on moto's default bus, best effort: only where the owning
account has rules on its default bus (nothing else would see them), never failing a call."""

import json
from typing import Any, Optional

SOURCE = "aws.proton"


def _put_event(
    account_id: str,
    region: str,
    detail_type: str,
    detail: dict[str, Any],
    resource_arn: Optional[str] = None,
) -> None:
    try:
        from moto.events.models import events_backends
    except Exception:  # moto's events backend missing: nobody to deliver to
        return
    try:
        if account_id not in dict.keys(events_backends):
            return
        regional = events_backends[account_id]
        if not dict.__contains__(regional, region):  # its `in` says yes to any Region
            return
        backend = regional[region]
        bus = backend.event_buses.get("default")
        if bus is None or not bus.rules:
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
