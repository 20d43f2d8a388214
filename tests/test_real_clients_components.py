"""A component lifecycle on a live server, driven by real clients other than boto3.

- The AWS SDK for JavaScript v3 (`tests/js/components.mjs`): an environment with a component
  role, a service (no pipeline) whose template version supports directly defined components, a
  component created detached, attached to the service's instance, redeployed while
  self-managed automation reports outputs and success (NotifyResourceDeploymentStatusChange),
  detached and deleted; a second component; ListComponents filters, deployments, tags, the
  resources summary; linked repositories; errors. Every wait goes through the SDK's own
  waiters, each made to poll twice by moto's state manager (every deployment, registration
  and deletion held in progress for one read).
- The AWS CLI (`python -m awscli`): the same in short (the environment and service set up
  with boto3): `create-component` from files, `aws proton wait component-deployed` /
  `component-deleted`, an attach and a detach, a notification with outputs, an error, and
  `create-repository` / `list-repositories` / `delete-repository`.

Both run against the `proton_server_url` fixture only (server mode).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from moto_proton.testing import DEFAULT_ACCOUNT_ID, ProtonMock

from .real_clients_support import (
    HOLD_ONE_READ,
    MANAGEMENT_ACCOUNT,
    NEXT_TOKEN,
    REGION,
    SERVICE_HELD_MODELS,
    UUID,
    Cli,
    assert_dates,
    assert_error,
    cli_wait,
    proton_arn,
    require_javascript_sdk,
    run_javascript,
    sane_date,
    sorted_tags,
)

#: Models of moto's state manager that the JavaScript lifecycle goes through, each held for
#: one read.
HELD_MODELS = (*SERVICE_HELD_MODELS, "proton::component-deletion")
MANIFEST = (
    "infrastructure:\n"
    "  templates:\n"
    '    - file: "cloudformation.yaml"\n'
    "      rendering_engine: jinja\n"
    "      template_language: cloudformation\n"
)
TEMPLATE_FILE = (
    "Resources:\n"
    "  Bucket:\n"
    "    Type: AWS::S3::Bucket\n"
    "Outputs:\n"
    "  BucketName:\n"
    "    Value: !Ref Bucket\n"
)


# --- (a) the JavaScript SDK v3 ---------------------------------------------------------------


def test_javascript_sdk_v3_component_lifecycle(proton_server_url: str) -> None:
    require_javascript_sdk()

    with ProtonMock(endpoint_url=proton_server_url) as proton:
        for model in HELD_MODELS:
            proton.set_transition(model, HOLD_ONE_READ)
        result = run_javascript("components.mjs", proton_server_url, timeout=50)

    component_arn = proton_arn("component/js-comp")
    other_arn = proton_arn("component/js-comp-2")
    environment_arn = proton_arn("environment/js-cenv")
    spec_v1 = "proton: ServiceSpec\nspec:\n  bucket_prefix: js\n"
    spec_v2 = "proton: ServiceSpec\nspec:\n  bucket_prefix: js-v2\n"

    # Every timestamp that came back, anywhere, is a real Date of this era.
    assert assert_dates(result) > 80

    # Every waiter succeeded after exactly two polls: one in progress, one done (a deletion:
    # one DELETE_IN_PROGRESS, then ResourceNotFoundException).
    waiters = result["waiters"]
    assert set(waiters) == {
        "environmentTemplateVersionRegistered",
        "environmentDeployed",
        "serviceTemplateVersionRegistered",
        "serviceCreated",
        "componentCreated",
        "componentAttached",
        "otherComponentCreated",
        "componentDetached",
        "serviceDeleted",
        "componentDeleted",
    }
    for name, waited in waiters.items():
        assert waited["state"] == "SUCCESS", (name, waited)
        assert waited["polls"] == 2, (name, waited)
        assert waited["seconds"] >= 0.9, (name, waited)  # it slept its 1 s between polls
    assert waiters["componentDeleted"]["observed"] == {
        "200: OK": 1,
        "404: The component js-comp was not found.": 1,
    }
    assert waiters["serviceDeleted"]["observed"] == {
        "200: OK": 1,
        "404: The service js-csvc was not found.": 1,
    }

    # The set-up: a component role on the environment, a pipeline-less template version that
    # supports directly defined components, a service without pipeline or repository.
    assert result["environment"]["componentRoleArn"] == (
        f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/proton-js-component"
    )
    assert result["serviceTemplate"]["pipelineProvisioning"] == "CUSTOMER_MANAGED"
    version = result["serviceTemplateVersion"]
    assert version["status"] == "PUBLISHED"
    assert version["supportedComponentSources"] == ["DIRECTLY_DEFINED"]
    assert result["service"]["status"] == "CREATE_IN_PROGRESS"
    assert "pipeline" not in result["service"] and "repositoryId" not in result["service"]

    # CreateComponent, detached: IN_PROGRESS, one clock reading for the three timestamps.
    create = result["create"]
    assert create["httpStatusCode"] == 200
    assert create["requestId"]
    created = create["component"]
    assert created["arn"] == component_arn
    assert (created["name"], created["environmentName"]) == ("js-comp", "js-cenv")
    assert created["description"] == "JS SDK component"
    assert created["deploymentStatus"] == "IN_PROGRESS"
    assert UUID.match(created["lastClientRequestToken"])  # the SDK's idempotency token
    assert UUID.match(created["lastAttemptedDeploymentId"])
    created_at = sane_date(created["createdAt"])
    assert sane_date(created["lastModifiedAt"]) == created_at
    assert sane_date(created["lastDeploymentAttemptedAt"]) == created_at
    assert abs(created_at / 1000 - time.time()) < 300
    for absent in (
        "serviceName",
        "serviceInstanceName",
        "serviceSpec",
        "lastSucceededDeploymentId",
    ):
        assert absent not in created

    deployed = result["afterCreate"]
    assert deployed["deploymentStatus"] == "SUCCEEDED"
    assert deployed["lastSucceededDeploymentId"] == created["lastAttemptedDeploymentId"]
    assert sane_date(deployed["lastDeploymentSucceededAt"]) == created_at
    assert "serviceName" not in deployed
    assert sorted_tags(result["componentTags"]) == [
        ("aws:proton:account", MANAGEMENT_ACCOUNT),
        ("aws:proton:component", component_arn),
        ("aws:proton:environment", environment_arn),
        ("team", "js"),
    ]

    # Attaching (CURRENT_VERSION): detached while deploying, attached with its inputs once done.
    attaching = result["attaching"]
    assert attaching["deploymentStatus"] == "IN_PROGRESS"
    assert "serviceName" not in attaching and "serviceSpec" not in attaching
    attach_id = attaching["lastAttemptedDeploymentId"]
    assert attach_id != created["lastAttemptedDeploymentId"]
    attach_at = sane_date(attaching["lastDeploymentAttemptedAt"])
    assert attach_at > created_at
    assert sane_date(attaching["lastModifiedAt"]) == attach_at
    assert sane_date(attaching["lastDeploymentSucceededAt"]) == created_at  # the previous one
    attached = result["afterAttach"]
    assert attached["deploymentStatus"] == "SUCCEEDED"
    assert (attached["serviceName"], attached["serviceInstanceName"]) == ("js-csvc", "js-ci")
    assert attached["serviceSpec"] == spec_v1
    assert attached["lastSucceededDeploymentId"] == attach_id
    assert sane_date(attached["lastDeploymentSucceededAt"]) == attach_at
    assert sane_date(attached["createdAt"]) == created_at

    # ListComponents: summaries by name, each filter ANDed; a page of one has a token.
    listed = result["listComponents"]
    assert listed["nextToken"] is None
    assert [c["name"] for c in listed["components"]] == ["js-comp", "js-comp-2"]
    assert [c["arn"] for c in listed["components"]] == [component_arn, other_arn]
    summary = listed["components"][0]
    assert (summary["serviceName"], summary["serviceInstanceName"]) == ("js-csvc", "js-ci")
    assert summary["deploymentStatus"] == "SUCCEEDED"
    for absent in ("serviceSpec", "description", "lastClientRequestToken"):
        assert absent not in summary
    assert "serviceName" not in listed["components"][1]
    assert result["listByEnvironment"] == {"names": ["js-comp", "js-comp-2"], "nextToken": None}
    assert result["listByService"] == {"names": ["js-comp"], "nextToken": None}
    assert result["listByInstance"] == {"names": ["js-comp"], "nextToken": None}
    assert result["listByOtherInstance"] == {"names": [], "nextToken": None}
    assert result["listByUnknownEnvironment"] == {"names": [], "nextToken": None}
    assert result["listPage"]["names"] == ["js-comp"]
    assert NEXT_TOKEN.match(result["listPage"]["nextToken"])

    # The redeploy with new inputs, held IN_PROGRESS: Notify(IN_PROGRESS, outputs) stores
    # outputs for that deployment only; Notify(SUCCEEDED, outputs) completes it and merges them.
    redeploying = result["redeploying"]
    redeploy_id = redeploying["lastAttemptedDeploymentId"]
    assert redeploying["deploymentStatus"] == "IN_PROGRESS"
    assert redeploying["serviceSpec"] == spec_v1  # the inputs it runs with, until it succeeds
    assert redeploying["description"] == "JS SDK component, v2 inputs"
    assert result["notifyInProgress"] == {"output": {}, "httpStatusCode": 200}
    reporting = result["whileReporting"]
    assert reporting["deploymentStatus"] == "IN_PROGRESS"
    assert reporting["lastAttemptedDeploymentId"] == redeploy_id
    assert result["outputsWhileInProgress"] == [
        {"key": "BucketName", "valueString": "js-bucket-v2"}
    ]
    assert result["outputsOfLastSuccessWhileInProgress"] == []  # the attach produced none
    notified = result["afterNotify"]
    assert notified["deploymentStatus"] == "SUCCEEDED"
    assert notified["serviceSpec"] == spec_v2
    assert notified["lastSucceededDeploymentId"] == redeploy_id
    assert sane_date(notified["lastDeploymentSucceededAt"]) == sane_date(
        redeploying["lastDeploymentAttemptedAt"]
    )
    assert sorted(result["outputs"]["outputs"], key=lambda o: o["key"]) == [
        {"key": "BucketArn", "valueString": "arn:aws:s3:::js-bucket-v2"},
        {"key": "BucketName", "valueString": "js-bucket-v2"},
    ]
    assert result["outputs"]["nextToken"] is None
    assert result["outputsOfCreate"] == []
    assert result["provisionedResources"] == []

    # GetDeployment: the component's one-member unions; the attach starts detached.
    attach_deployment = result["attachDeployment"]
    assert attach_deployment["id"] == attach_id
    assert attach_deployment["arn"] == proton_arn(f"deployment/{attach_id}")
    assert attach_deployment["targetResourceType"] == "COMPONENT"
    assert attach_deployment["targetArn"] == component_arn
    assert attach_deployment["componentName"] == "js-comp"
    assert attach_deployment["environmentName"] == "js-cenv"
    assert attach_deployment["initialState"] == {
        "component": {"serviceName": "", "serviceInstanceName": "", "templateFile": TEMPLATE_FILE}
    }
    assert attach_deployment["targetState"] == {
        "component": {
            "serviceName": "js-csvc",
            "serviceInstanceName": "js-ci",
            "serviceSpec": spec_v1,
            "templateFile": TEMPLATE_FILE,
        }
    }
    redeploy_deployment = result["redeployDeployment"]
    assert redeploy_deployment["id"] == redeploy_id
    assert redeploy_deployment["deploymentStatus"] == "SUCCEEDED"
    assert redeploy_deployment["initialState"]["component"]["serviceSpec"] == spec_v1
    assert redeploy_deployment["targetState"]["component"]["serviceSpec"] == spec_v2
    assert (redeploy_deployment["serviceName"], redeploy_deployment["serviceInstanceName"]) == (
        "js-csvc",
        "js-ci",
    )
    assert sane_date(redeploy_deployment["completedAt"]) >= sane_date(
        redeploy_deployment["createdAt"]
    )
    assert result["resourcesSummary"]["components"] == {"total": 2, "failed": 0}

    # Detaching (both names ""): still attached while deploying; then no service, no inputs.
    detaching = result["detaching"]
    assert detaching["deploymentStatus"] == "IN_PROGRESS"
    assert detaching["serviceName"] == "js-csvc"
    detached = result["afterDetach"]
    assert detached["deploymentStatus"] == "SUCCEEDED"
    for absent in ("serviceName", "serviceInstanceName", "serviceSpec"):
        assert absent not in detached
    assert detached["lastSucceededDeploymentId"] == detaching["lastAttemptedDeploymentId"]
    assert result["listByServiceAfterDetach"] == {"names": [], "nextToken": None}

    # ListDeployments({componentName}): create, attach, redeploy, detach, oldest first.
    deployments = result["deployments"]
    assert [d["id"] for d in deployments] == [
        created["lastAttemptedDeploymentId"],
        attach_id,
        redeploy_id,
        detaching["lastAttemptedDeploymentId"],
    ]
    assert [d["id"] for d in result["deploymentsBeforeDetach"]] == [
        d["id"] for d in deployments[:3]
    ]
    for deployment in deployments:
        assert deployment["arn"] == proton_arn(f"deployment/{deployment['id']}")
        assert deployment["deploymentStatus"] == "SUCCEEDED"
        assert deployment["targetResourceType"] == "COMPONENT"
        assert deployment["targetArn"] == component_arn
        assert (deployment["componentName"], deployment["environmentName"]) == (
            "js-comp",
            "js-cenv",
        )
        assert sane_date(deployment["targetResourceCreatedAt"]) == created_at
        assert sane_date(deployment["completedAt"]) >= sane_date(deployment["createdAt"])
        assert deployment["lastSucceededDeploymentId"] == deployment["id"]
    started_at = [sane_date(d["createdAt"]) for d in deployments]
    assert started_at == sorted(started_at), "ListDeployments is oldest first"
    assert started_at[0] == created_at

    # Deletion: the service once nothing is attached; the component, DELETE_IN_PROGRESS.
    assert result["serviceDeletion"]["status"] == "DELETE_IN_PROGRESS"
    deleting = result["delete"]
    assert deleting["arn"] == component_arn
    assert deleting["deploymentStatus"] == "DELETE_IN_PROGRESS"
    assert result["componentsAfterDelete"] == {"names": ["js-comp-2"], "nextToken": None}

    # Linked repositories: ARN `repository/<provider, lower case>:<owner/repo>`.
    github_arn = proton_arn("repository/github:js-org/js-infra")
    connection = f"arn:aws:codestar-connections:{REGION}:{MANAGEMENT_ACCOUNT}:connection/js-repos"
    repository = {
        "arn": github_arn,
        "name": "js-org/js-infra",
        "provider": "GITHUB",
        "connectionArn": connection,
    }
    assert result["createRepository"] == repository
    assert result["getRepository"] == repository
    assert result["deleteRepository"] == repository
    enterprise = result["createEnterpriseRepository"]
    assert enterprise == {
        "arn": proton_arn("repository/github_enterprise:js-org/js-enterprise"),
        "name": "js-org/js-enterprise",
        "provider": "GITHUB_ENTERPRISE",
        "connectionArn": connection,
        "encryptionKey": f"arn:aws:kms:{REGION}:{MANAGEMENT_ACCOUNT}:key/js-key",
    }
    assert result["repositoryTags"] == [{"key": "team", "value": "js"}]  # no managed tags
    listed_repositories = result["listRepositories"]
    assert listed_repositories["nextToken"] is None
    assert listed_repositories["repositories"] == [
        repository,
        {k: v for k, v in enterprise.items() if k != "encryptionKey"},  # a summary
    ]
    assert result["repositoriesAfterDelete"] == ["js-org/js-enterprise"]

    # Errors, as the JS SDK reports them.
    errors = result["errors"]
    expected = {
        "noComponentRole": (
            "ValidationException",
            400,
            "The environment js-cenv-norole has no componentRoleArn (nor has its environment "
            "account connection): set one before adding components.",
        ),
        "twoTemplatesInManifest": (
            "ValidationException",
            400,
            "The component manifest must be YAML with infrastructure.templates listing exactly "
            "one template file (components support a single IaC file).",
        ),
        "serviceWithoutInstance": (
            "ValidationException",
            400,
            "Specify both serviceName and serviceInstanceName to attach the component, or neither.",
        ),
        "unknownEnvironment": (
            "ResourceNotFoundException",
            404,
            "The environment js-nope was not found.",
        ),
        "updateWhileDeploying": (
            "ConflictException",
            409,
            "The component js-comp is IN_PROGRESS; wait for it to finish before updating it.",
        ),
        "duplicateName": ("ConflictException", 409, "The component js-comp already exists."),
        "secondComponentOnInstance": (
            "ConflictException",
            409,
            "The service instance js-csvc/js-ci already has the component js-comp.",
        ),
        "listInstanceWithoutService": (
            "ValidationException",
            400,
            "serviceName must be specified to identify the service instance.",
        ),
        "deleteServiceWithComponent": (
            "ConflictException",
            409,
            "The service instance js-csvc/js-ci has the component js-comp attached: detach it "
            "first.",
        ),
        "deleteAttachedComponent": (
            "ConflictException",
            409,
            "The component js-comp is attached to service instance js-csvc/js-ci: detach it "
            "before deleting it.",
        ),
        "moveToAnotherInstance": (
            "ValidationException",
            400,
            "The component js-comp is attached to js-csvc/js-ci: detach it before attaching it "
            "to another service instance.",
        ),
        "noneWithTemplateFile": (
            "ValidationException",
            400,
            "deploymentType NONE updates the description only: don't specify serviceName, "
            "serviceInstanceName, serviceSpec or templateFile.",
        ),
        "notifyOtherDeployment": (
            "ValidationException",
            400,
            f"The deployment {attach_id} is not the current deployment of {component_arn}.",
        ),
        "notifyUnknownComponent": (
            "ResourceNotFoundException",
            404,
            "The component js-nope was not found.",
        ),
        "notifyAfterSuccess": (
            "ConflictException",
            409,
            f"{component_arn} is SUCCEEDED, not IN_PROGRESS.",
        ),
        "getAfterDelete": (
            "ResourceNotFoundException",
            404,
            "The component js-comp was not found.",
        ),
        "outputsAfterDelete": (
            "ResourceNotFoundException",
            404,
            "The component js-comp was not found.",
        ),
        "duplicateRepository": (
            "ConflictException",
            409,
            "The repository js-org/js-infra of provider GITHUB is linked already.",
        ),
        "unknownRepository": (
            "ResourceNotFoundException",
            404,
            "The repository js-org/js-nope of provider GITHUB was not found.",
        ),
        "repositoryOfOtherProvider": (
            "ResourceNotFoundException",
            404,
            "The repository js-org/js-infra of provider BITBUCKET was not found.",
        ),
        "getRepositoryAfterDelete": (
            "ResourceNotFoundException",
            404,
            "The repository js-org/js-infra of provider GITHUB was not found.",
        ),
    }
    assert set(errors) == set(expected)
    for case, (name, status, message) in expected.items():
        assert_error(errors[case], name, status, message)


# --- (b) the AWS CLI -------------------------------------------------------------------------


def set_up_service(proton_server_url: str) -> None:
    """With boto3 (each CLI run costs a second or more): an environment with a component role
    and a service `cli-svc`, one instance `cli-ci`, whose template supports components."""
    setup = ProtonMock(endpoint_url=proton_server_url).client(
        account_id=DEFAULT_ACCOUNT_ID,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    source = {"s3": {"bucket": "cli-templates", "key": "bundle.tar.gz"}}
    setup.create_environment_template(name="cli-env-tpl")
    setup.create_environment_template_version(templateName="cli-env-tpl", source=source)
    setup.update_environment_template_version(
        templateName="cli-env-tpl", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    setup.create_environment(
        name="cli-env",
        templateName="cli-env-tpl",
        templateMajorVersion="1",
        spec="proton: EnvironmentSpec\nspec: {}\n",
        protonServiceRoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/proton-cli-env",
        componentRoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/proton-cli-component",
    )
    setup.create_service_template(name="cli-svc-tpl", pipelineProvisioning="CUSTOMER_MANAGED")
    setup.create_service_template_version(
        templateName="cli-svc-tpl",
        source=source,
        compatibleEnvironmentTemplates=[{"templateName": "cli-env-tpl", "majorVersion": "1"}],
        supportedComponentSources=["DIRECTLY_DEFINED"],
    )
    setup.update_service_template_version(
        templateName="cli-svc-tpl", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    setup.create_service(
        name="cli-svc",
        templateName="cli-svc-tpl",
        templateMajorVersion="1",
        spec=(
            "proton: ServiceSpec\ninstances:\n  - name: cli-ci\n    environment: cli-env\n"
            "    spec:\n      port: 8080\n"
        ),
    )
    assert setup.get_service(name="cli-svc")["service"]["status"] == "ACTIVE"


def test_aws_cli_component_lifecycle(proton_server_url: str, tmp_path: Path) -> None:
    cli = Cli(
        proton_server_url,
        {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
    )
    set_up_service(proton_server_url)
    component_arn = proton_arn("component/cli-comp", DEFAULT_ACCOUNT_ID)
    manifest_file = tmp_path / "manifest.yaml"
    manifest_file.write_text(MANIFEST)
    template_file = tmp_path / "cloudformation.yaml"
    template_file.write_text(TEMPLATE_FILE)
    spec_file = tmp_path / "component-spec.yaml"
    component_spec = "proton: ServiceSpec\nspec:\n  bucket_prefix: cli\n"
    spec_file.write_text(component_spec)

    # Created detached from files; deployed (the waiter's first GetComponent sees SUCCEEDED).
    created = cli.json(
        "proton",
        "create-component",
        "--name",
        "cli-comp",
        "--environment-name",
        "cli-env",
        "--manifest",
        f"file://{manifest_file}",
        "--template-file",
        f"file://{template_file}",
    )["component"]
    assert created["arn"] == component_arn
    assert created["deploymentStatus"] == "IN_PROGRESS"
    assert created["lastClientRequestToken"]  # botocore's idempotency token
    # AWS CLI v1 prints timestamps as they came on the wire: epoch seconds, a JSON number.
    assert isinstance(created["createdAt"], (int, float)), created["createdAt"]
    assert created["createdAt"] == created["lastModifiedAt"]
    assert abs(created["createdAt"] - time.time()) < 300
    cli_wait(cli, "component-deployed", "--name", "cli-comp")

    # Attached to the instance, its inputs from a file.
    attaching = cli.json(
        "proton",
        "update-component",
        "--name",
        "cli-comp",
        "--deployment-type",
        "CURRENT_VERSION",
        "--service-name",
        "cli-svc",
        "--service-instance-name",
        "cli-ci",
        "--service-spec",
        f"file://{spec_file}",
    )["component"]
    assert attaching["deploymentStatus"] == "IN_PROGRESS"
    cli_wait(cli, "component-deployed", "--name", "cli-comp")
    listed = cli.json(
        "proton",
        "list-components",
        "--service-name",
        "cli-svc",
        "--service-instance-name",
        "cli-ci",
    )["components"]
    assert [(c["name"], c["serviceInstanceName"], c["deploymentStatus"]) for c in listed] == [
        ("cli-comp", "cli-ci", "SUCCEEDED")
    ]
    assert listed[0]["lastSucceededDeploymentId"] == attaching["lastAttemptedDeploymentId"]

    # The CLI names the code and the operation on stderr and fails.
    refused = cli.run("proton", "delete-service", "--name", "cli-svc")
    assert refused.returncode in (254, 255), refused  # AWS CLI v2: 254; v1: 255
    assert (
        "An error occurred (ConflictException) when calling the DeleteService operation: "
        "The service instance cli-svc/cli-ci has the component cli-comp attached: detach it "
        "first." in refused.stderr
    ), refused.stderr

    # Detach (both names ""), held IN_PROGRESS; self-managed automation reports the outputs
    # and success; the waiter's first GetComponent then sees SUCCEEDED.
    with ProtonMock(endpoint_url=proton_server_url) as proton:
        proton.set_transition("proton::deployment", HOLD_ONE_READ)
        detaching = cli.json(
            "proton",
            "update-component",
            "--name",
            "cli-comp",
            "--deployment-type",
            "CURRENT_VERSION",
            "--service-name",
            "",
            "--service-instance-name",
            "",
        )["component"]
        assert detaching["deploymentStatus"] == "IN_PROGRESS"
        assert detaching["serviceInstanceName"] == "cli-ci"  # until the detach succeeds
        notified = cli.json(
            "proton",
            "notify-resource-deployment-status-change",
            "--resource-arn",
            component_arn,
            "--deployment-id",
            detaching["lastAttemptedDeploymentId"],
            "--status",
            "SUCCEEDED",
            "--outputs",
            "key=BucketName,valueString=cli-bucket",
        )
        assert notified is None  # `{}`: the CLI prints nothing
        _, calls = cli_wait(cli, "component-deployed", "--name", "cli-comp")
    assert calls == 1, "Notify(SUCCEEDED) completed the deployment"
    outputs = cli.json("proton", "list-component-outputs", "--component-name", "cli-comp")
    assert outputs["outputs"] == [{"key": "BucketName", "valueString": "cli-bucket"}]
    deployments = cli.json("proton", "list-deployments", "--component-name", "cli-comp")[
        "deployments"
    ]
    assert [d["id"] for d in deployments] == [
        created["lastAttemptedDeploymentId"],
        attaching["lastAttemptedDeploymentId"],
        detaching["lastAttemptedDeploymentId"],
    ]
    assert {(d["targetArn"], d["deploymentStatus"]) for d in deployments} == {
        (component_arn, "SUCCEEDED")
    }

    # Delete; the deletion is held for one read, so the waiter sees DELETE_IN_PROGRESS,
    # sleeps its 5 seconds, then ResourceNotFoundException: success.
    with ProtonMock(endpoint_url=proton_server_url) as proton:
        proton.set_transition("proton::component-deletion", HOLD_ONE_READ)
        deleted = cli.json("proton", "delete-component", "--name", "cli-comp")["component"]
        assert deleted["deploymentStatus"] == "DELETE_IN_PROGRESS"
        assert "serviceName" not in deleted
        seconds, calls = cli_wait(cli, "component-deleted", "--name", "cli-comp")
    assert calls == 2, "one GetComponent in progress, one ResourceNotFoundException"
    assert seconds > 4, "the waiter slept its delay between the two"

    # Linked repositories.
    connection = f"arn:aws:codestar-connections:{REGION}:{DEFAULT_ACCOUNT_ID}:connection/cli"
    repository = cli.json(
        "proton",
        "create-repository",
        "--name",
        "cli-org/cli-infra",
        "--provider",
        "GITHUB",
        "--connection-arn",
        connection,
    )["repository"]
    expected: dict[str, Any] = {
        "arn": proton_arn("repository/github:cli-org/cli-infra", DEFAULT_ACCOUNT_ID),
        "name": "cli-org/cli-infra",
        "provider": "GITHUB",
        "connectionArn": connection,
    }
    assert repository == expected
    assert cli.json("proton", "list-repositories")["repositories"] == [expected]
    removed = cli.json(
        "proton", "delete-repository", "--name", "cli-org/cli-infra", "--provider", "GITHUB"
    )
    assert removed == {"repository": expected}
