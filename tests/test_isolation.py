"""Isolation: accounts, Regions, quotas and client tokens.

`test_connections.py` already shows a third account getting ResourceNotFound from each
connection operation and an empty list. Here the same promise is driven generically: every
implemented operation, with requests generated from the model and aimed at seeded resources
(ids, ARNs, names), is sent by an outsider (a third account, or either party from another
Region). Nothing the two parties hold may change or vanish, and no answer may carry their
ids or accounts unless the request itself named them. The seed holds services with instances
and a pipeline, service templates, account settings, attached and detached components, a
linked repository with template and service sync configs, and an ACTIVE sync blocker
(`fuzz_support.reset_and_seed`); below, the same promise is also spelled out for each of
them, and for Regions.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError
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
    secrets = seeded.secrets | ({ENV, MGMT} - {caller})

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


# -- services, instances, pipelines, service templates, account settings, spelled out ------


def not_found(call: Any) -> str:
    """The error code of a call that must fail."""
    with pytest.raises(ClientError) as excinfo:
        call()
    return excinfo.value.response["Error"]["Code"]  # type: ignore[no-any-return]


SERVICE, INSTANCE, PIPELINE_TEMPLATE = "seeded-service", "one", "seeded-service-template"


@pytest.mark.parametrize("caller, region", [(STRANGER, REGION), (MGMT, OTHER_REGION)])
def test_outsiders_see_no_service_part(proton, caller, region):
    seeded = reset_and_seed()
    client = proton.client(account_id=caller, region=region)
    before = parties_state()
    rnf = "ResourceNotFoundException"
    assert not_found(lambda: client.get_service(name=SERVICE)) == rnf
    assert not_found(lambda: client.get_service_instance(serviceName=SERVICE, name=INSTANCE)) == rnf
    assert not_found(lambda: client.get_service_template(name=PIPELINE_TEMPLATE)) == rnf
    assert (
        not_found(
            lambda: client.get_service_template_version(
                templateName=PIPELINE_TEMPLATE, majorVersion="1", minorVersion="0"
            )
        )
        == rnf
    )
    assert not_found(lambda: client.list_service_pipeline_outputs(serviceName=SERVICE)) == rnf
    assert not_found(lambda: client.list_service_instances(serviceName=SERVICE)) == rnf
    for deployment_id in seeded.deployment_ids:
        assert not_found(lambda: client.get_deployment(id=deployment_id)) == rnf
    assert client.list_services()["services"] == []
    assert client.list_service_instances()["serviceInstances"] == []
    assert client.list_service_templates()["templates"] == []
    assert client.list_deployments()["deployments"] == []
    assert client.get_account_settings()["accountSettings"] == {}
    counts = client.get_resources_summary()["counts"]
    assert {kind: count["total"] for kind, count in counts.items()} == dict.fromkeys(counts, 0)
    for arn in seeded.arns:
        assert not_found(lambda: client.list_tags_for_resource(resourceArn=arn)) in (
            rnf,
            "AccessDeniedException",  # a connection's parties are told they are not its party
        )
    assert parties_state() == before


@pytest.mark.parametrize("caller, region", [(STRANGER, REGION), (MGMT, OTHER_REGION)])
def test_outsiders_change_no_service_part(proton, caller, region):
    seeded = reset_and_seed()
    client = proton.client(account_id=caller, region=region)
    before = parties_state()
    rnf = "ResourceNotFoundException"
    calls = [
        lambda: client.update_service(name=SERVICE, description="mine"),
        lambda: client.delete_service(name=SERVICE),
        lambda: client.update_service_instance(
            serviceName=SERVICE, name=INSTANCE, deploymentType="CURRENT_VERSION"
        ),
        lambda: client.cancel_service_instance_deployment(
            serviceName=SERVICE, serviceInstanceName=INSTANCE
        ),
        lambda: client.update_service_pipeline(
            serviceName=SERVICE, spec=seeded.services[0]["spec"], deploymentType="CURRENT_VERSION"
        ),
        lambda: client.cancel_service_pipeline_deployment(serviceName=SERVICE),
        lambda: client.update_service_template(name=PIPELINE_TEMPLATE, description="mine"),
        lambda: client.update_service_template_version(
            templateName=PIPELINE_TEMPLATE, majorVersion="1", minorVersion="1", status="PUBLISHED"
        ),
        lambda: client.delete_service_template_version(
            templateName=PIPELINE_TEMPLATE, majorVersion="1", minorVersion="1"
        ),
        lambda: client.delete_service_template(name=PIPELINE_TEMPLATE),
        lambda: client.delete_deployment(id=seeded.deployment_ids[0]),
    ]
    calls += [
        lambda arn=arn: client.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
        for arn in seeded.arns
        if ":service" in arn
    ]
    for call in calls:
        assert not_found(call) == rnf
    # The outsider's own settings, services and templates are its own.
    role = f"arn:aws:iam::{caller}:role/mine"
    settings = client.update_account_settings(pipelineServiceRoleArn=role)["accountSettings"]
    assert settings == {"pipelineServiceRoleArn": role}
    client.update_account_settings(pipelineServiceRoleArn="")
    made = client.create_service_template(name=PIPELINE_TEMPLATE)["serviceTemplate"]
    assert made["arn"] == f"arn:aws:proton:{region}:{caller}:service-template/{PIPELINE_TEMPLATE}"
    assert_kept(before, parties_state())
    ours = parties_state()[MGMT]
    assert ours["account_settings"] == seeded.settings
    assert ours["services"].keys() == {s["name"] for s in seeded.services}


def test_a_service_is_in_one_region(proton):
    """The same account's service, instances, pipeline, templates and settings are not seen
    from another Region, and the names are free there."""
    reset_and_seed()
    east = proton.client(account_id=MGMT)
    west = proton.client(account_id=MGMT, region=OTHER_REGION)
    assert east.get_service(name=SERVICE)["service"]["status"] == "ACTIVE"
    assert len(east.list_service_instances()["serviceInstances"]) == 4
    assert not_found(lambda: west.get_service(name=SERVICE)) == "ResourceNotFoundException"
    assert west.list_services()["services"] == []
    assert west.list_service_instances()["serviceInstances"] == []
    assert west.get_account_settings()["accountSettings"] == {}
    # Without settings in this Region, a template with a pipeline can't be used here.
    west.create_service_template(name=PIPELINE_TEMPLATE)
    west.create_environment_template(name="seeded-template")
    west.create_environment_template_version(
        templateName="seeded-template", source={"s3": {"bucket": "bucket", "key": "k"}}
    )
    west.update_environment_template_version(
        templateName="seeded-template", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    west.create_service_template_version(
        templateName=PIPELINE_TEMPLATE,
        source={"s3": {"bucket": "bucket", "key": "k"}},
        compatibleEnvironmentTemplates=[{"templateName": "seeded-template", "majorVersion": "1"}],
    )
    west.update_service_template_version(
        templateName=PIPELINE_TEMPLATE, majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    west.create_environment(
        name="dev",
        templateName="seeded-template",
        templateMajorVersion="1",
        spec="proton: EnvironmentSpec\nspec: {}\n",
        protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton",
    )
    spec = "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: dev\n"
    repository = {
        "repositoryConnectionArn": f"arn:aws:codestar-connections:{OTHER_REGION}:{MGMT}:connection/c",
        "repositoryId": "org/repo",
        "branchName": "main",
    }
    create = dict(name=SERVICE, templateName=PIPELINE_TEMPLATE, templateMajorVersion="1", spec=spec)
    with pytest.raises(ClientError) as excinfo:
        west.create_service(**create, **repository)
    assert "pipeline roles" in excinfo.value.response["Error"]["Message"]
    west.update_account_settings(pipelineServiceRoleArn=f"arn:aws:iam::{MGMT}:role/west")
    made = west.create_service(**create, **repository)["service"]
    assert made["arn"] == f"arn:aws:proton:{OTHER_REGION}:{MGMT}:service/{SERVICE}"
    assert [i["environmentName"] for i in west.list_service_instances()["serviceInstances"]] == [
        "dev"
    ]
    east_service = east.get_service(name=SERVICE)["service"]
    assert east_service["spec"] != spec and east_service["arn"].startswith(
        f"arn:aws:proton:{REGION}:"
    )
    assert east.get_account_settings()["accountSettings"] == {
        "pipelineServiceRoleArn": f"arn:aws:iam::{MGMT}:role/pipeline"
    }
    assert len(east.list_service_instances()["serviceInstances"]) == 4


# -- components, repositories, sync configs and blockers, spelled out ----------------------

COMPONENTS = ("seeded-attached", "seeded-detached")
REPOSITORY = {"name": "org/seeded-repo", "provider": "GITHUB"}
LINKED = {"repositoryName": "org/seeded-repo", "repositoryProvider": "GITHUB"}
SYNCED_TEMPLATE = {"templateName": "seeded-template", "templateType": "ENVIRONMENT"}


@pytest.mark.parametrize(
    "caller, region", [(STRANGER, REGION), (ENV, REGION), (MGMT, OTHER_REGION)]
)
def test_outsiders_see_no_component_repository_or_sync(proton, caller, region):
    seeded = reset_and_seed()
    client = proton.client(account_id=caller, region=region)
    before = parties_state()
    rnf = "ResourceNotFoundException"
    for name in COMPONENTS:
        assert not_found(lambda: client.get_component(name=name)) == rnf
        assert not_found(lambda: client.list_component_outputs(componentName=name)) == rnf
        assert (
            not_found(lambda: client.list_component_provisioned_resources(componentName=name))
            == rnf
        )
    assert client.list_components()["components"] == []
    assert client.list_components(environmentName="dev")["components"] == []
    assert not_found(lambda: client.get_repository(**REPOSITORY)) == rnf
    assert client.list_repositories()["repositories"] == []
    assert (
        not_found(
            lambda: client.get_repository_sync_status(
                **LINKED, branch="main", syncType="TEMPLATE_SYNC"
            )
        )
        == rnf
    )
    definitions = client.list_repository_sync_definitions(**LINKED, syncType="TEMPLATE_SYNC")
    assert definitions["syncDefinitions"] == []
    assert not_found(lambda: client.get_template_sync_config(**SYNCED_TEMPLATE)) == rnf
    assert (
        not_found(lambda: client.get_template_sync_status(**SYNCED_TEMPLATE, templateVersion="1"))
        == rnf
    )
    assert not_found(lambda: client.get_service_sync_config(serviceName="seeded-plain")) == rnf
    assert (
        not_found(lambda: client.get_service_sync_blocker_summary(serviceName="seeded-plain"))
        == rnf
    )
    assert (
        not_found(
            lambda: client.get_service_instance_sync_status(
                serviceName="seeded-plain", serviceInstanceName="one"
            )
        )
        == rnf
    )
    for component in seeded.components:
        for arn_call in (
            lambda: client.list_tags_for_resource(resourceArn=component["arn"]),
            lambda: client.get_deployment(id=component["lastSucceededDeploymentId"]),
        ):
            assert not_found(arn_call) == rnf
    assert parties_state() == before


@pytest.mark.parametrize(
    "caller, region", [(STRANGER, REGION), (ENV, REGION), (MGMT, OTHER_REGION)]
)
def test_outsiders_change_no_component_repository_or_sync(proton, caller, region):
    seeded = reset_and_seed()
    client = proton.client(account_id=caller, region=region)
    before = parties_state()
    rnf = "ResourceNotFoundException"
    (blocker,) = seeded.blocker_ids
    calls = [
        lambda: client.update_component(
            name="seeded-detached", deploymentType="NONE", description="mine"
        ),
        lambda: client.update_component(
            name="seeded-attached",
            deploymentType="CURRENT_VERSION",
            serviceName="",
            serviceInstanceName="",
        ),
        lambda: client.delete_component(name="seeded-detached"),
        lambda: client.cancel_component_deployment(componentName="seeded-attached"),
        lambda: client.delete_repository(**REPOSITORY),
        lambda: client.update_template_sync_config(**SYNCED_TEMPLATE, **LINKED, branch="x"),
        lambda: client.delete_template_sync_config(**SYNCED_TEMPLATE),
        lambda: client.update_service_sync_config(
            serviceName="seeded-plain", **LINKED, branch="x", filePath="f"
        ),
        lambda: client.delete_service_sync_config(serviceName="seeded-plain"),
        lambda: client.update_service_sync_blocker(id=blocker, resolvedReason="mine"),
    ]
    calls += [
        lambda arn=c["arn"]: client.notify_resource_deployment_status_change(
            resourceArn=arn, status="FAILED"
        )
        for c in seeded.components
    ]
    calls += [
        lambda arn=arn: client.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
        for arn in (seeded.repository["arn"], *(c["arn"] for c in seeded.components))
    ]
    for call in calls:
        assert not_found(call) == rnf
    # A sync config on the parties' names, in the outsider's place, is refused: nothing of
    # theirs is there (the model lists no ResourceNotFoundException for these).
    refused = [
        lambda: client.create_template_sync_config(**SYNCED_TEMPLATE, **LINKED, branch="main"),
        lambda: client.create_service_sync_config(
            serviceName="seeded-plain", **LINKED, branch="main", filePath="f"
        ),
    ]
    for call in refused:
        assert not_found(call) == "ValidationException"
    # The same names are free in the outsider's place.
    made = client.create_repository(
        **REPOSITORY,
        connectionArn=f"arn:aws:codestar-connections:{region}:{caller}:connection/mine",
    )["repository"]
    assert made["arn"] == f"arn:aws:proton:{region}:{caller}:repository/github:org/seeded-repo"
    assert_kept(before, parties_state())
    ours = parties_state()[MGMT]
    assert ours["components"].keys() == set(COMPONENTS)
    assert [b["status"] for b in ours["sync_blockers"].values()] == ["ACTIVE"]
    assert len(ours["template_sync_configs"]) == len(ours["service_sync_configs"]) == 1
