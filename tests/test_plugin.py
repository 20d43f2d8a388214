"""Proton under moto: decorator, context manager, raw clients, resets, accounts, seeding."""

import importlib.util
import subprocess
import sys
import warnings

import boto3
import pytest
import requests
from moto import mock_aws

import moto_proton
from moto_proton import _plugin

from .builders import ROLE
from .helpers import raw_call


def create(client, name="env1", management="222222222222", role=ROLE):
    return client.create_environment_account_connection(
        managementAccountId=management, environmentName=name, roleArn=role
    )["environmentAccountConnection"]


@mock_aws
def test_decorator_serves_proton(aws_credentials):
    client = boto3.client("proton", region_name="us-east-1")
    connection = create(client)
    assert connection["status"] == "PENDING"
    listed = client.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert [c["id"] for c in listed["environmentAccountConnections"]] == [connection["id"]]


def test_context_manager_serves_proton_and_clears_state_on_exit(aws_credentials):
    with mock_aws():
        client = boto3.client("proton", region_name="us-east-1")
        create(client)
    with mock_aws():
        client = boto3.client("proton", region_name="us-east-1")
        listed = client.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
        assert listed["environmentAccountConnections"] == []


def test_raw_requests_are_served_in_process(aws_credentials):
    with mock_aws():
        response = requests.post(
            "https://proton.eu-west-1.amazonaws.com/",
            data='{"requestedBy": "MANAGEMENT_ACCOUNT"}',
            headers={
                "X-Amz-Target": "AwsProton20200720.ListEnvironmentAccountConnections",
                "Content-Type": "application/x-amz-json-1.0",
            },
        )
    assert response.status_code == 200
    assert response.json() == {"environmentAccountConnections": []}


def test_moto_account_id_environment_variable_picks_the_account(aws_credentials, monkeypatch):
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "333333333333")
    with mock_aws():
        client = boto3.client("proton", region_name="us-east-1")
        connection = create(client, role="arn:aws:iam::333333333333:role/r")
    assert connection["environmentAccountId"] == "333333333333"
    assert connection["arn"].split(":")[4] == "333333333333"


def test_assumed_role_credentials_act_as_the_role_account(proton):
    sts = proton.client("sts")
    creds = sts.assume_role(
        RoleArn="arn:aws:iam::444444444444:role/env", RoleSessionName="session"
    )["Credentials"]
    client = proton.client(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    connection = create(client, role="arn:aws:iam::444444444444:role/r")
    assert connection["environmentAccountId"] == "444444444444"


def test_header_account_and_regions_are_separate(proton):
    east = proton.client(account_id="111111111111")
    west = proton.client(account_id="111111111111", region="us-west-2")
    other = proton.client(account_id="555555555555")
    connection = create(east, role="arn:aws:iam::111111111111:role/r")
    assert connection["arn"].startswith("arn:aws:proton:us-east-1:111111111111:")
    for client in (west, other):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_environment_account_connection(id=connection["id"])


def test_moto_reset_clears_proton(proton):
    client = proton.client()
    create(client)
    if proton.endpoint_url:
        requests.post(f"{proton.endpoint_url}/moto-api/reset")
    else:
        from moto.core.models import BackendDict

        BackendDict.reset()
    listed = client.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert listed["environmentAccountConnections"] == []


def _seeded_id(proton, seed):
    url = proton.endpoint_url or "http://motoapi.amazonaws.com"
    requests.post(f"{url}/moto-api/seed?a={seed}")
    client = proton.client()
    connection = create(
        client,
        name=f"seeded{seed}x{len(client.list_environment_account_connections(requestedBy='ENVIRONMENT_ACCOUNT')['environmentAccountConnections'])}",
    )
    return connection["id"]


def test_moto_api_seed_makes_ids_repeatable(proton):
    first = _seeded_id(proton, 42)
    second = _seeded_id(proton, 42)
    third = _seeded_id(proton, 43)
    assert first == second
    assert third != first


def test_register_is_idempotent():
    from moto import backend_index

    before = list(backend_index.backend_url_patterns)
    assert moto_proton.register() is True
    assert backend_index.backend_url_patterns == before
    assert sum(1 for name, _ in before if name == "proton") == len(_plugin.URL_PATTERNS)


def test_steps_aside_with_a_warning_when_moto_has_its_own_proton(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name == "moto.proton":
            return object()
        return real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(_plugin, "_registered", False)
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _plugin.register() is False
    assert "steps aside" in str(caught[0].message)


def test_unimplemented_operation_is_a_clear_client_error(proton, monkeypatch):
    """An operation of the model without a backend method (one a newer botocore adds)."""
    from moto_proton.models.components import ComponentsMixin

    monkeypatch.setattr(ComponentsMixin, "get_component", None)
    client = proton.client()
    with pytest.raises(client.exceptions.ClientError) as excinfo:
        client.get_component(name="c")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert excinfo.value.response["Error"]["Code"] == "NotImplementedYetException"
    assert "GetComponent" in excinfo.value.response["Error"]["Message"]


def test_python_dash_m_prints_moto_server_usage():
    result = subprocess.run(
        [sys.executable, "-m", "moto_proton", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "--port" in result.stdout and "--host" in result.stdout


def test_plugin_fixtures_give_two_accounts(proton_accounts):
    assert proton_accounts.environment_account_id != proton_accounts.management_account_id
    env_id = proton_accounts.environment.meta.events  # clients are separate objects
    assert env_id is not proton_accounts.management.meta.events


def test_raw_call_helper_reaches_proton(proton):
    result = raw_call(
        proton, "ListEnvironmentAccountConnections", {"requestedBy": "ENVIRONMENT_ACCOUNT"}
    )
    assert result.status == 200
    assert result.body == {"environmentAccountConnections": []}


@pytest.mark.parametrize("version", ["5.1.21", "5.0.28", "4.2.14"])
def test_a_moto_below_the_supported_range_is_refused_at_import(version):
    """Below 5.1.22 the package would break later with an AttributeError; importing it says so
    at once, naming the supported range."""
    done = subprocess.run(
        [sys.executable, "-c", f"import moto; moto.__version__ = {version!r}; import moto_proton"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"ImportError: moto_proton needs moto>=5.1.22,<6, but moto {version} is installed; "
        "upgrade it: pip install 'moto>=5.1.22,<6'"
    )


def test_a_moto_above_the_supported_range_gets_a_warning():
    from moto_proton._plugin import check_moto_version

    check_moto_version("5.1.22")  # both ends of the range, silently
    check_moto_version("5.2.99.dev1")
    with pytest.warns(UserWarning, match=r"tested with moto>=5.1.22,<6; moto 6.0.0 is newer"):
        check_moto_version("6.0.0")
