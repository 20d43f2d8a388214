"""Deployments of service instances and pipelines, the resources summary and the six service
waiters, in both modes."""

import pytest

from .builders import ARN, DEPLOYMENT, NO_WAIT, service_version
from .builders import service_spec as spec
from .builders.services import DELETION, ONE, TWO, create, get, instance, service_world
from .helpers import refused, wait_exactly


@pytest.fixture
def client(proton):
    return service_world(proton)


# -- deployments ----------------------------------------------------------------------------


def test_deployments_of_instances_and_pipelines(client):
    created = create(client)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    one, two = instance(client), instance(client, "two")
    pipeline_id = created["pipeline"]["lastAttemptedDeploymentId"]
    first = client.get_deployment(id=one["lastAttemptedDeploymentId"])["deployment"]
    assert first["targetArn"] == one["arn"] and first["targetResourceType"] == "SERVICE_INSTANCE"
    assert (first["environmentName"], first["serviceName"], first["serviceInstanceName"]) == (
        "dev",
        "svc",
        "one",
    )
    assert first["targetResourceCreatedAt"] == one["createdAt"]
    assert first["deploymentStatus"] == "SUCCEEDED" and "initialState" not in first
    assert first["targetState"] == {
        "serviceInstance": {
            "templateName": "web",
            "templateMajorVersion": "1",
            "templateMinorVersion": "0",
            "spec": TWO,
        }
    }
    pipeline = client.get_deployment(id=pipeline_id)["deployment"]
    assert pipeline["targetResourceType"] == "SERVICE_PIPELINE"
    assert pipeline["targetArn"] == f"{ARN}:service/svc/pipeline"
    assert (pipeline["serviceName"], pipeline["environmentName"]) == ("svc", "dev")
    assert "serviceInstanceName" not in pipeline
    assert pipeline["targetState"] == {
        "servicePipeline": {
            "templateName": "web",
            "templateMajorVersion": "1",
            "templateMinorVersion": "0",
            "spec": TWO,
        }
    }
    new_inputs = spec(("one", "dev", {"port": 1}))
    client.update_service_instance(
        name="one", serviceName="svc", deploymentType="CURRENT_VERSION", spec=new_inputs
    )
    second = client.get_deployment(id=instance(client)["lastAttemptedDeploymentId"])["deployment"]
    assert second["initialState"] == first["targetState"]
    assert second["targetState"]["serviceInstance"]["spec"] == new_inputs
    assert second["lastSucceededDeploymentId"] == second["id"]

    def ids(**filters):
        return [d["id"] for d in client.list_deployments(**filters)["deployments"]]

    all_ids = [
        one["lastAttemptedDeploymentId"],
        two["lastAttemptedDeploymentId"],
        pipeline_id,
        second["id"],
    ]
    assert sorted(ids(serviceName="svc")) == sorted(all_ids)
    assert ids(serviceName="svc", serviceInstanceName="one") == [first["id"], second["id"]]
    assert ids(serviceName="svc", serviceInstanceName="two") == [two["lastAttemptedDeploymentId"]]
    assert two["lastAttemptedDeploymentId"] in ids(environmentName="prod")
    assert first["id"] not in ids(environmentName="prod")
    refused(
        client,
        "ValidationException",
        lambda: client.list_deployments(serviceInstanceName="one"),
        "serviceName must be specified to identify the service instance.",
    )
    refused(
        client,
        "ValidationException",
        lambda: client.get_deployment(id=first["id"], serviceInstanceName="one"),
        "serviceName must be specified to identify the service instance.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.list_deployments(serviceName="svc", serviceInstanceName="nine"),
        "The service instance nine of service svc was not found.",
    )
    assert client.get_deployment(id=first["id"], serviceName="svc", serviceInstanceName="one")
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.get_deployment(id=first["id"], serviceName="svc", serviceInstanceName="two"),
        f"The deployment {first['id']} was not found.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.tag_resource(resourceArn=first["arn"], tags=[{"key": "a", "value": "b"}]),
        f"The resource {first['arn']} was not found.",
    )
    assert client.delete_deployment(id=first["id"])["deployment"]["id"] == first["id"]
    assert client.delete_deployment(id=pipeline_id)["deployment"]["targetResourceType"] == (
        "SERVICE_PIPELINE"
    )
    assert sorted(ids(serviceName="svc")) == sorted(
        [two["lastAttemptedDeploymentId"], second["id"]]
    )
    assert instance(client)["deploymentStatus"] == "SUCCEEDED"
    assert get(client)["pipeline"]["deploymentStatus"] == "SUCCEEDED"


# -- summary --------------------------------------------------------------------------------


def test_resources_summary(client, proton):
    def counts():
        return client.get_resources_summary()["counts"]

    assert counts()["services"] == {
        "total": 0,
        "failed": 0,
        "upToDate": 0,
        "behindMajor": 0,
        "behindMinor": 0,
    }
    create(client, "a", spec_text=spec(("x", "dev"), ("y", "prod"), pipeline={}))
    create(client, "b", spec_text=spec(("x", "dev")), template="worker")
    summary = counts()
    assert summary["serviceTemplates"] == {"total": 2}
    assert summary["services"]["total"] == summary["services"]["upToDate"] == 2
    assert summary["serviceInstances"] == {
        "total": 3,
        "failed": 0,
        "upToDate": 3,
        "behindMajor": 0,
        "behindMinor": 0,
    }
    assert summary["pipelines"]["total"] == summary["pipelines"]["upToDate"] == 1
    service_version(client, major="1")  # web 1.1: everything on web 1.0 is behind a minor
    summary = counts()
    assert (
        summary["serviceInstances"]["behindMinor"],
        summary["serviceInstances"]["upToDate"],
    ) == (
        2,
        1,
    )
    assert summary["pipelines"]["behindMinor"] == 1
    assert (summary["services"]["behindMinor"], summary["services"]["upToDate"]) == (1, 1)
    client.update_service_instance(name="x", serviceName="a", deploymentType="MINOR_VERSION")
    client.update_service_instance(name="y", serviceName="a", deploymentType="MINOR_VERSION")
    assert counts()["services"]["behindMinor"] == 1  # the pipeline is still behind
    client.update_service_pipeline(serviceName="a", spec=ONE, deploymentType="MINOR_VERSION")
    summary = counts()
    assert summary["services"]["upToDate"] == 2 and summary["pipelines"]["upToDate"] == 1
    service_version(client, "worker")  # worker 2.0: b's instance is behind a major
    service_version(client, major="1")  # web 1.2
    summary = counts()
    assert summary["services"] == {
        "total": 2,
        "failed": 0,
        "upToDate": 0,
        "behindMajor": 1,
        "behindMinor": 1,
    }
    assert summary["serviceInstances"] == {
        "total": 3,
        "failed": 0,
        "upToDate": 0,
        "behindMajor": 1,
        "behindMinor": 2,
    }
    proton.set_transition(DELETION, {"progression": "manual", "times": 5})
    client.delete_service(name="b")
    assert counts()["services"]["total"] == 2  # counted until gone
    # A failed instance deployment (reported by self-managed provisioning).
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 5})
    failing = create(client, "c", spec_text=spec(("x", "dev"), pipeline={}))
    client.notify_resource_deployment_status_change(
        resourceArn=f"{failing['arn']}/service-instance/x", status="FAILED", statusMessage="boom"
    )
    assert instance(client, "x", "c")["deploymentStatusMessage"] == "boom"
    summary = counts()
    assert (summary["serviceInstances"]["failed"], summary["services"]["failed"]) == (1, 0)
    client.cancel_service_pipeline_deployment(serviceName="c")
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    assert get(client, "c")["status"] == "CREATE_FAILED"
    summary = counts()
    assert (summary["serviceInstances"]["failed"], summary["services"]["failed"]) == (1, 1)
    assert summary["pipelines"]["failed"] == 0  # cancelled is not failed


# -- waiters ------------------------------------------------------------------------------


@pytest.mark.parametrize("polls", [1, 3])
def test_service_waiters(client, proton, polls):
    if polls > 1:
        proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": polls})
        proton.set_transition(DELETION, {"progression": "manual", "times": polls})
    create(client)
    wait_exactly(client, "service_created", polls, name="svc")
    client.update_service(
        name="svc",
        spec=spec(("one", "dev", {"port": 80}), ("three", "prod"), pipeline={"test": "make test"}),
    )
    wait_exactly(client, "service_updated", polls, name="svc")
    assert [i["name"] for i in client.list_service_instances()["serviceInstances"]] == [
        "one",
        "three",
    ]
    client.update_service_instance(name="one", serviceName="svc", deploymentType="CURRENT_VERSION")
    wait_exactly(client, "service_instance_deployed", polls, name="one", serviceName="svc")
    client.update_service_pipeline(serviceName="svc", spec=TWO, deploymentType="CURRENT_VERSION")
    wait_exactly(client, "service_pipeline_deployed", polls, name="svc")
    client.delete_service(name="svc")
    wait_exactly(client, "service_deleted", polls, name="svc")
