"""Services: creating them (with and without a pipeline; spec, placement, compatibility and
quota errors; idempotency), reading, updating and deleting them, and a service across two
accounts from end to end, in both modes."""

import pytest
import yaml
from botocore.exceptions import WaiterError

import moto_proton

from .builders import (
    ACCOUNT,
    ARN,
    DEPLOYMENT,
    ENV_SPEC,
    NO_WAIT,
    REPOSITORY,
    ROLE,
    SOURCE,
    env_template,
    environment,
    service_version,
)
from .builders import service_spec as spec
from .builders.services import (
    DELETION,
    ONE,
    PIPELINE_ROLES_MISSING,
    TWO,
    create,
    get,
    instance,
    link,
    service_world,
)
from .helpers import error_of, refused, tags_of


@pytest.fixture
def client(proton):
    return service_world(proton)


# -- creating services ---------------------------------------------------------------------


def test_create_service_with_pipeline(client, proton):
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 2})
    created = create(client, description="shop", tags=[{"key": "team", "value": "web"}])
    assert created["arn"] == f"{ARN}:service/svc"
    assert (created["name"], created["templateName"], created["status"]) == (
        "svc",
        "web",
        "CREATE_IN_PROGRESS",
    )
    assert created["spec"] == TWO and created["description"] == "shop"
    assert created["createdAt"] == created["lastModifiedAt"]
    assert {k: created[k] for k in REPOSITORY} == REPOSITORY
    pipeline = created["pipeline"]
    assert pipeline["arn"] == f"{ARN}:service/svc/pipeline"
    assert (pipeline["templateName"], pipeline["templateMajorVersion"]) == ("web", "1")
    assert pipeline["templateMinorVersion"] == "0" and pipeline["spec"] == TWO
    assert pipeline["deploymentStatus"] == "IN_PROGRESS"
    assert (
        pipeline["createdAt"]
        == pipeline["lastDeploymentAttemptedAt"]
        == pipeline["lastDeploymentSucceededAt"]
        == created["createdAt"]
    )
    # The instances are readable at once, each with its own deployment.
    first = instance(client)
    assert first["arn"] == f"{ARN}:service/svc/service-instance/one"
    assert (first["environmentName"], first["deploymentStatus"]) == ("dev", "IN_PROGRESS")
    assert (
        first["templateName"],
        first["templateMajorVersion"],
        first["templateMinorVersion"],
    ) == (
        "web",
        "1",
        "0",
    )
    assert first["spec"] == TWO and first["createdAt"] == created["createdAt"]
    assert "lastSucceededDeploymentId" not in first
    second = instance(client, "two")
    assert second["lastAttemptedDeploymentId"] not in (
        first["lastAttemptedDeploymentId"],
        pipeline["lastAttemptedDeploymentId"],
    )
    assert get(client)["status"] == "CREATE_IN_PROGRESS"  # the first poll
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    active = get(client)
    assert active["status"] == "ACTIVE" and active["lastModifiedAt"] == created["lastModifiedAt"]
    assert active["pipeline"]["deploymentStatus"] == "SUCCEEDED"
    assert active["pipeline"]["lastSucceededDeploymentId"] == pipeline["lastAttemptedDeploymentId"]
    assert tags_of(client, created["arn"]) == {
        "team": "web",
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": f"{ARN}:service-template/web",
        "aws:proton:service": created["arn"],
    }
    assert tags_of(client, first["arn"]) == {
        "team": "web",
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": f"{ARN}:service-template/web",
        "aws:proton:service": created["arn"],
        "aws:proton:environment": f"{ARN}:environment/dev",
        "aws:proton:service-instance": first["arn"],
    }
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.tag_resource(resourceArn=pipeline["arn"], tags=[{"key": "a", "value": "b"}]),
        f"The resource {pipeline['arn']} was not found.",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=pipeline["arn"])


def test_create_service_without_pipeline(client):
    client.update_account_settings(pipelineServiceRoleArn="")  # not needed without a pipeline
    refused(
        client,
        "ValidationException",
        lambda: create(
            client, template="worker", repository={"repositoryId": "o/r", "branchName": "main"}
        ),
        "Service template worker has no pipeline (pipelineProvisioning CUSTOMER_MANAGED): "
        "don't specify branchName, repositoryId.",
    )
    refused(
        client,
        "ValidationException",
        lambda: create(client, template="worker", spec_text=ONE),
        "Service template worker has no pipeline: the spec can't have a pipeline section.",
    )
    created = create(client, template="worker", spec_text=spec(("one", "dev")))
    assert "pipeline" not in created and "repositoryId" not in created
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    assert "pipeline" not in get(client)
    for call in (
        lambda: client.update_service_pipeline(
            serviceName="svc", spec=ONE, deploymentType="CURRENT_VERSION"
        ),
        lambda: client.cancel_service_pipeline_deployment(serviceName="svc"),
        lambda: client.list_service_pipeline_outputs(serviceName="svc"),
        lambda: client.list_service_pipeline_provisioned_resources(serviceName="svc"),
    ):
        refused(client, "ResourceNotFoundException", call, "The service svc has no pipeline.")
    with pytest.raises(WaiterError):  # nothing to wait for
        client.get_waiter("service_pipeline_deployed").wait(
            name="svc", WaiterConfig={"Delay": 0, "MaxAttempts": 2}
        )


def test_pipeline_needs_repository_and_roles(client):
    for missing in REPOSITORY:
        given = {k: v for k, v in REPOSITORY.items() if k != missing}
        refused(
            client,
            "ValidationException",
            lambda: create(client, repository=given),
            "Service template web includes a pipeline: specify repositoryConnectionArn, "
            "repositoryId and branchName.",
        )
    client.update_account_settings(pipelineServiceRoleArn="")
    refused(client, "ValidationException", lambda: create(client), PIPELINE_ROLES_MISSING)


def test_any_pipeline_setting_will_do(client):
    link(client, "GITHUB", "o/r")
    for name, setting in (
        ("a", {"pipelineServiceRoleArn": ROLE}),
        ("b", {"pipelineCodebuildRoleArn": ROLE}),
        (
            "c",
            {
                "pipelineProvisioningRepository": {
                    "provider": "GITHUB",
                    "name": "o/r",
                    "branch": "m",
                }
            },
        ),
    ):
        client.update_account_settings(
            pipelineServiceRoleArn="",
            pipelineCodebuildRoleArn="",
            deletePipelineProvisioningRepository=True,
        )
        client.update_account_settings(**setting)
        assert list(client.get_account_settings()["accountSettings"]) == list(setting)
        assert create(client, name)["status"] == "CREATE_IN_PROGRESS"


SPEC_ERRORS = [
    ("instances: [one", "The service spec is not valid YAML (line 1, column 16)."),
    ("- one\n- two\n", "The service spec must be a YAML mapping."),
    (
        "proton: EnvironmentSpec\ninstances: []\n",
        "The service spec must have 'proton: ServiceSpec', not 'proton: EnvironmentSpec'.",
    ),
    ("proton: ServiceSpec\n", "The service spec must list at least one instance."),
    ("instances: []\n", "The service spec must list at least one instance."),
    ("instances: {name: one}\n", "The service spec's instances must be a list."),
    ("instances: [one]\n", "The service spec's instances[0] must be a mapping."),
    (
        "instances:\n  - environment: dev\n",
        "The service spec needs a name at instances[0].name.",
    ),
    (
        "instances:\n  - name: one\n",
        "The service spec needs a name at instances[0].environment.",
    ),
    (
        "instances:\n  - name: one\n    environment: dev\n  - name: -two\n    environment: dev\n",
        "The service spec has an invalid name at instances[1].name: '-two' must be 1 to 100 "
        "letters, digits, '-' or '_', starting with a letter or digit.",
    ),
    (
        spec(("one", "d" * 101)),
        f"The service spec has an invalid name at instances[0].environment: '{'d' * 101}' "
        "must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit.",
    ),
    (
        "instances:\n  - name: one\n    environment: dev\n    spec: [1]\n",
        "The service spec's instances[0].spec must be a mapping.",
    ),
    (spec(("one", "dev"), ("one", "prod")), "The service spec names the instance one twice."),
    (
        "pipeline: [1]\ninstances:\n  - name: one\n    environment: dev\n",
        "The service spec's pipeline must be a mapping.",
    ),
]


def test_spec_errors(client):
    for text, message in SPEC_ERRORS:
        refused(client, "ValidationException", lambda: create(client, spec_text=text), message)


def test_placement_and_version_errors(client, proton):
    env_template(client, "db")
    environment(client, "data", template="db")
    client.get_waiter("environment_deployed").wait(name="data", WaiterConfig=NO_WAIT)
    refused(
        client,
        "ResourceNotFoundException",
        lambda: create(client, spec_text=spec(("one", "dev"), ("two", "nothing"))),
        "The environment nothing was not found.",
    )
    refused(
        client,
        "ValidationException",
        lambda: create(client, spec_text=spec(("one", "data"))),
        "Service template version web:1.0 is not compatible with environment data "
        "(environment template db, major version 1).",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: create(client, template="nothing"),
        "The service template nothing was not found.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: create(client, templateMinorVersion="5"),
        f"The requested service template version does not exist: {ARN}:service-template/web:1.5",
    )
    service_version(client, major="1", publish=False)
    refused(
        client,
        "ValidationException",
        lambda: create(client, templateMinorVersion="1"),
        "Service template version web:1.1 is DRAFT; only a PUBLISHED version can be deployed.",
    )
    service_version(client, publish=False)
    refused(
        client,
        "ValidationException",
        lambda: create(client, templateMajorVersion="2"),
        "Service template web has no published version in major version 2.",
    )
    proton.set_transition("proton::environment-deletion", {"progression": "manual", "times": 5})
    client.delete_environment(name="prod")
    refused(
        client,
        "ConflictException",
        lambda: create(client),
        "The environment prod is being deleted; instance two can't be placed in it.",
    )
    # An environment that has not finished deploying will do.
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 5})
    environment(client, "fresh")
    assert create(client, spec_text=spec(("one", "fresh")))["status"] == "CREATE_IN_PROGRESS"


def test_compatibility_changes_affect_later_placements(client):
    env_template(client, "db")
    create(client, spec_text=ONE)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    changed = client.update_service_template_version(
        templateName="web",
        majorVersion="1",
        minorVersion="0",
        compatibleEnvironmentTemplates=[{"templateName": "db", "majorVersion": "1"}],
    )["serviceTemplateVersion"]
    assert changed["status"] == "PUBLISHED"
    assert instance(client)["deploymentStatus"] == "SUCCEEDED"
    refused(
        client,
        "ValidationException",
        lambda: create(client, "other", spec_text=ONE),
        "Service template version web:1.0 is not compatible with environment dev "
        "(environment template vpc, major version 1).",
    )
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_instance(
            name="one", serviceName="svc", deploymentType="CURRENT_VERSION"
        ),
        "Service template version web:1.0 is not compatible with environment dev.",
    )


def test_service_quotas(client):
    moto_proton.set_quota("service_instances_per_service", 1)
    refused(
        client,
        "ServiceQuotaExceededException",
        lambda: create(client),
        "Service svc has reached its quota of 1 service instances (service_instances_per_service).",
    )
    moto_proton.set_quota("services", 1)
    create(client, spec_text=ONE)
    refused(
        client,
        "ServiceQuotaExceededException",
        lambda: create(client, "other", spec_text=ONE),
        f"Account {ACCOUNT} has reached its quota of 1 services in us-east-1 (services).",
    )
    assert create(client, spec_text=ONE)["name"] == "svc"  # a retry takes no quota


def test_create_service_is_idempotent_until_modified(client, proton):
    created = create(client, description="d")
    retried = create(client, description="d")
    assert (retried["arn"], retried["createdAt"]) == (created["arn"], created["createdAt"])
    assert len(client.list_deployments()["deployments"]) == 5  # 2 environments + 3: no more
    refused(
        client,
        "ValidationException",
        lambda: create(client, description="other"),
        "Idempotent parameter mismatch: the service svc already exists with different parameters.",
    )
    client.update_service(name="svc", description="changed")
    refused(
        client,
        "ConflictException",
        lambda: create(client, description="d"),
        "The service svc already exists.",
    )
    create(client, "gone", description="d")
    proton.set_transition(DELETION, {"progression": "manual", "times": 5})
    client.delete_service(name="gone")
    refused(
        client,
        "ConflictException",
        lambda: create(client, "gone", description="d"),
        "The service gone already exists.",
    )


# -- reading, updating and deleting services -----------------------------------------------


def test_get_and_list_services(client):
    refused(
        client,
        "ResourceNotFoundException",
        lambda: get(client),
        "The service svc was not found.",
    )
    for name in ("c", "a", "b"):
        create(client, name, spec_text=ONE, description=f"service {name}")
    listed = client.list_services()["services"]
    assert [s["name"] for s in listed] == ["a", "b", "c"]
    assert listed[0] == {
        "arn": f"{ARN}:service/a",
        "name": "a",
        "description": "service a",
        "templateName": "web",
        "status": "ACTIVE",
        "createdAt": listed[0]["createdAt"],
        "lastModifiedAt": listed[0]["createdAt"],
    }
    page = client.list_services(maxResults=2)
    assert [s["name"] for s in page["services"]] == ["a", "b"]
    rest = client.list_services(maxResults=2, nextToken=page["nextToken"])
    assert [s["name"] for s in rest["services"]] == ["c"] and "nextToken" not in rest
    full = get(client, "a")
    assert full["spec"] == ONE and full["pipeline"]["deploymentStatus"] == "SUCCEEDED"


def test_update_service_description_only(client):
    created = create(client)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    updated = client.update_service(name="svc", description="new")["service"]
    assert (updated["status"], updated["description"]) == ("ACTIVE", "new")
    assert updated["lastModifiedAt"] > created["lastModifiedAt"]
    assert updated["spec"] == TWO
    client.get_waiter("service_updated").wait(
        name="svc", WaiterConfig={"Delay": 0, "MaxAttempts": 1}
    )
    same = client.update_service(name="svc", description="new")["service"]
    assert same["lastModifiedAt"] == updated["lastModifiedAt"]
    assert client.update_service(name="svc")["service"] == same
    deployments = client.list_deployments(serviceName="svc")["deployments"]
    assert len(deployments) == 3  # two instances and the pipeline: nothing redeployed


def test_update_service_adds_and_removes_instances(client, proton):
    created = create(client, tags=[{"key": "team", "value": "web"}])
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    first_pipeline_deployment = created["pipeline"]["lastAttemptedDeploymentId"]
    new_spec = spec(
        ("one", "dev", {"port": 80}), ("three", "prod", {"size": 2}), pipeline={"test": "make test"}
    )
    updated = client.update_service(name="svc", spec=new_spec, description="more")["service"]
    assert (updated["status"], updated["spec"], updated["description"]) == (
        "UPDATE_IN_PROGRESS",
        new_spec,
        "more",
    )
    assert updated["lastModifiedAt"] > created["lastModifiedAt"]
    client.get_waiter("service_updated").wait(name="svc", WaiterConfig=NO_WAIT)
    assert get(client)["status"] == "ACTIVE"
    names = [
        i["name"] for i in client.list_service_instances(serviceName="svc")["serviceInstances"]
    ]
    assert names == ["one", "three"]
    refused(
        client,
        "ResourceNotFoundException",
        lambda: instance(client, "two"),
        "The service instance two of service svc was not found.",
    )
    three = instance(client, "three")
    assert three["spec"] == new_spec and three["deploymentStatus"] == "SUCCEEDED"
    assert tags_of(client, three["arn"])["team"] == "web"  # new instances get the service's
    assert instance(client)["spec"] == TWO  # a kept instance is not redeployed
    pipeline = get(client)["pipeline"]
    assert pipeline["lastAttemptedDeploymentId"] != first_pipeline_deployment
    assert pipeline["spec"] == new_spec
    # An instance being removed can't be updated; the service waits for its removal.
    proton.set_transition(
        "proton::service-instance-deletion", {"progression": "manual", "times": 3}
    )
    client.update_service(
        name="svc", spec=spec(("one", "dev", {"port": 80}), pipeline={"test": "make test"})
    )
    assert instance(client, "three")["deploymentStatus"] == "DELETE_IN_PROGRESS"
    refused(
        client,
        "ConflictException",
        lambda: client.update_service_instance(
            name="three", serviceName="svc", deploymentType="CURRENT_VERSION"
        ),
        "The service instance three is DELETE_IN_PROGRESS; wait for it to finish before "
        "updating it.",
    )
    assert get(client)["status"] == "UPDATE_IN_PROGRESS"
    client.get_waiter("service_updated").wait(name="svc", WaiterConfig=NO_WAIT)
    assert [i["name"] for i in client.list_service_instances()["serviceInstances"]] == ["one"]


def test_update_service_refusals(client, proton):
    create(client)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    for changed, message in (
        (
            spec(("one", "prod", {"port": 80}), ("two", "prod"), pipeline={"test": "make test"}),
            "UpdateService can't change the environment or inputs of the existing instance "
            "one; use UpdateServiceInstance.",
        ),
        (
            spec(("one", "dev", {"port": 81}), ("two", "prod"), pipeline={"test": "make test"}),
            "UpdateService can't change the environment or inputs of the existing instance "
            "one; use UpdateServiceInstance.",
        ),
        (
            spec(("one", "dev", {"port": 80}), ("two", "prod"), pipeline={"test": "make check"}),
            "UpdateService can't change the pipeline inputs of service svc; use "
            "UpdateServicePipeline.",
        ),
        (
            spec(("one", "dev", {"port": 80}), ("two", "prod")),
            "UpdateService can't change the pipeline inputs of service svc; use "
            "UpdateServicePipeline.",
        ),
        (
            "proton: ServiceSpec\ninstances: []\n",
            "The service spec must list at least one instance.",
        ),
    ):
        refused(
            client,
            "ValidationException",
            lambda: client.update_service(name="svc", spec=changed, description="x"),
            message,
        )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_service(
            name="svc",
            spec=spec(
                ("one", "dev", {"port": 80}), ("new", "gone"), pipeline={"test": "make test"}
            ),
        ),
        "The environment gone was not found.",
    )
    moto_proton.set_quota("service_instances_per_service", 2)
    refused(
        client,
        "ServiceQuotaExceededException",
        lambda: client.update_service(
            name="svc",
            spec=spec(
                ("one", "dev", {"port": 80}),
                ("two", "prod"),
                ("three", "dev"),
                pipeline={"test": "make test"},
            ),
        ),
        "Service svc has reached its quota of 2 service instances (service_instances_per_service).",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_service(name="nothing", description="x"),
        "The service nothing was not found.",
    )
    # While an update runs, a second one is refused.
    proton.set_transition(DEPLOYMENT, {"progression": "manual", "times": 3})
    client.update_service(
        name="svc", spec=spec(("one", "dev", {"port": 80}), pipeline={"test": "make test"})
    )
    assert get(client)["status"] == "UPDATE_IN_PROGRESS"
    refused(
        client,
        "ConflictException",
        lambda: client.update_service(name="svc", spec=ONE),
        "The service svc is UPDATE_IN_PROGRESS and its pipeline IN_PROGRESS; wait for it to "
        "finish before updating it.",
    )
    refused(
        client,
        "ConflictException",
        lambda: client.delete_service(name="svc"),
        f"The service svc is UPDATE_IN_PROGRESS with deployments in progress ({ARN}:service/svc/"
        "pipeline); wait for it to finish before deleting it.",
    )


def test_update_service_with_current_values(client):
    create(
        client, spec_text=spec(("one", "dev", {"port": 80, "size": "s"}), pipeline={"test": "t"})
    )
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    current = "${Proton::CURRENT_VAL}"
    text = spec(
        ("one", "dev", {"port": current, "size": current, "extra": current}),
        ("two", "prod", {"port": current}),
        pipeline={"test": current},
    )
    updated = client.update_service(name="svc", spec=text)["service"]
    stored = yaml.safe_load(updated["spec"])
    assert stored["pipeline"] == {"test": "t"}
    assert stored["instances"] == [
        {"name": "one", "environment": "dev", "spec": {"port": 80, "size": "s"}},
        {"name": "two", "environment": "prod", "spec": {}},
    ]
    client.get_waiter("service_updated").wait(name="svc", WaiterConfig=NO_WAIT)
    assert yaml.safe_load(instance(client, "two")["spec"]) == stored


def test_update_service_after_instance_and_pipeline_updates(client):
    """Kept parts may be listed with the inputs they run with (after UpdateServiceInstance
    or UpdateServicePipeline) or with those of the service's spec, which those don't
    rewrite; ${Proton::CURRENT_VAL} takes what they run with."""
    listed = spec(("one", "dev", {"port": 80}), pipeline={"test": "t"})
    running = spec(("one", "dev", {"port": 81}), pipeline={"test": "u"})
    current = "${Proton::CURRENT_VAL}"
    for name, port, test in (("a", 80, "t"), ("b", 81, "u"), ("c", current, current)):
        create(client, name, spec_text=listed)
        client.get_waiter("service_created").wait(name=name, WaiterConfig=NO_WAIT)
        client.update_service_instance(
            name="one", serviceName=name, deploymentType="CURRENT_VERSION", spec=running
        )
        client.update_service_pipeline(
            serviceName=name, spec=running, deploymentType="CURRENT_VERSION"
        )
        assert get(client, name)["spec"] == listed
        assert get(client, name)["pipeline"]["spec"] == running
        for changed in (
            spec(("one", "dev", {"port": 82}), pipeline={"test": test}),
            spec(("one", "dev", {"port": port}), pipeline={"test": "v"}),
        ):
            with pytest.raises(client.exceptions.ValidationException):
                client.update_service(name=name, spec=changed)
        text = spec(("one", "dev", {"port": port}), ("two", "prod"), pipeline={"test": test})
        updated = client.update_service(name=name, spec=text)["service"]
        assert updated["status"] == "UPDATE_IN_PROGRESS"
        client.get_waiter("service_updated").wait(name=name, WaiterConfig=NO_WAIT)
    resolved = yaml.safe_load(updated["spec"])
    assert resolved["instances"][0]["spec"] == {"port": 81}
    assert resolved["pipeline"] == {"test": "u"}


def test_delete_service(client, proton):
    created = create(client)
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    refused(
        client,
        "ConflictException",
        lambda: client.delete_environment(name="dev"),
        "The environment dev can't be deleted while service instances run in it: svc/one.",
    )
    proton.set_transition(DELETION, {"progression": "manual", "times": 2})
    deleting = client.delete_service(name="svc")["service"]
    assert deleting["status"] == "DELETE_IN_PROGRESS"
    assert deleting["pipeline"]["deploymentStatus"] == "DELETE_IN_PROGRESS"
    assert instance(client)["deploymentStatus"] == "DELETE_IN_PROGRESS"
    assert client.delete_service(name="svc")["service"]["status"] == "DELETE_IN_PROGRESS"
    refused(
        client,
        "ConflictException",
        lambda: client.update_service(name="svc", description="x"),
        "The service svc is DELETE_IN_PROGRESS.",
    )
    client.get_waiter("service_deleted").wait(name="svc", WaiterConfig=NO_WAIT)
    # A retried delete once the deletion is done succeeds with an empty answer.
    assert "service" not in client.delete_service(name="svc")
    for call in (
        lambda: get(client),
        lambda: instance(client),
        lambda: client.list_deployments(serviceName="svc"),
        lambda: client.list_service_instances(serviceName="svc"),
    ):
        refused(client, "ResourceNotFoundException", call, "The service svc was not found.")
    assert client.list_services()["services"] == []
    assert client.list_service_instances()["serviceInstances"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=created["arn"])
    client.delete_environment(name="dev")  # nothing runs in it any more
    # The name is free again.
    assert create(client, spec_text=spec(("one", "prod"), pipeline={}))["status"] == (
        "CREATE_IN_PROGRESS"
    )


# -- end to end ------------------------------------------------------------------------------


def test_end_to_end_two_accounts(proton_accounts):
    env, mgmt = proton_accounts.environment, proton_accounts.management
    env_id, mgmt_id = proton_accounts.environment_account_id, proton_accounts.management_account_id
    mgmt_arn = f"arn:aws:proton:us-east-1:{mgmt_id}"
    connection = env.create_environment_account_connection(
        managementAccountId=mgmt_id, environmentName="prod", roleArn=f"arn:aws:iam::{env_id}:role/r"
    )["environmentAccountConnection"]
    accepted = mgmt.accept_environment_account_connection(id=connection["id"])
    assert accepted["environmentAccountConnection"]["status"] == "CONNECTED"

    env_template(mgmt)
    prod = mgmt.create_environment(
        name="prod",
        templateName="vpc",
        templateMajorVersion="1",
        spec=ENV_SPEC,
        environmentAccountConnectionId=connection["id"],
    )["environment"]
    assert prod["environmentAccountId"] == env_id
    mgmt.get_waiter("environment_deployed").wait(name="prod", WaiterConfig=NO_WAIT)
    environment(mgmt, "dev")
    mgmt.get_waiter("environment_deployed").wait(name="dev", WaiterConfig=NO_WAIT)

    mgmt.create_service_template(name="web", displayName="Web")
    mgmt.create_service_template_version(
        templateName="web",
        source=SOURCE,
        compatibleEnvironmentTemplates=[{"templateName": "vpc", "majorVersion": "1"}],
    )
    mgmt.get_waiter("service_template_version_registered").wait(
        templateName="web", majorVersion="1", minorVersion="0", WaiterConfig=NO_WAIT
    )
    mgmt.update_service_template_version(
        templateName="web", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        create(mgmt, spec_text=TWO)
    assert error_of(excinfo)[1] == PIPELINE_ROLES_MISSING
    mgmt.update_account_settings(pipelineServiceRoleArn=f"arn:aws:iam::{mgmt_id}:role/p")
    assert env.get_account_settings()["accountSettings"] == {}

    created = create(mgmt, spec_text=TWO)
    assert created["arn"] == f"{mgmt_arn}:service/svc" and created["status"] == "CREATE_IN_PROGRESS"
    mgmt.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    for name in ("one", "two"):
        mgmt.get_waiter("service_instance_deployed").wait(
            name=name, serviceName="svc", WaiterConfig=NO_WAIT
        )
    mgmt.get_waiter("service_pipeline_deployed").wait(name="svc", WaiterConfig=NO_WAIT)
    assert [
        (i["name"], i["environmentName"]) for i in mgmt.list_service_instances()["serviceInstances"]
    ] == [("one", "dev"), ("two", "prod")]
    with pytest.raises(env.exceptions.ResourceNotFoundException):
        env.get_service(name="svc")
    assert env.list_service_instances()["serviceInstances"] == []
    with pytest.raises(mgmt.exceptions.ConflictException):
        mgmt.delete_environment(name="prod")

    mgmt.create_service_template_version(
        templateName="web",
        majorVersion="1",
        source=SOURCE,
        compatibleEnvironmentTemplates=[{"templateName": "vpc", "majorVersion": "1"}],
    )
    mgmt.get_waiter("service_template_version_registered").wait(
        templateName="web", majorVersion="1", minorVersion="1", WaiterConfig=NO_WAIT
    )
    mgmt.update_service_template_version(
        templateName="web", majorVersion="1", minorVersion="1", status="PUBLISHED"
    )
    mgmt.update_service_instance(name="two", serviceName="svc", deploymentType="MINOR_VERSION")
    mgmt.get_waiter("service_instance_deployed").wait(
        name="two", serviceName="svc", WaiterConfig=NO_WAIT
    )
    two = mgmt.get_service_instance(name="two", serviceName="svc")["serviceInstance"]
    assert (two["templateMajorVersion"], two["templateMinorVersion"]) == ("1", "1")
    assert mgmt.get_resources_summary()["counts"]["serviceInstances"]["behindMinor"] == 1

    changed = spec(("two", "prod"), ("three", "dev"), pipeline={"test": "make test"})
    updated = mgmt.update_service(name="svc", spec=changed)["service"]
    assert updated["status"] == "UPDATE_IN_PROGRESS"
    mgmt.get_waiter("service_updated").wait(name="svc", WaiterConfig=NO_WAIT)
    assert [
        i["name"] for i in mgmt.list_service_instances(serviceName="svc")["serviceInstances"]
    ] == ["three", "two"]
    three = mgmt.get_service_instance(name="three", serviceName="svc")["serviceInstance"]
    assert three["templateMinorVersion"] == "0"  # new instances get the service's version
    deployments = mgmt.list_deployments(serviceName="svc")["deployments"]
    assert len(deployments) == 6  # 2 instances + pipeline, an update, a new instance, pipeline
    assert {d["deploymentStatus"] for d in deployments} == {"SUCCEEDED"}
    last_pipeline = [d for d in deployments if d["targetResourceType"] == "SERVICE_PIPELINE"][-1]
    assert last_pipeline["environmentName"] == "prod"  # the spec's first instance's
    got = mgmt.get_deployment(id=last_pipeline["id"])["deployment"]
    assert got["targetState"]["servicePipeline"]["spec"] == changed
    assert got["initialState"]["servicePipeline"]["spec"] == TWO

    assert mgmt.delete_service(name="svc")["service"]["status"] == "DELETE_IN_PROGRESS"
    mgmt.get_waiter("service_deleted").wait(name="svc", WaiterConfig=NO_WAIT)
    assert mgmt.list_services()["services"] == []
    assert mgmt.list_service_instances()["serviceInstances"] == []
    mgmt.delete_environment(name="prod")
    mgmt.delete_service_template_version(templateName="web", majorVersion="1", minorVersion="0")
