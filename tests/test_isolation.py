"""Isolation: accounts, Regions, quotas and client tokens.

`test_connections.py` already shows a third account getting ResourceNotFound from each
connection operation and an empty list. Here the same promise is driven generically: every
implemented operation, with requests generated from the model and aimed at seeded resources
(ids, ARNs, names), is sent by an outsider (a third account, or either party from another
Region). Nothing the two parties hold may change or vanish, and no answer may carry their
ids or accounts unless the request itself named them.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

import moto_proton
from moto_proton.testing import proton_state

from .fuzz_support import (
    ENV,
    FUZZ_SETTINGS,
    MGMT,
    OPERATIONS,
    REGION,
    STRANGER,
    operation_model,
    reset_and_seed,
)
from .helpers import raw_call
from .model_strategies import ModelStrategies

OTHER_REGION = "eu-west-1"
OUTSIDERS = st.sampled_from(
    [(STRANGER, REGION), (STRANGER, OTHER_REGION), (ENV, OTHER_REGION), (MGMT, OTHER_REGION)]
)
QUOTA = "environment_account_connections_per_environment_account"
SESSION = requests.Session()
_strategies: dict[str, ModelStrategies] = {}


def parties_state() -> dict[str, Any]:
    """What ENV and MGMT hold in the seeded Region."""
    state = proton_state([ENV, MGMT])
    return {account: state.get(account, {}).get(REGION, {}) for account in (ENV, MGMT)}


def assert_kept(before: Any, after: Any, path: str = "state") -> None:
    """Everything in `before` is still in `after`, unchanged; `after` may hold more (an
    outsider may, say, request a new connection from one of the parties)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            assert key in after, f"{path}.{key} vanished"
            assert_kept(value, after[key], f"{path}.{key}")
    elif isinstance(before, list) and isinstance(after, list):
        for item in before:
            assert item in after, f"{path}: {item!r} vanished or changed"
    else:
        assert before == after, f"{path} changed: {before!r} -> {after!r}"


@pytest.mark.parametrize("operation", OPERATIONS)
@settings(FUZZ_SETTINGS, max_examples=max(3, FUZZ_SETTINGS.max_examples // 4))
@given(data=st.data())
def test_outsiders_neither_see_nor_change_what_the_parties_hold(proton, operation, data):
    model = operation_model(operation)
    seeded = reset_and_seed()
    caller, region = data.draw(OUTSIDERS, label="caller")
    hints = seeded.hints(caller)
    if caller not in _strategies:
        _strategies[caller] = ModelStrategies(hints)
    request = data.draw(_strategies[caller].request(model), label="request")
    secrets = {c["id"] for c in seeded.connections} | {c["arn"] for c in seeded.connections}
    if seeded.template:
        secrets.add(seeded.template["arn"])
    secrets |= {ENV, MGMT} - {caller}

    before = parties_state()
    result = raw_call(proton, operation, request, account_id=caller, region=region, session=SESSION)
    assert result.status < 500, result.body
    assert_kept(before, parties_state())
    sent, answered = str(request), str(result.body)
    leaked = {secret for secret in secrets if secret in answered and secret not in sent}
    assert not leaked, f"{caller} in {region} learned {leaked} from {operation}: {answered}"


# -- quotas and client tokens: one account's and Region's use does not reach another --------


def connect(client: Any, account: str, name: str, **extra: Any) -> dict[str, Any]:
    return client.create_environment_account_connection(  # type: ignore[no-any-return]
        managementAccountId=MGMT if account != MGMT else ENV,
        environmentName=name,
        roleArn=f"arn:aws:iam::{account}:role/r",
        **extra,
    )["environmentAccountConnection"]


def test_quota_is_per_region(proton):
    moto_proton.set_quota(QUOTA, 1)
    east = proton.client(account_id=ENV)
    west = proton.client(account_id=ENV, region=OTHER_REGION)
    connect(east, ENV, "prod")
    with pytest.raises(east.exceptions.ServiceQuotaExceededException):
        connect(east, ENV, "other")
    assert connect(west, ENV, "prod")["arn"].startswith(f"arn:aws:proton:{OTHER_REGION}:")


def test_connections_requested_of_an_account_do_not_use_its_quota(proton):
    """The quota counts connections an account requests, not those requested of it."""
    moto_proton.set_quota(QUOTA, 1)
    mgmt = proton.client(account_id=MGMT)
    for account in (ENV, STRANGER, "444444444444"):
        connect(proton.client(account_id=account), account, "prod")
    listed = mgmt.list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")
    assert len(listed["environmentAccountConnections"]) == 3
    assert connect(mgmt, MGMT, "own")["environmentAccountId"] == MGMT


def test_a_token_mismatch_in_one_account_does_not_reach_another(proton):
    env, stranger = proton.client(account_id=ENV), proton.client(account_id=STRANGER)
    connect(env, ENV, "prod", clientToken="shared")
    with pytest.raises(env.exceptions.ValidationException):
        connect(env, ENV, "other", clientToken="shared")
    theirs = connect(stranger, STRANGER, "other", clientToken="shared")
    assert connect(stranger, STRANGER, "other", clientToken="shared") == theirs
