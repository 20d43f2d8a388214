"""Account settings (the pipeline service roles and provisioning repository) and service
pipelines and their updates, in both modes."""

import pytest
import yaml

from .builders import ACCOUNT, ARN, DEPLOYMENT, NO_WAIT, service_version
from .builders import service_spec as spec
from .builders.services import PIPELINE_ROLES_MISSING, TWO, create, get, link, service_world
from .helpers import refused, wait_exactly


@pytest.fixture
def client(proton):
    return service_world(proton)


# -- account settings --------------------------------------------------------------------
def test_account_settings(proton):
    client = proton.client()
    assert client.get_account_settings()["accountSettings"] == {}
    role, codebuild = f"arn:aws:iam::{ACCOUNT}:role/p", f"arn:aws:iam::{ACCOUNT}:role/cb"
    assert client.update_account_settings(pipelineServiceRoleArn=role)["accountSettings"] == {
        "pipelineServiceRoleArn": role
    }
    client.update_account_settings(pipelineCodebuildRoleArn=codebuild)
    repository = {"provider": "GITHUB", "name": "owner/repo", "branch": "main"}
    refused(
        client,
        "ValidationException",
        lambda: client.update_account_settings(pipelineProvisioningRepository=repository),
        "The pipelineProvisioningRepository GITHUB:owner/repo is not a linked repository: link "
        "it with CreateRepository first.",
    )
    link(client, "GITHUB", "owner/repo")
    link(client, "GITHUB_ENTERPRISE", "org/pipes")
    updated = client.update_account_settings(pipelineProvisioningRepository=repository)
    stored = {**repository, "arn": f"{ARN}:repository/github:owner/repo"}
    assert updated["accountSettings"] == {
        "pipelineServiceRoleArn": role,
        "pipelineCodebuildRoleArn": codebuild,
        "pipelineProvisioningRepository": stored,
    }
    assert client.get_account_settings()["accountSettings"] == updated["accountSettings"]
    # Settings are per account.
    assert proton.client(account_id="111111111111").get_account_settings()["accountSettings"] == {}
    refused(
        client,
        "ValidationException",
        lambda: client.update_account_settings(
            pipelineServiceRoleArn="",
            pipelineProvisioningRepository=repository,
            deletePipelineProvisioningRepository=True,
        ),
        "Don't set deletePipelineProvisioningRepository when you update the pipeline "
        "provisioning repository.",
    )
    assert client.update_account_settings(pipelineServiceRoleArn="")["accountSettings"] == {
        "pipelineCodebuildRoleArn": codebuild,
        "pipelineProvisioningRepository": stored,
    }
    enterprise = {"provider": "GITHUB_ENTERPRISE", "name": "org/pipes", "branch": "prod"}
    moved = client.update_account_settings(pipelineProvisioningRepository=enterprise)
    assert moved["accountSettings"]["pipelineProvisioningRepository"]["arn"] == (
        f"{ARN}:repository/github_enterprise:org/pipes"
    )
    gone = client.update_account_settings(
        pipelineCodebuildRoleArn="", deletePipelineProvisioningRepository=True
    )
    assert gone["accountSettings"] == {}
    assert client.update_account_settings()["accountSettings"] == {}


# -- pipelines ----------------------------------------------------------------------------


def test_update_service_pipeline(client, proton):
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 2})
    created = create(client)
    refused(
        client,
        "ConflictException",
        lambda: client.update_service_pipeline(
            serviceName="svc", spec=TWO, deploymentType="CURRENT_VERSION"
        ),
        "The service svc is CREATE_IN_PROGRESS; wait for it to finish before updating its "
        "pipeline.",
    )
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    first = created["pipeline"]["lastAttemptedDeploymentId"]
    new_spec = spec(("one", "dev"), pipeline={"test": "make check"})
    none = client.update_service_pipeline(
        serviceName="svc", spec="not: [valid", deploymentType="NONE"
    )["pipeline"]
    assert none["lastAttemptedDeploymentId"] == first
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_pipeline(
            serviceName="svc",
            spec=new_spec,
            deploymentType="CURRENT_VERSION",
            templateMinorVersion="0",
        ),
        "deploymentType CURRENT_VERSION redeploys the current version: don't include major or "
        "minor version parameters.",
    )
    service_version(client, major="1")
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 2})
    updating = client.update_service_pipeline(
        serviceName="svc", spec=new_spec, deploymentType="MINOR_VERSION"
    )["pipeline"]
    assert (updating["deploymentStatus"], updating["templateMinorVersion"]) == ("IN_PROGRESS", "0")
    assert updating["spec"] == TWO
    refused(
        client,
        "ConflictException",
        lambda: client.update_service_pipeline(
            serviceName="svc", spec=new_spec, deploymentType="CURRENT_VERSION"
        ),
        "The pipeline of service svc is IN_PROGRESS; wait for it to finish before updating it.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.update_service(name="svc", spec=TWO),
        "The service svc is ACTIVE and its pipeline IN_PROGRESS; wait for it to finish before "
        "updating it.",
    )
    wait_exactly(client, "service_pipeline_deployed", 2, name="svc")
    deployed = get(client)["pipeline"]
    assert (deployed["templateMinorVersion"], deployed["spec"]) == ("1", new_spec)
    assert get(client)["status"] == "ACTIVE" and get(client)["spec"] == TWO
    client.update_service_pipeline(
        serviceName="svc", spec=new_spec, deploymentType="CURRENT_VERSION"
    )
    cancelling = client.cancel_service_pipeline_deployment(serviceName="svc")["pipeline"]
    assert cancelling["deploymentStatus"] == "CANCELLING"
    assert "deploymentStatusMessage" not in cancelling  # shown once CANCELLED (AWS's examples)
    get(client)
    get(client)
    cancelled = get(client)["pipeline"]
    assert cancelled["deploymentStatus"] == "CANCELLED"
    assert cancelled["lastSucceededDeploymentId"] == deployed["lastAttemptedDeploymentId"]
    refused(
        client,
        "ConflictException",
        lambda: client.cancel_service_pipeline_deployment(serviceName="svc"),
        "The pipeline of service svc is CANCELLED; only an IN_PROGRESS deployment can be "
        "cancelled.",
    )
    # ${Proton::CURRENT_VAL} takes the deployed pipeline's value.
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    kept = spec(("one", "dev"), pipeline={"test": "${Proton::CURRENT_VAL}", "lint": "ruff"})
    client.update_service_pipeline(serviceName="svc", spec=kept, deploymentType="CURRENT_VERSION")
    assert yaml.safe_load(get(client)["pipeline"]["spec"])["pipeline"] == {
        "test": "make check",
        "lint": "ruff",
    }
    client.update_account_settings(pipelineServiceRoleArn="")
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_pipeline(
            serviceName="svc", spec=new_spec, deploymentType="CURRENT_VERSION"
        ),
        PIPELINE_ROLES_MISSING,
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_service_pipeline(
            serviceName="nothing", spec=new_spec, deploymentType="NONE"
        ),
        "The service nothing was not found.",
    )
