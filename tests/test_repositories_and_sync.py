"""Linked repositories, template and service sync configurations, simulated pushes
(`ProtonMock.push_to_repository`), sync status, sync definitions and sync blockers, in both
modes."""

import pytest

from moto_proton.testing import proton_state

from .builders import (
    ACCOUNT,
    ARN,
    ENV_SPEC,
    NO_WAIT,
    env_template,
    environment,
    service_spec,
    service_version,
)
from .helpers import UUID, refused, tag_refusal

CONNECTION = f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"
SCHEMA = "schema:\n  format:\n    openapi: 3.0.0\n"
REGISTRATION = (
    "compatible_environments:\n  - vpc:1\nsupported_component_sources:\n  - DIRECTLY_DEFINED\n"
)


def not_linked(member, provider, name):
    return (
        f"The {member} {provider}:{name} is not a linked repository: link it with "
        "CreateRepository first."
    )


def link(client, name="org/templates", provider="GITHUB", **extra):
    return client.create_repository(
        name=name, provider=provider, connectionArn=CONNECTION, **extra
    )["repository"]


@pytest.fixture
def client(proton):
    """Environment template vpc (1.0 published) with environment dev; service template web
    (no pipeline, 1.0 published) with service svc (instances one and two in dev); the
    repository GITHUB org/templates linked."""
    client = proton.client()
    env_template(client)
    environment(client, "dev")
    client.create_service_template(name="web", pipelineProvisioning="CUSTOMER_MANAGED")
    service_version(client)
    client.get_environment(name="dev")
    client.create_service(
        name="svc",
        templateName="web",
        templateMajorVersion="1",
        spec=service_spec(("one", "dev"), ("two", "dev")),
    )
    assert client.get_service(name="svc")["service"]["status"] == "ACTIVE"
    link(client)
    return client


def sync_config(client, template="vpc", kind="ENVIRONMENT", **extra):
    params = {
        "templateName": template,
        "templateType": kind,
        "repositoryName": "org/templates",
        "repositoryProvider": "GITHUB",
        "branch": "main",
        **extra,
    }
    return client.create_template_sync_config(**params)["templateSyncConfig"]


def service_sync(client, service="svc", **extra):
    params = {
        "serviceName": service,
        "repositoryName": "org/templates",
        "repositoryProvider": "GITHUB",
        "branch": "main",
        "filePath": "proton-ops.yaml",
        **extra,
    }
    return client.create_service_sync_config(**params)["serviceSyncConfig"]


def sync_status(client, template="vpc", kind="ENVIRONMENT", major="1"):
    answer = client.get_template_sync_status(
        templateName=template, templateType=kind, templateVersion=major
    )
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


# -- repositories ----------------------------------------------------------------------


def test_repositories(client):
    enterprise = link(
        client,
        "org/templates",
        "GITHUB_ENTERPRISE",
        encryptionKey=KEY,
        tags=[{"key": "team", "value": "platform"}],
    )
    assert enterprise == {
        "arn": f"{ARN}:repository/github_enterprise:org/templates",
        "name": "org/templates",
        "provider": "GITHUB_ENTERPRISE",
        "connectionArn": CONNECTION,
        "encryptionKey": KEY,
    }
    bitbucket = link(client, "org/infra", "BITBUCKET")
    assert bitbucket["arn"] == f"{ARN}:repository/bitbucket:org/infra"
    assert "encryptionKey" not in bitbucket
    github = client.get_repository(name="org/templates", provider="GITHUB")["repository"]
    assert github["arn"] == f"{ARN}:repository/github:org/templates"
    refused(
        client,
        "ConflictException",
        lambda: link(client),
        "The repository org/templates of provider GITHUB is linked already.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.get_repository(name="org/nothing", provider="GITHUB"),
        "The repository org/nothing of provider GITHUB was not found.",
    )
    assert client.list_tags_for_resource(resourceArn=enterprise["arn"])["tags"] == [
        {"key": "team", "value": "platform"}  # repositories get no managed tags
    ]
    listed = client.list_repositories()["repositories"]
    assert [r["arn"] for r in listed] == sorted(r["arn"] for r in listed)  # by ARN
    assert listed == [
        {k: v for k, v in r.items() if k != "encryptionKey"}
        for r in (bitbucket, github, enterprise)
    ]
    page = client.list_repositories(maxResults=2)
    rest = client.list_repositories(nextToken=page["nextToken"])
    assert page["repositories"] + rest["repositories"] == listed
    deleted = client.delete_repository(name="org/templates", provider="GITHUB_ENTERPRISE")
    assert deleted["repository"] == enterprise
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.delete_repository(name="org/templates", provider="GITHUB_ENTERPRISE"),
        "The repository org/templates of provider GITHUB_ENTERPRISE was not found.",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=enterprise["arn"])
    assert [r["provider"] for r in client.list_repositories()["repositories"]] == [
        "BITBUCKET",
        "GITHUB",
    ]


def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(client):
    refused(
        client,
        "ValidationException",
        lambda: link(client, name="org/other", tags=[{"key": "cost#center", "value": "a"}]),
        tag_refusal("key", "cost#center", "#"),
    )


def test_repositories_must_be_linked_and_stay_while_used(client):
    unlinked = {"provider": "GITHUB", "name": "org/other", "branch": "main"}
    for call, member in (
        (
            lambda: client.create_environment(
                name="self",
                templateName="vpc",
                templateMajorVersion="1",
                spec=ENV_SPEC,
                provisioningRepository=unlinked,
            ),
            "provisioningRepository",
        ),
        (
            lambda: client.update_environment(
                name="dev", deploymentType="NONE", provisioningRepository=unlinked
            ),
            "provisioningRepository",
        ),
        (
            lambda: client.update_account_settings(pipelineProvisioningRepository=unlinked),
            "pipelineProvisioningRepository",
        ),
        (lambda: sync_config(client, repositoryName="org/other"), "repository"),
        (lambda: service_sync(client, repositoryName="org/other"), "repository"),
    ):
        refused(client, "ValidationException", call, not_linked(member, "GITHUB", "org/other"))
    # Each use keeps the repository linked.
    linked = {**unlinked, "name": "org/templates"}

    def delete():
        return client.delete_repository(name="org/templates", provider="GITHUB")

    def self_managed():
        client.create_environment(
            name="self",
            templateName="vpc",
            templateMajorVersion="1",
            spec=ENV_SPEC,
            provisioningRepository=linked,
        )
        client.get_environment(name="self")

    uses = (
        (
            self_managed,
            "environment self",
            lambda: client.delete_environment(name="self"),
        ),
        (
            lambda: client.update_account_settings(pipelineProvisioningRepository=linked),
            "the account settings' pipeline repository",
            lambda: client.update_account_settings(deletePipelineProvisioningRepository=True),
        ),
        (
            lambda: sync_config(client),
            "the sync configuration of environment template vpc",
            lambda: client.delete_template_sync_config(
                templateName="vpc", templateType="ENVIRONMENT"
            ),
        ),
        (
            lambda: service_sync(client),
            "the sync configuration of service svc",
            lambda: client.delete_service_sync_config(serviceName="svc"),
        ),
    )
    for use, user, release in uses:
        use()
        refused(
            client,
            "ConflictException",
            delete,
            f"The repository GITHUB:org/templates is used by {user}.",
        )
        release()
        if user == "environment self":
            # A finished deletion no longer uses it, even before anything read it.
            assert delete()["repository"]["name"] == "org/templates"
            link(client)
    for use, _, _ in uses[1:]:
        use()
    refused(
        client,
        "ConflictException",
        delete,
        "The repository GITHUB:org/templates is used by the account settings' pipeline "
        "repository; the sync configuration of environment template vpc; the sync "
        "configuration of service svc.",
    )
    for _, _, release in uses[1:]:
        release()
    assert delete()["repository"]["name"] == "org/templates"


# -- template sync configurations ---------------------------------------------------------


def test_template_sync_configs(client):
    refused(
        client,
        "ValidationException",
        lambda: sync_config(client, "nothing"),
        "The environment template nothing does not exist.",
    )
    refused(
        client,
        "ValidationException",
        lambda: sync_config(client, "vpc", "SERVICE"),
        "The service template vpc does not exist.",
    )
    got = client.get_template_sync_config(templateName="vpc", templateType="ENVIRONMENT")
    assert "templateSyncConfig" not in got  # no configuration: {}
    created = sync_config(client)
    assert created == {
        "templateName": "vpc",
        "templateType": "ENVIRONMENT",
        "repositoryName": "org/templates",
        "repositoryProvider": "GITHUB",
        "branch": "main",
    }
    refused(
        client,
        "ConflictException",
        lambda: sync_config(client, branch="other"),
        "The environment template vpc already has a template sync configuration.",
    )
    assert (
        client.get_template_sync_config(templateName="vpc", templateType="ENVIRONMENT")[
            "templateSyncConfig"
        ]
        == created
    )
    link(client, "org/infra", "BITBUCKET")
    update = {
        "templateName": "vpc",
        "templateType": "ENVIRONMENT",
        "repositoryName": "org/infra",
        "repositoryProvider": "BITBUCKET",
        "branch": "release",
        "subdirectory": "templates",
    }
    updated = client.update_template_sync_config(**update)["templateSyncConfig"]
    assert updated == {k: v for k, v in update.items()}
    for call, message in (
        (
            lambda: client.get_template_sync_config(
                templateName="nothing", templateType="ENVIRONMENT"
            ),
            "The environment template nothing was not found.",
        ),
        (
            lambda: client.update_template_sync_config(**{**update, "templateName": "nothing"}),
            "The environment template nothing was not found.",
        ),
        (
            lambda: client.delete_template_sync_config(
                templateName="nothing", templateType="ENVIRONMENT"
            ),
            "The environment template nothing was not found.",
        ),
        (
            lambda: client.update_template_sync_config(
                **{**update, "templateName": "web", "templateType": "SERVICE"}
            ),
            "The service template web has no template sync configuration.",
        ),
        (
            lambda: client.delete_template_sync_config(templateName="web", templateType="SERVICE"),
            "The service template web has no template sync configuration.",
        ),
        (
            lambda: client.get_template_sync_status(
                templateName="web", templateType="SERVICE", templateVersion="1"
            ),
            "The service template web has no template sync configuration.",
        ),
    ):
        refused(client, "ResourceNotFoundException", call, message)
    refused(
        client,
        "ValidationException",
        lambda: client.update_template_sync_config(**{**update, "repositoryName": "org/x"}),
        not_linked("repository", "BITBUCKET", "org/x"),
    )
    deleted = client.delete_template_sync_config(templateName="vpc", templateType="ENVIRONMENT")
    assert deleted["templateSyncConfig"] == updated
    assert "templateSyncConfig" not in client.get_template_sync_config(
        templateName="vpc", templateType="ENVIRONMENT"
    )


def test_push_syncs_environment_template_versions(client, proton):
    sync_config(client)
    assert sync_status(client) == {}  # never synced
    made = proton.push_to_repository(
        "org/templates",
        "main",
        {"vpc/v1/schema/schema.yaml": SCHEMA, "vpc/v1/infrastructure/manifest.yaml": "x"},
        commit_sha="a" * 40,
    )
    # A changed v1 directory: a new minor of major 1, always DRAFT.
    assert made == [
        {
            "templateName": "vpc",
            "templateType": "ENVIRONMENT",
            "majorVersion": "1",
            "minorVersion": "1",
        }
    ]
    version = client.get_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="1"
    )["environmentTemplateVersion"]
    assert version["status"] == "DRAFT"
    status = sync_status(client)
    revision = {
        "repositoryName": "org/templates",
        "repositoryProvider": "GITHUB",
        "branch": "main",
        "directory": "vpc/v1",
        "sha": "a" * 40,
    }
    assert status["desiredState"] == revision
    assert status["latestSync"] == status["latestSuccessfulSync"]
    assert status["latestSync"]["status"] == "SUCCEEDED"
    assert status["latestSync"]["target"] == "vpc"
    assert status["latestSync"]["targetRevision"] == revision
    assert [e["type"] for e in status["latestSync"]["events"]] == ["SYNC_STARTED", "SYNC_SUCCEEDED"]
    assert status["latestSync"]["events"][1]["externalId"] == version["arn"]
    # A new v2 directory: a new major. Other branches, repositories and templates: nothing.
    assert proton.push_to_repository(
        "org/templates", "main", {"vpc/v2/schema/schema.yaml": "y"}
    ) == [
        {
            "templateName": "vpc",
            "templateType": "ENVIRONMENT",
            "majorVersion": "2",
            "minorVersion": "0",
        }
    ]
    assert sync_status(client, major="2")["latestSync"]["targetRevision"]["directory"] == "vpc/v2"
    before = proton_state()
    assert (
        proton.push_to_repository("org/templates", "dev", {"vpc/v1/schema/schema.yaml": "z"}) == []
    )
    assert proton.push_to_repository("org/templates", "main", {"other/v1/schema.yaml": "z"}) == []
    assert proton.push_to_repository("org/templates", "main", {"vpc/README.md": "z"}) == []
    after = proton_state()
    assert (
        after[ACCOUNT]["us-east-1"]["template_sync_attempts"]
        == (before[ACCOUNT]["us-east-1"]["template_sync_attempts"])
    )
    assert (
        after[ACCOUNT]["us-east-1"]["environment_templates"]
        == (before[ACCOUNT]["us-east-1"]["environment_templates"])
    )
    # A second commit to v1: the next minor; the previous revision is the initial one.
    proton.push_to_repository(
        "org/templates", "main", {"vpc/v1/schema/schema.yaml": "w"}, commit_sha="b" * 40
    )
    second = sync_status(client)
    assert second["latestSync"]["initialRevision"]["sha"] == "a" * 40
    assert second["desiredState"]["sha"] == "b" * 40
    versions = client.list_environment_template_versions(templateName="vpc")["templateVersions"]
    assert [(v["majorVersion"], v["minorVersion"], v["status"]) for v in versions] == [
        ("1", "0", "PUBLISHED"),
        ("1", "1", "DRAFT"),
        ("1", "2", "DRAFT"),
        ("2", "0", "DRAFT"),
    ]


def test_push_syncs_service_templates_with_registration(client, proton):
    sync_config(client, "web", "SERVICE", subdirectory="templates")
    # Without .template-registration.yaml the sync attempt fails and nothing is made.
    assert (
        proton.push_to_repository(
            "org/templates", "main", {"templates/web/v1/schema/schema.yaml": SCHEMA}
        )
        == []
    )
    failed = sync_status(client, "web", "SERVICE")
    assert failed["latestSync"]["status"] == "FAILED"
    assert "latestSuccessfulSync" not in failed
    assert failed["latestSync"]["events"][-1] == {
        "event": "A service template needs templates/web/v1/.template-registration.yaml with "
        "its compatible_environments.",
        "time": failed["latestSync"]["events"][-1]["time"],
        "type": "SYNC_FAILED",
    }
    assert len(client.list_service_template_versions(templateName="web")["templateVersions"]) == 1
    for bad in ("supported_component_sources: []\n", "compatible_environments: [vpc]\n"):
        proton.push_to_repository(
            "org/templates",
            "main",
            {"templates/web/v1/.template-registration.yaml": bad},
        )
        assert sync_status(client, "web", "SERVICE")["latestSync"]["status"] == "FAILED"
    # Outside the subdirectory: not this template's.
    assert (
        proton.push_to_repository(
            "org/templates", "main", {"web/v1/.template-registration.yaml": REGISTRATION}
        )
        == []
    )
    made = proton.push_to_repository(
        "org/templates",
        "main",
        {
            "templates/web/v1/.template-registration.yaml": REGISTRATION,
            "templates/web/v1/schema/schema.yaml": SCHEMA,
        },
    )
    assert made == [
        {"templateName": "web", "templateType": "SERVICE", "majorVersion": "1", "minorVersion": "1"}
    ]
    version = client.get_service_template_version(
        templateName="web", majorVersion="1", minorVersion="1"
    )["serviceTemplateVersion"]
    assert version["status"] == "DRAFT"
    assert version["compatibleEnvironmentTemplates"] == [
        {"templateName": "vpc", "majorVersion": "1"}
    ]
    assert version["supportedComponentSources"] == ["DIRECTLY_DEFINED"]
    synced = sync_status(client, "web", "SERVICE")
    assert synced["latestSync"] == synced["latestSuccessfulSync"]
    assert synced["desiredState"]["directory"] == "templates/web/v1"
    # The legacy .compatible-envs file still works, for a new major.
    legacy = proton.push_to_repository(
        "org/templates", "main", {"templates/web/v2/.compatible-envs": "vpc:1\n"}
    )
    assert [(v["majorVersion"], v["minorVersion"]) for v in legacy] == [("2", "0")]
    assert sync_status(client, "web", "SERVICE", "2")["latestSync"]["status"] == "SUCCEEDED"
    assert sync_status(client, "web", "SERVICE", "3") == {}


def test_repository_sync_status_and_definitions(client, proton):
    def status(branch="main", sync_type="TEMPLATE_SYNC", name="org/templates"):
        answer = client.get_repository_sync_status(
            repositoryName=name, repositoryProvider="GITHUB", branch=branch, syncType=sync_type
        )
        return {k: v for k, v in answer.items() if k != "ResponseMetadata"}

    assert status() == {}  # never synced
    refused(
        client,
        "ResourceNotFoundException",
        lambda: status(name="org/nothing"),
        "The repository org/nothing of provider GITHUB was not found.",
    )
    proton.push_to_repository("org/templates", "main", {"README.md": "hello"})
    latest = status()["latestSync"]
    assert latest["status"] == "SUCCEEDED"
    assert [e["type"] for e in latest["events"]] == [
        "CLONE_STARTED",
        "CONFIG_UPDATED",  # as ag-repo-view prints a sync
        "STARTING_SYNC",
    ]
    assert status("other") == {} and status(sync_type="SERVICE_SYNC") == {}

    def definitions(sync_type="TEMPLATE_SYNC", name="org/templates", provider="GITHUB"):
        return client.list_repository_sync_definitions(
            repositoryName=name, repositoryProvider=provider, syncType=sync_type
        )["syncDefinitions"]

    assert definitions() == []
    sync_config(client, "web", "SERVICE", subdirectory="templates", branch="release")
    sync_config(client)
    link(client, "org/templates", "BITBUCKET")
    assert definitions() == [  # by template name
        {"branch": "main", "directory": "vpc", "parent": "org/templates", "target": "vpc"},
        {"branch": "release", "directory": "templates", "parent": "org/templates", "target": "web"},
    ]
    assert definitions("SERVICE_SYNC") == []
    assert definitions(name="org/nothing") == definitions(provider="BITBUCKET") == []
    refused(  # one page only: its nextToken is an EmptyNextToken
        client,
        "ValidationException",
        lambda: client.list_repository_sync_definitions(
            repositoryName="org/templates",
            repositoryProvider="GITHUB",
            syncType="TEMPLATE_SYNC",
            nextToken="x",
        ),
        "1 validation error detected: Value 'x' at 'nextToken' failed to satisfy constraint: "
        "Member must have length less than or equal to 0",
    )


def test_deleting_a_template_or_service_drops_its_sync_config(client, proton):
    client.create_environment_template(name="tmp")
    sync_config(client, "tmp")
    proton.push_to_repository("org/templates", "main", {"tmp/v1/schema/schema.yaml": SCHEMA})
    client.delete_environment_template_version(
        templateName="tmp", majorVersion="1", minorVersion="0"
    )
    client.delete_environment_template(name="tmp")
    service_sync(client)
    client.update_service_instance(name="one", serviceName="svc", deploymentType="CURRENT_VERSION")
    client.get_service_instance(name="one", serviceName="svc")
    client.delete_service(name="svc")
    client.get_waiter("service_deleted").wait(name="svc", WaiterConfig=NO_WAIT)
    # Nothing is left that would keep the repository, or come back with a new template.
    assert client.delete_repository(name="org/templates", provider="GITHUB")
    state = proton_state()[ACCOUNT]["us-east-1"]
    for stored in ("template_sync_configs", "template_sync_attempts", "service_sync_configs"):
        assert state.get(stored) == {}, stored
    assert state["sync_blockers"] == {}
    client.create_environment_template(name="tmp")
    assert "templateSyncConfig" not in client.get_template_sync_config(
        templateName="tmp", templateType="ENVIRONMENT"
    )


# -- service sync configurations and blockers ------------------------------------------------


def test_service_sync_configs(client):
    refused(
        client,
        "ValidationException",
        lambda: service_sync(client, "nothing"),
        "The service nothing does not exist.",
    )
    assert "serviceSyncConfig" not in client.get_service_sync_config(serviceName="svc")
    created = service_sync(client)
    assert created == {
        "serviceName": "svc",
        "repositoryName": "org/templates",
        "repositoryProvider": "GITHUB",
        "branch": "main",
        "filePath": "proton-ops.yaml",
    }
    refused(
        client,
        "ConflictException",
        lambda: service_sync(client),
        "The service svc already has a service sync configuration.",
    )
    assert client.get_service_sync_config(serviceName="svc")["serviceSyncConfig"] == created
    update = {
        "serviceName": "svc",
        "repositoryName": "org/templates",
        "repositoryProvider": "GITHUB",
        "branch": "release",
        "filePath": "ops/proton.yaml",
    }
    assert client.update_service_sync_config(**update)["serviceSyncConfig"] == update
    refused(
        client,
        "ValidationException",
        lambda: client.update_service_sync_config(**{**update, "repositoryName": "org/x"}),
        not_linked("repository", "GITHUB", "org/x"),
    )
    for call in (
        lambda: client.get_service_sync_config(serviceName="nothing"),
        lambda: client.update_service_sync_config(**{**update, "serviceName": "nothing"}),
        lambda: client.delete_service_sync_config(serviceName="nothing"),
    ):
        refused(client, "ResourceNotFoundException", call, "The service nothing was not found.")
    assert client.delete_service_sync_config(serviceName="svc")["serviceSyncConfig"] == update
    for call in (
        lambda: client.update_service_sync_config(**update),
        lambda: client.delete_service_sync_config(serviceName="svc"),
    ):
        refused(
            client,
            "ResourceNotFoundException",
            call,
            "The service svc has no service sync configuration.",
        )


def test_sync_blockers(client):
    def blockers(instance=None):
        params = {"serviceName": "svc"}
        if instance:
            params["serviceInstanceName"] = instance
        summary = client.get_service_sync_blocker_summary(**params)["serviceSyncBlockerSummary"]
        assert summary["serviceName"] == "svc"
        assert summary.get("serviceInstanceName") == instance
        return summary["latestBlockers"]

    # Without a service sync configuration manual changes block nothing.
    client.update_service_instance(name="one", serviceName="svc", deploymentType="CURRENT_VERSION")
    client.get_service_instance(name="one", serviceName="svc")
    assert blockers() == blockers("one") == []
    service_sync(client)
    updated = client.update_service_instance(
        name="one", serviceName="svc", deploymentType="CURRENT_VERSION"
    )["serviceInstance"]
    [blocker] = blockers("one")
    assert blocker == {
        "id": blocker["id"],
        "type": "AUTOMATED",
        "status": "ACTIVE",
        "createdAt": blocker["createdAt"],
        "createdReason": "Manual update of service instance one",
        "contexts": [
            {"key": "serviceName", "value": "svc"},
            {"key": "serviceInstanceName", "value": "one"},
        ],
    }
    assert blocker["createdAt"] >= updated["lastDeploymentAttemptedAt"]
    assert blockers() == blockers("two") == []  # an instance's blocker is the instance's only
    # NONE deploys nothing and blocks nothing.
    client.update_service_instance(name="two", serviceName="svc", deploymentType="NONE")
    assert blockers("two") == []
    client.get_service(name="svc")
    client.create_service_instance(
        name="three", serviceName="svc", spec=service_spec(("three", "dev"))
    )
    assert [b["createdReason"] for b in blockers("three")] == [
        "Manual creation of service instance three"
    ]
    client.get_service_instance(name="three", serviceName="svc")
    client.update_service(name="svc", spec=service_spec(("one", "dev"), ("three", "dev")))
    [removal] = blockers()
    assert removal["createdReason"] == "Manual removal of service instance(s) two"
    assert removal["contexts"] == [{"key": "serviceName", "value": "svc"}]
    for params, message in (
        ({"serviceName": "nothing"}, "The service nothing was not found."),
        (
            {"serviceName": "svc", "serviceInstanceName": "nine"},
            "The service instance nine of service svc was not found.",
        ),
    ):
        refused(
            client,
            "ResourceNotFoundException",
            lambda p=params: client.get_service_sync_blocker_summary(**p),
            message,
        )
    resolved = client.update_service_sync_blocker(id=blocker["id"], resolvedReason="synced")
    assert (resolved["serviceName"], resolved["serviceInstanceName"]) == ("svc", "one")
    shown = resolved["serviceSyncBlocker"]
    assert (shown["status"], shown["resolvedReason"]) == ("RESOLVED", "synced")
    assert shown["resolvedAt"] >= shown["createdAt"]
    assert blockers("one") == [shown]
    refused(
        client,
        "ConflictException",
        lambda: client.update_service_sync_blocker(id=blocker["id"], resolvedReason="again"),
        f"The sync blocker {blocker['id']} is resolved already.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.update_service_sync_blocker(id=UUID, resolvedReason="x"),
        f"The sync blocker {UUID} was not found.",
    )
    service_level = client.update_service_sync_blocker(id=removal["id"], resolvedReason="ok")
    assert "serviceInstanceName" not in service_level
    assert service_level["serviceSyncBlocker"]["status"] == "RESOLVED"


def test_service_instance_sync_status(client):
    answer = client.get_service_instance_sync_status(serviceName="svc", serviceInstanceName="one")
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}
    for params, message in (
        ({"serviceName": "nothing"}, "The service nothing was not found."),
        ({"serviceName": "svc"}, "The service instance nine of service svc was not found."),
    ):
        refused(
            client,
            "ResourceNotFoundException",
            lambda p=params: client.get_service_instance_sync_status(
                serviceInstanceName="nine", **p
            ),
            message,
        )
