"""A service lifecycle on a live server, driven by real clients other than boto3.

- The AWS SDK for JavaScript v3 (`tests/js/services.mjs`): templates, an environment, a service
  with two instances and a pipeline, instance/pipeline/service updates, deployments, the
  resources summary, errors and deletion, every wait through the SDK's own waiters. Moto's state
  manager keeps each deployment, registration and deletion in progress for one read, so every
  waiter has to poll twice.
- The AWS CLI (`python -m awscli`), with assumed-role credentials: the same service lifecycle
  in short (its environment set up with boto3), with `aws proton wait ...`,
  `--spec file://...`, `--max-items` pagination and an error.

Both run against the `proton_server_url` fixture only (server mode).
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

from moto_proton.testing import ProtonMock

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

# --- (a) the JavaScript SDK v3 ---------------------------------------------------------------


def test_javascript_sdk_v3_service_lifecycle(proton_server_url: str) -> None:
    require_javascript_sdk()

    with ProtonMock(endpoint_url=proton_server_url) as proton:
        for model in SERVICE_HELD_MODELS:
            proton.set_transition(model, HOLD_ONE_READ)
        result = run_javascript("services.mjs", proton_server_url, timeout=50)

    service_arn = proton_arn("service/js-svc")
    pipeline_arn = f"{service_arn}/pipeline"
    template_arn = proton_arn("service-template/js-svc-tpl")
    instance_arn = {
        name: f"{service_arn}/service-instance/{name}" for name in ("js-a", "js-b", "js-c")
    }

    # Every timestamp that came back, anywhere, is a real Date of this era.
    assert assert_dates(result) > 50

    # Every waiter succeeded after exactly two polls: one in progress, one done (a deleted
    # service: one DELETE_IN_PROGRESS, then ResourceNotFoundException).
    waiters = result["waiters"]
    assert set(waiters) == {
        "environmentTemplateVersionRegistered",
        "environmentDeployed",
        "serviceTemplateVersionRegistered",
        "serviceCreated",
        "serviceTemplateVersion11Registered",
        "serviceInstanceDeployed",
        "servicePipelineDeployed",
        "serviceUpdated",
        "serviceDeleted",
    }
    for name, waited in waiters.items():
        assert waited["state"] == "SUCCESS", (name, waited)
        assert waited["polls"] == 2, (name, waited)
        assert waited["seconds"] >= 0.9, (name, waited)  # it slept its 1 s between polls
    assert waiters["serviceDeleted"]["observed"] == {
        "200: OK": 1,
        "404: The service js-svc was not found.": 1,
    }

    # Templates: registration, then DRAFT with an empty status message, then PUBLISHED.
    assert result["environmentTemplateVersion"]["status"] == "REGISTRATION_IN_PROGRESS"
    assert result["serviceTemplate"]["arn"] == template_arn
    assert result["serviceTemplate"]["displayName"] == "JS service template"
    assert "pipelineProvisioning" not in result["serviceTemplate"]
    version = result["serviceTemplateVersionCreated"]
    assert version["arn"] == f"{template_arn}:1.0"
    assert version["status"] == "REGISTRATION_IN_PROGRESS"
    assert version["compatibleEnvironmentTemplates"] == [
        {"templateName": "js-env-tpl", "majorVersion": "1"}
    ]
    registered = result["serviceTemplateVersionRegistered"]
    assert registered["status"] == "DRAFT"
    assert registered["statusMessage"] == ""
    published = result["serviceTemplateVersionPublished"]
    assert published["status"] == "PUBLISHED"
    assert published["recommendedMinorVersion"] == "0"
    assert sane_date(published["lastModifiedAt"]) >= sane_date(published["createdAt"])
    assert result["serviceTemplateAfter11"]["recommendedVersion"] == "1.1"

    # Account settings: the pipeline role that CreateService needed.
    role = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/proton-js-pipeline"
    assert result["accountSettingsUpdated"] == {"pipelineServiceRoleArn": role}
    assert result["accountSettings"] == {"pipelineServiceRoleArn": role}

    # Create: CREATE_IN_PROGRESS with the pipeline deploying; repository members echoed.
    create = result["create"]
    assert create["httpStatusCode"] == 200
    assert create["requestId"]
    created = create["service"]
    assert created["arn"] == service_arn
    assert created["status"] == "CREATE_IN_PROGRESS"
    assert created["templateName"] == "js-svc-tpl"
    assert created["description"] == "JS SDK service"
    assert created["repositoryConnectionArn"] == (
        f"arn:aws:codestar-connections:{REGION}:{MANAGEMENT_ACCOUNT}:connection/js-conn"
    )
    assert created["repositoryId"] == "js-org/js-repo"
    assert created["branchName"] == "main"
    created_at = sane_date(created["createdAt"])
    assert sane_date(created["lastModifiedAt"]) == created_at
    assert abs(created_at / 1000 - time.time()) < 300
    assert created["pipeline"]["arn"] == pipeline_arn
    assert created["pipeline"]["deploymentStatus"] == "IN_PROGRESS"
    assert created["pipeline"]["spec"] == created["spec"]

    # Get after the waiter: ACTIVE, the pipeline SUCCEEDED on 1.0.
    got = result["getService"]
    assert got["status"] == "ACTIVE"
    pipeline = got["pipeline"]
    assert pipeline["deploymentStatus"] == "SUCCEEDED"
    assert (pipeline["templateMajorVersion"], pipeline["templateMinorVersion"]) == ("1", "0")
    assert pipeline["lastSucceededDeploymentId"] == pipeline["lastAttemptedDeploymentId"]
    assert sane_date(pipeline["lastDeploymentSucceededAt"]) == created_at

    # Instances: by name, whatever the spec's order; the paginator follows tokens to the end.
    instances = result["listInstances"]["instances"]
    assert [i["name"] for i in instances] == ["js-a", "js-b"]
    assert [i["arn"] for i in instances] == [instance_arn["js-a"], instance_arn["js-b"]]
    for instance in instances:
        assert instance["serviceName"] == "js-svc"
        assert instance["environmentName"] == "js-env"
        assert instance["deploymentStatus"] == "SUCCEEDED"
        assert "spec" not in instance  # a summary
        assert sane_date(instance["createdAt"]) == created_at
    assert result["listInstances"]["nextToken"] is None
    assert result["listInstancesDescending"] == ["js-b", "js-a"]
    pages = result["instancePages"]
    assert pages["guardTripped"] is False
    assert [page["names"] for page in pages["pages"]] == [["js-a"], ["js-b"]]
    assert NEXT_TOKEN.match(pages["pages"][0]["nextToken"])
    assert pages["pages"][1]["nextToken"] is None

    # Tags: the service's own plus Proton's; the instance inherits the user tag.
    assert sorted_tags(result["serviceTags"]) == [
        ("aws:proton:account", MANAGEMENT_ACCOUNT),
        ("aws:proton:service", service_arn),
        ("aws:proton:template", template_arn),
        ("team", "js"),
    ]
    assert sorted_tags(result["instanceTags"]) == [
        ("aws:proton:account", MANAGEMENT_ACCOUNT),
        ("aws:proton:environment", proton_arn("environment/js-env")),
        ("aws:proton:service", service_arn),
        ("aws:proton:service-instance", instance_arn["js-a"]),
        ("aws:proton:template", template_arn),
        ("team", "js"),
    ]

    # UpdateServiceInstance MINOR_VERSION: 1.0 while deploying, 1.1 once the waiter is done.
    updating = result["updateInstance"]
    assert updating["deploymentStatus"] == "IN_PROGRESS"
    assert updating["templateMinorVersion"] == "0"
    assert UUID.match(updating["lastClientRequestToken"])  # the SDK's token
    deployed = result["instanceAfterUpdate"]
    assert deployed["deploymentStatus"] == "SUCCEEDED"
    assert (deployed["templateMajorVersion"], deployed["templateMinorVersion"]) == ("1", "1")
    assert deployed["lastSucceededDeploymentId"] == updating["lastAttemptedDeploymentId"]
    assert sane_date(deployed["lastDeploymentSucceededAt"]) == sane_date(
        updating["lastDeploymentAttemptedAt"]
    )
    assert sane_date(deployed["lastDeploymentSucceededAt"]) > created_at

    # UpdateServicePipeline CURRENT_VERSION: a new deployment of the same version.
    pipeline_update = result["updatePipeline"]
    assert pipeline_update["deploymentStatus"] == "IN_PROGRESS"
    assert pipeline_update["templateMinorVersion"] == "0"
    assert pipeline_update["lastAttemptedDeploymentId"] != pipeline["lastAttemptedDeploymentId"]

    # UpdateService adds js-c (on the service's version, 1.0) and redeploys the pipeline.
    assert result["updateService"]["status"] == "UPDATE_IN_PROGRESS"
    after = result["serviceAfterUpdate"]
    assert after["status"] == "ACTIVE"
    assert "js-c" in after["spec"]
    assert after["pipeline"]["spec"] == after["spec"]
    assert after["pipeline"]["deploymentStatus"] == "SUCCEEDED"
    assert sane_date(after["lastModifiedAt"]) > created_at
    assert result["instancesAfterUpdate"] == [
        ["js-a", "1.1", "SUCCEEDED"],
        ["js-b", "1.0", "SUCCEEDED"],
        ["js-c", "1.0", "SUCCEEDED"],
    ]

    # Deployments of the service: 3 at create, the instance's, 2 of the pipeline, js-c's.
    deployments = result["deployments"]
    assert len(deployments) == 7
    assert all(d["deploymentStatus"] == "SUCCEEDED" for d in deployments)
    assert all(
        d["serviceName"] == "js-svc" and d["environmentName"] == "js-env" for d in deployments
    )
    assert all(d["arn"] == proton_arn(f"deployment/{d['id']}") for d in deployments)
    kinds = sorted((d["targetResourceType"], d["targetArn"]) for d in deployments)
    assert kinds == sorted(
        [("SERVICE_PIPELINE", pipeline_arn)] * 3
        + [("SERVICE_INSTANCE", instance_arn["js-a"])] * 2
        + [("SERVICE_INSTANCE", instance_arn["js-b"]), ("SERVICE_INSTANCE", instance_arn["js-c"])]
    )
    started_at = [sane_date(d["createdAt"]) for d in deployments]
    assert started_at == sorted(started_at), "ListDeployments is oldest first"
    for deployment in deployments:
        assert sane_date(deployment["completedAt"]) >= sane_date(deployment["createdAt"])
        target_created = (
            sane_date(result["updateService"]["lastModifiedAt"])  # js-c: by UpdateService
            if deployment["targetArn"] == instance_arn["js-c"]
            else created_at
        )
        assert sane_date(deployment["targetResourceCreatedAt"]) == target_created
        assert ("serviceInstanceName" in deployment) == (
            deployment["targetResourceType"] == "SERVICE_INSTANCE"
        )

    # GetDeployment: the one-member unions initialState/targetState, as the SDK parses them.
    instance_deployment = result["instanceUpdateDeployment"]
    assert instance_deployment["id"] == updating["lastAttemptedDeploymentId"]
    assert instance_deployment["targetArn"] == instance_arn["js-a"]
    assert instance_deployment["initialState"]["serviceInstance"]["templateMinorVersion"] == "0"
    assert instance_deployment["targetState"]["serviceInstance"]["templateMinorVersion"] == "1"
    assert list(instance_deployment["targetState"]) == ["serviceInstance"]
    pipeline_deployment = result["pipelineUpdateDeployment"]
    assert pipeline_deployment["targetResourceType"] == "SERVICE_PIPELINE"
    assert list(pipeline_deployment["targetState"]) == ["servicePipeline"]
    assert pipeline_deployment["targetState"]["servicePipeline"]["templateMinorVersion"] == "0"

    # The summary: js-a is on 1.1; js-b, js-c and the pipeline are one minor behind.
    counts = result["resourcesSummary"]
    assert counts["serviceTemplates"] == {"total": 1}
    assert counts["services"] == {
        "total": 1,
        "failed": 0,
        "upToDate": 0,
        "behindMajor": 0,
        "behindMinor": 1,
    }
    assert counts["serviceInstances"] == {
        "total": 3,
        "failed": 0,
        "upToDate": 1,
        "behindMajor": 0,
        "behindMinor": 2,
    }
    assert counts["pipelines"] == {
        "total": 1,
        "failed": 0,
        "upToDate": 0,
        "behindMajor": 0,
        "behindMinor": 1,
    }
    assert counts["components"] == {"total": 0, "failed": 0}

    # Errors, as the JS SDK reports them.
    errors = result["errors"]
    assert_error(
        errors["noPipelineRoles"],
        "ValidationException",
        400,
        "Operation cannot be run until pipeline roles have been configured",
    )
    assert_error(
        errors["unknownService"],
        "ResourceNotFoundException",
        404,
        "The service js-nope was not found.",
    )
    assert_error(
        errors["strangerGetsService"],
        "ResourceNotFoundException",
        404,
        "The service js-svc was not found.",
    )
    assert_error(
        errors["unknownInstance"],
        "ResourceNotFoundException",
        404,
        "The service instance js-nope of service js-svc was not found.",
    )
    assert errors["versionInUse"]["name"] == "ConflictException", errors["versionInUse"]
    assert errors["versionInUse"]["httpStatusCode"] == 409
    assert errors["currentVersionWithVersion"]["name"] == "ValidationException"
    assert "don't include major or minor version" in errors["currentVersionWithVersion"]["message"]
    assert_error(
        errors["instanceNameWithoutService"],
        "ValidationException",
        400,
        "serviceName must be specified to identify the service instance.",
    )

    # Delete: DELETE_IN_PROGRESS with its pipeline, then gone.
    deleted = result["delete"]
    assert deleted["arn"] == service_arn
    assert deleted["status"] == "DELETE_IN_PROGRESS"
    assert deleted["pipeline"]["deploymentStatus"] == "DELETE_IN_PROGRESS"
    assert_error(
        errors["getAfterDelete"],
        "ResourceNotFoundException",
        404,
        "The service js-svc was not found.",
    )
    assert result["servicesAfterDelete"] == []


# --- (b) the AWS CLI -------------------------------------------------------------------------


def service_spec(instances: list[tuple[str, int]]) -> str:
    lines = ["proton: ServiceSpec", "pipeline:", "  unit_test_command: make test", "instances:"]
    for name, port in instances:
        lines += [
            f"  - name: {name}",
            "    environment: cli-env",
            "    spec:",
            f"      port: {port}",
        ]
    return "\n".join(lines) + "\n"


def test_aws_cli_service_lifecycle(proton_server_url: str, tmp_path: Path) -> None:
    base = Cli(
        proton_server_url,
        {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"},
    )
    cli = base.assume(MANAGEMENT_ACCOUNT)
    source = "s3={bucket=cli-templates,key=bundle.tar.gz}"

    # The environment it runs in, set up with boto3 (each CLI run costs a second or more).
    setup = ProtonMock(endpoint_url=proton_server_url).client(
        account_id=MANAGEMENT_ACCOUNT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    setup.create_environment_template(name="cli-env-tpl")
    setup.create_environment_template_version(
        templateName="cli-env-tpl", source={"s3": {"bucket": "cli-templates", "key": "env"}}
    )
    setup.update_environment_template_version(
        templateName="cli-env-tpl", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    setup.create_environment(
        name="cli-env",
        templateName="cli-env-tpl",
        templateMajorVersion="1",
        spec="proton: EnvironmentSpec\nspec: {}\n",
        protonServiceRoleArn=f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/proton-cli-env",
    )

    # The service template with a pipeline; 1.0 registered (waiter), published.
    cli.json("proton", "create-service-template", "--name", "cli-svc-tpl")
    version = cli.json(
        "proton",
        "create-service-template-version",
        "--template-name",
        "cli-svc-tpl",
        "--source",
        source,
        "--compatible-environment-templates",
        "templateName=cli-env-tpl,majorVersion=1",
    )["serviceTemplateVersion"]
    assert version["arn"] == proton_arn("service-template/cli-svc-tpl:1.0")
    assert version["status"] == "REGISTRATION_IN_PROGRESS"
    cli_wait(
        cli,
        "service-template-version-registered",
        "--template-name",
        "cli-svc-tpl",
        "--major-version",
        "1",
        "--minor-version",
        "0",
    )
    cli.json(
        "proton",
        "update-service-template-version",
        "--template-name",
        "cli-svc-tpl",
        "--major-version",
        "1",
        "--minor-version",
        "0",
        "--status",
        "PUBLISHED",
    )
    role = f"arn:aws:iam::{MANAGEMENT_ACCOUNT}:role/proton-cli-pipeline"
    settings = cli.json("proton", "update-account-settings", "--pipeline-service-role-arn", role)
    assert settings == {"accountSettings": {"pipelineServiceRoleArn": role}}

    # The service, its spec from a file: two instances, a pipeline.
    spec = service_spec([("cli-b", 8080), ("cli-a", 8081)])
    spec_file = tmp_path / "service.yaml"
    spec_file.write_text(spec)
    service_arn = proton_arn("service/cli-svc")
    created = cli.json(
        "proton",
        "create-service",
        "--name",
        "cli-svc",
        "--template-name",
        "cli-svc-tpl",
        "--template-major-version",
        "1",
        "--spec",
        f"file://{spec_file}",
        "--repository-connection-arn",
        f"arn:aws:codestar-connections:{REGION}:{MANAGEMENT_ACCOUNT}:connection/cli",
        "--repository-id",
        "cli-org/cli-repo",
        "--branch-name",
        "main",
    )["service"]
    assert created["arn"] == service_arn
    assert created["status"] == "CREATE_IN_PROGRESS"
    assert created["spec"] == spec  # the file's text, byte for byte
    # AWS CLI v1 prints timestamps as they came on the wire: epoch seconds, a JSON number.
    assert isinstance(created["createdAt"], (int, float)), created["createdAt"]
    assert created["createdAt"] == created["lastModifiedAt"]
    assert abs(created["createdAt"] - time.time()) < 300
    assert created["pipeline"]["arn"] == f"{service_arn}/pipeline"

    cli_wait(cli, "service-created", "--name", "cli-svc")
    got = cli.json("proton", "get-service", "--name", "cli-svc")["service"]
    assert got["status"] == "ACTIVE"
    assert got["pipeline"]["deploymentStatus"] == "SUCCEEDED"
    assert got["pipeline"]["lastDeploymentSucceededAt"] == created["createdAt"]

    # The CLI's own pagination: pages of one from the server (`--page-size`), one item at a
    # time (`--max-items`), the CLI's NextToken wrapping the server's, then the rest.
    paging = ("--service-name", "cli-svc", "--page-size", "1", "--max-items", "1")
    first = cli.json("proton", "list-service-instances", *paging)
    assert [i["name"] for i in first["serviceInstances"]] == ["cli-a"]
    wrapped = json.loads(base64.b64decode(first["NextToken"]))
    assert NEXT_TOKEN.match(wrapped["nextToken"]), wrapped  # the server's token, inside
    rest = cli.json(
        "proton", "list-service-instances", *paging, "--starting-token", first["NextToken"]
    )
    assert [i["name"] for i in rest["serviceInstances"]] == ["cli-b"]
    assert "NextToken" not in rest
    assert rest["serviceInstances"][0]["arn"] == f"{service_arn}/service-instance/cli-b"

    # A new input for cli-a, from a file: redeploy (CURRENT_VERSION), wait, see it applied.
    updated_spec = service_spec([("cli-b", 8080), ("cli-a", 9090)])
    spec_file.write_text(updated_spec)
    updating = cli.json(
        "proton",
        "update-service-instance",
        "--name",
        "cli-a",
        "--service-name",
        "cli-svc",
        "--deployment-type",
        "CURRENT_VERSION",
        "--spec",
        f"file://{spec_file}",
    )["serviceInstance"]
    assert updating["deploymentStatus"] == "IN_PROGRESS"
    assert updating["lastClientRequestToken"]  # botocore's idempotency token
    cli_wait(cli, "service-instance-deployed", "--name", "cli-a", "--service-name", "cli-svc")
    deployed = cli.json(
        "proton", "get-service-instance", "--name", "cli-a", "--service-name", "cli-svc"
    )["serviceInstance"]
    assert deployed["deploymentStatus"] == "SUCCEEDED"
    assert deployed["spec"] == updated_spec
    assert deployed["lastSucceededDeploymentId"] == updating["lastAttemptedDeploymentId"]

    deployments = cli.json("proton", "list-deployments", "--service-name", "cli-svc")["deployments"]
    assert sorted(d["targetResourceType"] for d in deployments) == [
        "SERVICE_INSTANCE",
        "SERVICE_INSTANCE",
        "SERVICE_INSTANCE",
        "SERVICE_PIPELINE",
    ]
    assert deployments[-1]["id"] == updating["lastAttemptedDeploymentId"]

    # Errors: the CLI names the code and the operation on stderr and fails.
    missing = cli.run("proton", "get-service", "--name", "cli-nope")
    assert missing.returncode in (254, 255), missing  # AWS CLI v2: 254; v1: 255
    assert (
        "An error occurred (ResourceNotFoundException) when calling the GetService operation: "
        "The service cli-nope was not found." in missing.stderr
    ), missing.stderr

    # Delete; the deletion is held for one read, so the waiter sees DELETE_IN_PROGRESS,
    # sleeps its 5 seconds, then ResourceNotFoundException: success.
    with ProtonMock(endpoint_url=proton_server_url) as proton:
        proton.set_transition("proton::service-deletion", HOLD_ONE_READ)
        deleted = cli.json("proton", "delete-service", "--name", "cli-svc")["service"]
        assert deleted["status"] == "DELETE_IN_PROGRESS"
        seconds, calls = cli_wait(cli, "service-deleted", "--name", "cli-svc")
    assert calls == 2, "one GetService in progress, one ResourceNotFoundException"
    assert seconds > 4, "the waiter slept its delay between the two"
