"""The AWS Proton User Guide's CLI walkthroughs of templates, environments, services, tags and
the getting-started tutorial, replayed against the server through the AWS CLI; each reply is
compared with the JSON its page prints (how: `tests/documented_examples_harness.py`)."""

from __future__ import annotations

from typing import Any

from moto_proton.testing import ProtonMock

from . import documented_examples_harness as harness
from .documented_examples_harness import (
    ACCOUNT,
    AWS_PROTON_ROLE,
    BUNDLE,
    ENVIRONMENT_ACCOUNT,
    EXAMPLE_ID,
    MANAGEMENT_ACCOUNT,
    PIPELINE_ID_SUFFIX,
    REGION,
    Relaxed,
    connection_arn,
    environment,
    environment_template,
    hold_deployments,
    link,
    link_repository,
    load_page,
    service_template,
    services_setup,
    setup,
)
from .helpers import tags_of

#: The harness's fixtures, for the tests to ask for by name.
aws_cli, guide, server = harness.aws_cli, harness.guide, harness.server

# --- templates -----------------------------------------------------------------------------

#: template-create and template-view print recommendedMinorVersion "0" for a DRAFT environment
#: template version, yet no recommendedMinorVersion for DRAFT (or, on template-create, even a
#: PUBLISHED) service template version. The mock gives a major's recommended minor once one of
#: its minors is published, for both kinds.
DRAFT_RECOMMENDED = "recommendedMinorVersion of a DRAFT version (see DRAFT_RECOMMENDED)"
#: The pages print the `schema` of a template version's bundle. They don't show their bundles
#: (nor their CloudFormation templates), so the replay puts none in S3: no bundle, no schema.
NO_SCHEMA = "no bundle in S3 here, so no schema"


def test_template_create(guide: Any, server: ProtonMock) -> None:
    page = guide("template-create")
    # The page's standard and customer managed templates are alternatives with one name:
    # test_template_create_customer_managed replays the second kind.
    page.skip("create-environment-template-customer-managed", "replayed in its own test")
    page.skip("create-service-template-customer-managed", "replayed in its own test")

    page.run(
        "create-environment-template",
        # template-create: the command passes --display-name "Fargate", the reply it prints
        # says "VPC".
        relaxed=Relaxed(override={"environmentTemplate.displayName": "Fargate"}),
    )
    page.run("create-environment-template-version")
    page.run(
        "get-environment-template-version",
        relaxed=Relaxed(
            # template-create prints this reply's structure as "environment"; template-view
            # prints the same command's reply as "environmentTemplateVersion", the model's
            # member of GetEnvironmentTemplateVersionOutput.
            rename={"environment": "environmentTemplateVersion"},
            missing={
                "environmentTemplateVersion.schema": NO_SCHEMA,
                "environmentTemplateVersion.recommendedMinorVersion": DRAFT_RECOMMENDED,
            },
        ),
    )
    page.run(
        "update-environment-template-version",
        relaxed=Relaxed(missing={"environmentTemplateVersion.schema": NO_SCHEMA}),
    )
    arn = f"arn:aws:proton:{REGION}:{ACCOUNT}:environment-template/simple-env"
    tags = page.run("list-tags-for-resource")["tags"]
    # The page prints no reply; resources says AWS adds its managed tags to every template.
    assert {t["key"]: t["value"] for t in tags} == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": arn,
    }

    page.run("create-service-template")
    # template-create prints the replies of create- and get-service-template-version as
    # "serviceTemplateMinorVersion"; its update reply, like the model, "serviceTemplateVersion".
    minor_version = {"serviceTemplateMinorVersion": "serviceTemplateVersion"}
    page.run("create-service-template-version", relaxed=Relaxed(rename=minor_version))
    page.run(
        "get-service-template-version",
        relaxed=Relaxed(rename=minor_version, missing={"serviceTemplateVersion.schema": NO_SCHEMA}),
    )
    page.run(
        "update-service-template-version",
        relaxed=Relaxed(
            missing={"serviceTemplateVersion.schema": NO_SCHEMA},
            # The reply prints lastModifiedAt == createdAt, the time before the update; the
            # get right after prints the time of the update (23:03:04.767), as the environment
            # template version's update reply above does.
            untimed={"serviceTemplateVersion.lastModifiedAt": "the time before the update"},
        ),
    )
    page.run(
        "get-service-template-version-published",
        relaxed=Relaxed(
            rename=minor_version,
            missing={"serviceTemplateVersion.schema": NO_SCHEMA},
            # The update reply just before prints recommendedMinorVersion "0" for this
            # version; this get leaves it out.
            extra={"serviceTemplateVersion.recommendedMinorVersion": "printed by the update"},
        ),
    )
    page.done()


def test_template_create_customer_managed(guide: Any) -> None:
    page = guide("template-create")
    for label in list(page.text.examples):
        if not label.endswith("-customer-managed"):
            page.skip(label, "replayed in test_template_create")
    page.run(
        "create-environment-template-customer-managed",
        # As for the standard template: the command says "Fargate", the reply "VPC".
        relaxed=Relaxed(override={"environmentTemplate.displayName": "Fargate"}),
    )
    page.run("create-service-template-customer-managed")
    page.done()


def test_template_view(guide: Any, server: ProtonMock) -> None:
    page = guide("template-view")
    client = setup(server)
    # In the order of the page's timestamps: simple-env-1, simple-env-3, simple-env's 1.0.
    environment_template(client, "simple-env-1", description="Some SSM Parameters")
    environment_template(
        client, "simple-env-3", displayName="VPC", description="VPC with Public Access"
    )
    client.create_environment_template(name="simple-env")
    client.create_environment_template_version(
        templateName="simple-env", source=BUNDLE, description="Version 1"
    )
    service_template(client, "fargate-service", publish=False, version={"description": "Version 1"})
    client.create_service_template(
        name="simple-svc-template-cli", pipelineProvisioning="CUSTOMER_MANAGED"
    )

    page.run(
        "get-environment-template-version",
        relaxed=Relaxed(
            missing={
                "environmentTemplateVersion.schema": NO_SCHEMA,
                "environmentTemplateVersion.recommendedMinorVersion": DRAFT_RECOMMENDED,
            }
        ),
    )
    page.run(
        "list-environment-templates",
        relaxed=Relaxed(
            # The page lists simple-env-3 before simple-env-1 (newest first, or by name
            # descending); ListEnvironmentTemplates documents no order and the mock lists by
            # name.
            unordered={"templates": "name"},
            # The page's own get above shows simple-env, which its list leaves out.
            extra={"templates[simple-env]": "template-view's get shows it exists"},
        ),
    )
    page.run(
        "get-service-template-version",
        relaxed=Relaxed(
            # As on template-create: the model's member is serviceTemplateVersion.
            rename={"serviceTemplateMinorVersion": "serviceTemplateVersion"},
            missing={"serviceTemplateVersion.schema": NO_SCHEMA},
        ),
    )
    page.run(
        "get-service-template",
        relaxed=Relaxed(
            # ServiceTemplate has no status in the API model (its versions have).
            missing={"serviceTemplate.status": "not a member of ServiceTemplate"}
        ),
    )
    page.done()


def test_template_update(guide: Any, server: ProtonMock) -> None:
    page = guide("template-update")
    environment_template(setup(server), "simple-env")
    version_members = "a template version's member, not one of EnvironmentTemplate"
    page.run(
        "update-environment-template",
        relaxed=Relaxed(
            # template-update prints, under environmentTemplate, the members of the template's
            # version 1.0 (the model's EnvironmentTemplate has none of them) and leaves out
            # the template's recommendedVersion.
            missing={
                f"environmentTemplate.{member}": version_members
                for member in (
                    "majorVersion",
                    "minorVersion",
                    "recommendedMinorVersion",
                    "schema",
                    "status",
                    "statusMessage",
                    "templateName",
                )
            },
            extra={"environmentTemplate.recommendedVersion": "the page prints 1.0's members"},
        ),
    )
    page.done()


def test_template_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("template-delete")
    client = setup(server)
    client.create_environment_template(
        name="simple-env", displayName="VPC", description="VPC with Public Access"
    )
    client.create_environment_template_version(
        templateName="simple-env", source=BUNDLE, description="Version 1"
    )
    client.get_environment_template_version(
        templateName="simple-env", majorVersion="1", minorVersion="0"
    )
    client.update_environment_template_version(
        templateName="simple-env", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    service_template(client, "fargate-service")

    # The reply of deleting a major's last version has no recommendedMinorVersion (none is
    # left), as the page prints.
    page.run("delete-environment-template-version")
    page.run(
        "delete-environment-template",
        relaxed=Relaxed(
            # The page prints recommendedVersion "1.0" for a template whose only version it
            # deleted just before (and a template can only be deleted without versions).
            missing={"environmentTemplate.recommendedVersion": "its versions are deleted"},
            # Printed after its version's lastModifiedAt: changed by deleting the version (or
            # the template); the mock changes a template's lastModifiedAt only by
            # UpdateEnvironmentTemplate (template-view lists templates whose published
            # versions left it at createdAt).
            untimed={"environmentTemplate.lastModifiedAt": "changed by the deletion"},
        ),
    )
    # Printed from a run in which fargate-service 1.0 was registered after simple-env was
    # deleted (2020-11-28); here its compatible environment template had to exist first.
    page.run(
        "delete-service-template-version",
        timeline="another run",
    )
    page.done()


# --- environments ----------------------------------------------------------------------------

#: The pages print an environment's spec in get and cancel replies, not in the replies of
#: create, update and delete (which also leave out members the model requires); the mock's
#: replies all carry it.
ENVIRONMENT_SPEC = "printed by get- and cancel-environment(-deployment) replies"


def test_ag_create_env(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-create-env")
    environment_template(setup(server), "simple-env")
    page.file("env-spec.yaml")
    created = page.run(
        "create-environment",
        relaxed=Relaxed(
            # The command passes AWSProtonServiceRole; the reply prints ProtonServiceRole.
            override={"environment.protonServiceRoleArn": AWS_PROTON_ROLE},
            extra={"environment.spec": ENVIRONMENT_SPEC},
        ),
    )["environment"]
    tags = page.run("list-tags-for-resource")["tags"]
    # No reply printed; resources: AWS's managed tags of an environment.
    assert {t["key"]: t["value"] for t in tags} == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": f"arn:aws:proton:{REGION}:{ACCOUNT}:environment-template/simple-env",
        "aws:proton:environment": created["arn"],
    }

    # Cross-account: the environment account 222222222222 asks, 111111111111 manages.
    environment_template(setup(server, MANAGEMENT_ACCOUNT), "simple-env-template", minors=2)
    page.run(
        "create-environment-account-connection",
        account=ENVIRONMENT_ACCOUNT,
        learn={EXAMPLE_ID: "environmentAccountConnection.id"},
    )
    page.run("accept-environment-account-connection", account=MANAGEMENT_ACCOUNT)
    page.run("get-environment-account-connection", account=MANAGEMENT_ACCOUNT)
    page.write("simple-env-template/specs/original.yaml", "proton: EnvironmentSpec\nspec: {}\n")
    page.run(
        "create-environment-connected",
        account=MANAGEMENT_ACCOUNT,
        # Printed from another run: created (23:02:57) before its connection was requested.
        timeline="another run",
        relaxed=Relaxed(extra={"environment.spec": ENVIRONMENT_SPEC}),
    )

    # Self-managed provisioning through a repository (AWS needs it linked first).
    client = setup(server)
    environment_template(client, "pr-env-template")
    link_repository(client)
    page.file("pr-env-spec.yaml", "env-spec.yaml")
    # The self-managed deployment waits for the notification below (the pull request merged
    # and provisioned), as AWS's does.
    server.set_transition("proton::deployment", {"progression": "manual", "times": 100})
    page.run(
        "create-environment-self-managed",
        relaxed=Relaxed(extra={"environment.spec": ENVIRONMENT_SPEC}),
    )
    assert client.get_environment(name="pr-environment")["environment"]["deploymentStatus"] == (
        "IN_PROGRESS"
    )
    # The page prints no reply (the API's is empty).
    assert page.run("notify-resource-deployment-status-change") is None
    assert client.get_environment(name="pr-environment")["environment"]["deploymentStatus"] == (
        "SUCCEEDED"
    )
    page.done()


def test_ag_env_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-view")
    client = setup(server)
    environment_template(client, "simple-env")
    # The environment of ag-create-env (the same createdAt on both pages), created with that
    # page's env-spec.yaml.
    environment(client, "MySimpleEnv", spec=load_page("ag-create-env").files["env-spec.yaml"])
    page.run("get-environment", relaxed=Relaxed())
    page.done()


def test_ag_env_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-update")
    client = setup(server)
    environment_template(client, "simple-env", minors=3)
    environment(
        client,
        "MySimpleEnv",
        templateMinorVersion="0",
        spec=load_page("ag-create-env").files["env-spec.yaml"],
    )
    # The page does not show its spec.yaml: it holds the spec the get reply prints after it.
    spec = page.text.examples["get-environment"].printed["environment"]["spec"]
    page.write("spec.yaml", spec)
    page.run(
        "update-environment",
        # The page reads its spec from /spec.yaml, at the root of the file system.
        fix={"file:///spec.yaml": "file://spec.yaml"},
        relaxed=Relaxed(extra={"environment.spec": ENVIRONMENT_SPEC}),
    )
    page.run(
        "get-environment",
        # The page prints the environment's name as "environmentName", a member Environment
        # does not have; its other replies print "name".
        relaxed=Relaxed(rename={"environment.environmentName": "name"}),
    )

    # Self-managed: a pull request to the repository; the page's notification is not replayed.
    environment_template(client, "pr-env-template", minors=2)
    link_repository(client)
    client.create_environment(
        name="pr-environment",
        templateName="pr-env-template",
        templateMajorVersion="1",
        templateMinorVersion="0",
        provisioningRepository={"branch": "main", "name": "myrepos/env-repo", "provider": "GITHUB"},
        spec=load_page("ag-create-env").files["pr-env-spec.yaml"],
    )
    # The page's get reply prints the new spec as YAML that does not parse (a key indented by
    # one space after one indented by three), which AWS would not have accepted: the file has
    # both keys at one indentation.
    modified = 'proton: EnvironmentSpec\nspec:\n  ssm_parameter_value: "test"\n'
    modified += '  ssm_another_parameter_value: "update"\n'
    page.write("env-spec-mod.yaml", modified)
    # Printed from another run (November 2021; the page's other examples are of April 2021).
    page.run(
        "update-environment-self-managed",
        timeline="self-managed",
        relaxed=Relaxed(extra={"environment.spec": ENVIRONMENT_SPEC}),
    )
    page.run(
        "get-environment-self-managed",
        timeline="self-managed",
        relaxed=Relaxed(override={"environment.spec": modified}),
    )
    page.skip(
        "notify-resource-deployment-status-change",
        # Printed after the get above shows the update SUCCEEDED; AWS, like the mock, takes a
        # notification for a deployment IN_PROGRESS only (ConflictException otherwise).
        # ag-create-env replays the same notification where it belongs.
        "notifies a deployment the page already prints SUCCEEDED",
    )

    # Cancel an update to minor version 2 while it runs.
    hold_deployments(server)
    client.update_environment(
        name="MySimpleEnv",
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="2",
    )
    # CANCELLING without deploymentStatusMessage; "User initiated cancellation." once CANCELLED.
    page.run("cancel-environment-deployment")
    cancelled = page.run("get-environment-cancelled", relaxed=Relaxed())["environment"]
    assert cancelled["spec"] == spec
    page.done()


def test_ag_env_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-delete")
    client = setup(server)
    environment_template(client, "simple-env", minors=2)
    environment(client, "MySimpleEnv", templateMinorVersion="0")
    client.update_environment(
        name="MySimpleEnv",
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="1",
    )
    page.run(
        "delete-environment",
        relaxed=Relaxed(extra={"environment.spec": ENVIRONMENT_SPEC}),
    )
    page.done()


def test_ag_env_account_connections(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-account-connections")
    role = f"arn:aws:iam::{ENVIRONMENT_ACCOUNT}:role/service-role/env-account-proton-service-role"
    created = page.run(
        "create-environment-account-connection",
        account=ENVIRONMENT_ACCOUNT,
        learn={EXAMPLE_ID: "environmentAccountConnection.id"},
    )["environmentAccountConnection"]
    accepted = page.run("accept-environment-account-connection", account=MANAGEMENT_ACCOUNT)
    # The page rejects another connection (its reply names simple-env-reject) under the same
    # example id, printed from another run (requested at the same instant as the first).
    to_reject = setup(server, ENVIRONMENT_ACCOUNT).create_environment_account_connection(
        environmentName="simple-env-reject", roleArn=role, managementAccountId=MANAGEMENT_ACCOUNT
    )["environmentAccountConnection"]["id"]
    page.run(
        "reject-environment-account-connection",
        account=MANAGEMENT_ACCOUNT,
        names={EXAMPLE_ID: to_reject},
        timeline="another run",
        relaxed=Relaxed(
            # Printed as lastModifiedAt == requestedAt: rejected in the instant it was asked.
            untimed={"environmentAccountConnection.lastModifiedAt": "the request's time"}
        ),
    )
    page.run("get-environment-account-connection", account=ENVIRONMENT_ACCOUNT)
    deleted = page.run(
        "delete-environment-account-connection",
        account=ENVIRONMENT_ACCOUNT,
        relaxed=Relaxed(
            # The reply prints lastModifiedAt == requestedAt, from before the accept; the
            # page's get just before prints the accept's time, which the reply keeps here.
            untimed={"environmentAccountConnection.lastModifiedAt": "before the accept"}
        ),
    )["environmentAccountConnection"]
    last_accepted = accepted["environmentAccountConnection"]["lastModifiedAt"]
    assert deleted["lastModifiedAt"] == last_accepted
    assert deleted["id"] == created["id"]
    page.done()


# --- services ----------------------------------------------------------------------------

#: The pages leave the pipeline out of create-, update- and delete-service replies, and print
#: it in get-service replies (ag-svc-view, ag-svc-pipeline-update); the mock's replies carry it.
PIPELINE = "printed by get-service replies"


def test_ag_create_svc(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-create-svc")
    services_setup(
        server, "ENV_NAME", templates={"fargate-service": 1, "fargate-service-no-pipeline": 1}
    )
    settings = page.run("update-account-settings")["accountSettings"]
    assert settings["pipelineServiceRoleArn"] == AWS_PROTON_ROLE  # no reply printed
    page.file("spec.yaml")
    page.run(
        "create-service",
        relaxed=Relaxed(
            extra={
                # The command passes --branch-name "mainline"; the page's other service
                # replies (ag-svc-view, ag-svc-update) print branchName.
                "service.branchName": "passed by the command",
                "service.pipeline": PIPELINE,
            }
        ),
    )
    page.file("spec-no-pipeline.yaml")
    page.run(
        "create-service-no-pipeline",
        # The command names fargate-service, a template with a pipeline (the service above),
        # without repository parameters; the page says a template without a pipeline is
        # needed, and its reply names fargate-service-no-pipeline.
        fix={'--template-name "fargate-service"': '--template-name "fargate-service-no-pipeline"'},
        # Printed with the same times as the service above.
        timeline="another run",
    )
    page.done()


def test_ag_svc_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-view")
    client = services_setup(
        server, "my-simple-env", templates={"svc-simple": 2, "svc-simple-no-pipeline": 1}
    )
    printed = page.text.examples
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        spec=printed["get-service"].printed["service"]["spec"],
        repositoryConnectionArn=connection_arn("22222"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    client.create_service(
        name="simple-svc-no-pipeline",
        templateName="svc-simple-no-pipeline",
        templateMajorVersion="1",
        spec=printed["get-service-no-pipeline"].printed["service"]["spec"],
    )
    page.run("get-service", names={PIPELINE_ID_SUFFIX: "/pipeline"})
    page.run(
        "get-service-no-pipeline",
        # The command gets simple-svc-no-pipeline; the reply names simple-svc-without-pipeline.
        names={"simple-svc-without-pipeline": "simple-svc-no-pipeline"},
        # Printed with the same times as simple-svc.
        timeline="another run",
    )
    page.done()


def test_ag_svc_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-update")
    client = services_setup(server, "simple-env", templates={"fargate-service": 1})
    client.create_service(
        name="MySimpleService",
        templateName="fargate-service",
        templateMajorVersion="1",
        spec=page.text.files["spec-before-the-edit"],
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="my-repository/myorg-myapp",
        branchName="main",
    )
    page.run("update-service-description", relaxed=Relaxed(extra={"service.pipeline": PIPELINE}))
    # ListServiceInstances sorts by serviceName, then name, ascending by default (API
    # reference); the page's lists are in descending name order.
    by_name = {"serviceInstances": "name"}
    page.run(
        "list-service-instances",
        relaxed=Relaxed(
            unordered=by_name,
            # The page prints serviceName "example-svc" for instances whose ARNs, and the
            # page's next list, name MySimpleService.
            override={"serviceInstances[].serviceName": "MySimpleService"},
            missing={
                "serviceInstances[my-instance].serviceTemplateArn": (
                    "not a member of ServiceInstanceSummary"
                )
            },
        ),
    )
    page.file("spec-edited-with-current-values", "spec.yaml")
    page.run("update-service-spec", relaxed=Relaxed(extra={"service.pipeline": PIPELINE}))
    page.run(
        "list-service-instances-after-the-edit",
        relaxed=Relaxed(
            unordered=by_name,
            # Printed with the service's createdAt, though the edit added it 16 minutes later.
            untimed={"serviceInstances[yet-another-instance].createdAt": "the service's"},
        ),
    )
    page.done()


def test_ag_svc_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-delete")
    client = services_setup(server, "simple-env", templates={"fargate-service": 1})
    client.create_service(
        name="simple-svc",
        templateName="fargate-service",
        templateMajorVersion="1",
        spec=load_page("ag-svc-update").files["spec-before-the-edit"],
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    client.get_service(name="simple-svc")
    client.update_service(name="simple-svc", description="Edit by updating description")
    page.run("delete-service", relaxed=Relaxed(extra={"service.pipeline": PIPELINE}))
    page.done()


def test_ag_svc_instance_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-instance-view")
    client = services_setup(server, "simple-env", templates={"svc-simple": 1})
    # The page's get reply prints the spec with the instance in my-simple-env, and the
    # instance in simple-env (as its list reply does): the spec is read with simple-env.
    in_simple_env = {"my-simple-env": "simple-env"}
    spec = page.text.examples["get-service-instance"].printed["serviceInstance"]["spec"]
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        spec=spec.replace("my-simple-env", "simple-env"),
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    page.run(
        "list-service-instances",
        relaxed=Relaxed(
            # ServiceInstanceSummary has environmentName (required), not environmentArn.
            missing={"serviceInstances[].environmentArn": "not a member of the summary"},
            # The list prints templateName fargate-service, the get svc-simple.
            override={"serviceInstances[].templateName": "svc-simple"},
        ),
    )
    page.run("get-service-instance", names=in_simple_env)
    page.done()


def test_ag_svc_instance_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-instance-update")
    client = services_setup(server, "simple-env", "kls-simple-env", templates={"svc-simple": 3})
    # The spec the page's get replies print for instance-one. The page's service-spec.yaml
    # names my-instance and my-other-instance, not instance-one, which the command updates:
    # the command reads the spec it deploys instead.
    spec = page.text.examples["get-service-instance"].printed["serviceInstance"]["spec"]
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        templateMinorVersion="0",
        spec=spec,
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    client.get_service(name="simple-svc")
    page.write("service-spec.yaml", spec)
    page.run(
        "update-service-instance",
        relaxed=Relaxed(
            # The reply prints the environment's ARN as environmentName; the page's other
            # replies print its name, as the model says.
            override={"serviceInstance.environmentName": "simple-env"},
            extra={"serviceInstance.spec": "printed by the get and cancel replies"},
        ),
    )
    page.run("get-service-instance")

    hold_deployments(server)
    client.update_service_instance(
        name="instance-one",
        serviceName="simple-svc",
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="2",
    )
    page.run(
        "cancel-service-instance-deployment",
        relaxed=Relaxed(
            # The cancel reply prints a spec of my-instance in MySimpleEnv; the get right after
            # prints instance-one's spec, which the cancelled deployment left as it was.
            override={"serviceInstance.spec": spec},
        ),
    )
    page.run("get-service-instance-cancelled")
    page.done()


def test_ag_svc_pipeline_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-pipeline-update")
    client = services_setup(server, "simple-env", templates={"svc-simple": 3})
    # The spec the page's get-service replies print for the service and its pipeline.
    spec = page.text.examples["get-service"].printed["service"]["spec"]
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        templateMinorVersion="0",
        spec=spec,
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="repo-name/myorg-myapp",
        branchName="main",
    )
    client.get_service(name="simple-svc")
    page.write("service-spec.yaml", spec)  # not shown by the page
    page.run(
        "update-service-pipeline",
        # The page's command has no value for --service-name.
        fix={"--service-name --spec": "--service-name simple-svc --spec"},
        names={PIPELINE_ID_SUFFIX: "/pipeline"},
        relaxed=Relaxed(
            # The reply prints a spec of my-instance in MySimpleEnv; the get-service replies
            # right after print the pipeline's spec as instance-one in simple-env.
            override={"pipeline.spec": spec}
        ),
    )
    page.run("get-service")

    hold_deployments(server)
    client.update_service_pipeline(
        serviceName="simple-svc",
        spec=spec,
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="2",
    )
    page.run(
        "cancel-service-pipeline-deployment",
        # The cancel replies of ag-env-update and ag-svc-instance-update print the spec.
        relaxed=Relaxed(extra={"pipeline.spec": "printed by the other cancel replies"}),
    )
    page.run("get-service-cancelled")
    page.done()


# --- tags and the getting-started tutorial ---------------------------------------------------


def test_resources_tagging(guide: Any, server: ProtonMock) -> None:
    page = guide("resources")
    client = setup(server)
    client.create_service_template(name="webservice")
    page.names["account-id"] = ACCOUNT
    arn = f"arn:aws:proton:{REGION}:{ACCOUNT}:service-template/webservice"
    assert page.run("tag-resource") is None  # the CLI prints nothing for an empty reply
    assert tags_of(client, arn)["mykey1"] == "myval1"
    assert page.run("untag-resource") is None
    tags = page.run("list-tags-for-resource")["tags"]
    # No reply printed. The page's table: AWS managed tags; aws:proton:account holds the
    # account id (ag-infrastructure-tmp-files-terraform prints "proton:account": "123456789012").
    assert {t["key"]: t["value"] for t in tags} == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": arn,
    }
    page.done()


def test_ag_getting_started_cli(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-getting-started-cli")
    client = setup(server)
    client.update_account_settings(pipelineServiceRoleArn=AWS_PROTON_ROLE)  # a prerequisite
    # The page's placeholders for the fork of the sample templates (a repository name is
    # owner/name), linked as the page's prerequisites say.
    page.names.update(
        {
            "your-forked-repo": "myrepos/aws-proton-cloudformation-sample-templates",
            "your-branch": "main",
        }
    )
    link(client, page.names["your-forked-repo"])
    # The configurations are replayed; the page shows no commit of its own (the versions come
    # from the fork's existing bundles), so each version is registered with boto3.

    page.run("create-environment-template")
    page.run("create-template-sync-config-environment")
    client.create_environment_template_version(templateName="fargate-env", source=BUNDLE)
    page.run("wait-environment-template-version-registered")
    page.run("update-environment-template-version")

    page.run("create-service-template")
    page.run("create-template-sync-config-service")
    client.create_service_template_version(
        templateName="load-balanced-fargate-svc",
        source=BUNDLE,
        compatibleEnvironmentTemplates=[{"templateName": "fargate-env", "majorVersion": "1"}],
    )
    page.run("wait-service-template-version-registered")
    page.run("update-service-template-version")

    # The specs of the sample templates' spec/spec.yaml (not shown by the page), each read
    # from the template's directory, as the page says.
    page.write("env/spec/spec.yaml", "proton: EnvironmentSpec\nspec: {}\n")
    page.write(
        "svc/spec/spec.yaml",
        "proton: ServiceSpec\npipeline:\n  service_dir: ecs-static-website\n"
        "instances:\n  - name: load-balanced-fargate-svc-prod\n    environment: fargate-env-prod\n"
        "    spec:\n      port: 80\n",
    )
    page.run("create-environment", cwd="env")
    page.run("wait-environment-deployed")
    page.run("create-service", cwd="svc")
    page.run("wait-service-created")
    # What the sample template's stack outputs (nothing is really provisioned).
    from moto_proton.models import proton_backends

    instance = (
        proton_backends[ACCOUNT][REGION]
        .services["static-website"]
        .instances["load-balanced-fargate-svc-prod"]
    )
    url = page.text.examples["list-service-instance-outputs"].printed["outputs"][0]
    instance.outputs[instance.last_succeeded_deployment_id] = [url]
    page.run("list-service-instance-outputs")

    page.run("delete-service")
    page.run("delete-environment")
    # The template deletes below need the versions gone first (template-delete).
    page.run("delete-template-sync-config-service")
    client.delete_service_template_version(
        templateName="load-balanced-fargate-svc", majorVersion="1", minorVersion="0"
    )
    page.run("delete-service-template")
    page.run("delete-template-sync-config-environment")
    client.delete_environment_template_version(
        templateName="fargate-env", majorVersion="1", minorVersion="0"
    )
    page.run("delete-environment-template")
    page.done()
