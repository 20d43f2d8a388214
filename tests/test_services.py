"""Services, service instances, service pipelines, account settings, their deployments, the
resources summary and the six service waiters, in both modes."""

import datetime
import time

import pytest
import yaml
from botocore.exceptions import WaiterError

import moto_proton

from .helpers import UUID, error_of, refused, tag_refusal, tags_of, wait_exactly

ACCOUNT = "123456789012"
ARN = f"arn:aws:proton:us-east-1:{ACCOUNT}"
SOURCE = {"s3": {"bucket": "templates-bucket", "key": "bundle.tar.gz"}}
ENV_SPEC = "proton: EnvironmentSpec\nspec: {}\n"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/proton"
REPOSITORY = {
    "repositoryConnectionArn": f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
    "repositoryId": "org/web",
    "branchName": "main",
}
NO_WAIT = {"Delay": 0, "MaxAttempts": 3}
DEPLOYMENT = "proton::deployment"
DELETION = "proton::service-deletion"
PIPELINE_ROLES_MISSING = "Operation cannot be run until pipeline roles have been configured"


def spec(*instances, pipeline=None):
    """A service spec: instances as (name, environment) or (name, environment, inputs)."""
    document = {"proton": "ServiceSpec"}
    if pipeline is not None:
        document["pipeline"] = pipeline
    document["instances"] = [
        {"name": i[0], "environment": i[1], **({"spec": i[2]} if len(i) > 2 else {})}
        for i in instances
    ]
    return yaml.safe_dump(document, sort_keys=False)


ONE = spec(("one", "dev", {"port": 80}), pipeline={"test": "make test"})
TWO = spec(("one", "dev", {"port": 80}), ("two", "prod"), pipeline={"test": "make test"})


def env_template(client, name="vpc", majors=1):
    client.create_environment_template(name=name)
    for major in range(1, majors + 1):
        client.create_environment_template_version(templateName=name, source=SOURCE)
        client.update_environment_template_version(
            templateName=name, majorVersion=str(major), minorVersion="0", status="PUBLISHED"
        )


def environment(client, name, template="vpc", major="1"):
    return client.create_environment(
        name=name,
        templateName=template,
        templateMajorVersion=major,
        spec=ENV_SPEC,
        protonServiceRoleArn=ROLE,
    )["environment"]


def service_version(client, template="web", major=None, compatible=(("vpc", "1"),), publish=True):
    params = {
        "templateName": template,
        "source": SOURCE,
        "compatibleEnvironmentTemplates": [
            {"templateName": t, "majorVersion": m} for t, m in compatible
        ],
    }
    if major:
        params["majorVersion"] = major
    version = client.create_service_template_version(**params)["serviceTemplateVersion"]
    if publish:
        client.update_service_template_version(
            templateName=template,
            majorVersion=version["majorVersion"],
            minorVersion=version["minorVersion"],
            status="PUBLISHED",
        )
    return version["majorVersion"], version["minorVersion"]


@pytest.fixture
def client(proton):
    """Environments dev and prod (vpc 1.0), service templates web (with a pipeline) and
    worker (without), each with version 1.0 published, and a pipeline service role."""
    client = proton.client()
    env_template(client)
    environment(client, "dev")
    environment(client, "prod")
    client.create_service_template(name="web")
    service_version(client)
    client.create_service_template(name="worker", pipelineProvisioning="CUSTOMER_MANAGED")
    service_version(client, "worker")
    client.update_account_settings(pipelineServiceRoleArn=ROLE)
    for name in ("dev", "prod"):
        client.get_waiter("environment_deployed").wait(name=name, WaiterConfig=NO_WAIT)
    return client


def create(client, name="svc", spec_text=TWO, template="web", repository=None, **extra):
    """CreateService; `repository` defaults to REPOSITORY for web, none for worker."""
    if repository is None:
        repository = REPOSITORY if template == "web" else {}
    params = {
        "name": name,
        "templateName": template,
        "templateMajorVersion": "1",
        "spec": spec_text,
        **repository,
        **extra,
    }
    return client.create_service(**params)["service"]


def get(client, name="svc"):
    return client.get_service(name=name)["service"]


def instance(client, name="one", service="svc"):
    return client.get_service_instance(name=name, serviceName=service)["serviceInstance"]


def rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# -- account settings --------------------------------------------------------------------


def link(client, provider, name):
    client.create_repository(
        provider=provider,
        name=name,
        connectionArn=f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
    )


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
