"""Service templates and their versions: the machinery shared with environment templates, plus
pipeline provisioning, compatible environment templates and component sources."""

import pytest

import moto_proton
from moto_proton.testing import proton_state

from .builders import ACCOUNT, ARN, ENV_SPEC, NO_WAIT, SOURCE, env_template
from .helpers import error_of, refused, tag_refusal, tags_of

VPC_1 = {"templateName": "vpc", "majorVersion": "1"}
MODEL = "proton::service-template-version"
SERVICE_SPEC = "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: dev\n"


@pytest.fixture
def client(proton):
    client = proton.client()
    env_template(client)
    return client


def new_version(client, template="web", major=None, compatible=(VPC_1,), **extra):
    params = {
        "templateName": template,
        "source": SOURCE,
        "compatibleEnvironmentTemplates": list(compatible),
        **extra,
    }
    if major:
        params["majorVersion"] = major
    return client.create_service_template_version(**params)["serviceTemplateVersion"]


def get_version(client, major, minor, template="web"):
    return client.get_service_template_version(
        templateName=template, majorVersion=major, minorVersion=minor
    )["serviceTemplateVersion"]


def publish(client, major, minor, template="web"):
    return client.update_service_template_version(
        templateName=template, majorVersion=major, minorVersion=minor, status="PUBLISHED"
    )["serviceTemplateVersion"]


def recommended(client, template="web"):
    return client.get_service_template(name=template)["serviceTemplate"].get("recommendedVersion")


def test_template_lifecycle(client):
    created = client.create_service_template(
        name="web",
        displayName="Web service",
        description="load-balanced",
        encryptionKey=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k",
        tags=[{"key": "team", "value": "web"}],
    )["serviceTemplate"]
    assert created["arn"] == f"{ARN}:service-template/web"
    assert (created["name"], created["displayName"], created["description"]) == (
        "web",
        "Web service",
        "load-balanced",
    )
    assert created["encryptionKey"].endswith(":key/k")
    assert created["createdAt"] == created["lastModifiedAt"]
    assert "pipelineProvisioning" not in created and "recommendedVersion" not in created
    assert client.get_service_template(name="web")["serviceTemplate"] == created
    assert tags_of(client, created["arn"]) == {
        "team": "web",
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": created["arn"],
    }
    # Environment and service templates are separate namespaces.
    assert [t["name"] for t in client.list_environment_templates()["templates"]] == ["vpc"]
    client.create_service_template(name="api")
    assert [t["name"] for t in client.list_service_templates()["templates"]] == ["api", "web"]
    listed = client.list_service_templates(maxResults=1)
    assert [t["name"] for t in listed["templates"]] == ["api"]
    assert [
        t["name"] for t in client.list_service_templates(nextToken=listed["nextToken"])["templates"]
    ] == ["web"]

    unchanged = client.update_service_template(name="web", description="load-balanced")
    assert unchanged["serviceTemplate"]["lastModifiedAt"] == created["lastModifiedAt"]
    updated = client.update_service_template(name="web", displayName="Web")["serviceTemplate"]
    assert updated["displayName"] == "Web" and updated["description"] == "load-balanced"
    assert updated["lastModifiedAt"] > created["lastModifiedAt"]

    deleted = client.delete_service_template(name="web")["serviceTemplate"]
    assert deleted["name"] == "web" and deleted["displayName"] == "Web"
    # A retried delete succeeds with what the delete answered (AWS's idempotent deletes).
    assert client.delete_service_template(name="web")["serviceTemplate"] == deleted
    for call in (
        lambda: client.get_service_template(name="web"),
        lambda: client.update_service_template(name="web", description="x"),
    ):
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            call()
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            "The service template web was not found.",
        )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=created["arn"])


def test_customer_managed_pipeline_provisioning(client):
    created = client.create_service_template(name="web", pipelineProvisioning="CUSTOMER_MANAGED")
    assert created["serviceTemplate"]["pipelineProvisioning"] == "CUSTOMER_MANAGED"
    got = client.get_service_template(name="web")["serviceTemplate"]
    assert got["pipelineProvisioning"] == "CUSTOMER_MANAGED"
    listed = client.list_service_templates()["templates"]
    assert listed[0]["pipelineProvisioning"] == "CUSTOMER_MANAGED"


def test_create_without_token_is_idempotent_until_modified(client):
    tags = [{"key": "team", "value": "web"}]
    created = client.create_service_template(name="web", displayName="Web", tags=tags)
    again = client.create_service_template(name="web", displayName="Web", tags=tags)
    assert again["serviceTemplate"] == created["serviceTemplate"]
    before = proton_state()
    for other in (
        {"displayName": "Other", "tags": tags},
        {"displayName": "Web"},  # tags are parameters too
        {"displayName": "Web", "tags": tags, "pipelineProvisioning": "CUSTOMER_MANAGED"},
    ):
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.create_service_template(name="web", **other)
        assert error_of(excinfo) == (
            "ValidationException",
            "Idempotent parameter mismatch: the service template web already exists with "
            "different parameters.",
        )
    assert proton_state() == before
    client.update_service_template(name="web", description="changed")
    before = proton_state()
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.create_service_template(name="web", displayName="Web", tags=tags)
    assert error_of(excinfo) == ("ConflictException", "The service template web already exists.")
    assert proton_state() == before


@pytest.mark.parametrize("first", ["environment", "service"])
def test_templates_quota_counts_both_kinds(proton, first):
    client = proton.client()
    moto_proton.set_quota("templates", 1)
    create = {
        "environment": client.create_environment_template,
        "service": client.create_service_template,
    }
    create[first](name="first")
    before = proton_state()
    for kind in create:
        with pytest.raises(client.exceptions.ServiceQuotaExceededException) as excinfo:
            create[kind](name="second")
        assert error_of(excinfo) == (
            "ServiceQuotaExceededException",
            f"Account {ACCOUNT} has reached its quota of 1 templates in us-east-1 (templates).",
        )
    assert proton_state() == before
    # An idempotent retry takes no quota.
    assert create[first](name="first")


def test_version_numbering_and_listing(client):
    client.create_service_template(name="web")
    first = new_version(client, description="first")
    assert first["arn"] == f"{ARN}:service-template/web:1.0"
    assert (first["majorVersion"], first["minorVersion"]) == ("1", "0")
    assert first["templateName"] == "web" and first["description"] == "first"
    assert first["status"] == "REGISTRATION_IN_PROGRESS" and "statusMessage" not in first
    assert first["createdAt"] == first["lastModifiedAt"]
    assert (
        new_version(client)["majorVersion"],
        new_version(client, major="1")["minorVersion"],
    ) == (
        "2",
        "1",
    )
    assert new_version(client, major="2")["arn"].endswith("/web:2.1")
    before = proton_state()
    for major in ("7", "0"):
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            new_version(client, major=major)
        assert error_of(excinfo) == (
            "ValidationException",
            f"majorVersion {major} does not exist for service template web; omit majorVersion "
            "to create the next major version.",
        )
    assert proton_state() == before
    listed = client.list_service_template_versions(templateName="web")["templateVersions"]
    assert [(v["majorVersion"], v["minorVersion"]) for v in listed] == [
        ("1", "0"),
        ("1", "1"),
        ("2", "0"),
        ("2", "1"),
    ]
    assert all("compatibleEnvironmentTemplates" not in v for v in listed)
    assert listed[0]["status"] == "DRAFT" and listed[0]["description"] == "first"
    major_two = client.list_service_template_versions(templateName="web", majorVersion="2")
    assert [v["minorVersion"] for v in major_two["templateVersions"]] == ["0", "1"]
    page = client.list_service_template_versions(templateName="web", maxResults=3)
    rest = client.list_service_template_versions(templateName="web", nextToken=page["nextToken"])
    assert [v["arn"] for v in page["templateVersions"] + rest["templateVersions"]] == [
        v["arn"] for v in listed
    ]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.list_service_template_versions(templateName="nothing")
    assert error_of(excinfo)[1] == "The service template nothing was not found."
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        new_version(client, template="nothing")
    assert error_of(excinfo)[1] == "The service template nothing was not found."
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        get_version(client, "3", "0")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"The requested service template version does not exist: {ARN}:service-template/web:3.0",
    )


def test_compatible_environment_templates(client):
    client.create_environment_template(name="db")
    client.create_service_template(name="web")
    before = proton_state()
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        new_version(client, compatible=[VPC_1, {"templateName": "nothing", "majorVersion": "1"}])
    assert error_of(excinfo) == (
        "ValidationException",
        "Compatible environment template nothing does not exist.",
    )
    assert proton_state() == before
    # The template must exist, its major need not; duplicates are dropped.
    created = new_version(
        client,
        compatible=[VPC_1, {"templateName": "db", "majorVersion": "3"}, VPC_1],
    )
    expected = [VPC_1, {"templateName": "db", "majorVersion": "3"}]
    assert created["compatibleEnvironmentTemplates"] == expected
    assert get_version(client, "1", "0")["compatibleEnvironmentTemplates"] == expected
    updated = client.update_service_template_version(
        templateName="web",
        majorVersion="1",
        minorVersion="0",
        compatibleEnvironmentTemplates=[{"templateName": "db", "majorVersion": "1"}] * 2,
    )["serviceTemplateVersion"]
    assert updated["compatibleEnvironmentTemplates"] == [
        {"templateName": "db", "majorVersion": "1"}
    ]
    assert updated["status"] == "DRAFT"
    before = proton_state()
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.update_service_template_version(
            templateName="web",
            majorVersion="1",
            minorVersion="0",
            description="not stored",
            compatibleEnvironmentTemplates=[{"templateName": "gone", "majorVersion": "1"}],
        )
    assert error_of(excinfo)[1] == "Compatible environment template gone does not exist."
    assert proton_state() == before


def test_supported_component_sources(client):
    client.create_service_template(name="web")
    without = new_version(client)
    assert "supportedComponentSources" not in without
    created = new_version(client, supportedComponentSources=["DIRECTLY_DEFINED"] * 2)
    assert created["supportedComponentSources"] == ["DIRECTLY_DEFINED"]
    assert get_version(client, "2", "0")["supportedComponentSources"] == ["DIRECTLY_DEFINED"]
    updated = client.update_service_template_version(
        templateName="web",
        majorVersion="1",
        minorVersion="0",
        supportedComponentSources=["DIRECTLY_DEFINED"],
    )["serviceTemplateVersion"]
    assert updated["supportedComponentSources"] == ["DIRECTLY_DEFINED"]


def test_registration_then_draft_then_published(client):
    client.create_service_template(name="web")
    created = new_version(client)
    assert created["status"] == "REGISTRATION_IN_PROGRESS"
    client.get_waiter("service_template_version_registered").wait(
        templateName="web", majorVersion="1", minorVersion="0", WaiterConfig=NO_WAIT
    )
    draft = get_version(client, "1", "0")
    assert draft["status"] == "DRAFT" and draft["statusMessage"] == ""
    assert "recommendedMinorVersion" not in draft
    assert "recommendedVersion" not in client.get_service_template(name="web")["serviceTemplate"]
    published = publish(client, "1", "0")
    assert published["status"] == "PUBLISHED" and published["statusMessage"] == ""
    assert published["recommendedMinorVersion"] == "0"
    assert published["lastModifiedAt"] > created["lastModifiedAt"]
    assert recommended(client) == "1.0"
    assert publish(client, "1", "0")["status"] == "PUBLISHED"  # no change, no error
    before = proton_state()
    for status in ("DRAFT", "REGISTRATION_FAILED"):
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            client.update_service_template_version(
                templateName="web", majorVersion="1", minorVersion="0", status=status
            )
        assert error_of(excinfo) == (
            "ValidationException",
            "The status of service template version web:1.0 can only change from DRAFT to "
            f"PUBLISHED, not from PUBLISHED to {status}.",
        )
    assert proton_state() == before
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        publish(client, "1", "9")
    assert error_of(excinfo)[1] == (
        f"The requested service template version does not exist: {ARN}:service-template/web:1.9"
    )


def test_registration_with_manual_progression(client, proton):
    proton.set_transition(MODEL, {"progression": "manual", "times": 3})
    client.create_service_template(name="web")
    new_version(client)
    assert get_version(client, "1", "0")["status"] == "REGISTRATION_IN_PROGRESS"
    before = proton_state()
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        publish(client, "1", "0")
    assert error_of(excinfo)[1] == (
        "The status of service template version web:1.0 can only change from DRAFT to "
        "PUBLISHED, not from REGISTRATION_IN_PROGRESS to PUBLISHED."
    )
    assert proton_state() == before
    listed = client.list_service_template_versions(templateName="web")["templateVersions"]
    assert listed[0]["status"] == "REGISTRATION_IN_PROGRESS"  # List does not advance it
    waiter = client.get_waiter("service_template_version_registered")
    with pytest.raises(Exception, match="Max attempts exceeded"):
        waiter.wait(
            templateName="web",
            majorVersion="1",
            minorVersion="0",
            WaiterConfig={"Delay": 0, "MaxAttempts": 1},
        )
    waiter.wait(
        templateName="web",
        majorVersion="1",
        minorVersion="0",
        WaiterConfig={"Delay": 0, "MaxAttempts": 1},
    )
    assert get_version(client, "1", "0")["statusMessage"] == ""


def test_recommended_versions(client):
    client.create_service_template(name="web")
    new_version(client)  # 1.0
    new_version(client, major="1")  # 1.1
    new_version(client)  # 2.0
    new_version(client, major="2")  # 2.1
    publish(client, "1", "1")
    assert recommended(client) == "1.1"
    assert get_version(client, "1", "0")["recommendedMinorVersion"] == "1"
    publish(client, "1", "0")
    assert recommended(client) == "1.1"  # the highest published minor, not the latest
    publish(client, "2", "0")
    assert recommended(client) == "2.0"
    assert get_version(client, "1", "1")["recommendedMinorVersion"] == "1"
    assert get_version(client, "2", "1")["recommendedMinorVersion"] == "0"
    publish(client, "2", "1")
    assert recommended(client) == "2.1"
    listed = client.list_service_template_versions(templateName="web")["templateVersions"]
    assert [v["recommendedMinorVersion"] for v in listed] == ["1", "1", "1", "1"]


def test_client_token_and_version_quota(client):
    client.create_service_template(name="web")
    moto_proton.set_quota("template_versions_per_template", 2)
    first = new_version(client, clientToken="tok", tags=[{"key": "k", "value": "v"}])
    retried = new_version(client, clientToken="tok", tags=[{"key": "k", "value": "v"}])
    assert retried["arn"] == first["arn"] and retried["createdAt"] == first["createdAt"]
    assert len(client.list_service_template_versions(templateName="web")["templateVersions"]) == 1
    before = proton_state()
    for other in (
        {"description": "other"},
        {"tags": [{"key": "k", "value": "other"}]},
        {"compatible": [VPC_1, {"templateName": "vpc", "majorVersion": "2"}]},
        {"supportedComponentSources": ["DIRECTLY_DEFINED"]},
    ):
        params = {"tags": [{"key": "k", "value": "v"}], **other}
        with pytest.raises(client.exceptions.ValidationException) as excinfo:
            new_version(client, clientToken="tok", **params)
        assert error_of(excinfo) == (
            "ValidationException",
            "Idempotent parameter mismatch: client token tok was already used with different "
            "parameters.",
        )
    assert proton_state() == before
    new_version(client)  # 2.0: the quota is reached
    before = proton_state()
    with pytest.raises(client.exceptions.ServiceQuotaExceededException) as excinfo:
        new_version(client, major="1")
    assert error_of(excinfo) == (
        "ServiceQuotaExceededException",
        "Service template web has reached its quota of 2 versions (template_versions_per_template).",
    )
    assert proton_state() == before
    # A replay at the quota returns the original; after its deletion the token creates anew.
    assert (
        new_version(client, clientToken="tok", tags=[{"key": "k", "value": "v"}])["arn"]
        == (first["arn"])
    )
    client.delete_service_template_version(templateName="web", majorVersion="1", minorVersion="0")
    recreated = new_version(client, clientToken="tok", tags=[{"key": "k", "value": "v"}])
    assert recreated["arn"].endswith("/web:3.0")


def test_deletion_rules(client):
    client.create_service_template(name="web")
    new_version(client)  # 1.0
    new_version(client, major="1")  # 1.1
    publish(client, "1", "0")
    publish(client, "1", "1")
    before = proton_state()
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_service_template(name="web")
    assert error_of(excinfo) == (
        "ConflictException",
        "The service template web has 2 versions; delete them first.",
    )
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_service_template_version(
            templateName="web", majorVersion="1", minorVersion="1"
        )
    assert error_of(excinfo) == (
        "ConflictException",
        "Service template version web:1.1 is the recommended version of its major version and "
        "can only be deleted last.",
    )
    assert proton_state() == before
    deleted = client.delete_service_template_version(
        templateName="web", majorVersion="1", minorVersion="0"
    )["serviceTemplateVersion"]
    assert deleted["status"] == "PUBLISHED" and deleted["compatibleEnvironmentTemplates"] == [VPC_1]
    assert recommended(client) == "1.1"
    last = client.delete_service_template_version(
        templateName="web", majorVersion="1", minorVersion="1"
    )["serviceTemplateVersion"]
    # The last version of its major leaves no recommended minor (AWS's template-delete).
    assert last["status"] == "PUBLISHED" and "recommendedMinorVersion" not in last
    assert "recommendedVersion" not in client.get_service_template(name="web")["serviceTemplate"]
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.list_tags_for_resource(resourceArn=last["arn"])
    retried = client.delete_service_template_version(
        templateName="web", majorVersion="1", minorVersion="1"
    )["serviceTemplateVersion"]
    assert retried == last  # a retried delete succeeds (AWS's idempotent deletes)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.delete_service_template_version(
            templateName="web", majorVersion="1", minorVersion="2"
        )
    assert error_of(excinfo)[1] == (
        f"The requested service template version does not exist: {ARN}:service-template/web:1.2"
    )
    client.delete_service_template(name="web")
    assert client.list_service_templates()["templates"] == []


def test_the_recommended_version_goes_only_when_no_other_version_exists(client):
    client.create_service_template(name="web")
    versions = [new_version(client)["arn"] for _ in range(2)]  # 1.0, 2.0
    publish(client, "1", "0")
    publish(client, "2", "0")
    latest = {"templateName": "web", "majorVersion": "2", "minorVersion": "0"}
    refused(
        client,
        "ConflictException",
        lambda: client.delete_service_template_version(**latest),
        "Service template version web:2.0 is the recommended version of the template and can "
        "only be deleted last; delete 1.0 first.",
    )
    assert recommended(client) == "2.0"
    first = {**latest, "majorVersion": "1"}
    for version in (first, latest):
        deleted = client.delete_service_template_version(**version)["serviceTemplateVersion"]
        assert deleted["arn"] == versions.pop(0)
    assert recommended(client) is None


def test_tags_hold_only_letters_numbers_spaces_and_a_few_signs(client):
    arn = client.create_service_template(name="web")["serviceTemplate"]["arn"]
    new_version(client)
    tag = {"key": "cost#center", "value": "a"}
    message = tag_refusal("key", "cost#center", "#")
    for call in (
        lambda: client.tag_resource(resourceArn=f"{arn}:1.0", tags=[tag]),
        lambda: client.create_service_template(name="other", tags=[tag]),
        lambda: new_version(client, tags=[tag]),
    ):
        refused(client, "ValidationException", call, message)


def test_versions_in_use_cannot_be_deleted(client):
    """A version used by an instance, or by a pipeline only, can't be deleted."""
    client.update_account_settings(pipelineServiceRoleArn=f"arn:aws:iam::{ACCOUNT}:role/p")
    client.create_environment(
        name="dev",
        templateName="vpc",
        templateMajorVersion="1",
        spec=ENV_SPEC,
        protonServiceRoleArn=f"arn:aws:iam::{ACCOUNT}:role/e",
    )
    client.create_service_template(name="web")
    new_version(client)
    new_version(client, major="1")
    publish(client, "1", "0")
    publish(client, "1", "1")
    client.create_service(
        name="svc",
        templateName="web",
        templateMajorVersion="1",
        templateMinorVersion="0",
        spec=SERVICE_SPEC,
        repositoryConnectionArn=f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
        repositoryId="org/repo",
        branchName="main",
    )
    client.get_waiter("service_created").wait(name="svc", WaiterConfig=NO_WAIT)
    before = proton_state()
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_service_template_version(
            templateName="web", majorVersion="1", minorVersion="0"
        )
    assert error_of(excinfo) == (
        "ConflictException",
        "Service template version web:1.0 is used by service instances: svc/one; "
        "pipelines of services: svc.",
    )
    assert proton_state() == before
    client.update_service_instance(
        name="one", serviceName="svc", deploymentType="MINOR_VERSION", spec=SERVICE_SPEC
    )
    client.get_waiter("service_instance_deployed").wait(
        name="one", serviceName="svc", WaiterConfig=NO_WAIT
    )
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_service_template_version(
            templateName="web", majorVersion="1", minorVersion="0"
        )
    assert error_of(excinfo)[1] == (
        "Service template version web:1.0 is used by pipelines of services: svc."
    )
    with pytest.raises(client.exceptions.ConflictException) as excinfo:
        client.delete_service_template_version(
            templateName="web", majorVersion="1", minorVersion="1"
        )
    assert error_of(excinfo)[1] == (
        "Service template version web:1.1 is the recommended version of its major version and "
        "can only be deleted last."
    )
    client.update_service_pipeline(
        serviceName="svc", deploymentType="MINOR_VERSION", spec=SERVICE_SPEC
    )
    client.get_waiter("service_pipeline_deployed").wait(name="svc", WaiterConfig=NO_WAIT)
    client.delete_service_template_version(templateName="web", majorVersion="1", minorVersion="0")


def test_managed_tags_on_versions(client):
    template = client.create_service_template(name="web", tags=[{"key": "a", "value": "1"}])
    template_arn = template["serviceTemplate"]["arn"]
    version = new_version(client, tags=[{"key": "b", "value": "2"}])
    assert tags_of(client, version["arn"]) == {
        "b": "2",
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": template_arn,
    }
    client.tag_resource(resourceArn=version["arn"], tags=[{"key": "c", "value": "3"}])
    client.untag_resource(resourceArn=version["arn"], tagKeys=["b"])
    assert tags_of(client, version["arn"]) == {
        "c": "3",
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": template_arn,
    }
    before = proton_state()
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.untag_resource(resourceArn=version["arn"], tagKeys=["aws:proton:template"])
    assert error_of(excinfo)[1] == (
        "Tag key aws:proton:template can't be removed: keys that begin with 'aws:' are AWS's."
    )
    with pytest.raises(client.exceptions.ValidationException):
        new_version(client, tags=[{"key": "aws:mine", "value": "x"}])
    assert proton_state() == before
