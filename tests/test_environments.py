"""Environments and deployments: the management side that uses connections."""

import pytest

import moto_proton
from moto_proton.testing import proton_state

from .builders import ENV, MGMT, SOURCE
from .helpers import UUID, error_of, refused, tag_refusal

SPEC = "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.0.0.0/16\n"
SERVICE_ROLE = f"arn:aws:iam::{MGMT}:role/proton-service"
NO_WAIT = {"Delay": 0, "MaxAttempts": 5}


def published_template(client, name="vpc", versions=(("1", "0"),)):
    client.create_environment_template(name=name)
    for major, minor in versions:
        params = {"templateName": name, "source": SOURCE}
        if minor != "0":
            params["majorVersion"] = major
        client.create_environment_template_version(**params)
        client.update_environment_template_version(
            templateName=name, majorVersion=major, minorVersion=minor, status="PUBLISHED"
        )


def connect(env, mgmt, name="prod"):
    connection = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName=name, roleArn=f"arn:aws:iam::{ENV}:role/r"
    )["environmentAccountConnection"]
    mgmt.accept_environment_account_connection(id=connection["id"])
    return connection["id"]


def create(mgmt, name="prod", **extra):
    params = {
        "name": name,
        "templateName": "vpc",
        "templateMajorVersion": "1",
        "spec": SPEC,
        **extra,
    }
    if not {
        "environmentAccountConnectionId",
        "protonServiceRoleArn",
        "provisioningRepository",
        "codebuildRoleArn",
    } & set(extra):
        params["protonServiceRoleArn"] = SERVICE_ROLE
    return mgmt.create_environment(**params)["environment"]


def test_end_to_end_cross_account(env, mgmt):
    """The environment account asks, the management account accepts, publishes and deploys."""
    connection_id = connect(env, mgmt)
    mgmt.create_environment_template(name="vpc", displayName="Shared VPC")
    mgmt.create_environment_template_version(templateName="vpc", source=SOURCE)
    mgmt.get_waiter("environment_template_version_registered").wait(
        templateName="vpc", majorVersion="1", minorVersion="0", WaiterConfig=NO_WAIT
    )
    mgmt.update_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    created = mgmt.create_environment(
        name="prod",
        templateName="vpc",
        templateMajorVersion="1",
        spec=SPEC,
        environmentAccountConnectionId=connection_id,
        tags=[{"key": "team", "value": "platform"}],
    )["environment"]
    assert created["deploymentStatus"] == "IN_PROGRESS"
    assert created["environmentAccountId"] == ENV
    assert created["environmentAccountConnectionId"] == connection_id
    assert created["arn"] == f"arn:aws:proton:us-east-1:{MGMT}:environment/prod"
    assert (created["templateMajorVersion"], created["templateMinorVersion"]) == ("1", "0")

    mgmt.get_waiter("environment_deployed").wait(name="prod", WaiterConfig=NO_WAIT)
    deployed = mgmt.get_environment(name="prod")["environment"]
    assert deployed["deploymentStatus"] == "SUCCEEDED"
    assert (
        deployed["lastSucceededDeploymentId"]
        == deployed["lastAttemptedDeploymentId"]
        == created["lastAttemptedDeploymentId"]
    )

    deployment = mgmt.get_deployment(id=created["lastAttemptedDeploymentId"])["deployment"]
    assert deployment["deploymentStatus"] == "SUCCEEDED"
    assert deployment["targetArn"] == created["arn"]
    assert deployment["targetResourceType"] == "ENVIRONMENT"
    assert deployment["targetState"] == {
        "environment": {
            "templateName": "vpc",
            "templateMajorVersion": "1",
            "templateMinorVersion": "0",
            "spec": SPEC,
        }
    }
    assert deployment["completedAt"] >= deployment["createdAt"]

    tags = {
        t["key"]: t["value"]
        for t in mgmt.list_tags_for_resource(resourceArn=created["arn"])["tags"]
    }
    assert tags == {
        "team": "platform",
        "aws:proton:account": MGMT,
        "aws:proton:template": f"arn:aws:proton:us-east-1:{MGMT}:environment-template/vpc",
        "aws:proton:environment": created["arn"],
    }
    # The environment account cannot see the management account's environment.
    with pytest.raises(env.exceptions.ResourceNotFoundException):
        env.get_environment(name="prod")
    with pytest.raises(mgmt.exceptions.ConflictException) as excinfo:
        mgmt.reject_environment_account_connection(id=connection_id)
    assert error_of(excinfo)[1] == (
        f"Environment account connection {connection_id} is used by an environment and can't be rejected."
    )


def test_provisioning_choices(mgmt):
    published_template(mgmt)
    by_role = create(mgmt, "a")
    assert (
        # environmentAccountId only for environments provisioned through a connection, as in
        # AWS's examples (ag-create-env)
        "environmentAccountId" not in by_role and by_role["protonServiceRoleArn"] == SERVICE_ROLE
    )
    by_codebuild = create(mgmt, "b", codebuildRoleArn=f"arn:aws:iam::{MGMT}:role/cb")
    assert by_codebuild["codebuildRoleArn"].endswith("role/cb")
    repository = {"provider": "GITHUB", "name": "org/infra", "branch": "main"}
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt, "c", provisioningRepository=repository)  # not linked yet
    assert error_of(excinfo)[1] == (
        "The provisioningRepository GITHUB:org/infra is not a linked repository: link it with "
        "CreateRepository first."
    )
    mgmt.create_repository(
        provider="GITHUB",
        name="org/infra",
        connectionArn=f"arn:aws:codestar-connections:us-east-1:{MGMT}:connection/c",
    )
    by_repo = create(
        mgmt,
        "c",
        provisioningRepository={"provider": "GITHUB", "name": "org/infra", "branch": "main"},
    )
    assert by_repo["provisioningRepository"] == {
        "provider": "GITHUB",
        "name": "org/infra",
        "branch": "main",
        "arn": f"arn:aws:proton:us-east-1:{MGMT}:repository/github:org/infra",
    }


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"codebuildRoleArn": None}, None),
        (
            {
                "protonServiceRoleArn": SERVICE_ROLE,
                "provisioningRepository": {"provider": "GITHUB", "name": "o/r", "branch": "m"},
            },
            "Specify only one of environmentAccountConnectionId, protonServiceRoleArn and provisioningRepository.",
        ),
    ],
)
def test_provisioning_must_be_chosen_once(mgmt, extra, message):
    published_template(mgmt)
    params = {"name": "prod", "templateName": "vpc", "templateMajorVersion": "1", "spec": SPEC}
    params.update({k: v for k, v in extra.items() if v is not None})
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.create_environment(**params)
    assert error_of(excinfo)[1] == (
        message
        or (
            "Specify how to provision the environment: environmentAccountConnectionId, "
            "protonServiceRoleArn, codebuildRoleArn or provisioningRepository."
        )
    )
    assert mgmt.list_environments()["environments"] == []
    assert mgmt.list_deployments()["deployments"] == []


def test_connection_must_be_connected_ours_and_for_this_environment(env, mgmt):
    published_template(mgmt)
    pending = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="prod", roleArn=f"arn:aws:iam::{ENV}:role/r"
    )["environmentAccountConnection"]["id"]
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt, environmentAccountConnectionId=pending)
    assert error_of(excinfo)[1] == (
        f"Environment account connection {pending} is PENDING; only a CONNECTED connection can "
        "provision an environment."
    )
    mgmt.accept_environment_account_connection(id=pending)
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt, name="staging", environmentAccountConnectionId=pending)
    assert error_of(excinfo)[1] == (
        f"Environment account connection {pending} is for environment prod, not staging."
    )
    published_template(env)
    with pytest.raises(env.exceptions.ValidationException) as excinfo:
        env.create_environment(
            name="prod",
            templateName="vpc",
            templateMajorVersion="1",
            spec=SPEC,
            environmentAccountConnectionId=pending,
        )
    assert "must be used from its management account" in error_of(excinfo)[1]
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        create(mgmt, environmentAccountConnectionId=UUID)
    assert mgmt.list_environments()["environments"] == []


def test_version_must_be_published(mgmt):
    mgmt.create_environment_template(name="vpc")
    mgmt.create_environment_template_version(templateName="vpc", source=SOURCE)
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt)
    assert (
        error_of(excinfo)[1]
        == "Environment template vpc has no published version in major version 1."
    )
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt, templateMinorVersion="0")
    assert error_of(excinfo)[1] == (
        "Environment template version vpc:1.0 is DRAFT; only a PUBLISHED version can be deployed."
    )
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        create(mgmt, templateMinorVersion="9")
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        create(mgmt, templateName="nothing")


def test_name_conflict_and_quota(mgmt):
    published_template(mgmt)
    created = create(mgmt, "a")
    again = create(mgmt, "a")  # the same create again: the original (idempotent)
    assert (again["arn"], again["createdAt"]) == (created["arn"], created["createdAt"])
    assert again["lastAttemptedDeploymentId"] == created["lastAttemptedDeploymentId"]
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt, "a", description="other")
    assert error_of(excinfo)[1] == (
        "Idempotent parameter mismatch: the environment a already exists with different parameters."
    )
    mgmt.update_environment(name="a", deploymentType="NONE", description="changed")
    with pytest.raises(mgmt.exceptions.ConflictException) as excinfo:
        create(mgmt, "a")  # changed since: no longer a retry
    assert error_of(excinfo)[1] == "The environment a already exists."
    moto_proton.set_quota("environments", 1)
    with pytest.raises(mgmt.exceptions.ServiceQuotaExceededException):
        create(mgmt, "b")
    assert [e["name"] for e in mgmt.list_environments()["environments"]] == ["a"]


def test_updates_deploy_new_versions(mgmt):
    published_template(mgmt, versions=(("1", "0"), ("1", "1"), ("2", "0")))
    first = create(mgmt, templateMinorVersion="0")
    assert first["templateMinorVersion"] == "0"
    none = mgmt.update_environment(name="prod", deploymentType="NONE", description="described")[
        "environment"
    ]
    assert none["description"] == "described"
    assert none["lastAttemptedDeploymentId"] == first["lastAttemptedDeploymentId"]
    minor = mgmt.update_environment(name="prod", deploymentType="MINOR_VERSION", spec=SPEC + "#2")[
        "environment"
    ]
    # The version shown stays the deployed one until the deployment succeeds (AWS's examples).
    assert (minor["templateMajorVersion"], minor["templateMinorVersion"]) == ("1", "0")
    assert minor["deploymentStatus"] == "IN_PROGRESS"
    assert minor["lastAttemptedDeploymentId"] != first["lastAttemptedDeploymentId"]
    assert minor["lastDeploymentAttemptedAt"] > first["lastDeploymentAttemptedAt"]
    assert minor["lastDeploymentSucceededAt"] == first["lastDeploymentAttemptedAt"]
    deployed = mgmt.get_environment(name="prod")["environment"]
    assert deployed["deploymentStatus"] == "SUCCEEDED"
    assert (deployed["templateMajorVersion"], deployed["templateMinorVersion"]) == ("1", "1")
    assert deployed["spec"] == SPEC + "#2"
    assert deployed["lastDeploymentSucceededAt"] == minor["lastDeploymentAttemptedAt"]
    summary = mgmt.get_resources_summary()["counts"]["environments"]
    assert summary == {"total": 1, "failed": 0, "upToDate": 0, "behindMajor": 1, "behindMinor": 0}
    major = mgmt.update_environment(name="prod", deploymentType="MAJOR_VERSION")["environment"]
    assert (major["templateMajorVersion"], major["templateMinorVersion"]) == ("1", "1")
    major = mgmt.get_environment(name="prod")["environment"]
    assert (major["templateMajorVersion"], major["templateMinorVersion"]) == ("2", "0")
    same = mgmt.update_environment(name="prod", deploymentType="CURRENT_VERSION", spec=SPEC)[
        "environment"
    ]
    assert same["templateMajorVersion"] == "2"
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.update_environment(
            name="prod", deploymentType="CURRENT_VERSION", templateMajorVersion="1"
        )
    assert "CURRENT_VERSION keeps the template version" in error_of(excinfo)[1]
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.update_environment(
            name="prod", deploymentType="MINOR_VERSION", templateMajorVersion="1"
        )
    assert "MINOR_VERSION keeps the major version" in error_of(excinfo)[1]
    deployments = mgmt.list_deployments(environmentName="prod")["deployments"]
    assert len(deployments) == 4
    assert {d["deploymentStatus"] for d in deployments} == {"SUCCEEDED"}
    assert mgmt.get_resources_summary()["counts"]["environments"]["upToDate"] == 1


def test_deployments_progress_manually_and_can_be_cancelled(proton, mgmt):
    published_template(mgmt, versions=(("1", "0"), ("1", "1")))
    proton.set_transition("proton::deployment", {"progression": "manual", "times": 2})
    created = create(mgmt, templateMinorVersion="0")
    assert mgmt.get_environment(name="prod")["environment"]["deploymentStatus"] == "IN_PROGRESS"
    with pytest.raises(mgmt.exceptions.ConflictException) as excinfo:
        mgmt.update_environment(name="prod", deploymentType="MINOR_VERSION")
    assert (
        error_of(excinfo)[1]
        == "The environment prod is IN_PROGRESS; wait for it to finish before updating it."
    )
    with pytest.raises(mgmt.exceptions.ConflictException):
        mgmt.delete_environment(name="prod")
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.delete_deployment(id=created["lastAttemptedDeploymentId"])
    assert "only a finished deployment can be deleted" in error_of(excinfo)[1]
    assert mgmt.get_environment(name="prod")["environment"]["deploymentStatus"] == "SUCCEEDED"

    updating = mgmt.update_environment(name="prod", deploymentType="MINOR_VERSION")["environment"]
    assert updating["templateMinorVersion"] == "0"  # pinned until the deployment succeeds
    in_progress = mgmt.get_environment(name="prod")["environment"]
    assert (in_progress["deploymentStatus"], in_progress["templateMinorVersion"]) == (
        "IN_PROGRESS",
        "0",
    )
    cancelling = mgmt.cancel_environment_deployment(environmentName="prod")["environment"]
    assert cancelling["deploymentStatus"] == "CANCELLING"
    assert "deploymentStatusMessage" not in cancelling  # shown once CANCELLED (AWS's examples)
    mgmt.get_environment(name="prod")
    cancelled = mgmt.get_environment(name="prod")["environment"]
    assert cancelled["deploymentStatus"] == "CANCELLED"
    assert cancelled["deploymentStatusMessage"] == "User initiated cancellation."
    assert cancelled["templateMinorVersion"] == "0"  # still what was deployed
    assert cancelled["lastSucceededDeploymentId"] == created["lastAttemptedDeploymentId"]
    with pytest.raises(mgmt.exceptions.ConflictException) as excinfo:
        mgmt.cancel_environment_deployment(environmentName="prod")
    assert error_of(excinfo)[1] == (
        "The environment prod is CANCELLED; only an IN_PROGRESS deployment can be cancelled."
    )
    statuses = [d["deploymentStatus"] for d in mgmt.list_deployments()["deployments"]]
    assert statuses == ["SUCCEEDED", "CANCELLED"]


def test_deployment_lookups(mgmt):
    published_template(mgmt)
    created = create(mgmt)
    deployment_id = created["lastAttemptedDeploymentId"]
    assert (
        mgmt.get_deployment(id=deployment_id, environmentName="prod")["deployment"]["id"]
        == deployment_id
    )
    for other in ({"environmentName": "other"}, {"serviceName": "svc"}):
        with pytest.raises(mgmt.exceptions.ResourceNotFoundException) as excinfo:
            mgmt.get_deployment(id=deployment_id, **other)
        assert error_of(excinfo)[1] == f"The deployment {deployment_id} was not found."
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException) as excinfo:
        mgmt.list_deployments(serviceName="svc")  # a named resource must exist
    assert error_of(excinfo)[1] == "The service svc was not found."
    assert mgmt.list_deployments(environmentName="prod")["deployments"][0]["id"] == deployment_id
    deleted = mgmt.delete_deployment(id=deployment_id)["deployment"]
    assert deleted["deploymentStatus"] == "SUCCEEDED"
    assert mgmt.list_deployments()["deployments"] == []
    assert mgmt.get_environment(name="prod")["environment"]["deploymentStatus"] == "SUCCEEDED"


def test_delete_environment_then_it_is_gone(env, mgmt):
    connection_id = connect(env, mgmt)
    published_template(mgmt)
    create(mgmt, environmentAccountConnectionId=connection_id)
    mgmt.get_environment(name="prod")
    deleting = mgmt.delete_environment(name="prod")["environment"]
    assert deleting["deploymentStatus"] == "DELETE_IN_PROGRESS"
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException) as excinfo:
        mgmt.get_environment(name="prod")
    assert error_of(excinfo)[1] == "The environment prod was not found."
    assert mgmt.list_environments()["environments"] == []
    rejected = mgmt.reject_environment_account_connection(id=connection_id)
    assert rejected["environmentAccountConnection"]["status"] == "REJECTED"
    # Nothing uses the version any more.
    mgmt.delete_environment_template_version(templateName="vpc", majorVersion="1", minorVersion="0")


def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(mgmt):
    published_template(mgmt)
    refused(
        mgmt,
        "ValidationException",
        lambda: create(mgmt, tags=[{"key": "team", "value": "a&b"}]),
        tag_refusal("value", "a&b", "&"),
    )


def test_a_retried_delete_succeeds(proton, mgmt):
    published_template(mgmt)
    create(mgmt)
    mgmt.get_environment(name="prod")
    proton.set_transition("proton::environment-deletion", {"progression": "manual", "times": 2})
    deleting = mgmt.delete_environment(name="prod")["environment"]
    assert deleting["deploymentStatus"] == "DELETE_IN_PROGRESS"
    # While the deletion runs, a retry answers the environment and does nothing more.
    before = proton_state()
    assert mgmt.delete_environment(name="prod")["environment"] == deleting
    assert proton_state() == before
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        for _ in range(3):
            mgmt.get_environment(name="prod")
    # Once it is done, a retry answers empty; what never existed stays not found.
    assert "environment" not in mgmt.delete_environment(name="prod")
    refused(
        mgmt,
        "ResourceNotFoundException",
        lambda: mgmt.delete_environment(name="never"),
        "The environment never was not found.",
    )
    # A new environment of that name is a new resource: the next delete acts on it.
    create(mgmt)
    mgmt.get_environment(name="prod")
    assert mgmt.delete_environment(name="prod")["environment"]["deploymentStatus"] == (
        "DELETE_IN_PROGRESS"
    )
    assert mgmt.list_environments()["environments"][0]["deploymentStatus"] == ("DELETE_IN_PROGRESS")


def test_template_versions_in_use_cannot_be_deleted(mgmt):
    published_template(mgmt)
    create(mgmt)
    with pytest.raises(mgmt.exceptions.ConflictException) as excinfo:
        mgmt.delete_environment_template_version(
            templateName="vpc", majorVersion="1", minorVersion="0"
        )
    assert (
        error_of(excinfo)[1]
        == "Environment template version vpc:1.0 is used by environments: prod."
    )


def test_switching_connections(env, mgmt, proton):
    first = connect(env, mgmt)
    published_template(mgmt)
    create(mgmt, environmentAccountConnectionId=first)
    mgmt.get_environment(name="prod")
    env.delete_environment_account_connection(id=first)  # allowed even in use
    second = connect(env, mgmt)
    moved = mgmt.update_environment(
        name="prod", deploymentType="NONE", environmentAccountConnectionId=second
    )
    assert moved["environment"]["environmentAccountConnectionId"] == second
    other_env = proton.client(account_id="333333333333")
    foreign = other_env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="prod", roleArn="arn:aws:iam::333333333333:role/r"
    )["environmentAccountConnection"]["id"]
    mgmt.accept_environment_account_connection(id=foreign)
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.update_environment(
            name="prod", deploymentType="NONE", environmentAccountConnectionId=foreign
        )
    assert error_of(excinfo)[1] == (
        f"Environment account connection {foreign} is for environment account 333333333333; the "
        f"environment prod is provisioned in {ENV}."
    )
    create(mgmt, "byrole")
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.update_environment(
            name="byrole", deploymentType="NONE", environmentAccountConnectionId=second
        )
    assert "is not provisioned through an environment account connection" in error_of(excinfo)[1]


def test_outputs_resources_filters_and_managed_tags(mgmt):
    published_template(mgmt)
    published_template(mgmt, name="db")
    created = create(mgmt)
    create(mgmt, "data", templateName="db")
    assert mgmt.list_environment_outputs(environmentName="prod")["outputs"] == []
    assert (
        mgmt.list_environment_provisioned_resources(environmentName="prod")["provisionedResources"]
        == []
    )
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        mgmt.list_environment_outputs(environmentName="prod", deploymentId=UUID)
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        mgmt.list_environment_outputs(environmentName="nothing")
    filtered = mgmt.list_environments(
        environmentTemplates=[{"templateName": "db", "majorVersion": "1"}]
    )
    assert [e["name"] for e in filtered["environments"]] == ["data"]
    assert [e["name"] for e in mgmt.list_environments()["environments"]] == ["data", "prod"]
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.untag_resource(resourceArn=created["arn"], tagKeys=["aws:proton:template"])
    assert (
        error_of(excinfo)[1]
        == "Tag key aws:proton:template can't be removed: keys that begin with 'aws:' are AWS's."
    )
    mgmt.tag_resource(
        resourceArn=created["arn"], tags=[{"key": f"k{i}", "value": "v"} for i in range(50)]
    )
    assert len(mgmt.list_tags_for_resource(resourceArn=created["arn"])["tags"]) == 53
    counts = mgmt.get_resources_summary()["counts"]
    assert counts["environmentTemplates"] == {"total": 2}
    assert counts["environments"]["total"] == 2
    assert counts["services"] == {
        "total": 0,
        "failed": 0,
        "upToDate": 0,
        "behindMajor": 0,
        "behindMinor": 0,
    }
