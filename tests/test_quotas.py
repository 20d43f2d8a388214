"""The quota registry: AWS's defaults, Python overrides and server environment variables."""

import pytest

import moto_proton
from moto_proton import quotas

NAME = "environment_account_connections_per_environment_account"


def test_defaults_are_aws_quota_table():
    assert moto_proton.DEFAULT_QUOTAS == {
        "environment_account_connections_per_environment_account": 1000,
        "templates": 1000,
        "template_versions_per_template": 1000,
        "environments": 1000,
        "services": 1000,
        "service_instances_per_service": 20,
        "components": 1000,
    }


def test_set_and_reset(monkeypatch):
    monkeypatch.setenv(f"MOTO_PROTON_QUOTA_{NAME.upper()}", "7")
    assert moto_proton.get_quota(NAME) == 7
    moto_proton.set_quota(NAME, 3)
    assert moto_proton.get_quota(NAME) == 3
    moto_proton.reset_quotas()
    assert moto_proton.get_quota(NAME) == 7
    monkeypatch.delenv(f"MOTO_PROTON_QUOTA_{NAME.upper()}")
    assert moto_proton.get_quota(NAME) == 1000


def test_bad_names_and_values_are_refused():
    with pytest.raises(ValueError, match="Unknown Proton quota 'nope'"):
        moto_proton.set_quota("nope", 1)
    for value in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError):
            moto_proton.set_quota(NAME, value)
    assert quotas.get_quota(NAME) == 1000


def test_unparsable_environment_value_falls_back_to_default(monkeypatch):
    monkeypatch.setenv(f"MOTO_PROTON_QUOTA_{NAME.upper()}", "lots")
    assert moto_proton.get_quota(NAME) == 1000


def test_moto_reset_keeps_overrides(proton):
    moto_proton.set_quota(NAME, 1)
    client = proton.client(account_id="111111111111")
    role = "arn:aws:iam::111111111111:role/r"
    client.create_environment_account_connection(
        managementAccountId="222222222222", environmentName="a", roleArn=role
    )
    if proton.endpoint_url:
        import requests

        requests.post(f"{proton.endpoint_url}/moto-api/reset")
    else:
        from moto.core.models import BackendDict

        BackendDict.reset()
    client.create_environment_account_connection(
        managementAccountId="222222222222", environmentName="a", roleArn=role
    )
    with pytest.raises(client.exceptions.ServiceQuotaExceededException):
        client.create_environment_account_connection(
            managementAccountId="222222222222", environmentName="b", roleArn=role
        )
