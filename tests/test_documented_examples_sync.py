"""The AWS Proton User Guide's CLI walkthroughs of linked repositories and template and service
sync, replayed against the server through the AWS CLI; each reply is compared with the JSON
its page prints (how: `tests/documented_examples_harness.py`)."""

from __future__ import annotations

from typing import Any

from moto_proton.testing import ProtonMock

from . import documented_examples_harness as harness
from .documented_examples_harness import (
    OPS_FILE,
    Relaxed,
    connection_arn,
    environment_template,
    link,
    service_template,
    setup,
    sync_service,
    sync_template,
)

#: The harness's fixtures, for the tests to ask for by name.
aws_cli, guide, server = harness.aws_cli, harness.guide, harness.server

# --- repositories and sync -------------------------------------------------------------------

TEMPLATES_REPOSITORY = "myrepos/templates"


#: create-, view- and update-template-sync print the reply's structure as
#: "templateSyncConfigDetails"; the model's member (and delete-template-sync's) is
#: "templateSyncConfig".
SYNC_DETAILS = {"templateSyncConfigDetails": "templateSyncConfig"}


def test_ag_create_repo(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-create-repo")
    page.run(
        "create-repository",
        relaxed=Relaxed(
            # The command passes the connection ...-EXAMPLE11111; the reply prints another
            # (2ad03b28-a7c4-EXAMPLE11111, not even a UUID).
            override={"repository.connectionArn": connection_arn("11111")}
        ),
    )
    tags = page.run("list-tags-for-resource")["tags"]
    # No reply printed; the command's customer managed tags.
    assert {t["key"]: t["value"] for t in tags} == {"mytag1": "value1", "mytag2": "value2"}
    page.done()


def test_ag_repo_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-repo-view")
    client = setup(server)
    link(client, TEMPLATES_REPOSITORY)
    link(client, "myrepos/environments")
    environment_template(client, "env-template")
    client.create_template_sync_config(
        templateName="env-template",
        templateType="ENVIRONMENT",
        repositoryName=TEMPLATES_REPOSITORY,
        repositoryProvider="GITHUB",
        branch="main",
    )
    commit = "62c03ff86eEXAMPLE1111111"
    server.push_to_repository(
        TEMPLATES_REPOSITORY,
        "main",
        {"env-template/v1/infrastructure/cloudformation.yaml": "Resources: {}\n"},
        commit_sha=commit,
    )
    page.run(
        "list-repositories",
        # ListRepositories documents no order; the mock lists by ARN.
        relaxed=Relaxed(unordered={"repositories": "name"}),
    )
    page.run("get-repository")
    definitions = page.run(
        "list-repository-sync-definitions",
        # ListRepositorySyncDefinitions has no branch parameter (the CLI refuses --branch).
        fix={'--branch "main" ': ""},
    )["syncDefinitions"]
    # No reply printed: the one template synced from the branch.
    assert [d["target"] for d in definitions] == ["env-template"]
    page.run("get-repository-sync-status")
    page.done()


def test_ag_repo_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-repo-delete")
    link(setup(server), TEMPLATES_REPOSITORY)
    # The page's command has no space between --provider and its value.
    page.run("delete-repository", fix={'--provider"GITHUB"': '--provider "GITHUB"'})
    page.done()


def test_create_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("create-template-sync")
    link(setup(server), TEMPLATES_REPOSITORY)
    page.run(
        "create-environment-template",
        relaxed=Relaxed(
            # The command passes no --display-name; status and templateName are no members of
            # EnvironmentTemplate (the model's; template-create's reply has neither).
            missing={
                "environmentTemplate.displayName": "not passed by the command",
                "environmentTemplate.status": "not a member of EnvironmentTemplate",
                "environmentTemplate.templateName": "not a member of EnvironmentTemplate",
            }
        ),
    )
    page.run(
        "create-template-sync-config",
        # The command passes --subdirectory "env-template/"; the reply prints "templates".
        relaxed=Relaxed(
            rename=SYNC_DETAILS, override={"templateSyncConfig.subdirectory": "env-template/"}
        ),
    )
    page.done()


def test_view_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("view-template-sync")
    client = setup(server)
    link(client, "myrepos/myrepo")
    environment_template(client, "env-template")
    service_template(client, "svc-template", compatible="env-template")
    sync_template(client, "svc-template", "SERVICE", "myrepos/myrepo", "svc-template")
    sync_template(client, "env-template", "ENVIRONMENT", "myrepos/myrepo", "env-template")
    page.run("get-template-sync-config", relaxed=Relaxed(rename=SYNC_DETAILS))
    page.run("get-template-sync-status")  # no reply printed
    page.done()


def test_update_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("update-template-sync")
    client = setup(server)
    link(client, TEMPLATES_REPOSITORY)
    environment_template(client, "env-template")
    sync_template(client, "env-template", "ENVIRONMENT", TEMPLATES_REPOSITORY, "templates")
    page.run(
        "update-template-sync-config",
        relaxed=Relaxed(
            # The command passes myrepos/templates and the subdirectory "env-template"; the
            # reply prints myrepos/myrepo and "templates".
            rename=SYNC_DETAILS,
            override={
                "templateSyncConfig.repositoryName": TEMPLATES_REPOSITORY,
                "templateSyncConfig.subdirectory": "env-template",
            },
        ),
    )
    page.done()


def test_delete_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("delete-template-sync")
    client = setup(server)
    link(client, TEMPLATES_REPOSITORY)
    environment_template(client, "env-template")
    sync_template(client, "env-template", "ENVIRONMENT", TEMPLATES_REPOSITORY, "env-template")
    page.run(
        "delete-template-sync-config",
        # The page prints only the template's name and type; the model requires the
        # configuration's repository and branch too (the page's other sync replies print
        # them), and the configuration has a subdirectory.
        relaxed=Relaxed(extra={"templateSyncConfig.subdirectory": "printed by the other pages"}),
    )
    page.done()


#: The service sync pages' service is "service name", not a service name (the API's pattern
#: has no spaces); the replay names it my-service.
SYNC_SERVICE = {"service name": "my-service"}


def test_create_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("create-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server, config=False)
    page.run(
        "create-service-sync-config",
        # The page's options are not CreateServiceSyncConfig's (--service-name,
        # --repository-name, --branch, --file-path), and it marks the last "(optional)" in
        # the command itself.
        fix={
            '--resource "service-arn"': '--service-name "service name"',
            '--repository "': '--repository-name "',
            "--ops-file-branch": "--branch",
            f'--proton-ops-file "{OPS_FILE}" (optional)': f'--file-path "{OPS_FILE}"',
        },
    )
    page.done()


def test_get_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("get-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server)
    page.run("get-service-sync-config")
    page.skip(
        "get-service-sync-status",
        "not an operation: the API's are GetServiceInstanceSyncStatus and "
        "GetServiceSyncBlockerSummary (the CLI refuses get-service-sync-status)",
    )
    page.done()


def test_update_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("update-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server)
    page.run(
        "update-service-sync-config",
        # As on create-service-sync: UpdateServiceSyncConfig's options are --repository-name,
        # --branch and --file-path.
        fix={
            '--repository "': '--repository-name "',
            "--ops-file-branch": "--branch",
            '--ops-file "': '--file-path "',
        },
    )
    page.done()


def test_delete_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("delete-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server)
    page.run("delete-service-sync-config")
    page.done()
