"""Environment account connections, as a user of two accounts sees them."""

import datetime
import time

import pytest
from botocore.config import Config

import moto_proton

from .builders import ENV, ENV_ROLE, MGMT, STRANGER
from .helpers import UUID, error_of, raw_call, refused, tag_refusal

CODEBUILD_ROLE = f"arn:aws:iam::{ENV}:role/codebuild"
COMPONENT_ROLE = f"arn:aws:iam::{ENV}:role/component"
QUOTA = "environment_account_connections_per_environment_account"


def request_connection(env, name="prod", **extra):
    params = {"managementAccountId": MGMT, "environmentName": name, "roleArn": ENV_ROLE, **extra}
    return env.create_environment_account_connection(**params)["environmentAccountConnection"]


def ids(listing):
    return [c["id"] for c in listing["environmentAccountConnections"]]


@pytest.fixture
def stranger(proton):
    return proton.client(account_id=STRANGER)


# -- create, get, ARNs -----------------------------------------------------------------


def test_create_returns_pending_connection_with_every_field(env):
    connection = request_connection(
        env, codebuildRoleArn=CODEBUILD_ROLE, componentRoleArn=COMPONENT_ROLE
    )
    assert connection["status"] == "PENDING"
    assert connection["environmentAccountId"] == ENV
    assert connection["managementAccountId"] == MGMT
    assert connection["environmentName"] == "prod"
    assert connection["roleArn"] == ENV_ROLE
    assert connection["codebuildRoleArn"] == CODEBUILD_ROLE
    assert connection["componentRoleArn"] == COMPONENT_ROLE
    assert connection["arn"] == (
        f"arn:aws:proton:us-east-1:{ENV}:environment-account-connection/{connection['id']}"
    )
    assert connection["id"] == connection["id"].lower() and len(connection["id"]) == 36
    assert connection["requestedAt"] == connection["lastModifiedAt"]
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - connection["requestedAt"]).total_seconds()) < 60


def test_both_parties_get_the_full_connection(env, mgmt):
    created = request_connection(env, codebuildRoleArn=CODEBUILD_ROLE)
    for client in (env, mgmt):
        got = client.get_environment_account_connection(id=created["id"])
        assert got["environmentAccountConnection"] == created


def test_a_stranger_is_told_the_connection_does_not_exist(env, stranger):
    created = request_connection(env)
    with pytest.raises(stranger.exceptions.ResourceNotFoundException) as excinfo:
        stranger.get_environment_account_connection(id=created["id"])
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"The environment account connection {created['id']} was not found.",
    )


@pytest.mark.parametrize(
    "region, partition",
    [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"), ("eu-west-1", "aws")],
)
def test_arn_uses_the_partition_of_the_region(proton, region, partition):
    env = proton.client(account_id=ENV, region=region)
    role = f"arn:{partition}:iam::{ENV}:role/r"
    connection = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="e", roleArn=role
    )["environmentAccountConnection"]
    assert connection["arn"].startswith(f"arn:{partition}:proton:{region}:{ENV}:")


def test_connections_live_in_one_region(proton, env):
    created = request_connection(env)
    for account in (ENV, MGMT):
        other_region = proton.client(account_id=account, region="eu-west-1")
        with pytest.raises(other_region.exceptions.ResourceNotFoundException):
            other_region.get_environment_account_connection(id=created["id"])
        listed = other_region.list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")
        assert listed["environmentAccountConnections"] == []


def test_unknown_id_is_not_found(env):
    with pytest.raises(env.exceptions.ResourceNotFoundException):
        env.get_environment_account_connection(id=UUID)


# -- semantic validation (nothing stored on failure) -----------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"managementAccountId": MGMT, "environmentName": "e"},
            "At least one of roleArn and codebuildRoleArn must be specified.",
        ),
        (
            {
                "managementAccountId": MGMT,
                "environmentName": "e",
                "componentRoleArn": COMPONENT_ROLE,
            },
            "At least one of roleArn and codebuildRoleArn must be specified.",
        ),
        (
            {
                "managementAccountId": MGMT,
                "environmentName": "e",
                "roleArn": f"arn:aws:iam::{MGMT}:role/r",
            },
            f"roleArn arn:aws:iam::{MGMT}:role/r must be a role in the environment account "
            f"{ENV}, the account that calls this operation.",
        ),
        (
            {
                "managementAccountId": MGMT,
                "environmentName": "e",
                "roleArn": ENV_ROLE,
                "codebuildRoleArn": f"arn:aws:iam::{STRANGER}:role/cb",
            },
            f"codebuildRoleArn arn:aws:iam::{STRANGER}:role/cb must be a role in the "
            f"environment account {ENV}, the account that calls this operation.",
        ),
        (
            {"managementAccountId": ENV, "environmentName": "e", "roleArn": ENV_ROLE},
            "managementAccountId must be another account than the environment account "
            f"{ENV} that requests the connection.",
        ),
        (
            {
                "managementAccountId": MGMT,
                "environmentName": "e",
                "roleArn": ENV_ROLE,
                "tags": [{"key": "aws:owner", "value": "x"}],
            },
            "Tag key aws:owner is not allowed: keys that begin with 'aws:' are reserved for AWS.",
        ),
    ],
)
def test_semantic_validation_errors_store_nothing(env, mgmt, params, message):
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        env.create_environment_account_connection(**params)
    assert error_of(excinfo) == ("ValidationException", message)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    for client, by in ((env, "ENVIRONMENT_ACCOUNT"), (mgmt, "MANAGEMENT_ACCOUNT")):
        assert ids(client.list_environment_account_connections(requestedBy=by)) == []


def test_codebuild_role_alone_is_enough(env):
    connection = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="e", codebuildRoleArn=CODEBUILD_ROLE
    )["environmentAccountConnection"]
    assert connection["codebuildRoleArn"] == CODEBUILD_ROLE
    assert "roleArn" not in connection


def test_tag_limits_come_from_the_model(proton, env):
    client = proton.client(account_id=ENV, config=Config(parameter_validation=False))
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        request_connection(client, tags=[{"key": "k" * 129, "value": "v"}])
    assert (
        "at 'tags.1.member.key' failed to satisfy constraint: Member must have length "
        "less than or equal to 128" in error_of(excinfo)[1]
    )
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        request_connection(client, tags=[{"key": f"k{i}", "value": "v"} for i in range(51)])
    assert "Member must have length less than or equal to 50" in error_of(excinfo)[1]
    assert ids(env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")) == []


# -- who may call what -----------------------------------------------------------------


def test_management_account_may_not_update_or_delete(env, mgmt):
    created = request_connection(env)
    with pytest.raises(mgmt.exceptions.AccessDeniedException) as excinfo:
        mgmt.delete_environment_account_connection(id=created["id"])
    assert error_of(excinfo) == (
        "AccessDeniedException",
        f"Only the environment account {ENV} of environment account connection "
        f"{created['id']} can call DeleteEnvironmentAccountConnection; account {MGMT} is its "
        "management account.",
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(mgmt.exceptions.AccessDeniedException) as excinfo:
        mgmt.update_environment_account_connection(
            id=created["id"], roleArn=f"arn:aws:iam::{MGMT}:role/x"
        )
    assert "can call UpdateEnvironmentAccountConnection" in error_of(excinfo)[1]
    assert (
        env.get_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == created
    )


def test_environment_account_may_not_accept_or_reject(env):
    created = request_connection(env)
    for call, name in (
        (env.accept_environment_account_connection, "AcceptEnvironmentAccountConnection"),
        (env.reject_environment_account_connection, "RejectEnvironmentAccountConnection"),
    ):
        with pytest.raises(env.exceptions.AccessDeniedException) as excinfo:
            call(id=created["id"])
        assert error_of(excinfo) == (
            "AccessDeniedException",
            f"Only the management account {MGMT} of environment account connection "
            f"{created['id']} can call {name}; account {ENV} is its environment account.",
        )
    assert (
        env.get_environment_account_connection(id=created["id"])["environmentAccountConnection"][
            "status"
        ]
        == "PENDING"
    )


def test_a_stranger_can_do_nothing(env, stranger):
    created = request_connection(env)
    calls = [
        lambda: stranger.get_environment_account_connection(id=created["id"]),
        lambda: stranger.update_environment_account_connection(
            id=created["id"], roleArn=f"arn:aws:iam::{STRANGER}:role/r"
        ),
        lambda: stranger.accept_environment_account_connection(id=created["id"]),
        lambda: stranger.reject_environment_account_connection(id=created["id"]),
        lambda: stranger.delete_environment_account_connection(id=created["id"]),
        lambda: stranger.tag_resource(
            resourceArn=created["arn"], tags=[{"key": "a", "value": "b"}]
        ),
        lambda: stranger.untag_resource(resourceArn=created["arn"], tagKeys=["a"]),
        lambda: stranger.list_tags_for_resource(resourceArn=created["arn"]),
    ]
    for call in calls:
        with pytest.raises(stranger.exceptions.ResourceNotFoundException):
            call()
    for by in ("ENVIRONMENT_ACCOUNT", "MANAGEMENT_ACCOUNT"):
        assert ids(stranger.list_environment_account_connections(requestedBy=by)) == []
    assert (
        env.get_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == created
    )


# -- the state machine -------------------------------------------------------------------


def test_accept_connects_and_keeps_requested_at(env, mgmt):
    created = request_connection(env)
    time.sleep(0.01)
    accepted = mgmt.accept_environment_account_connection(id=created["id"])[
        "environmentAccountConnection"
    ]
    assert accepted["status"] == "CONNECTED"
    assert accepted["requestedAt"] == created["requestedAt"]
    assert accepted["lastModifiedAt"] > created["lastModifiedAt"]
    again = mgmt.accept_environment_account_connection(id=created["id"])[
        "environmentAccountConnection"
    ]
    assert again == accepted
    assert (
        env.get_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == accepted
    )


@pytest.mark.parametrize("accept_first", [False, True])
def test_reject_is_terminal(env, mgmt, accept_first):
    created = request_connection(env)
    if accept_first:
        mgmt.accept_environment_account_connection(id=created["id"])
    time.sleep(0.01)
    rejected = mgmt.reject_environment_account_connection(id=created["id"])[
        "environmentAccountConnection"
    ]
    assert rejected["status"] == "REJECTED"
    assert rejected["lastModifiedAt"] > created["lastModifiedAt"]
    assert (
        mgmt.reject_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == rejected
    )

    with pytest.raises(mgmt.exceptions.ConflictException) as excinfo:
        mgmt.accept_environment_account_connection(id=created["id"])
    assert error_of(excinfo) == (
        "ConflictException",
        f"Environment account connection {created['id']} is REJECTED and can't be accepted.",
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(env.exceptions.ConflictException) as excinfo:
        env.update_environment_account_connection(id=created["id"], roleArn=CODEBUILD_ROLE)
    assert error_of(excinfo) == (
        "ConflictException",
        f"Environment account connection {created['id']} is REJECTED and can't be updated.",
    )
    assert (
        env.get_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == rejected
    )


def test_update_replaces_only_the_roles_given(env, mgmt):
    created = request_connection(env, codebuildRoleArn=CODEBUILD_ROLE)
    time.sleep(0.01)
    new_role = f"arn:aws:iam::{ENV}:role/new"
    updated = env.update_environment_account_connection(
        id=created["id"], roleArn=new_role, componentRoleArn=COMPONENT_ROLE
    )["environmentAccountConnection"]
    assert updated["roleArn"] == new_role
    assert updated["componentRoleArn"] == COMPONENT_ROLE
    assert updated["codebuildRoleArn"] == CODEBUILD_ROLE
    assert updated["status"] == "PENDING"
    assert updated["requestedAt"] == created["requestedAt"]
    assert updated["lastModifiedAt"] > created["lastModifiedAt"]
    assert (
        mgmt.get_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == updated
    )


def test_update_that_changes_nothing_leaves_the_connection_untouched(env):
    created = request_connection(env)
    same = env.update_environment_account_connection(id=created["id"], roleArn=ENV_ROLE)
    assert same["environmentAccountConnection"] == created
    nothing = env.update_environment_account_connection(id=created["id"])
    assert nothing["environmentAccountConnection"] == created


def test_update_checks_role_accounts(env):
    created = request_connection(env)
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        env.update_environment_account_connection(
            id=created["id"], componentRoleArn=f"arn:aws:iam::{MGMT}:role/c"
        )
    assert error_of(excinfo)[1].startswith(
        f"componentRoleArn arn:aws:iam::{MGMT}:role/c must be a role"
    )
    assert (
        env.get_environment_account_connection(id=created["id"])["environmentAccountConnection"]
        == created
    )


@pytest.mark.parametrize("state", ["PENDING", "CONNECTED", "REJECTED"])
def test_delete_works_in_every_state_and_returns_the_last_view(env, mgmt, state):
    created = request_connection(env, tags=[{"key": "team", "value": "a"}])
    if state == "CONNECTED":
        mgmt.accept_environment_account_connection(id=created["id"])
    if state == "REJECTED":
        mgmt.reject_environment_account_connection(id=created["id"])
    before = env.get_environment_account_connection(id=created["id"])[
        "environmentAccountConnection"
    ]
    deleted = env.delete_environment_account_connection(id=created["id"])[
        "environmentAccountConnection"
    ]
    assert deleted == before
    for client in (env, mgmt):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_environment_account_connection(id=created["id"])
    assert ids(mgmt.list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")) == []
    # A retried delete succeeds with the same answer (AWS's idempotent deletes).
    retried = env.delete_environment_account_connection(id=created["id"])
    assert retried["environmentAccountConnection"] == before
    with pytest.raises(env.exceptions.ResourceNotFoundException):
        env.list_tags_for_resource(resourceArn=created["arn"])


def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(env):
    bad = [{"key": "cost#center", "value": "a"}]
    message = tag_refusal("key", "cost#center", "#")
    refused(env, "ValidationException", lambda: request_connection(env, tags=bad), message)
    created = request_connection(env, tags=[{"key": "cost center", "value": "a@b.c"}])
    refused(
        env,
        "ValidationException",
        lambda: env.tag_resource(resourceArn=created["arn"], tags=bad),
        message,
    )


# -- one open connection per (environment account, management account, environment) --------


def test_second_open_connection_for_the_same_environment_conflicts(env, mgmt):
    first = request_connection(env)
    with pytest.raises(env.exceptions.ConflictException) as excinfo:
        request_connection(env)
    assert error_of(excinfo) == (
        "ConflictException",
        f"Environment account connection {first['id']} (PENDING) already connects environment "
        f"account {ENV} to management account {MGMT} for environment prod.",
    )
    mgmt.accept_environment_account_connection(id=first["id"])
    with pytest.raises(env.exceptions.ConflictException):
        request_connection(env)
    assert ids(env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")) == [
        first["id"]
    ]
    # Other environment names and other management accounts are independent.
    request_connection(env, name="staging")
    env.create_environment_account_connection(
        managementAccountId=STRANGER, environmentName="prod", roleArn=ENV_ROLE
    )
    mgmt.reject_environment_account_connection(id=first["id"])
    again = request_connection(env)
    assert again["id"] != first["id"]


# -- clientToken idempotency ---------------------------------------------------------------


def test_same_token_same_parameters_returns_the_original(env):
    first = request_connection(env, clientToken="token-1")
    again = request_connection(env, clientToken="token-1")
    assert again == first
    assert ids(env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")) == [
        first["id"]
    ]


def test_same_token_other_parameters_is_a_mismatch(env):
    first = request_connection(env, clientToken="token-1")
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        request_connection(env, name="other", clientToken="token-1")
    assert error_of(excinfo) == (
        "ValidationException",
        "Idempotent parameter mismatch: client token token-1 was already used with different "
        "parameters.",
    )
    assert ids(env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")) == [
        first["id"]
    ]


def test_tokens_do_not_use_quota(env):
    moto_proton.set_quota(QUOTA, 1)
    first = request_connection(env, clientToken="t")
    assert request_connection(env, clientToken="t") == first


def test_retry_after_delete_creates_a_new_connection(env):
    first = request_connection(env, clientToken="token-1")
    env.delete_environment_account_connection(id=first["id"])
    second = request_connection(env, clientToken="token-1")
    assert second["id"] != first["id"]


def test_tokens_are_per_account_and_region(proton, env):
    first = request_connection(env, clientToken="shared")
    other_account = proton.client(account_id=STRANGER)
    theirs = other_account.create_environment_account_connection(
        managementAccountId=MGMT,
        environmentName="prod",
        roleArn=f"arn:aws:iam::{STRANGER}:role/r",
        clientToken="shared",
    )["environmentAccountConnection"]
    other_region = proton.client(account_id=ENV, region="eu-west-1")
    west = request_connection(other_region, clientToken="shared")
    assert len({first["id"], theirs["id"], west["id"]}) == 3


def test_tokens_expire_after_eight_hours(proton, env):
    if proton.mode == "server":
        pytest.skip("time is frozen in-process only")
    from freezegun import freeze_time

    with freeze_time("2026-01-01 00:00:00"):
        first = request_connection(env, clientToken="t8")
    with freeze_time("2026-01-01 07:59:00"):
        assert request_connection(env, clientToken="t8") == first
    env.delete_environment_account_connection(id=first["id"])
    with freeze_time("2026-01-01 08:00:01"):
        second = request_connection(env, name="other", clientToken="t8")
    assert second["environmentName"] == "other"


def test_botocore_fills_a_fresh_token_so_plain_retries_conflict(env):
    request_connection(env)
    with pytest.raises(env.exceptions.ConflictException):
        request_connection(env)


# -- quota ---------------------------------------------------------------------------------


def test_quota_counts_every_connection(env, mgmt):
    moto_proton.set_quota(QUOTA, 2)
    first = request_connection(env, name="a")
    request_connection(env, name="b")
    mgmt.reject_environment_account_connection(id=first["id"])
    with pytest.raises(env.exceptions.ServiceQuotaExceededException) as excinfo:
        request_connection(env, name="c")
    assert error_of(excinfo) == (
        "ServiceQuotaExceededException",
        f"Environment account {ENV} has reached its quota of 2 environment account connections "
        f"in us-east-1 ({QUOTA}).",
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    env.delete_environment_account_connection(id=first["id"])
    request_connection(env, name="c")


def test_quota_is_per_account(proton, env):
    moto_proton.set_quota(QUOTA, 1)
    request_connection(env)
    other = proton.client(account_id=STRANGER)
    other.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="prod", roleArn=f"arn:aws:iam::{STRANGER}:role/r"
    )


def test_default_quota_is_aws_default():
    assert moto_proton.get_quota(QUOTA) == 1000


# -- listing ---------------------------------------------------------------------------------


def test_list_by_party_with_filters(env, mgmt):
    a = request_connection(env, name="a")
    b = request_connection(env, name="b")
    c = request_connection(env, name="c")
    mgmt.accept_environment_account_connection(id=b["id"])
    mgmt.reject_environment_account_connection(id=c["id"])
    assert ids(env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")) == [
        a["id"],
        b["id"],
        c["id"],
    ]
    assert ids(mgmt.list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")) == [
        a["id"],
        b["id"],
        c["id"],
    ]
    assert ids(env.list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")) == []
    assert ids(mgmt.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")) == []
    assert ids(
        mgmt.list_environment_account_connections(
            requestedBy="MANAGEMENT_ACCOUNT", statuses=["PENDING", "CONNECTED"]
        )
    ) == [a["id"], b["id"]]
    assert (
        ids(
            mgmt.list_environment_account_connections(
                requestedBy="MANAGEMENT_ACCOUNT", statuses=["CONNECTED"], environmentName="a"
            )
        )
        == []
    )
    assert ids(
        env.list_environment_account_connections(
            requestedBy="ENVIRONMENT_ACCOUNT", environmentName="c"
        )
    ) == [c["id"]]


def test_list_items_are_summaries(env):
    request_connection(env, codebuildRoleArn=CODEBUILD_ROLE, componentRoleArn=COMPONENT_ROLE)
    item = env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")[
        "environmentAccountConnections"
    ][0]
    assert "codebuildRoleArn" not in item
    assert item["componentRoleArn"] == COMPONENT_ROLE
    assert set(item) == {
        "arn",
        "id",
        "environmentAccountId",
        "managementAccountId",
        "environmentName",
        "roleArn",
        "componentRoleArn",
        "status",
        "requestedAt",
        "lastModifiedAt",
    }


def test_pagination_with_boto3_paginator(env, mgmt):
    created = [request_connection(env, name=f"env{i:02d}")["id"] for i in range(7)]
    tokens = []
    seen = []
    page = env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT", maxResults=3)
    while True:
        seen += ids(page)
        if "nextToken" not in page:
            break
        tokens.append(page["nextToken"])
        page = env.list_environment_account_connections(
            requestedBy="ENVIRONMENT_ACCOUNT", maxResults=3, nextToken=page["nextToken"]
        )
    assert seen == created
    assert len(tokens) == 2 and len(set(tokens)) == 2
    paginator = mgmt.get_paginator("list_environment_account_connections")
    pages = list(
        paginator.paginate(requestedBy="MANAGEMENT_ACCOUNT", PaginationConfig={"PageSize": 2})
    )
    assert len(pages) == 4
    assert [c["id"] for p in pages for c in p["environmentAccountConnections"]] == created


def test_default_page_size_is_100(env):
    moto_proton.set_quota(QUOTA, 200)
    for i in range(101):
        request_connection(env, name=f"e{i}")
    page = env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert len(page["environmentAccountConnections"]) == 100
    rest = env.list_environment_account_connections(
        requestedBy="ENVIRONMENT_ACCOUNT", nextToken=page["nextToken"]
    )
    assert len(rest["environmentAccountConnections"]) == 1 and "nextToken" not in rest


@pytest.mark.parametrize("token", ["Zm9yZ2Vk", "bm90IGpzb24=", "AAAA"])
def test_forged_token_is_a_validation_error(env, token):
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT", nextToken=token)
    assert error_of(excinfo) == (
        "ValidationException",
        "The nextToken is not valid for this request.",
    )


def test_token_from_other_filters_is_rejected(env):
    for i in range(3):
        request_connection(env, name=f"e{i}")
    page = env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT", maxResults=1)
    with pytest.raises(env.exceptions.ValidationException):
        env.list_environment_account_connections(
            requestedBy="ENVIRONMENT_ACCOUNT", statuses=["REJECTED"], nextToken=page["nextToken"]
        )


def test_token_pattern_violation_is_a_model_error(proton):
    result = raw_call(
        proton,
        "ListEnvironmentAccountConnections",
        {"requestedBy": "ENVIRONMENT_ACCOUNT", "nextToken": "not a token!"},
    )
    assert result.status == 400
    assert "at 'nextToken' failed to satisfy constraint" in result.error[1]


# -- tags ------------------------------------------------------------------------------------


def test_tags_are_managed_by_the_environment_account(env, mgmt):
    created = request_connection(env, tags=[{"key": "team", "value": "a"}])
    arn = created["arn"]
    assert env.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "team", "value": "a"}]
    env.tag_resource(
        resourceArn=arn, tags=[{"key": "team", "value": "b"}, {"key": "cost", "value": ""}]
    )
    assert env.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "cost", "value": ""},
        {"key": "team", "value": "b"},
    ]
    env.untag_resource(resourceArn=arn, tagKeys=["team", "absent"])
    assert env.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "cost", "value": ""}]
    for call in (
        lambda: mgmt.tag_resource(resourceArn=arn, tags=[{"key": "x", "value": "y"}]),
        lambda: mgmt.untag_resource(resourceArn=arn, tagKeys=["cost"]),
        lambda: mgmt.list_tags_for_resource(resourceArn=arn),
    ):
        with pytest.raises(mgmt.exceptions.AccessDeniedException):
            call()
    assert env.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "cost", "value": ""}]


def test_tag_rules(env):
    arn = request_connection(env)["arn"]
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        env.tag_resource(resourceArn=arn, tags=[{"key": "aws:x", "value": "y"}])
    assert "reserved for AWS" in error_of(excinfo)[1]
    env.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        env.tag_resource(resourceArn=arn, tags=[{"key": "one-more", "value": "v"}])
    assert error_of(excinfo)[1] == f"A resource can have at most 50 tags; {arn} would have 51."
    assert len(env.list_tags_for_resource(resourceArn=arn)["tags"]) == 50


def test_list_tags_pages(env):
    arn = request_connection(env, tags=[{"key": f"k{i}", "value": "v"} for i in range(5)])["arn"]
    first = env.list_tags_for_resource(resourceArn=arn, maxResults=2)
    assert [t["key"] for t in first["tags"]] == ["k0", "k1"]
    second = env.list_tags_for_resource(resourceArn=arn, maxResults=2, nextToken=first["nextToken"])
    assert [t["key"] for t in second["tags"]] == ["k2", "k3"]


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:proton:eu-west-1:111111111111:environment-account-connection/" + UUID,
        "arn:aws:proton:us-east-1:111111111111:environment-account-connection/" + UUID,
        "arn:aws:proton:us-east-1:111111111111:environment/nothing",
        "arn:aws:s3:us-east-1:111111111111:bucket/x",
    ],
)
def test_tagging_unknown_resources_is_not_found(env, arn):
    with pytest.raises(env.exceptions.ResourceNotFoundException) as excinfo:
        env.tag_resource(resourceArn=arn, tags=[{"key": "a", "value": "b"}])
    assert error_of(excinfo) == ("ResourceNotFoundException", f"The resource {arn} was not found.")


def test_deleting_between_pages_skips_nothing(env):
    created = [request_connection(env, name=f"env{i}")["id"] for i in range(5)]
    first = env.list_environment_account_connections(
        requestedBy="ENVIRONMENT_ACCOUNT", maxResults=2
    )
    assert ids(first) == created[:2]
    env.delete_environment_account_connection(id=created[2])  # the next page's first item
    rest = env.list_environment_account_connections(
        requestedBy="ENVIRONMENT_ACCOUNT", maxResults=2, nextToken=first["nextToken"]
    )
    assert ids(rest) == created[3:5]
    assert "nextToken" not in rest
