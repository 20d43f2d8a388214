"""Shared by the model-driven robustness tests: seeded state, outcomes, normalisation.

State is reset and seeded directly in the process (the session's server runs in this process
too), through the backend methods named after the operations with model-shaped parameters:
exactly what `moto_proton.responses` calls, without HTTP. `mock_random` is seeded first, so
every seeding gives the same ids and Hypothesis can replay and shrink examples.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.model import OperationModel, Shape
from hypothesis import HealthCheck, Phase, settings
from moto.moto_api._internal import mock_random

from moto_proton import exceptions
from moto_proton.coverage import implemented_operations
from moto_proton.models import PROTON_LOCK, proton_backends
from moto_proton.responses import service_model

REGION = "us-east-1"
ENV = "111111111111"
MGMT = "222222222222"
STRANGER = "333333333333"
ACCOUNTS = (ENV, MGMT, STRANGER)
SEED = 20200720

OPERATIONS = implemented_operations()

#: Examples per operation and mode. By default CI-sized: 25, shared out of a budget of 512
#: per mode once there are more than 20 operations (never fewer than 8), so the suite stays
#: fast as operations are added. `MOTO_PROTON_FUZZ_EXAMPLES=<n>` asks for n.
BUDGET_PER_MODE = 512
EXAMPLES = int(
    os.environ.get("MOTO_PROTON_FUZZ_EXAMPLES")
    or min(25, max(8, BUDGET_PER_MODE // max(1, len(OPERATIONS))))
)
#: By default the same examples run every time (no flaky CI) and a failure is reported as
#: generated (every draw is printed; shrinking HTTP round trips can take minutes); a larger
#: run explores afresh and shrinks what it finds.
EXPLORING = "MOTO_PROTON_FUZZ_EXAMPLES" in os.environ
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not EXPLORING,
    phases=list(Phase) if EXPLORING else [Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

#: The HTTP status of every error type moto_proton answers with.
STATUS = {
    cls.error_type: cls.code
    for cls in vars(exceptions).values()
    if isinstance(cls, type) and issubclass(cls, exceptions.ProtonError)
}


def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


def documented_errors(operation: OperationModel) -> set[str]:
    return {shape.name for shape in operation.error_shapes}


def reset_proton() -> None:
    """Forget every Proton backend (other services are untouched)."""
    with PROTON_LOCK:
        for account in list(proton_backends.values()):
            account.reset()
        proton_backends.clear()


def backend_call(account_id: str, operation: str, params: dict[str, Any]) -> Any:
    backend = proton_backends[account_id][REGION]
    handler = getattr(backend, xform_name(operation))
    with PROTON_LOCK:
        return handler(**{xform_name(name): value for name, value in params.items()})


@dataclass(frozen=True)
class Seeded:
    """What every example starts from: connections from ENV to MGMT in each status (the
    PENDING one tagged and made with a client token), and, once templates are implemented, an
    environment template of MGMT. `hints` mixes their ids, ARNs and names into the generated
    requests, with role ARNs in the caller's account."""

    pending: dict[str, Any]
    connected: dict[str, Any]
    rejected: dict[str, Any]
    template: dict[str, Any] | None = None

    @property
    def connections(self) -> tuple[dict[str, Any], ...]:
        return (self.pending, self.connected, self.rejected)

    def hints(self, caller: str) -> dict[str, tuple[Any, ...]]:
        templates = (self.template,) if self.template else ()
        return {
            "EnvironmentAccountConnectionId": tuple(c["id"] for c in self.connections),
            "Arn": tuple(c["arn"] for c in (*self.connections, *templates)),
            "AwsAccountId": ACCOUNTS,
            "RoleArn": (f"arn:aws:iam::{caller}:role/r",),
            "ResourceName": (
                *(c["environmentName"] for c in self.connections),
                *(t["name"] for t in templates),
            ),
            "ClientToken": ("seed-token",),
        }


def reset_and_seed() -> Seeded:
    reset_proton()
    mock_random.seed(SEED)

    def create(name: str, **extra: Any) -> dict[str, Any]:
        params = {
            "managementAccountId": MGMT,
            "environmentName": name,
            "roleArn": f"arn:aws:iam::{ENV}:role/r",
            **extra,
        }
        created = backend_call(ENV, "CreateEnvironmentAccountConnection", params)
        return created["environmentAccountConnection"]  # type: ignore[no-any-return]

    pending = create("prod", tags=[{"key": "team", "value": "a"}], clientToken="seed-token")
    connected = create("staging")
    backend_call(MGMT, "AcceptEnvironmentAccountConnection", {"id": connected["id"]})
    rejected = create("old")
    backend_call(MGMT, "RejectEnvironmentAccountConnection", {"id": rejected["id"]})
    template = None
    if "CreateEnvironmentTemplate" in OPERATIONS:
        made = backend_call(MGMT, "CreateEnvironmentTemplate", {"name": "seeded-template"})
        template = made["environmentTemplate"]
    return Seeded(pending, connected, rejected, template)


#: Numbers in this range are read as epoch seconds (2001-09-09 to 2103-02-04): backends may
#: keep times as numbers, e.g. in sort keys.
EPOCH_RANGE = (1e9, 4.2e9)


def without_times(value: Any, shape: Shape | None = None) -> Any:
    """`value` with every timestamp replaced by a placeholder: datetimes and epoch-like
    numbers anywhere, JSON numbers where `shape` (an output shape) says the member is a
    timestamp, and page tokens (which may carry a time). Two runs of the same requests differ
    only in these."""
    if isinstance(value, datetime.datetime):
        return "<time>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "<time>" if EPOCH_RANGE[0] <= value <= EPOCH_RANGE[1] else value
    if shape is not None and shape.type_name == "timestamp":
        return "<time>"
    if isinstance(value, dict):
        if shape is not None and shape.type_name == "map":
            inner = shape.value  # type: ignore[attr-defined]
            return {k: without_times(v, inner) for k, v in value.items()}
        members = getattr(shape, "members", None) or {}
        return {
            k: "<token>" if k == "nextToken" else without_times(v, members.get(k))
            for k, v in value.items()
        }
    if isinstance(value, list):
        inner = shape.member if shape is not None and shape.type_name == "list" else None  # type: ignore[attr-defined]
        return [without_times(v, inner) for v in value]
    return value
