"""Service instances: create, tags, list filters, sorting and pages, the update modes, an
update pinned and then cancelled, outputs and provisioned resources, in both modes."""

import datetime
import time

import pytest
from botocore.exceptions import WaiterError

import moto_proton

from .builders import ACCOUNT, ARN, DEPLOYMENT, NO_WAIT, env_template, service_version
from .builders import service_spec as spec
from .builders.services import ONE, TWO, create, get, instance, service_world
from .helpers import UUID, refused, tag_refusal, tags_of


@pytest.fixture
def client(proton):
    return service_world(proton)


def rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# -- service instances ------------------------------------------------------------------------


def test_create_service_instance(client):
    create(client, spec_text=ONE, tags=[{"key": "team", "value": "web"}])
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    service_version(client, major="1")  # 1.1 becomes the recommended version
    three = spec(("one", "dev", {"port": 80}), ("three", "prod", {"size": 3}))
    refused(
        client,
        "ValidationException",
        lambda: client.create_service_instance(name="four", serviceName="svc", spec=three),
        "The spec must list the instance four under instances, with its environment.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.create_service_instance(name="one", serviceName="svc", spec=three),
        "The service svc already has an instance one.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.create_service_instance(name="three", serviceName="nothing", spec=three),
        "The service nothing was not found.",
    )
    created = client.create_service_instance(
        name="three",
        serviceName="svc",
        spec=three,
        tags=[{"key": "size", "value": "3"}],
        clientToken="tok",
    )["serviceInstance"]
    assert (created["templateMajorVersion"], created["templateMinorVersion"]) == ("1", "1")
    assert (created["environmentName"], created["deploymentStatus"]) == ("prod", "IN_PROGRESS")
    assert created["spec"] == three and created["lastClientRequestToken"] == "tok"
    assert get(client)["spec"] == ONE  # the service's spec is not rewritten
    assert get(client)["status"] == "ACTIVE"
    replay = client.create_service_instance(
        name="three",
        serviceName="svc",
        spec=three,
        tags=[{"key": "size", "value": "3"}],
        clientToken="tok",
    )["serviceInstance"]
    assert replay["arn"] == created["arn"]
    assert replay["lastAttemptedDeploymentId"] == created["lastAttemptedDeploymentId"]
    refused(
        client,
        "ValidationException",
        lambda: client.create_service_instance(
            name="three", serviceName="svc", spec=three, clientToken="tok"
        ),
        "Idempotent parameter mismatch: client token tok was already used with different "
        "parameters.",
    )
    assert tags_of(client, created["arn"]) == {
        "team": "web",
        "size": "3",
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": f"{ARN}:service-template/web",
        "aws:proton:service": f"{ARN}:service/svc",
        "aws:proton:environment": f"{ARN}:environment/prod",
        "aws:proton:service-instance": created["arn"],
    }
    pinned = client.create_service_instance(
        name="four",
        serviceName="svc",
        spec=spec(("four", "dev")),
        templateMajorVersion="1",
        templateMinorVersion="0",
    )["serviceInstance"]
    assert pinned["templateMinorVersion"] == "0"
    assert pinned["lastClientRequestToken"] not in ("tok", "")  # botocore fills one in
    client.get_waiter("service_instance_deployed").wait(
        name="four", serviceName="svc", WaiterConfig=NO_WAIT
    )
    moto_proton.set_quota("service_instances_per_service", 3)
    refused(
        client,
        "ValidationException",
        lambda: client.create_service_instance(
            name="five", serviceName="svc", spec=spec(("five", "dev"))
        ),
        "Service svc has reached its quota of 3 service instances (service_instances_per_service).",
    )


def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(client):
    bad = [{"key": "cost#center", "value": "a"}]
    message = tag_refusal("key", "cost#center", "#")
    refused(client, "ValidationException", lambda: create(client, tags=bad), message)
    create(client, spec_text=ONE)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    refused(
        client,
        "ValidationException",
        lambda: client.create_service_instance(name="two", serviceName="svc", spec=TWO, tags=bad),
        message,
    )


def test_create_service_instance_while_service_busy(client, proton):
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 2})
    create(client, spec_text=ONE)
    refused(
        client,
        "ConflictException",
        lambda: client.create_service_instance(
            name="two", serviceName="svc", spec=spec(("two", "dev"))
        ),
        "The service svc is CREATE_IN_PROGRESS; wait for it to finish before adding an instance.",
    )


@pytest.fixture
def fleet(client, proton):
    """a (worker: x in prod, y in dev); then b (web: x in prod), whose deployment is
    cancelled; then a/x redeployed. A DRAFT web 2.0 exists."""
    a = create(client, "a", spec_text=spec(("x", "prod"), ("y", "dev")), template="worker")
    client.get_waiter("service_created").wait(name="a", WaiterConfig=NO_WAIT)
    time.sleep(0.003)
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 50})
    b = create(client, "b", spec_text=spec(("x", "prod"), pipeline={}))
    client.cancel_service_instance_deployment(serviceInstanceName="x", serviceName="b")
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    time.sleep(0.003)
    client.update_service_instance(name="x", serviceName="a", deploymentType="CURRENT_VERSION")
    client.get_waiter("service_instance_deployed").wait(
        name="x", serviceName="a", WaiterConfig=NO_WAIT
    )
    service_version(client, publish=False)
    return a, b


def listed(client, **params):
    return [
        (i["serviceName"], i["name"])
        for i in client.list_service_instances(**params)["serviceInstances"]
    ]


def one_filter(key, value):
    return {"filters": [{"key": key, "value": value}]}


def test_list_service_instances_filters(client, fleet):
    a, b = fleet
    # A cancelled instance fails the service's creation.
    assert get(client, "b")["status"] == "CREATE_FAILED"
    with pytest.raises(WaiterError, match="terminal failure state"):
        client.get_waiter("service_created").wait(name="b", WaiterConfig=NO_WAIT)
    everything = [("a", "x"), ("a", "y"), ("b", "x")]
    assert listed(client) == everything
    summary = client.list_service_instances()["serviceInstances"][2]
    assert "spec" not in summary and "lastClientRequestToken" not in summary
    assert (summary["templateName"], summary["deploymentStatus"]) == ("web", "CANCELLED")
    assert summary["deploymentStatusMessage"] == "User initiated cancellation."
    assert listed(client, serviceName="a") == [("a", "x"), ("a", "y")]
    assert listed(client, **one_filter("name", "x")) == [("a", "x"), ("b", "x")]
    assert listed(client, **one_filter("serviceName", "b")) == [("b", "x")]
    assert listed(client, serviceName="a", **one_filter("serviceName", "a")) == [
        ("a", "x"),
        ("a", "y"),
    ]
    assert listed(client, serviceName="a", **one_filter("serviceName", "b")) == []
    assert listed(client, **one_filter("environmentName", "prod")) == [("a", "x"), ("b", "x")]
    assert listed(client, **one_filter("templateName", "web")) == [("b", "x")]
    assert listed(client, **one_filter("templateName", "worker")) == [("a", "x"), ("a", "y")]
    assert listed(client, **one_filter("deploymentStatus", "SUCCEEDED")) == [
        ("a", "x"),
        ("a", "y"),
    ]
    assert listed(client, **one_filter("deploymentStatus", "CANCELLED")) == [("b", "x")]
    assert listed(client, **one_filter("deployedTemplateVersionStatus", "PUBLISHED")) == everything
    assert listed(client, **one_filter("deployedTemplateVersionStatus", "DRAFT")) == []
    anded = {"filters": [{"key": "name", "value": "y"}, {"key": "serviceName", "value": "b"}]}
    assert listed(client, **anded) == []  # different keys are ANDed
    ored = {"filters": [{"key": "name", "value": "y"}, {"key": "environmentName", "value": "dev"}]}
    assert listed(client, **ored) == [("a", "y")]
    either = {
        "filters": [{"key": "serviceName", "value": "b"}, {"key": "serviceName", "value": "a"}]
    }
    assert listed(client, **either) == everything  # the same key is ORed

    cut = rfc3339(a["createdAt"] + datetime.timedelta(milliseconds=1))
    assert listed(client, **one_filter("createdAtBefore", cut)) == [("a", "x"), ("a", "y")]
    assert listed(client, **one_filter("createdAtAfter", cut)) == [("b", "x")]
    assert listed(client, **one_filter("createdAtAfter", "1985-04-12T23:20:50.52Z")) == everything
    assert listed(client, **one_filter("createdAtBefore", "1985-04-12T23:20:50.52Z")) == []
    attempted = rfc3339(b["createdAt"] + datetime.timedelta(milliseconds=1))
    assert listed(client, **one_filter("lastDeploymentAttemptedAtAfter", attempted)) == [("a", "x")]
    assert listed(client, **one_filter("lastDeploymentAttemptedAtBefore", attempted)) == [
        ("a", "y"),
        ("b", "x"),
    ]
    for bad in ("yesterday", "2024-01-01T00:00:00", "2024-13-01T00:00:00Z"):
        refused(
            client,
            "ValidationException",
            lambda: client.list_service_instances(**one_filter("createdAtAfter", bad)),
            "Filter createdAtAfter needs a date and time in RFC 3339 format, e.g. "
            f"1985-04-12T23:20:50.52Z, not '{bad}'.",
        )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.list_service_instances(serviceName="nothing"),
        "The service nothing was not found.",
    )


SORTED = {
    "serviceName": [("a", "x"), ("a", "y"), ("b", "x")],
    "name": [("a", "x"), ("b", "x"), ("a", "y")],
    "environmentName": [("a", "y"), ("a", "x"), ("b", "x")],
    "templateName": [("b", "x"), ("a", "x"), ("a", "y")],
    "deploymentStatus": [("b", "x"), ("a", "x"), ("a", "y")],
    "createdAt": [("a", "x"), ("a", "y"), ("b", "x")],
    "lastDeploymentAttemptedAt": [("a", "y"), ("b", "x"), ("a", "x")],
}


def test_list_service_instances_sorting_and_pages(client, fleet):
    for sort_by, ascending in SORTED.items():
        assert listed(client, sortBy=sort_by) == ascending, sort_by
        assert listed(client, sortBy=sort_by, sortOrder="ASCENDING") == ascending, sort_by
        # Descending reverses everything, ties (broken by serviceName, name) included.
        descending = listed(client, sortBy=sort_by, sortOrder="DESCENDING")
        assert descending == ascending[::-1], sort_by
        for order, expected in (("ASCENDING", ascending), ("DESCENDING", descending)):
            params = {"sortBy": sort_by, "sortOrder": order, "maxResults": 2}
            page = client.list_service_instances(**params)
            rest = client.list_service_instances(nextToken=page["nextToken"], **params)
            assert "nextToken" not in rest
            pages = page["serviceInstances"] + rest["serviceInstances"]
            assert [(i["serviceName"], i["name"]) for i in pages] == expected, sort_by
    assert listed(client, sortOrder="DESCENDING") == SORTED["serviceName"][::-1]
    assert listed(client, serviceName="a", sortBy="environmentName") == [("a", "y"), ("a", "x")]
    page = client.list_service_instances(sortBy="name", maxResults=1)
    refused(
        client,
        "ValidationException",
        lambda: client.list_service_instances(
            nextToken=page["nextToken"], sortBy="createdAt", maxResults=1
        ),
        "The nextToken is not valid for this request.",
    )


def test_update_service_instance_modes(client, proton):
    create(client)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    before = instance(client)
    # NONE deploys nothing, whatever spec comes with it.
    none = client.update_service_instance(
        name="one", serviceName="svc", deploymentType="NONE", spec="not: [valid"
    )["serviceInstance"]
    assert none["lastAttemptedDeploymentId"] == before["lastAttemptedDeploymentId"]
    # CURRENT_VERSION redeploys with the new inputs.
    new_inputs = spec(("one", "dev", {"port": 8080}))
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_instance(
            name="one",
            serviceName="svc",
            deploymentType="CURRENT_VERSION",
            spec=new_inputs,
            templateMajorVersion="1",
        ),
        "deploymentType CURRENT_VERSION redeploys the current version: don't include major or "
        "minor version parameters.",
    )
    for wrong in (spec(("two", "dev")), spec(("one", "prod"))):
        refused(
            client,
            "ValidationException",
            lambda: client.update_service_instance(
                name="one", serviceName="svc", deploymentType="CURRENT_VERSION", spec=wrong
            ),
            "The spec must list the instance one under instances, in its environment dev.",
        )
    current = client.update_service_instance(
        name="one", serviceName="svc", deploymentType="CURRENT_VERSION", spec=new_inputs
    )["serviceInstance"]
    assert current["spec"] == TWO  # pinned until the deployment succeeds
    assert current["lastAttemptedDeploymentId"] != before["lastAttemptedDeploymentId"]
    client.get_waiter("service_instance_deployed").wait(
        name="one", serviceName="svc", WaiterConfig=NO_WAIT
    )
    redeployed = instance(client)
    assert redeployed["spec"] == new_inputs
    assert redeployed["lastDeploymentSucceededAt"] == current["lastDeploymentAttemptedAt"]
    assert redeployed["lastSucceededDeploymentId"] == current["lastAttemptedDeploymentId"]
    # MINOR_VERSION: the recommended minor of the major, or the one given.
    service_version(client, major="1")
    service_version(client, major="1")
    minor = client.update_service_instance(
        name="one", serviceName="svc", deploymentType="MINOR_VERSION", templateMinorVersion="1"
    )["serviceInstance"]
    assert minor["templateMinorVersion"] == "0"
    assert instance(client)["templateMinorVersion"] == "1"
    assert instance(client)["spec"] == new_inputs  # no spec: the current one
    client.update_service_instance(name="one", serviceName="svc", deploymentType="MINOR_VERSION")
    assert instance(client)["templateMinorVersion"] == "2"
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_instance(
            name="one", serviceName="svc", deploymentType="MINOR_VERSION", templateMajorVersion="2"
        ),
        "deploymentType MINOR_VERSION keeps the major version; use MAJOR_VERSION to change it.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_service_instance(
            name="one", serviceName="svc", deploymentType="MINOR_VERSION", templateMinorVersion="9"
        ),
        f"The requested service template version does not exist: {ARN}:service-template/web:1.9",
    )
    # MAJOR_VERSION: a higher major that lists the environment's template as compatible.
    env_template(client, "db")
    service_version(client, compatible=[("db", "1")])  # 2.0, not for vpc
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_instance(
            name="one", serviceName="svc", deploymentType="MAJOR_VERSION"
        ),
        "Service template version web:2.0 is not compatible with environment dev.",
    )
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_instance(
            name="one", serviceName="svc", deploymentType="MAJOR_VERSION", templateMajorVersion="1"
        ),
        "deploymentType MAJOR_VERSION moves to a higher major version than 1, not to 1.",
    )
    service_version(client, compatible=[("db", "1"), ("vpc", "1")])  # 3.0
    major = client.update_service_instance(
        name="one", serviceName="svc", deploymentType="MAJOR_VERSION", spec=new_inputs
    )["serviceInstance"]
    assert (major["templateMajorVersion"], major["templateMinorVersion"]) == ("1", "2")
    got = instance(client)
    assert (got["templateMajorVersion"], got["templateMinorVersion"]) == ("3", "0")
    assert get(client)["status"] == "ACTIVE"  # instance updates leave the service alone
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_service_instance(
            name="nine", serviceName="svc", deploymentType="NONE"
        ),
        "The service instance nine of service svc was not found.",
    )


def test_update_service_instance_pinned_then_cancelled(client, proton):
    create(client)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    first = instance(client)
    service_version(client, major="1")
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 3})
    updating = client.update_service_instance(
        name="one",
        serviceName="svc",
        deploymentType="MINOR_VERSION",
        spec=spec(("one", "dev", {"port": 1})),
        clientToken="t1",
    )["serviceInstance"]
    assert updating["templateMinorVersion"] == "0" and updating["spec"] == TWO
    assert updating["deploymentStatus"] == "IN_PROGRESS"
    assert updating["lastClientRequestToken"] == "t1"
    assert updating["lastDeploymentAttemptedAt"] > first["lastDeploymentAttemptedAt"]
    assert updating["lastDeploymentSucceededAt"] == first["lastDeploymentSucceededAt"]
    refused(
        client,
        "ConflictException",
        lambda: client.update_service_instance(
            name="one", serviceName="svc", deploymentType="CURRENT_VERSION"
        ),
        "The service instance one is IN_PROGRESS; wait for it to finish before updating it.",
    )
    # A replay of the same request answers with the instance and deploys nothing.
    replay = client.update_service_instance(
        name="one",
        serviceName="svc",
        deploymentType="MINOR_VERSION",
        spec=spec(("one", "dev", {"port": 1})),
        clientToken="t1",
    )["serviceInstance"]
    assert replay["lastAttemptedDeploymentId"] == updating["lastAttemptedDeploymentId"]
    cancelling = client.cancel_service_instance_deployment(
        serviceInstanceName="one", serviceName="svc"
    )["serviceInstance"]
    assert cancelling["deploymentStatus"] == "CANCELLING"
    assert "deploymentStatusMessage" not in cancelling  # shown once CANCELLED (AWS's examples)
    for _ in range(2):
        assert instance(client)["deploymentStatus"] == "CANCELLING"
    cancelled = instance(client)
    assert cancelled["deploymentStatus"] == "CANCELLED"
    assert cancelled["deploymentStatusMessage"] == "User initiated cancellation."
    assert (cancelled["templateMinorVersion"], cancelled["spec"]) == ("0", TWO)
    assert cancelled["lastSucceededDeploymentId"] == first["lastSucceededDeploymentId"]
    refused(
        client,
        "ConflictException",
        lambda: client.cancel_service_instance_deployment(
            serviceInstanceName="one", serviceName="svc"
        ),
        "The service instance one is CANCELLED; only an IN_PROGRESS deployment can be cancelled.",
    )
    deployment = client.get_deployment(id=cancelled["lastAttemptedDeploymentId"])["deployment"]
    assert deployment["deploymentStatus"] == "CANCELLED"
    assert deployment["deploymentStatusMessage"] == "User initiated cancellation."


def test_outputs_and_provisioned_resources(client):
    created = create(client)
    pipeline_deployment = created["pipeline"]["lastAttemptedDeploymentId"]
    one = instance(client)
    assert (
        client.list_service_instance_outputs(serviceInstanceName="one", serviceName="svc")[
            "outputs"
        ]
        == []
    )
    assert (
        client.list_service_instance_outputs(
            serviceInstanceName="one",
            serviceName="svc",
            deploymentId=one["lastAttemptedDeploymentId"],
        )["outputs"]
        == []
    )
    assert (
        client.list_service_instance_provisioned_resources(
            serviceInstanceName="one", serviceName="svc"
        )["provisionedResources"]
        == []
    )
    assert client.list_service_pipeline_outputs(serviceName="svc")["outputs"] == []
    assert (
        client.list_service_pipeline_outputs(serviceName="svc", deploymentId=pipeline_deployment)[
            "outputs"
        ]
        == []
    )
    assert (
        client.list_service_pipeline_provisioned_resources(serviceName="svc")[
            "provisionedResources"
        ]
        == []
    )
    for unknown in (UUID, pipeline_deployment):  # another resource's deployment won't do
        refused(
            client,
            "ResourceNotFoundException",
            lambda: client.list_service_instance_outputs(
                serviceInstanceName="one", serviceName="svc", deploymentId=unknown
            ),
            f"The deployment {unknown} was not found.",
        )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.list_service_pipeline_outputs(
            serviceName="svc", deploymentId=one["lastAttemptedDeploymentId"]
        ),
        f"The deployment {one['lastAttemptedDeploymentId']} was not found.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.list_service_instance_provisioned_resources(
            serviceInstanceName="nine", serviceName="svc"
        ),
        "The service instance nine of service svc was not found.",
    )
