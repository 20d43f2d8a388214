"""NotifyResourceDeploymentStatusChange (what self-managed provisioning reports back) and
`ProtonMock.fail_next_deployment`, which together reach the failure acceptor of every Proton
waiter that has one to reach, in both modes.

The two template-version waiters (EnvironmentTemplateVersionRegistered,
ServiceTemplateVersionRegistered) fail on REGISTRATION_FAILED, which no operation nor test
helper produces yet (registration always succeeds without a bundle): they are left out here.
"""

import pytest
import requests
from botocore.exceptions import WaiterError

from moto_proton.exceptions import ValidationException as ProtonValidationException

from . import builders
from .builders import (
    ACCOUNT,
    ARN,
    DEPLOYMENT,
    MANIFEST,
    NO_WAIT,
    REPOSITORY,
    ROLE,
    env_template,
    service_version,
)
from .helpers import UUID, refused

MANUAL = {"progression": "manual", "times": 100}  # IN_PROGRESS until told otherwise
DEFAULT_FAILURE = "The deployment failed (moto_proton.testing.fail_next_deployment)."


def service_spec(*instances):
    """A service spec with a pipeline."""
    return builders.service_spec(*instances, pipeline={"test": "make test"})


def environment(client, name):
    return builders.environment(client, name, componentRoleArn=ROLE)


def create_service(client, name, *instances):
    return client.create_service(
        name=name,
        templateName="web",
        templateMajorVersion="1",
        spec=service_spec(*instances),
        **REPOSITORY,
    )["service"]


@pytest.fixture
def client(proton):
    """Environment dev (vpc 1.0); service svc (web 1.0, with a pipeline) with instance one in
    dev; component comp in dev (detached); all deployed."""
    client = proton.client()
    env_template(client)
    environment(client, "dev")
    client.create_service_template(name="web")
    service_version(client, supportedComponentSources=["DIRECTLY_DEFINED"])
    client.update_account_settings(pipelineServiceRoleArn=ROLE)
    client.get_environment(name="dev")
    create_service(client, "svc", ("one", "dev"))
    client.create_component(
        name="comp", environmentName="dev", manifest=MANIFEST, templateFile="Resources: {}\n"
    )
    assert client.get_service(name="svc")["service"]["status"] == "ACTIVE"
    assert client.get_component(name="comp")["component"]["deploymentStatus"] == "SUCCEEDED"
    return client


class Kind:
    """How to redeploy, read and list the outputs of one kind of deployed resource."""

    def __init__(self, arn, deploy, read, outputs, waiter, names):
        self.arn, self.deploy, self.read, self.outputs = arn, deploy, read, outputs
        self.waiter, self.names = waiter, names


def kinds(client):
    pipeline_spec = service_spec(("one", "dev"))
    return {
        "environment": Kind(
            f"{ARN}:environment/dev",
            lambda: client.update_environment(name="dev", deploymentType="CURRENT_VERSION"),
            lambda: client.get_environment(name="dev")["environment"],
            lambda **p: client.list_environment_outputs(environmentName="dev", **p),
            "environment_deployed",
            {"name": "dev"},
        ),
        "service instance": Kind(
            f"{ARN}:service/svc/service-instance/one",
            lambda: client.update_service_instance(
                name="one", serviceName="svc", deploymentType="CURRENT_VERSION"
            ),
            lambda: client.get_service_instance(name="one", serviceName="svc")["serviceInstance"],
            lambda **p: client.list_service_instance_outputs(
                serviceName="svc", serviceInstanceName="one", **p
            ),
            "service_instance_deployed",
            {"name": "one", "serviceName": "svc"},
        ),
        "pipeline": Kind(
            f"{ARN}:service/svc/pipeline",
            lambda: client.update_service_pipeline(
                serviceName="svc", spec=pipeline_spec, deploymentType="CURRENT_VERSION"
            ),
            lambda: client.get_service(name="svc")["service"]["pipeline"],
            lambda **p: client.list_service_pipeline_outputs(serviceName="svc", **p),
            "service_pipeline_deployed",
            {"name": "svc"},
        ),
        "component": Kind(
            f"{ARN}:component/comp",
            lambda: client.update_component(name="comp", deploymentType="CURRENT_VERSION"),
            lambda: client.get_component(name="comp")["component"],
            lambda **p: client.list_component_outputs(componentName="comp", **p),
            "component_deployed",
            {"name": "comp"},
        ),
    }


def notify(client, arn, **params):
    answer = client.notify_resource_deployment_status_change(resourceArn=arn, **params)
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}


# -- NotifyResourceDeploymentStatusChange -------------------------------------------------


def test_notify_in_progress_then_succeeded_with_outputs(client, proton):
    proton.set_transition(DEPLOYMENT, MANUAL)
    for label, kind in kinds(client).items():
        previous = kind.read()["lastSucceededDeploymentId"]
        kind.deploy()
        deployment_id = kind.read()["lastAttemptedDeploymentId"]
        # IN_PROGRESS (CodeBuild sends its outputs first): outputs stored, nothing settles.
        notify(
            client,
            kind.arn,
            deploymentId=deployment_id,
            status="IN_PROGRESS",
            outputs=[{"key": "url", "valueString": "http://a"}],
        )
        notify(client, kind.arn, outputs=[{"key": "port", "valueString": "80"}])  # status absent
        assert kind.read()["deploymentStatus"] == "IN_PROGRESS", label
        assert kind.outputs(deploymentId=deployment_id)["outputs"] == [
            {"key": "url", "valueString": "http://a"},
            {"key": "port", "valueString": "80"},
        ], label
        assert kind.outputs()["outputs"] == [], label  # the last successful deployment's
        assert kind.outputs(deploymentId=previous)["outputs"] == [], label
        # SUCCEEDED (deploymentId left out: the current one); later outputs win by key.
        notify(
            client,
            kind.arn,
            status="SUCCEEDED",
            outputs=[
                {"key": "url", "valueString": "http://b"},
                {"key": "name", "valueString": label},
            ],
        )
        deployed = kind.read()
        assert deployed["deploymentStatus"] == "SUCCEEDED", label
        assert deployed["lastSucceededDeploymentId"] == deployment_id, label
        expected = [
            {"key": "url", "valueString": "http://b"},
            {"key": "port", "valueString": "80"},
            {"key": "name", "valueString": label},
        ]
        assert kind.outputs()["outputs"] == expected, label
        assert kind.outputs(deploymentId=deployment_id)["outputs"] == expected, label
        finished = client.get_deployment(id=deployment_id)["deployment"]
        assert finished["deploymentStatus"] == "SUCCEEDED" and "completedAt" in finished
        client.get_waiter(kind.waiter).wait(WaiterConfig=NO_WAIT, **kind.names)


def test_notify_failed(client, proton):
    proton.set_transition(DEPLOYMENT, MANUAL)
    for label, kind in kinds(client).items():
        kind.deploy()
        deployment_id = kind.read()["lastAttemptedDeploymentId"]
        message = f"{label}: stack rolled back"
        notify(client, kind.arn, deploymentId=deployment_id, status="FAILED", statusMessage=message)
        failed = kind.read()
        assert (failed["deploymentStatus"], failed["deploymentStatusMessage"]) == (
            "FAILED",
            message,
        ), label
        assert failed["lastSucceededDeploymentId"] != deployment_id, label
        deployment = client.get_deployment(id=deployment_id)["deployment"]
        assert (deployment["deploymentStatus"], deployment["deploymentStatusMessage"]) == (
            "FAILED",
            message,
        )
        with pytest.raises(WaiterError, match='matched expected path: "FAILED"'):
            client.get_waiter(kind.waiter).wait(WaiterConfig=NO_WAIT, **kind.names)
    # Without a statusMessage.
    kind = kinds(client)["environment"]
    kind.deploy()
    notify(client, kind.arn, status="FAILED")
    assert kind.read()["deploymentStatusMessage"] == "The deployment failed."


def test_notify_refusals(client, proton):
    proton.set_transition(DEPLOYMENT, MANUAL)
    environment = kinds(client)["environment"]
    old = environment.read()["lastAttemptedDeploymentId"]
    refused(
        client,
        "ConflictException",
        lambda: client.notify_resource_deployment_status_change(
            resourceArn=environment.arn, status="SUCCEEDED"
        ),
        f"{environment.arn} is SUCCEEDED, not IN_PROGRESS.",
    )
    environment.deploy()
    for wrong in (UUID, old):
        refused(
            client,
            "ValidationException",
            lambda d=wrong: client.notify_resource_deployment_status_change(
                resourceArn=environment.arn, deploymentId=d, status="SUCCEEDED"
            ),
            f"The deployment {wrong} is not the current deployment of {environment.arn}.",
        )
    for arn, message in (
        (f"{ARN}:environment/nothing", "The environment nothing was not found."),
        (f"{ARN}:component/nothing", "The component nothing was not found."),
        (f"{ARN}:service/nothing/pipeline", "The service nothing was not found."),
        (
            f"{ARN}:service/svc/service-instance/nine",
            "The service instance nine of service svc was not found.",
        ),
        (
            "arn:aws:proton:us-east-1:999999999999:environment/dev",
            "The resource arn:aws:proton:us-east-1:999999999999:environment/dev was not found.",
        ),
        (
            f"arn:aws:proton:eu-west-1:{ACCOUNT}:environment/dev",
            f"The resource arn:aws:proton:eu-west-1:{ACCOUNT}:environment/dev was not found.",
        ),
    ):
        refused(
            client,
            "ResourceNotFoundException",
            lambda a=arn: client.notify_resource_deployment_status_change(
                resourceArn=a, status="SUCCEEDED"
            ),
            message,
        )
    for arn in (
        f"{ARN}:service-template/web",
        f"{ARN}:environment-template/vpc",
        f"{ARN}:service-template/web:1.0",
        f"{ARN}:service/svc",
        f"{ARN}:repository/github:org/repo",
        f"{ARN}:deployment/{old}",
    ):
        refused(
            client,
            "ValidationException",
            lambda a=arn: client.notify_resource_deployment_status_change(
                resourceArn=a, status="SUCCEEDED"
            ),
            f"{arn} is not an environment, service instance, service pipeline or component.",
        )
    assert environment.read()["deploymentStatus"] == "IN_PROGRESS"


def test_notify_deletion(client, proton):
    component = f"{ARN}:component/comp"
    proton.set_transition("proton::component-deletion", MANUAL)
    client.delete_component(name="comp")
    notify(client, component, status="IN_PROGRESS")  # nothing to report yet
    notify(client, component, status="FAILED", statusMessage="bucket not empty")
    failed = client.get_component(name="comp")["component"]
    assert (failed["deploymentStatus"], failed["deploymentStatusMessage"]) == (
        "DELETE_FAILED",
        "bucket not empty",
    )
    with pytest.raises(WaiterError, match='matched expected path: "DELETE_FAILED"'):
        client.get_waiter("component_deleted").wait(name="comp", WaiterConfig=NO_WAIT)
    refused(
        client,
        "ConflictException",
        lambda: client.notify_resource_deployment_status_change(
            resourceArn=component, status="SUCCEEDED"
        ),
        f"{component} is DELETE_FAILED, not DELETE_IN_PROGRESS.",
    )
    assert client.delete_component(name="comp")["component"]["deploymentStatus"] == (
        "DELETE_IN_PROGRESS"
    )
    notify(client, component, status="SUCCEEDED")
    client.get_waiter("component_deleted").wait(name="comp", WaiterConfig=NO_WAIT)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_component(name="comp")
    # An environment's deletion, failed without a message.
    proton.set_transition("proton::environment-deletion", MANUAL)
    environment(client, "tmp")
    client.get_environment(name="tmp")
    client.delete_environment(name="tmp")
    notify(client, f"{ARN}:environment/tmp", status="FAILED")
    assert client.get_environment(name="tmp")["environment"]["deploymentStatusMessage"] == (
        "The deletion failed."
    )


# -- fail_next_deployment: every waiter's failure acceptor -------------------------------


def test_deployed_waiters_reach_failed(client, proton):
    for label, kind in kinds(client).items():
        proton.fail_next_deployment(kind.arn, f"{label} broke")
        kind.deploy()
        with pytest.raises(WaiterError, match='matched expected path: "FAILED"'):
            client.get_waiter(kind.waiter).wait(WaiterConfig=NO_WAIT, **kind.names)
        failed = kind.read()
        assert failed["deploymentStatusMessage"] == f"{label} broke", label
        deployment = client.get_deployment(id=failed["lastAttemptedDeploymentId"])["deployment"]
        assert deployment["deploymentStatus"] == "FAILED"
        # Only the next deployment fails.
        kind.deploy()
        client.get_waiter(kind.waiter).wait(WaiterConfig=NO_WAIT, **kind.names)
    # A new resource's first deployment, with the default message.
    proton.fail_next_deployment(f"{ARN}:environment/bad")
    environment(client, "bad")
    with pytest.raises(WaiterError, match='matched expected path: "FAILED"'):
        client.get_waiter("environment_deployed").wait(name="bad", WaiterConfig=NO_WAIT)
    assert client.get_environment(name="bad")["environment"]["deploymentStatusMessage"] == (
        DEFAULT_FAILURE
    )


@pytest.mark.parametrize("polls", [1, 2])
def test_service_created_reaches_create_failed(client, proton, polls):
    if polls > 1:
        proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": polls})
    instance = f"{ARN}:service/bad/service-instance/one"
    proton.fail_next_deployment(instance, "instance broke")
    create_service(client, "bad", ("one", "dev"), ("two", "dev"))
    with pytest.raises(WaiterError, match='matched expected path: "CREATE_FAILED"'):
        client.get_waiter("service_created").wait(
            name="bad", WaiterConfig={"Delay": 0, "MaxAttempts": polls}
        )
    service = client.get_service(name="bad")["service"]
    assert service["status"] == "CREATE_FAILED"
    # The pipeline waited for the instances: its deployment fails as AWS's does.
    assert service["pipeline"]["deploymentStatus"] == "FAILED"
    assert service["pipeline"]["deploymentStatusMessage"] == (
        f"Service Instance(s): [{instance}] failed to deploy - canceling pipeline deployment"
    )
    pipeline_deployment = client.get_deployment(
        id=service["pipeline"]["lastAttemptedDeploymentId"]
    )["deployment"]
    assert pipeline_deployment["deploymentStatus"] == "FAILED"
    two = client.get_service_instance(name="two", serviceName="bad")["serviceInstance"]
    assert two["deploymentStatus"] == "SUCCEEDED"


def test_pipeline_deployment_read_first_fails_too(client, proton):
    """Reading the pipeline's deployment before the service still shows it failed."""
    instance = f"{ARN}:service/bad/service-instance/one"
    proton.fail_next_deployment(instance, "instance broke")
    created = create_service(client, "bad", ("one", "dev"))
    pipeline_deployment = created["pipeline"]["lastAttemptedDeploymentId"]
    seen = client.get_deployment(id=pipeline_deployment)["deployment"]
    assert seen["deploymentStatus"] == "FAILED"
    assert seen["deploymentStatusMessage"].startswith(f"Service Instance(s): [{instance}]")


def test_service_updated_reaches_update_failed(client, proton):
    proton.fail_next_deployment(f"{ARN}:service/svc/service-instance/two", "new instance broke")
    client.update_service(name="svc", spec=service_spec(("one", "dev"), ("two", "dev")))
    with pytest.raises(WaiterError, match='matched expected path: "UPDATE_FAILED"'):
        client.get_waiter("service_updated").wait(name="svc", WaiterConfig=NO_WAIT)
    two = client.get_service_instance(name="two", serviceName="svc")["serviceInstance"]
    assert (two["deploymentStatus"], two["deploymentStatusMessage"]) == (
        "FAILED",
        "new instance broke",
    )
    # A failed update's pipeline deployment is not cancelled (only a creation's is).
    assert client.get_service(name="svc")["service"]["pipeline"]["deploymentStatus"] == (
        "SUCCEEDED"
    )


def test_service_deleted_reaches_delete_failed(client, proton):
    client.delete_component(name="comp")  # nothing else holds the service
    proton.fail_next_deployment(f"{ARN}:service/svc", "stack stuck")
    client.delete_service(name="svc")
    with pytest.raises(WaiterError, match='matched expected path: "DELETE_FAILED"'):
        client.get_waiter("service_deleted").wait(name="svc", WaiterConfig=NO_WAIT)
    service = client.get_service(name="svc")["service"]
    assert (service["status"], service["statusMessage"]) == ("DELETE_FAILED", "stack stuck")
    one = client.get_service_instance(name="one", serviceName="svc")["serviceInstance"]
    assert (one["deploymentStatus"], one["deploymentStatusMessage"]) == (
        "DELETE_FAILED",
        "stack stuck",
    )
    # A retry deletes it.
    assert client.delete_service(name="svc")["service"]["status"] == "DELETE_IN_PROGRESS"
    client.get_waiter("service_deleted").wait(name="svc", WaiterConfig=NO_WAIT)


def test_component_deleted_reaches_delete_failed(client, proton):
    proton.fail_next_deployment(f"{ARN}:component/comp", "bucket not empty")
    client.delete_component(name="comp")
    with pytest.raises(WaiterError, match='matched expected path: "DELETE_FAILED"'):
        client.get_waiter("component_deleted").wait(name="comp", WaiterConfig=NO_WAIT)
    failed = client.get_component(name="comp")["component"]
    assert (failed["deploymentStatus"], failed["deploymentStatusMessage"]) == (
        "DELETE_FAILED",
        "bucket not empty",
    )
    assert client.get_resources_summary()["counts"]["components"] == {"total": 1, "failed": 1}
    client.delete_component(name="comp")
    client.get_waiter("component_deleted").wait(name="comp", WaiterConfig=NO_WAIT)


def test_fail_next_deployment_needs_a_proton_arn(proton):
    if proton.mode == "in_process":
        with pytest.raises(ProtonValidationException, match="is not a Proton ARN"):
            proton.fail_next_deployment("arn:aws:s3:::bucket")
    else:
        with pytest.raises(requests.HTTPError, match="400"):
            proton.fail_next_deployment("arn:aws:s3:::bucket")
