"""Proton on a live server, driven by real clients other than boto3, and by the server scripts.

- The AWS SDK for JavaScript v3 (`tests/js/lifecycle.mjs`, pinned in `tests/js/package.json`;
  run `npm ci` in `tests/js` first (tox does), or the test is skipped; on CI with npm, fails).
- The AWS CLI (`python -m awscli`), with credentials of two accounts obtained from STS, and
  Proton's model from `AWS_DATA_PATH="$(moto-proton model-path)"` (it may have none of its own).
- The `moto-proton-server` console script and `python -m moto_proton`, started as processes.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_proton.testing import act_as_account, free_port, server_subprocess

from .real_clients_support import (
    MANAGEMENT_ACCOUNT,
    NEXT_TOKEN,
    REGION,
    Cli,
    clean_environment,
    console_script,
    require_javascript_sdk,
    run_javascript,
    sane_date,
    sorted_tags,
)

ENVIRONMENT_ACCOUNT = "111111111111"
STRANGER_ACCOUNT = "333333333333"
CONNECTION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
QUOTA_VARIABLE = "MOTO_PROTON_QUOTA_ENVIRONMENT_ACCOUNT_CONNECTIONS_PER_ENVIRONMENT_ACCOUNT"


def connection_arn(connection_id: str, account_id: str = ENVIRONMENT_ACCOUNT) -> str:
    return f"arn:aws:proton:{REGION}:{account_id}:environment-account-connection/{connection_id}"


# --- (a) the JavaScript SDK v3 ---------------------------------------------------------------


def test_javascript_sdk_v3_lifecycle(proton_server_url: str) -> None:
    require_javascript_sdk()

    result = run_javascript("lifecycle.mjs", proton_server_url, timeout=60)

    # Create: PENDING, an ARN in the environment account, both timestamps equal and real Dates.
    create = result["create"]
    assert create["httpStatusCode"] == 200
    assert create["requestId"]
    created = create["connection"]
    connection_id = created["id"]
    assert CONNECTION_ID.match(connection_id)
    assert created["arn"] == connection_arn(connection_id)
    assert created["status"] == "PENDING"
    assert created["environmentAccountId"] == ENVIRONMENT_ACCOUNT
    assert created["managementAccountId"] == MANAGEMENT_ACCOUNT
    assert created["environmentName"] == "js-dev"
    assert created["roleArn"] == f"arn:aws:iam::{ENVIRONMENT_ACCOUNT}:role/proton-js-env"
    assert "codebuildRoleArn" not in created
    requested_at = sane_date(created["requestedAt"])
    assert sane_date(created["lastModifiedAt"]) == requested_at
    assert abs(requested_at / 1000 - time.time()) < 300, "requestedAt is not the time of Create"

    # Get: both parties see the same connection.
    assert result["getByEnvironment"] == created
    assert result["getByManagement"] == created

    # Accept: CONNECTED, requestedAt kept, lastModifiedAt bumped.
    accepted = result["accept"]
    assert accepted["id"] == connection_id
    assert accepted["status"] == "CONNECTED"
    assert sane_date(accepted["requestedAt"]) == requested_at
    accepted_at = sane_date(accepted["lastModifiedAt"])
    assert accepted_at >= requested_at

    # The paginator really pages, ends, and sees every connection exactly once, in order.
    extra_ids = result["extraIds"]
    assert len(extra_ids) == 4
    pagination = result["pagination"]
    pages = pagination["pages"]
    assert pagination["guardTripped"] is False, "the paginator did not end"
    assert len(pages) > 1
    assert len(pages) == 3
    assert all(1 <= len(page["ids"]) <= pagination["pageSize"] for page in pages)
    listed_ids = [item for page in pages for item in page["ids"]]
    assert len(listed_ids) == len(set(listed_ids)), f"duplicates across pages: {listed_ids}"
    assert listed_ids == [connection_id, *extra_ids]
    names = [name for page in pages for name in page["environmentNames"]]
    assert names == ["js-dev", "js-page-1", "js-page-2", "js-page-3", "js-page-4"]
    statuses = [status for page in pages for status in page["statuses"]]
    assert statuses == ["CONNECTED", "PENDING", "PENDING", "PENDING", "PENDING"]
    assert not any(page["hasCodebuildRoleArn"] for page in pages)
    assert all(page["requestedAtAreDates"] for page in pages)
    tokens = [page["nextToken"] for page in pages]
    assert tokens[-1] is None
    assert all(token and NEXT_TOKEN.match(token) for token in tokens[:-1]), tokens
    assert len(set(tokens[:-1])) == len(tokens) - 1

    # The management account's view.
    management = result["managementList"]
    assert management["connectedIds"] == [connection_id]
    assert sorted(management["allIds"]) == sorted([connection_id, *extra_ids])
    assert management["nextToken"] is None

    # Update: new role, still CONNECTED, lastModifiedAt bumped again.
    updated = result["update"]
    assert updated["id"] == connection_id
    assert updated["roleArn"] == f"arn:aws:iam::{ENVIRONMENT_ACCOUNT}:role/proton-js-env-v2"
    assert updated["status"] == "CONNECTED"
    assert sane_date(updated["requestedAt"]) == requested_at
    updated_at = sane_date(updated["lastModifiedAt"])
    assert updated_at >= accepted_at

    # Tags: those of Create, then TagResource adds and overwrites, UntagResource removes.
    tags = result["tags"]
    assert sorted_tags(tags["atCreate"]) == [("stage", "dev"), ("team", "platform")]
    assert sorted_tags(tags["afterTag"]) == [
        ("owner", "js-sdk"),
        ("stage", "prod"),
        ("team", "platform"),
    ]
    assert sorted_tags(tags["afterUntag"]) == [("owner", "js-sdk"), ("stage", "prod")]

    # Reject: REJECTED.
    rejected = result["reject"]
    assert rejected["id"] == connection_id
    assert rejected["status"] == "REJECTED"
    assert sane_date(rejected["requestedAt"]) == requested_at
    assert sane_date(rejected["lastModifiedAt"]) >= updated_at

    # Errors, as the JS SDK reports them.
    errors = result["errors"]
    denied = errors["managementDeletes"]
    assert denied["thrown"] is True, denied
    assert denied["name"] == "AccessDeniedException"
    assert denied["httpStatusCode"] == 403
    assert denied["fault"] == "client"
    assert denied["message"]
    assert denied["requestId"]

    not_found = errors["strangerGets"]
    assert not_found["thrown"] is True, not_found
    assert not_found["name"] == "ResourceNotFoundException"
    assert not_found["httpStatusCode"] == 404
    assert not_found["fault"] == "client"
    assert not_found["message"]

    invalid = errors["invalidManagementAccountId"]
    assert invalid["thrown"] is True, invalid
    assert invalid["name"] == "ValidationException"
    assert invalid["httpStatusCode"] == 400
    assert invalid["fault"] == "client"
    assert invalid["message"].startswith(
        "1 validation error detected: Value 'abc' at 'managementAccountId'"
    ), invalid["message"]

    # Delete returns the connection as it was; it is gone afterwards.
    deleted = result["delete"]
    assert deleted["id"] == connection_id
    assert deleted["status"] == "REJECTED"
    gone = errors["getAfterDelete"]
    assert gone["thrown"] is True, gone
    assert gone["name"] == "ResourceNotFoundException"
    assert gone["httpStatusCode"] == 404


# --- (b) the AWS CLI -------------------------------------------------------------------------


def test_aws_cli_lifecycle_with_assumed_role_accounts(proton_server_url: str) -> None:
    base = Cli(
        proton_server_url,
        {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
    )
    env = base.assume(ENVIRONMENT_ACCOUNT)
    mgmt = base.assume(MANAGEMENT_ACCOUNT)
    assert env.json("sts", "get-caller-identity")["Account"] == ENVIRONMENT_ACCOUNT
    assert mgmt.json("sts", "get-caller-identity")["Account"] == MANAGEMENT_ACCOUNT

    role = f"arn:aws:iam::{ENVIRONMENT_ACCOUNT}:role/proton-cli-env"
    created = env.json(
        "proton",
        "create-environment-account-connection",
        "--management-account-id",
        MANAGEMENT_ACCOUNT,
        "--environment-name",
        "cli-dev",
        "--role-arn",
        role,
        "--tags",
        "key=team,value=platform",
    )["environmentAccountConnection"]
    connection_id = created["id"]
    assert CONNECTION_ID.match(connection_id)
    assert created["arn"] == connection_arn(connection_id)
    assert created["status"] == "PENDING"
    assert created["environmentAccountId"] == ENVIRONMENT_ACCOUNT
    assert created["managementAccountId"] == MANAGEMENT_ACCOUNT
    assert created["roleArn"] == role
    # AWS CLI v1 prints timestamps as they came on the wire: epoch seconds, a JSON number.
    assert isinstance(created["requestedAt"], (int, float)), created["requestedAt"]
    assert created["requestedAt"] == created["lastModifiedAt"]
    assert abs(created["requestedAt"] - time.time()) < 300

    accepted = mgmt.json("proton", "accept-environment-account-connection", "--id", connection_id)[
        "environmentAccountConnection"
    ]
    assert accepted["status"] == "CONNECTED"
    assert accepted["requestedAt"] == created["requestedAt"]
    assert accepted["lastModifiedAt"] >= created["lastModifiedAt"]

    # A second connection, so that the CLI's own pagination (page size 1) has to follow tokens.
    other = env.json(
        "proton",
        "create-environment-account-connection",
        "--management-account-id",
        MANAGEMENT_ACCOUNT,
        "--environment-name",
        "cli-other",
        "--role-arn",
        role,
    )["environmentAccountConnection"]
    for cli, requested_by in ((env, "ENVIRONMENT_ACCOUNT"), (mgmt, "MANAGEMENT_ACCOUNT")):
        listed = cli.json(
            "proton",
            "list-environment-account-connections",
            "--requested-by",
            requested_by,
            "--page-size",
            "1",
        )
        ids = [item["id"] for item in listed["environmentAccountConnections"]]
        assert ids == [connection_id, other["id"]], (requested_by, ids)
        assert "nextToken" not in listed
    connected = mgmt.json(
        "proton",
        "list-environment-account-connections",
        "--requested-by",
        "MANAGEMENT_ACCOUNT",
        "--statuses",
        "CONNECTED",
    )["environmentAccountConnections"]
    assert [item["id"] for item in connected] == [connection_id]

    for cli in (env, mgmt):
        got = cli.json("proton", "get-environment-account-connection", "--id", connection_id)
        assert got["environmentAccountConnection"] == accepted

    new_role = f"arn:aws:iam::{ENVIRONMENT_ACCOUNT}:role/proton-cli-env-v2"
    updated = env.json(
        "proton",
        "update-environment-account-connection",
        "--id",
        connection_id,
        "--role-arn",
        new_role,
    )["environmentAccountConnection"]
    assert updated["roleArn"] == new_role
    assert updated["status"] == "CONNECTED"
    assert updated["lastModifiedAt"] >= accepted["lastModifiedAt"]

    arn = created["arn"]
    tagged = env.json(
        "proton", "tag-resource", "--resource-arn", arn, "--tags", "key=owner,value=cli"
    )
    assert tagged is None  # TagResource's output is empty, so the CLI prints nothing
    tags = env.json("proton", "list-tags-for-resource", "--resource-arn", arn)["tags"]
    assert sorted_tags(tags) == [("owner", "cli"), ("team", "platform")]

    rejected = mgmt.json("proton", "reject-environment-account-connection", "--id", connection_id)[
        "environmentAccountConnection"
    ]
    assert rejected["status"] == "REJECTED"
    assert rejected["roleArn"] == new_role

    # Error case: the management account may not delete; the CLI names the code and fails.
    denied = mgmt.run("proton", "delete-environment-account-connection", "--id", connection_id)
    assert denied.returncode in (254, 255), denied
    assert "AccessDeniedException" in denied.stderr
    assert "DeleteEnvironmentAccountConnection" in denied.stderr

    deleted = env.json("proton", "delete-environment-account-connection", "--id", connection_id)[
        "environmentAccountConnection"
    ]
    assert deleted["id"] == connection_id
    assert deleted["status"] == "REJECTED"

    gone = env.run("proton", "get-environment-account-connection", "--id", connection_id)
    assert gone.returncode in (254, 255), gone
    assert "ResourceNotFoundException" in gone.stderr


# --- (c) the server scripts ------------------------------------------------------------------


@contextmanager
def server_process(
    command: list[str], port: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start a server process, wait until `GET /moto-api/` answers, yield its URL, stop it."""
    environment = env if env is not None else clean_environment()
    with server_subprocess(command, port, environment, log, timeout=15) as url:
        yield url


def proton_for(url: str, account_id: str) -> Any:
    client = boto3.client(
        "proton",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return act_as_account(client, account_id)


def create_connection(client: Any, environment_name: str, account_id: str) -> Any:
    return client.create_environment_account_connection(
        managementAccountId=MANAGEMENT_ACCOUNT,
        environmentName=environment_name,
        roleArn=f"arn:aws:iam::{account_id}:role/proton-env",
    )["environmentAccountConnection"]


def test_console_script_reads_quota_from_environment(tmp_path: Path) -> None:
    port = free_port()
    command = [console_script(), "-H", "127.0.0.1", "-p", str(port)]
    env = clean_environment(**{QUOTA_VARIABLE: "1"})
    with server_process(command, port, tmp_path / "server.log", env) as url:
        environment = proton_for(url, ENVIRONMENT_ACCOUNT)
        first = create_connection(environment, "quota-first", ENVIRONMENT_ACCOUNT)
        assert first["status"] == "PENDING"

        with pytest.raises(ClientError) as excinfo:
            create_connection(environment, "quota-second", ENVIRONMENT_ACCOUNT)
        response = excinfo.value.response
        assert response["Error"]["Code"] == "ServiceQuotaExceededException"
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 402

        # The quota is per environment account: another one still has its own.
        stranger = proton_for(url, STRANGER_ACCOUNT)
        assert create_connection(stranger, "quota-first", STRANGER_ACCOUNT)["status"] == "PENDING"
        listed = environment.list_environment_account_connections(
            requestedBy="ENVIRONMENT_ACCOUNT"
        )["environmentAccountConnections"]
        assert [item["id"] for item in listed] == [first["id"]]


def test_python_dash_m_serves_proton(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "moto_proton", "-p", str(port)]
    with server_process(command, port, tmp_path / "server.log") as url:
        environment = proton_for(url, ENVIRONMENT_ACCOUNT)
        management = proton_for(url, MANAGEMENT_ACCOUNT)
        # No quota override in this process: AWS's default of 1,000 applies.
        first = create_connection(environment, "module-first", ENVIRONMENT_ACCOUNT)
        second = create_connection(environment, "module-second", ENVIRONMENT_ACCOUNT)
        assert first["arn"] == connection_arn(first["id"])
        listed = management.list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")[
            "environmentAccountConnections"
        ]
        assert [item["id"] for item in listed] == [first["id"], second["id"]]
