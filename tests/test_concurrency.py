"""Racing requests against the threaded server lose nothing and duplicate nothing."""

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import moto_proton
from moto_proton.testing import act_as_account, proton_state

ENV, MGMT = "111111111111", "222222222222"
ROLE = f"arn:aws:iam::{ENV}:role/r"
THREADS = 16


def clients(url, account, count):
    config = Config(retries={"max_attempts": 1}, max_pool_connections=THREADS)
    return [
        act_as_account(
            boto3.client("proton", region_name="us-east-1", endpoint_url=url, config=config),
            account,
        )
        for _ in range(count)
    ]


def race(calls):
    def run(call):
        try:
            return ("ok", call())
        except ClientError as error:
            return ("error", error.response)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def url(proton_server_url, aws_credentials):
    yield proton_server_url
    moto_proton.reset_quotas()


def test_racing_retries_with_one_token_create_one_connection(url):
    envs = clients(url, ENV, THREADS)
    results = race(
        [
            lambda c=c: c.create_environment_account_connection(
                managementAccountId=MGMT, environmentName="prod", roleArn=ROLE, clientToken="race"
            )["environmentAccountConnection"]["id"]
            for c in envs
        ]
    )
    assert {kind for kind, _ in results} == {"ok"}
    assert len({value for _, value in results}) == 1
    listed = envs[0].list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert len(listed["environmentAccountConnections"]) == 1


def test_racing_creates_never_exceed_the_quota(url):
    moto_proton.set_quota("environment_account_connections_per_environment_account", 5)
    envs = clients(url, ENV, THREADS)
    results = race(
        [
            lambda c=c, i=i: c.create_environment_account_connection(
                managementAccountId=MGMT, environmentName=f"e{i}", roleArn=ROLE
            )
            for i, c in enumerate(envs)
        ]
    )
    oks = [r for kind, r in results if kind == "ok"]
    errors = [r["Error"]["Code"] for kind, r in results if kind == "error"]
    assert len(oks) == 5
    assert errors == ["ServiceQuotaExceededException"] * (THREADS - 5)
    listed = envs[0].list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert len(listed["environmentAccountConnections"]) == 5


def test_racing_creates_for_one_environment_make_one_open_connection(url):
    envs = clients(url, ENV, THREADS)
    results = race(
        [
            lambda c=c: c.create_environment_account_connection(
                managementAccountId=MGMT, environmentName="same", roleArn=ROLE
            )
            for c in envs
        ]
    )
    kinds = sorted(kind for kind, _ in results)
    assert kinds.count("ok") == 1
    assert {r["Error"]["Code"] for kind, r in results if kind == "error"} == {"ConflictException"}


def test_racing_accept_reject_delete_end_consistently(url):
    env = clients(url, ENV, 1)[0]
    connection_id = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="prod", roleArn=ROLE
    )["environmentAccountConnection"]["id"]
    mgmts = clients(url, MGMT, 8)
    envs = clients(url, ENV, 8)
    calls = []
    for i in range(8):
        calls.append(lambda c=mgmts[i]: c.accept_environment_account_connection(id=connection_id))
        calls.append(lambda c=mgmts[i]: c.reject_environment_account_connection(id=connection_id))
        if i == 7:
            calls.append(
                lambda c=envs[i]: c.delete_environment_account_connection(id=connection_id)
            )
        else:
            calls.append(
                lambda c=envs[i]: c.update_environment_account_connection(
                    id=connection_id, roleArn=f"arn:aws:iam::{ENV}:role/r{i}"
                )
            )
    results = race(calls)
    statuses = [
        r.get("ResponseMetadata", {}).get("HTTPStatusCode")
        for _, r in results
        if isinstance(r, dict)
    ]
    assert all(s is None or s < 500 for s in statuses)
    codes = {r["Error"]["Code"] for kind, r in results if kind == "error"}
    assert codes <= {"ConflictException", "ResourceNotFoundException"}
    # Every successful answer is a snapshot of one serial history: ordered by time, the
    # status never goes back (nothing is CONNECTED or PENDING after it was REJECTED).
    rank = {"PENDING": 0, "CONNECTED": 1, "REJECTED": 2}
    views = sorted(
        (
            r["environmentAccountConnection"]["lastModifiedAt"],
            rank[r["environmentAccountConnection"]["status"]],
        )
        for kind, r in results
        if kind == "ok"
    )
    assert [r for _, r in views] == sorted(r for _, r in views)
    with pytest.raises(ClientError) as excinfo:
        env.get_environment_account_connection(id=connection_id)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert (
        env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")[
            "environmentAccountConnections"
        ]
        == []
    )
    assert (
        mgmts[0].list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")[
            "environmentAccountConnections"
        ]
        == []
    )


def test_racing_tags_while_deleting_leave_nothing_behind(url):
    """Tag, untag and list tags race a delete: each call sees the connection whole or not at
    all, and once it is gone no tag, index entry or listing of it is left."""
    env = clients(url, ENV, 1)[0]
    created = env.create_environment_account_connection(
        managementAccountId=MGMT,
        environmentName="prod",
        roleArn=ROLE,
        tags=[{"key": "team", "value": "a"}],
    )["environmentAccountConnection"]
    arn = created["arn"]
    envs = clients(url, ENV, THREADS)
    calls = []
    for i, c in enumerate(envs[:-1]):
        key = f"k{i % 4}"
        calls += [
            lambda c=c, key=key: c.tag_resource(resourceArn=arn, tags=[{"key": key, "value": "v"}]),
            lambda c=c, key=key: c.untag_resource(resourceArn=arn, tagKeys=[key]),
            lambda c=c: c.list_tags_for_resource(resourceArn=arn)["tags"],
        ]
    calls.insert(
        len(calls) // 2, lambda: envs[-1].delete_environment_account_connection(id=created["id"])
    )
    results = race(calls)
    errors = [r for kind, r in results if kind == "error"]
    assert {r["ResponseMetadata"]["HTTPStatusCode"] for r in errors} <= {404}
    assert {r["Error"]["Code"] for r in errors} <= {"ResourceNotFoundException"}
    for kind, r in results:
        if kind == "ok" and isinstance(r, list):
            assert {"key": "team", "value": "a"} in r  # a listing never sees half a delete
    # Client tokens remember the id for their 8 hours (a retry then creates a new one).
    traces = str(
        [
            {name: value for name, value in stored.items() if not name.endswith("client_tokens")}
            for regions in proton_state().values()
            for stored in regions.values()
        ]
    )
    assert created["id"] not in traces and arn not in traces
