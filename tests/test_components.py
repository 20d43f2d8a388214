"""Directly defined components: create (detached and attached), get, list, update, cancel,
delete, outputs, deployments, tags, what they refuse to other operations, the resources
summary and the two component waiters, in both modes."""

import pytest

import moto_proton

from . import builders
from .builders import (
    ACCOUNT,
    ARN,
    DEPLOYMENT,
    ENV_SPEC,
    MANIFEST,
    NO_WAIT,
    env_template,
    service_spec,
    service_version,
)
from .builders import ENV as ENV_ACCOUNT
from .helpers import UUID, refused, tag_refusal, tags_of, wait_exactly

COMPONENT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/component"
TEMPLATE = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
DELETION = "proton::component-deletion"
ROLE_MISSING = (
    "The environment {} has no componentRoleArn (nor has its environment account connection): "
    "set one before adding components."
)
MANIFEST_ERROR = (
    "The component manifest must be YAML with infrastructure.templates listing exactly one "
    "template file (components support a single IaC file)."
)


def service_template(client, name, sources):
    client.create_service_template(name=name, pipelineProvisioning="CUSTOMER_MANAGED")
    service_version(client, name, **({"supportedComponentSources": sources} if sources else {}))


def environment(client, name, **roles):
    builders.environment(client, name, **roles)
    client.get_environment(name=name)  # settled: the deployment progresses on reads


@pytest.fixture
def client(proton):
    """Environments dev and prod (with a component role) and bare (without); service
    templates web (1.0 supports directly defined components) and plain (1.0 doesn't), both
    without a pipeline; service svc with instances one and two in dev and three in prod;
    service legacy (plain) with instance one in dev."""
    client = proton.client()
    env_template(client)
    for name in ("dev", "prod"):
        environment(client, name, componentRoleArn=COMPONENT_ROLE)
    environment(client, "bare")
    service_template(client, "web", ["DIRECTLY_DEFINED"])
    service_template(client, "plain", None)
    for name, template, spec in (
        ("svc", "web", service_spec(("one", "dev"), ("two", "dev"), ("three", "prod"))),
        ("legacy", "plain", service_spec(("one", "dev"))),
    ):
        client.create_service(name=name, templateName=template, templateMajorVersion="1", spec=spec)
        assert client.get_service(name=name)["service"]["status"] == "ACTIVE"
    return client


def create(client, name="det", **params):
    """CreateComponent, detached in dev unless told otherwise; None leaves a member out."""
    params.setdefault("manifest", MANIFEST)
    params.setdefault("templateFile", TEMPLATE)
    if not {"environmentName", "serviceName", "serviceInstanceName"} & set(params):
        params["environmentName"] = "dev"
    params = {k: v for k, v in params.items() if v is not None}
    return client.create_component(name=name, **params)["component"]


def attach(client, name="att", instance="one", service="svc", **params):
    return create(client, name, serviceName=service, serviceInstanceName=instance, **params)


def get(client, name="det"):
    return client.get_component(name=name)["component"]


def deployments(client, name="det"):
    return client.list_deployments(componentName=name)["deployments"]


# -- create, get, list ---------------------------------------------------------------------


def test_create_detached_component(client):
    created = create(client, description="bucket", tags=[{"key": "team", "value": "data"}])
    assert created["arn"] == f"{ARN}:component/det"
    assert (created["name"], created["environmentName"], created["description"]) == (
        "det",
        "dev",
        "bucket",
    )
    assert created["deploymentStatus"] == "IN_PROGRESS"
    assert created["createdAt"] == created["lastModifiedAt"] == created["lastDeploymentAttemptedAt"]
    assert created["lastClientRequestToken"]  # botocore fills the token in
    for absent in (
        "serviceName",
        "serviceInstanceName",
        "serviceSpec",
        "lastSucceededDeploymentId",
    ):
        assert absent not in created
    deployed = get(client)
    assert deployed["deploymentStatus"] == "SUCCEEDED"
    assert deployed["lastSucceededDeploymentId"] == created["lastAttemptedDeploymentId"]
    # The deployment's start, not its end (the User Guide's outputs).
    assert deployed["lastDeploymentSucceededAt"] == created["lastDeploymentAttemptedAt"]
    [deployment] = deployments(client)
    assert deployment["id"] == created["lastAttemptedDeploymentId"]
    assert deployment["targetResourceType"] == "COMPONENT"
    assert deployment["targetArn"] == created["arn"]
    assert (deployment["componentName"], deployment["environmentName"]) == ("det", "dev")
    assert "serviceName" not in deployment
    full = client.get_deployment(id=deployment["id"])["deployment"]
    assert "initialState" not in full  # a first deployment
    assert full["targetState"] == {
        "component": {"serviceName": "", "serviceInstanceName": "", "templateFile": TEMPLATE}
    }
    assert tags_of(client, created["arn"]) == {
        "team": "data",
        "aws:proton:account": ACCOUNT,
        "aws:proton:environment": f"{ARN}:environment/dev",
        "aws:proton:component": created["arn"],
    }


def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(client):
    refused(
        client,
        "ValidationException",
        lambda: create(client, tags=[{"key": "cost#center", "value": "a"}]),
        tag_refusal("key", "cost#center", "#"),
    )


def test_create_attached_component(client):
    created = attach(client, serviceSpec="proton: ServiceSpec\nbucket: logs\n")
    assert (created["serviceName"], created["serviceInstanceName"]) == ("svc", "one")
    assert created["environmentName"] == "dev"  # the instance's
    assert created["serviceSpec"] == "proton: ServiceSpec\nbucket: logs\n"
    # The instance's environment may be named too.
    other = attach(client, "other", instance="three", environmentName="prod")
    assert other["environmentName"] == "prod"
    [deployment] = deployments(client, "att")
    assert (deployment["serviceName"], deployment["serviceInstanceName"]) == ("svc", "one")
    assert client.get_deployment(id=deployment["id"])["deployment"]["targetState"] == {
        "component": {
            "serviceName": "svc",
            "serviceInstanceName": "one",
            "serviceSpec": "proton: ServiceSpec\nbucket: logs\n",
            "templateFile": TEMPLATE,
        }
    }
    assert tags_of(client, created["arn"]) == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:environment": f"{ARN}:environment/dev",
        "aws:proton:component": created["arn"],
        "aws:proton:service": f"{ARN}:service/svc",
        "aws:proton:service-instance": f"{ARN}:service/svc/service-instance/one",
    }
    for name in ("att", "other"):
        client.get_waiter("component_deployed").wait(name=name, WaiterConfig=NO_WAIT)
    # At most one component per instance.
    refused(
        client,
        "ConflictException",
        lambda: attach(client, "second"),
        "The service instance svc/one already has the component att.",
    )


def test_create_refusals(client, proton):
    create(client)
    attach(client)
    get(client), get(client, "att")  # settled before the snapshots
    valid = "ValidationException"
    for params, message in (
        (
            {"environmentName": None},
            "Specify environmentName for a component that isn't attached to a service instance.",
        ),
        (
            {"serviceName": "svc"},
            "Specify both serviceName and serviceInstanceName to attach the component, or neither.",
        ),
        (
            {"serviceInstanceName": "two"},
            "Specify both serviceName and serviceInstanceName to attach the component, or neither.",
        ),
        ({"serviceSpec": "a: 1"}, "serviceSpec applies to an attached component only."),
        (
            {"serviceName": "svc", "serviceInstanceName": "three", "environmentName": "dev"},
            "The service instance svc/three runs in environment prod, not dev.",
        ),
        (
            {"serviceName": "legacy", "serviceInstanceName": "one"},
            "The service template version plain:1.0 of service instance legacy/one doesn't "
            "support directly defined components (supportedComponentSources).",
        ),
        ({"environmentName": "bare"}, ROLE_MISSING.format("bare")),
        ({"manifest": "infrastructure:\n  templates: []\n"}, MANIFEST_ERROR),
        ({"manifest": MANIFEST + "    - file: second.yaml\n"}, MANIFEST_ERROR),
        ({"manifest": "infrastructure: ["}, MANIFEST_ERROR),
        ({"manifest": "- a\n"}, MANIFEST_ERROR),
        ({"manifest": "infrastructure:\n  templates: [a]\n"}, MANIFEST_ERROR),
        (
            {"manifest": "infrastructure:\n  templates:\n    - file: x.yaml\n"},
            "The component manifest's template entry needs rendering_engine, template_language.",
        ),
    ):
        refused(client, valid, lambda p=params: create(client, "new", **p), message)
    for params, message in (
        ({"environmentName": "nothing"}, "The environment nothing was not found."),
        (
            {"serviceName": "nothing", "serviceInstanceName": "one"},
            "The service nothing was not found.",
        ),
        (
            {"serviceName": "svc", "serviceInstanceName": "nine"},
            "The service instance nine of service svc was not found.",
        ),
    ):
        refused(
            client,
            "ResourceNotFoundException",
            lambda p=params: create(client, "new", **p),
            message,
        )
    refused(
        client,
        "ConflictException",
        lambda: create(client, "det", environmentName="prod"),
        "The component det already exists.",
    )
    refused(
        client,
        "ConflictException",
        lambda: attach(client, "new"),
        "The service instance svc/one already has the component att.",
    )
    moto_proton.set_quota("components", 2)
    refused(
        client,
        "ServiceQuotaExceededException",
        lambda: create(client, "third"),
        f"Account {ACCOUNT} has reached its quota of 2 components in us-east-1 (components).",
    )
    moto_proton.set_quota("components", 3)
    assert create(client, "third")["deploymentStatus"] == "IN_PROGRESS"
    # A busy instance, and an environment being deleted.
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 5})
    client.update_service_instance(name="two", serviceName="svc", deploymentType="CURRENT_VERSION")
    moto_proton.set_quota("components", 10)
    refused(
        client,
        "ConflictException",
        lambda: attach(client, "new", instance="two"),
        "The service instance svc/two is IN_PROGRESS; wait for it to finish.",
    )
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    environment(client, "gone", componentRoleArn=COMPONENT_ROLE)
    proton.set_transition("proton::environment-deletion", {"progression": "manual", "times": 5})
    client.delete_environment(name="gone")
    refused(
        client,
        "ConflictException",
        lambda: create(client, "new", environmentName="gone"),
        "The environment gone is being deleted.",
    )


def test_component_role_of_the_environment_account_connection(proton, client):
    """Without its own componentRoleArn an environment lends its connection's; a
    self-managed environment needs none."""
    env = proton.client(account_id=ENV_ACCOUNT)
    for name, roles in (("far", {"componentRoleArn": COMPONENT_ROLE}), ("plainfar", {})):
        connection = env.create_environment_account_connection(
            managementAccountId=ACCOUNT,
            environmentName=name,
            roleArn=f"arn:aws:iam::{ENV_ACCOUNT}:role/r",
            **{k: f"arn:aws:iam::{ENV_ACCOUNT}:role/c" for k in roles},
        )["environmentAccountConnection"]
        client.accept_environment_account_connection(id=connection["id"])
        client.create_environment(
            name=name,
            templateName="vpc",
            templateMajorVersion="1",
            spec=ENV_SPEC,
            environmentAccountConnectionId=connection["id"],
        )
        client.get_environment(name=name)
    assert create(client, "far", environmentName="far")["environmentName"] == "far"
    client.create_repository(
        name="org/infra",
        provider="GITHUB",
        connectionArn=f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
    )
    client.create_environment(
        name="selfmanaged",
        templateName="vpc",
        templateMajorVersion="1",
        spec=ENV_SPEC,
        provisioningRepository={"provider": "GITHUB", "name": "org/infra", "branch": "main"},
    )
    assert create(client, "own", environmentName="selfmanaged")["deploymentStatus"] == (
        "IN_PROGRESS"
    )
    refused(
        client,
        "ValidationException",
        lambda: create(client, "new", environmentName="plainfar"),
        ROLE_MISSING.format("plainfar"),
    )


def test_client_tokens(client, proton):
    first = create(client, "tok", clientToken="t1")
    again = create(client, "tok", clientToken="t1")
    assert again["arn"] == first["arn"] and again["createdAt"] == first["createdAt"]
    assert again["lastClientRequestToken"] == "t1"
    assert len(deployments(client, "tok")) == 1  # nothing deployed twice
    refused(
        client,
        "ValidationException",
        lambda: create(client, "tok", clientToken="t1", description="other"),
        "Idempotent parameter mismatch: client token t1 was already used with different "
        "parameters.",
    )
    get(client, "tok")
    update = {"name": "tok", "deploymentType": "CURRENT_VERSION", "templateFile": "B: 1\n"}
    updated = client.update_component(clientToken="u1", **update)["component"]
    assert updated["lastClientRequestToken"] == "u1"
    replayed = client.update_component(clientToken="u1", **update)["component"]
    assert replayed["lastAttemptedDeploymentId"] == updated["lastAttemptedDeploymentId"]
    assert len(deployments(client, "tok")) == 2
    refused(
        client,
        "ValidationException",
        lambda: client.update_component(clientToken="u1", **{**update, "templateFile": "C: 1\n"}),
        "Idempotent parameter mismatch: client token u1 was already used with different "
        "parameters.",
    )
    # Once the original is gone, a retry creates anew.
    get(client, "tok")
    client.delete_component(name="tok")
    client.get_waiter("component_deleted").wait(name="tok", WaiterConfig=NO_WAIT)
    anew = create(client, "tok", clientToken="t1")
    assert anew["lastAttemptedDeploymentId"] != first["lastAttemptedDeploymentId"]


def test_get_and_list_with_filters(client):
    create(client, "det")
    create(client, "dprod", environmentName="prod")
    attach(client, "att")
    attach(client, "other", instance="three")
    refused(
        client,
        "ResourceNotFoundException",
        lambda: get(client, "nothing"),
        "The component nothing was not found.",
    )

    def names(**filters):
        return [c["name"] for c in client.list_components(**filters)["components"]]

    assert names() == ["att", "det", "dprod", "other"]  # by name
    assert names(environmentName="dev") == ["att", "det"]
    assert names(environmentName="prod") == ["dprod", "other"]
    assert names(serviceName="svc") == ["att", "other"]
    assert names(serviceName="svc", serviceInstanceName="one") == ["att"]
    assert names(serviceName="svc", serviceInstanceName="three", environmentName="dev") == []
    assert names(serviceName="svc", environmentName="prod") == ["other"]
    assert names(environmentName="nothing") == names(serviceName="nothing") == []
    assert names(serviceName="legacy", serviceInstanceName="one") == []
    refused(
        client,
        "ValidationException",
        lambda: client.list_components(serviceInstanceName="one"),
        "serviceName must be specified to identify the service instance.",
    )
    summary = client.list_components(serviceName="svc", serviceInstanceName="one")["components"][0]
    full = get(client, "att")
    hidden = ("serviceSpec", "description", "lastClientRequestToken")
    assert summary == {k: v for k, v in full.items() if k not in hidden}
    page = client.list_components(maxResults=3)
    assert [c["name"] for c in page["components"]] == ["att", "det", "dprod"]
    rest = client.list_components(maxResults=3, nextToken=page["nextToken"])
    assert [c["name"] for c in rest["components"]] == ["other"] and "nextToken" not in rest


# -- update ------------------------------------------------------------------------------------


def test_update_description_only(client):
    created = create(client)
    get(client)
    updated = client.update_component(name="det", deploymentType="NONE", description="new")[
        "component"
    ]
    assert updated["description"] == "new" and updated["deploymentStatus"] == "SUCCEEDED"
    assert updated["lastModifiedAt"] > created["lastModifiedAt"]
    assert updated["lastAttemptedDeploymentId"] == created["lastAttemptedDeploymentId"]
    assert len(deployments(client)) == 1
    for member in (
        {"templateFile": "X: 1\n"},
        {"serviceSpec": "a: 1"},
        {"serviceName": "svc", "serviceInstanceName": "one"},
        {"serviceName": "", "serviceInstanceName": ""},
    ):
        refused(
            client,
            "ValidationException",
            lambda m=member: client.update_component(name="det", deploymentType="NONE", **m),
            "deploymentType NONE updates the description only: don't specify serviceName, "
            "serviceInstanceName, serviceSpec or templateFile.",
        )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_component(name="nothing", deploymentType="NONE"),
        "The component nothing was not found.",
    )


def test_attach_detach_pinned_until_deployed(client, proton):
    created = create(client)
    get(client)
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 3})
    attaching = client.update_component(
        name="det",
        deploymentType="CURRENT_VERSION",
        serviceName="svc",
        serviceInstanceName="two",
        serviceSpec="size: 2\n",
        templateFile="T: 2\n",
    )["component"]
    # Shown as it was until the deployment succeeds; the attempt shows at once.
    assert attaching["deploymentStatus"] == "IN_PROGRESS"
    assert "serviceName" not in attaching and "serviceSpec" not in attaching
    assert attaching["lastAttemptedDeploymentId"] != created["lastAttemptedDeploymentId"]
    assert attaching["lastSucceededDeploymentId"] == created["lastAttemptedDeploymentId"]
    assert attaching["lastModifiedAt"] > created["lastModifiedAt"]
    deployment = client.get_deployment(id=attaching["lastAttemptedDeploymentId"])["deployment"]
    assert deployment["initialState"] == {
        "component": {"serviceName": "", "serviceInstanceName": "", "templateFile": TEMPLATE}
    }
    assert deployment["targetState"] == {
        "component": {
            "serviceName": "svc",
            "serviceInstanceName": "two",
            "serviceSpec": "size: 2\n",
            "templateFile": "T: 2\n",
        }
    }
    # While it deploys: the instance is taken, and neither may change.
    refused(
        client,
        "ConflictException",
        lambda: attach(client, "new", instance="two"),
        "The service instance svc/two already has the component det.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.update_service_instance(
            name="two", serviceName="svc", deploymentType="CURRENT_VERSION"
        ),
        "The component det of service instance svc/two is IN_PROGRESS; wait for it to finish.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.update_component(name="det", deploymentType="NONE", description="x"),
        "The component det is IN_PROGRESS; wait for it to finish before updating it.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.delete_component(name="det"),
        "The component det is IN_PROGRESS; wait for it to finish before deleting it.",
    )
    wait_exactly(client, "component_deployed", 2, name="det")  # GetDeployment read it once
    attached = get(client)
    assert (attached["serviceName"], attached["serviceInstanceName"]) == ("svc", "two")
    assert attached["serviceSpec"] == "size: 2\n"
    assert attached["lastSucceededDeploymentId"] == attaching["lastAttemptedDeploymentId"]
    assert attached["lastDeploymentSucceededAt"] == attaching["lastDeploymentAttemptedAt"]
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    # Moving straight to another instance is refused: detach first.
    refused(
        client,
        "ValidationException",
        lambda: client.update_component(
            name="det",
            deploymentType="CURRENT_VERSION",
            serviceName="svc",
            serviceInstanceName="one",
        ),
        "The component det is attached to svc/two: detach it before attaching it to another "
        "service instance.",
    )
    for mixed in (
        {"serviceName": "svc"},
        {"serviceInstanceName": "two"},
        {"serviceName": "", "serviceInstanceName": "two"},
        {"serviceName": "svc", "serviceInstanceName": ""},
    ):
        refused(
            client,
            "ValidationException",
            lambda m=mixed: client.update_component(
                name="det", deploymentType="CURRENT_VERSION", **m
            ),
            "Specify both serviceName and serviceInstanceName (both empty to detach), or neither.",
        )
    # Attachment absent: unchanged; a new serviceSpec for the attached component.
    client.update_component(name="det", deploymentType="CURRENT_VERSION", serviceSpec="size: 3\n")
    kept = get(client)
    assert (kept["serviceInstanceName"], kept["serviceSpec"]) == ("two", "size: 3\n")
    # Detach: both empty; the service spec goes with the instance.
    client.update_component(
        name="det", deploymentType="CURRENT_VERSION", serviceName="", serviceInstanceName=""
    )
    detached = get(client)
    for absent in ("serviceName", "serviceInstanceName", "serviceSpec"):
        assert absent not in detached
    last = client.get_deployment(id=detached["lastSucceededDeploymentId"])["deployment"]
    assert last["targetState"]["component"] == {
        "serviceName": "",
        "serviceInstanceName": "",
        "templateFile": "T: 2\n",
    }
    refused(
        client,
        "ValidationException",
        lambda: client.update_component(
            name="det", deploymentType="CURRENT_VERSION", serviceSpec="size: 4\n"
        ),
        "serviceSpec applies to an attached component only.",
    )
    refused(
        client,
        "ValidationException",
        lambda: client.update_component(
            name="det",
            deploymentType="CURRENT_VERSION",
            serviceName="svc",
            serviceInstanceName="three",
        ),
        "The service instance svc/three runs in environment prod, not in the component's "
        "environment dev.",
    )
    refused(
        client,
        "ValidationException",
        lambda: client.update_component(
            name="det",
            deploymentType="CURRENT_VERSION",
            serviceName="legacy",
            serviceInstanceName="one",
        ),
        "The service template version plain:1.0 of service instance legacy/one doesn't "
        "support directly defined components (supportedComponentSources).",
    )
    # Now to another instance: fine.
    client.update_component(
        name="det", deploymentType="CURRENT_VERSION", serviceName="svc", serviceInstanceName="one"
    )
    assert get(client)["serviceInstanceName"] == "one"
    history = deployments(client)
    assert len(history) == 5
    assert {d["targetResourceType"] for d in history} == {"COMPONENT"}


def test_update_refused_while_its_instance_deploys(client, proton):
    attach(client)
    get(client, "att")
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 3})
    client.update_service_instance(name="one", serviceName="svc", deploymentType="CURRENT_VERSION")
    refused(
        client,
        "ConflictException",
        lambda: client.update_component(name="att", deploymentType="CURRENT_VERSION"),
        "The service instance svc/one is IN_PROGRESS; wait for it to finish.",
    )


def test_cancel_keeps_the_previous_state(client, proton):
    create(client)
    get(client)
    refused(
        client,
        "ConflictException",
        lambda: client.cancel_component_deployment(componentName="det"),
        "The component det is SUCCEEDED; only an IN_PROGRESS deployment can be cancelled.",
    )
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 2})
    client.update_component(
        name="det", deploymentType="CURRENT_VERSION", serviceName="svc", serviceInstanceName="one"
    )
    cancelling = client.cancel_component_deployment(componentName="det")["component"]
    assert cancelling["deploymentStatus"] == "CANCELLING"
    get(client)
    cancelled = get(client)
    assert cancelled["deploymentStatus"] == "CANCELLED"
    assert cancelled["deploymentStatusMessage"] == "User initiated cancellation."
    assert "serviceName" not in cancelled  # still detached
    deployment = client.get_deployment(id=cancelled["lastAttemptedDeploymentId"])["deployment"]
    assert deployment["deploymentStatus"] == "CANCELLED"
    # The instance is free again.
    proton.set_transition(DEPLOYMENT, {"progression": "immediate"})
    assert attach(client, "att")["serviceInstanceName"] == "one"
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.cancel_component_deployment(componentName="nothing"),
        "The component nothing was not found.",
    )


# -- delete --------------------------------------------------------------------------------


def test_delete(client, proton):
    created = create(client)
    attach(client)
    get(client), get(client, "att")
    refused(
        client,
        "ConflictException",
        lambda: client.delete_component(name="att"),
        "The component att is attached to service instance svc/one: detach it before deleting it.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.delete_component(name="nothing"),
        "The component nothing was not found.",
    )
    proton.set_transition(DELETION, {"progression": "manual", "times": 2})
    deleting = client.delete_component(name="det")["component"]
    assert deleting["deploymentStatus"] == "DELETE_IN_PROGRESS"
    assert get(client)["deploymentStatus"] == "DELETE_IN_PROGRESS"  # first poll
    refused(
        client,
        "ConflictException",
        lambda: client.delete_component(name="det"),
        "The component det is DELETE_IN_PROGRESS; wait for it to finish before deleting it.",
    )
    client.get_waiter("component_deleted").wait(name="det", WaiterConfig=NO_WAIT)
    refused(
        client, "ResourceNotFoundException", lambda: get(client), "The component det was not found."
    )
    assert [c["name"] for c in client.list_components()["components"]] == ["att"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=created["arn"])
    refused(
        client,
        "ResourceNotFoundException",
        lambda: deployments(client),
        "The component det was not found.",
    )
    # The name is free again.
    assert create(client)["deploymentStatus"] == "IN_PROGRESS"


def test_outputs_and_provisioned_resources(client):
    created = create(client)
    other = attach(client)
    assert client.list_component_outputs(componentName="det")["outputs"] == []
    assert (
        client.list_component_outputs(
            componentName="det", deploymentId=created["lastAttemptedDeploymentId"]
        )["outputs"]
        == []
    )
    resources = client.list_component_provisioned_resources(componentName="det")
    assert resources["provisionedResources"] == [] and "nextToken" not in resources
    for unknown in (UUID, other["lastAttemptedDeploymentId"]):  # another's won't do
        refused(
            client,
            "ResourceNotFoundException",
            lambda d=unknown: client.list_component_outputs(componentName="det", deploymentId=d),
            f"The deployment {unknown} was not found.",
        )
    for call in (
        lambda: client.list_component_outputs(componentName="nothing"),
        lambda: client.list_component_provisioned_resources(componentName="nothing"),
    ):
        refused(client, "ResourceNotFoundException", call, "The component nothing was not found.")


# -- what components refuse to other operations ------------------------------------------------


def test_components_hold_their_instance_and_environment(client):
    attach(client)
    get(client, "att")
    refused(
        client,
        "ConflictException",
        lambda: client.delete_service(name="svc"),
        "The service instance svc/one has the component att attached: detach it first.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.update_service(
            name="svc", spec=service_spec(("two", "dev"), ("three", "prod"))
        ),
        "The service instance svc/one has the component att attached: detach it first.",
    )
    # Other instances can still go.
    client.update_service(name="svc", spec=service_spec(("one", "dev"), ("three", "prod")))
    client.get_waiter("service_updated").wait(name="svc", WaiterConfig=NO_WAIT)
    environment(client, "lab", componentRoleArn=COMPONENT_ROLE)
    create(client, "det", environmentName="lab")
    get(client)
    refused(
        client,
        "ConflictException",
        lambda: client.delete_environment(name="lab"),
        "The environment lab can't be deleted while it has components: det.",
    )
    client.delete_component(name="det")  # over at once: no read needed
    assert client.delete_environment(name="lab")["environment"]["deploymentStatus"] == (
        "DELETE_IN_PROGRESS"
    )
    # Detached, the component no longer holds the service.
    client.update_component(
        name="att", deploymentType="CURRENT_VERSION", serviceName="", serviceInstanceName=""
    )
    get(client, "att")
    assert client.delete_service(name="svc")["service"]["status"] == "DELETE_IN_PROGRESS"


def test_resources_summary_counts_components(client, proton):
    def counts():
        return client.get_resources_summary()["counts"]["components"]

    assert counts() == {"total": 0, "failed": 0}
    create(client)
    attach(client)
    assert counts() == {"total": 2, "failed": 0}
    proton.fail_next_deployment(f"{ARN}:component/det", "no bucket")
    client.update_component(name="det", deploymentType="CURRENT_VERSION")
    assert get(client)["deploymentStatus"] == "FAILED"
    assert counts() == {"total": 2, "failed": 1}
    proton.set_transition(DELETION, {"progression": "manual", "times": 5})
    client.delete_component(name="det")
    assert counts() == {"total": 2, "failed": 0}  # counted until gone, not failed


# -- waiters -------------------------------------------------------------------------------


@pytest.mark.parametrize("polls", [1, 3])
def test_component_waiters(client, proton, polls):
    if polls > 1:
        proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": polls})
        proton.set_transition(DELETION, {"progression": "manual", "times": polls})
    create(client)
    wait_exactly(client, "component_deployed", polls, name="det")
    client.update_component(name="det", deploymentType="CURRENT_VERSION", templateFile="X: 1\n")
    wait_exactly(client, "component_deployed", polls, name="det")
    assert (
        client.get_deployment(id=get(client)["lastSucceededDeploymentId"])["deployment"][
            "targetState"
        ]["component"]["templateFile"]
        == "X: 1\n"
    )
    client.delete_component(name="det")
    wait_exactly(client, "component_deleted", polls, name="det")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        get(client)
