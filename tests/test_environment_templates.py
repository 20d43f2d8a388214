"""Environment templates and versions: registration, publishing, recommended versions."""

import pytest

import moto_proton
from moto_proton.testing import proton_state

from .builders import SOURCE
from .helpers import error_of, raw_call, refused, tag_refusal, tags_of

MODEL = "proton::environment-template-version"


@pytest.fixture
def client(proton):
    return proton.client()


def new_version(client, template="vpc", major=None, **extra):
    params = {"templateName": template, "source": SOURCE, **extra}
    if major:
        params["majorVersion"] = major
    return client.create_environment_template_version(**params)["environmentTemplateVersion"]


def publish(client, template, major, minor):
    return client.update_environment_template_version(
        templateName=template, majorVersion=major, minorVersion=minor, status="PUBLISHED"
    )["environmentTemplateVersion"]


def test_template_lifecycle(client):
    created = client.create_environment_template(
        name="vpc",
        displayName="VPC",
        description="shared network",
        tags=[{"key": "team", "value": "platform"}],
    )["environmentTemplate"]
    assert created["arn"] == "arn:aws:proton:us-east-1:123456789012:environment-template/vpc"
    assert created["createdAt"] == created["lastModifiedAt"]
    assert "recommendedVersion" not in created
    assert client.get_environment_template(name="vpc")["environmentTemplate"] == created
    assert client.list_tags_for_resource(resourceArn=created["arn"])["tags"] == [
        {"key": "aws:proton:account", "value": "123456789012"},
        {"key": "aws:proton:template", "value": created["arn"]},
        {"key": "team", "value": "platform"},
    ]
    updated = client.update_environment_template(name="vpc", description="network")[
        "environmentTemplate"
    ]
    assert updated["description"] == "network" and updated["displayName"] == "VPC"
    assert updated["lastModifiedAt"] >= created["lastModifiedAt"]
    listed = client.list_environment_templates()["templates"]
    assert [t["name"] for t in listed] == ["vpc"]
    deleted = client.delete_environment_template(name="vpc")["environmentTemplate"]
    assert deleted["name"] == "vpc"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.get_environment_template(name="vpc")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        "The environment template vpc was not found.",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=created["arn"])


def test_duplicate_template_is_idempotent_until_modified(client):
    """AWS's Welcome page: a create without client token that repeats an earlier one returns
    the original; after a change it conflicts; other parameters are a mismatch."""
    created = client.create_environment_template(name="vpc")["environmentTemplate"]
    assert client.create_environment_template(name="vpc")["environmentTemplate"] == created
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.create_environment_template(name="vpc", description="other")
    assert error_of(excinfo) == (
        "ValidationException",
        "Idempotent parameter mismatch: the environment template vpc already exists with "
        "different parameters.",
    )
    client.update_environment_template(name="vpc", description="changed")
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.create_environment_template(name="vpc")
    assert error_of(excinfo) == (
        "ConflictException",
        "The environment template vpc already exists.",
    )
    assert [t["name"] for t in client.list_environment_templates()["templates"]] == ["vpc"]


def test_template_quota(client):
    moto_proton.set_quota("templates", 1)
    client.create_environment_template(name="a")
    with pytest.raises(client.exceptions.ServiceQuotaExceededException) as excinfo:
        client.create_environment_template(name="b")
    assert "quota of 1 templates" in error_of(excinfo)[1]
    assert [t["name"] for t in client.list_environment_templates()["templates"]] == ["a"]


def test_versions_register_then_draft_then_published(client):
    client.create_environment_template(name="vpc")
    created = new_version(client, description="first")
    assert (created["majorVersion"], created["minorVersion"]) == ("1", "0")
    assert created["status"] == "REGISTRATION_IN_PROGRESS"
    assert created["arn"].endswith(":environment-template/vpc:1.0")
    client.get_waiter("environment_template_version_registered").wait(
        templateName="vpc",
        majorVersion="1",
        minorVersion="0",
        WaiterConfig={"Delay": 0, "MaxAttempts": 3},
    )
    got = client.get_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="0"
    )
    assert got["environmentTemplateVersion"]["status"] == "DRAFT"
    assert "recommendedMinorVersion" not in got["environmentTemplateVersion"]
    published = publish(client, "vpc", "1", "0")
    assert published["status"] == "PUBLISHED"
    assert published["recommendedMinorVersion"] == "0"
    assert (
        client.get_environment_template(name="vpc")["environmentTemplate"]["recommendedVersion"]
        == "1.0"
    )


def test_manual_progression_keeps_registering(client, proton):
    proton.set_transition(MODEL, {"progression": "manual", "times": 2})
    client.create_environment_template(name="vpc")
    new_version(client)

    def status():
        return client.get_environment_template_version(
            templateName="vpc", majorVersion="1", minorVersion="0"
        )["environmentTemplateVersion"]["status"]

    assert status() == "REGISTRATION_IN_PROGRESS"
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        publish(client, "vpc", "1", "0")
    assert (
        "can only change from DRAFT to PUBLISHED, not from REGISTRATION_IN_PROGRESS"
        in error_of(excinfo)[1]
    )
    assert status() == "DRAFT"


def test_transitions_are_registered_with_moto(proton):
    from moto.moto_api import state_manager

    assert {MODEL, "proton::deployment", "proton::environment-deletion"} <= set(
        state_manager.get_registered_models()
    )


def test_version_numbering(client):
    client.create_environment_template(name="vpc")
    assert (new_version(client)["majorVersion"], new_version(client)["majorVersion"]) == ("1", "2")
    minor = new_version(client, major="1")
    assert (minor["majorVersion"], minor["minorVersion"]) == ("1", "1")
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        new_version(client, major="7")
    assert error_of(excinfo)[1] == (
        "majorVersion 7 does not exist for environment template vpc; omit majorVersion to "
        "create the next major version."
    )
    listed = client.list_environment_template_versions(templateName="vpc")["templateVersions"]
    assert [(v["majorVersion"], v["minorVersion"]) for v in listed] == [
        ("1", "0"),
        ("1", "1"),
        ("2", "0"),
    ]
    only_one = client.list_environment_template_versions(templateName="vpc", majorVersion="1")
    assert len(only_one["templateVersions"]) == 2


def test_recommended_version_is_highest_published(client):
    client.create_environment_template(name="vpc")
    new_version(client)
    new_version(client, major="1")
    new_version(client)
    publish(client, "vpc", "1", "1")
    assert (
        client.get_environment_template(name="vpc")["environmentTemplate"]["recommendedVersion"]
        == "1.1"
    )
    publish(client, "vpc", "1", "0")
    assert (
        client.get_environment_template(name="vpc")["environmentTemplate"]["recommendedVersion"]
        == "1.1"
    )
    publish(client, "vpc", "2", "0")
    assert (
        client.get_environment_template(name="vpc")["environmentTemplate"]["recommendedVersion"]
        == "2.0"
    )
    v10 = client.get_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="0"
    )
    assert v10["environmentTemplateVersion"]["recommendedMinorVersion"] == "1"


def test_status_only_moves_draft_to_published(client):
    client.create_environment_template(name="vpc")
    new_version(client)
    publish(client, "vpc", "1", "0")
    assert publish(client, "vpc", "1", "0")["status"] == "PUBLISHED"
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.update_environment_template_version(
            templateName="vpc", majorVersion="1", minorVersion="0", status="DRAFT"
        )
    assert error_of(excinfo)[1] == (
        "The status of environment template version vpc:1.0 can only change from DRAFT to "
        "PUBLISHED, not from PUBLISHED to DRAFT."
    )


def test_deletion_rules(client):
    client.create_environment_template(name="vpc")
    new_version(client)
    new_version(client, major="1")
    publish(client, "vpc", "1", "1")
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_environment_template(name="vpc")
    assert error_of(excinfo)[1] == "The environment template vpc has 2 versions; delete them first."
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_environment_template_version(
            templateName="vpc", majorVersion="1", minorVersion="1"
        )
    assert (
        "is the recommended version of its major version and can only be deleted last"
        in error_of(excinfo)[1]
    )
    client.delete_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="0"
    )
    deleted = client.delete_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="1"
    )
    assert deleted["environmentTemplateVersion"]["status"] == "PUBLISHED"
    client.delete_environment_template(name="vpc")
    assert client.list_environment_templates()["templates"] == []


def test_the_recommended_version_goes_only_when_no_other_version_exists(client):
    client.create_environment_template(name="vpc")
    for _ in range(3):
        new_version(client)  # 1.0, 2.0, 3.0
    publish(client, "vpc", "1", "0")
    publish(client, "vpc", "2", "0")  # recommended; 3.0 stays a draft

    def delete(major):
        return client.delete_environment_template_version(
            templateName="vpc", majorVersion=major, minorVersion="0"
        )["environmentTemplateVersion"]

    refused(
        client,
        "ConflictException",
        lambda: delete("2"),
        "Environment template version vpc:2.0 is the recommended version of the template and "
        "can only be deleted last; delete 1.0, 3.0 first.",
    )
    # a major version that isn't the recommended one goes, published or not
    assert delete("1")["status"] == "PUBLISHED"
    assert delete("3")["status"] == "DRAFT"
    template = client.get_environment_template(name="vpc")["environmentTemplate"]
    assert template["recommendedVersion"] == "2.0"
    # alone, the recommended version goes too, and the template has none left
    assert delete("2")["status"] == "PUBLISHED"
    assert (
        "recommendedVersion"
        not in client.get_environment_template(name="vpc")["environmentTemplate"]
    )


@pytest.mark.parametrize(
    "tag, message",
    [
        ({"key": "cost#center", "value": "a"}, tag_refusal("key", "cost#center", "#")),
        ({"key": "team", "value": "a!b"}, tag_refusal("value", "a!b", "!")),
    ],
)
def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(client, tag, message):
    arn = client.create_environment_template(name="vpc")["environmentTemplate"]["arn"]
    new_version(client)
    for call in (
        lambda: client.tag_resource(resourceArn=arn, tags=[tag]),
        lambda: client.tag_resource(resourceArn=f"{arn}:1.0", tags=[tag]),
        lambda: client.create_environment_template(name="other", tags=[tag]),
        lambda: new_version(client, tags=[tag]),
    ):
        refused(client, "ValidationException", call, message)
    allowed = {"Cost Center_1.:/=+-@": "équipe 東京 +1", "x": ""}
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in allowed.items()])
    assert {k: v for k, v in tags_of(client, arn).items() if not k.startswith("aws:")} == allowed


def test_a_retried_delete_succeeds_and_counts_nowhere(client, proton):
    moto_proton.set_quota("templates", 1)
    client.create_environment_template(name="vpc", tags=[{"key": "team", "value": "a"}])
    new_version(client)
    version = {"templateName": "vpc", "majorVersion": "1", "minorVersion": "0"}
    deleted_version = client.delete_environment_template_version(**version)[
        "environmentTemplateVersion"
    ]
    deleted = client.delete_environment_template(name="vpc")["environmentTemplate"]
    # Retries answer what the delete answered, even in reverse order, and change nothing.
    before = proton_state()
    retried_version = client.delete_environment_template_version(**version)
    assert retried_version["environmentTemplateVersion"] == deleted_version
    assert client.delete_environment_template(name="vpc")["environmentTemplate"] == deleted
    assert proton_state() == before
    # A deletion is in no listing and no quota; another Region knows nothing of it.
    assert client.list_environment_templates()["templates"] == []
    client.create_environment_template(name="other")
    west = proton.client(region="eu-west-1")
    refused(
        west,
        "ResourceNotFoundException",
        lambda: west.delete_environment_template(name="vpc"),
        "The environment template vpc was not found.",
    )
    refused(
        client,
        "ResourceNotFoundException",
        lambda: client.delete_environment_template_version(**{**version, "minorVersion": "1"}),
        "The environment template vpc was not found.",
    )


def test_a_retried_delete_acts_on_a_resource_created_again(client):
    client.create_environment_template(name="vpc", description="first")
    client.delete_environment_template(name="vpc")
    client.create_environment_template(name="vpc", description="second")
    new_version(client)
    refused(
        client,
        "ConflictException",
        lambda: client.delete_environment_template(name="vpc"),
        "The environment template vpc has 1 versions; delete them first.",
    )
    client.delete_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="0"
    )
    deleted = client.delete_environment_template(name="vpc")["environmentTemplate"]
    assert deleted["description"] == "second"
    assert client.delete_environment_template(name="vpc")["environmentTemplate"] == deleted


def test_a_retried_delete_answers_empty_after_eight_hours(client, proton):
    if proton.mode == "server":
        pytest.skip("time is frozen in-process only")
    from freezegun import freeze_time

    with freeze_time("2026-01-01 00:00:00"):
        client.create_environment_template(name="vpc")
        deleted = client.delete_environment_template(name="vpc")["environmentTemplate"]
    with freeze_time("2026-01-01 07:59:00"):
        assert client.delete_environment_template(name="vpc")["environmentTemplate"] == deleted
    with freeze_time("2026-01-01 08:00:01"):
        assert "environmentTemplate" not in client.delete_environment_template(name="vpc")


def test_versions_need_a_template_and_a_source(client, proton):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        new_version(client, template="nothing")
    client.create_environment_template(name="vpc")
    result = raw_call(
        proton, "CreateEnvironmentTemplateVersion", {"templateName": "vpc", "source": {}}
    )
    assert result.error == (
        "ValidationException",
        "1 validation error detected: Value '{}' at 'source' failed to satisfy constraint: "
        "Member must have exactly one member set",
    )
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.get_environment_template_version(
            templateName="vpc", majorVersion="1", minorVersion="0"
        )
    assert error_of(excinfo)[1] == "The environment template version vpc:1.0 was not found."


def test_version_quota_and_idempotency(client):
    client.create_environment_template(name="vpc")
    moto_proton.set_quota("template_versions_per_template", 1)
    first = new_version(client, clientToken="tok")
    retried = new_version(client, clientToken="tok")
    assert retried["arn"] == first["arn"] and retried["createdAt"] == first["createdAt"]
    again = client.list_environment_template_versions(templateName="vpc")["templateVersions"]
    assert len(again) == 1
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        new_version(client, clientToken="tok", description="other")
    assert error_of(excinfo)[1].startswith("Idempotent parameter mismatch")
    with pytest.raises(client.exceptions.ServiceQuotaExceededException):
        new_version(client)


def test_version_tags(client):
    client.create_environment_template(name="vpc")
    version = new_version(client, tags=[{"key": "k", "value": "v"}])
    managed = [
        {"key": "aws:proton:account", "value": "123456789012"},
        {"key": "aws:proton:template", "value": version["arn"].rsplit(":", 1)[0]},
    ]
    assert client.list_tags_for_resource(resourceArn=version["arn"])["tags"] == [
        *managed,
        {"key": "k", "value": "v"},
    ]
    client.tag_resource(resourceArn=version["arn"], tags=[{"key": "x", "value": "y"}])
    client.untag_resource(resourceArn=version["arn"], tagKeys=["k"])
    assert client.list_tags_for_resource(resourceArn=version["arn"])["tags"] == [
        *managed,
        {"key": "x", "value": "y"},
    ]


def test_templates_belong_to_their_account(proton):
    owner = proton.client(account_id="111111111111")
    other = proton.client(account_id="333333333333")
    template = owner.create_environment_template(name="vpc")["environmentTemplate"]
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.get_environment_template(name="vpc")
    with pytest.raises(other.exceptions.ResourceNotFoundException):
        other.tag_resource(resourceArn=template["arn"], tags=[{"key": "a", "value": "b"}])
    assert other.list_environment_templates()["templates"] == []
