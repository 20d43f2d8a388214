"""Proton's resources on moto's dashboard: `/moto-api/data.json`, in both modes."""

from typing import Any

import requests

from moto_proton.testing import MANAGEMENT_ACCOUNT_ID, ProtonMock, proton_state

from .builders import ROLE


def dashboard_data(proton: ProtonMock) -> dict[str, Any]:
    """What moto's dashboard reads: in-process, moto's own `moto_api` answers the request."""
    url = proton.endpoint_url or "http://motoapi.amazonaws.com"
    response = requests.get(f"{url}/moto-api/data.json", timeout=30)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def shown(data: dict[str, Any], arn: str) -> list[tuple[str, dict[str, Any]]]:
    """(kind, fields) of every dashboard entry of Proton with this ARN."""
    return [
        (kind, fields)
        for kind, entries in data["proton"].items()
        for fields in entries
        if fields.get("arn") == arn
    ]


def test_the_dashboard_lists_protons_resources(proton):
    client = proton.client()
    connection = client.create_environment_account_connection(
        managementAccountId=MANAGEMENT_ACCOUNT_ID, environmentName="prod", roleArn=ROLE
    )["environmentAccountConnection"]
    template = client.create_environment_template(name="web", displayName="Web")[
        "environmentTemplate"
    ]
    before = proton_state()

    data = dashboard_data(proton)

    assert proton_state() == before  # reading the dashboard changes nothing
    [(kind, fields)] = shown(data, connection["arn"])
    assert kind == "EnvironmentAccountConnection"
    assert fields["id"] == connection["id"]
    assert fields["status"] == "PENDING"
    assert fields["management_account_id"] == MANAGEMENT_ACCOUNT_ID
    assert (fields["account_id"], fields["region_name"]) == ("123456789012", "us-east-1")
    [(_, fields)] = shown(data, template["arn"])
    assert fields["name"] == "web"
    assert fields["display_name"] == "Web"
    assert fields["created_at"].startswith(str(template["createdAt"].year))


def test_the_dashboard_shows_nothing_after_a_reset(proton):
    client = proton.client()
    client.create_environment_template(name="web")
    url = proton.endpoint_url or "http://motoapi.amazonaws.com"
    requests.post(f"{url}/moto-api/reset", timeout=30).raise_for_status()

    data = dashboard_data(proton)

    assert all(entries == [] for entries in data["proton"].values())
