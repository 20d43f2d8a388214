"""Every operation of the Proton model is implemented: a minimal valid request for each
(built from the model's required members, naming the resources of a small fixture) reaches
its backend method, in both modes, and is answered without NotImplementedYetException and
without a 5xx."""

import pytest
import yaml

from moto_proton.api_model import service_model
from moto_proton.coverage import implemented_operations

from .builders import (
    ACCOUNT,
    ARN,
    ENV_SPEC,
    MANIFEST,
    ROLE,
    env_template,
    environment,
    service_version,
)
from .helpers import UUID, raw_call

MODEL = service_model()
SERVICE_SPEC = yaml.safe_dump(
    {"proton": "ServiceSpec", "instances": [{"name": "one", "environment": "dev"}]}
)

#: Values of required members by name, for every operation (the fixture's resources).
VALUES = {
    "environmentName": "dev",
    "serviceName": "svc",
    "serviceInstanceName": "one",
    "componentName": "comp",
    "templateMajorVersion": "1",
    "templateVersion": "1",
    "majorVersion": "1",
    "minorVersion": "0",
    "repositoryName": "org/repo",
    "branch": "main",
    "filePath": "proton-ops.yaml",
    "manifest": MANIFEST,
    "templateFile": "Resources: {}\n",
    "resourceArn": f"{ARN}:environment/dev",
    "connectionArn": f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
    "managementAccountId": "222222222222",
    "resolvedReason": "resolved",
    "bucket": "templates-bucket",
    "key": "bundle.tar.gz",
    "value": "v",
    "tagKeys": ["team"],
    "tags": [{"key": "team", "value": "web"}],
}
#: `name` and `templateName` by the resource an operation acts on.
NAMED = (
    ("EnvironmentTemplate", "vpc"),
    ("ServiceTemplate", "web"),
    ("ServiceInstance", "one"),
    ("Environment", "dev"),
    ("Service", "svc"),
    ("Component", "comp"),
    ("Repository", "org/repo"),
)


def named(operation):
    return next((name for noun, name in NAMED if noun in operation), "x")


def value_of(operation, member, shape, deployment_id):
    """A value for `member` (of `shape`) that the model accepts."""
    if shape.type_name == "structure":
        members = shape.members
        wanted = list(shape.required_members) or [next(iter(members))]  # a union: its first
        return {m: value_of(operation, m, members[m], deployment_id) for m in wanted}
    if member == "compatibleEnvironmentTemplates":
        return [{"templateName": "vpc", "majorVersion": "1"}]
    if shape.type_name == "list" and member not in VALUES:
        return [value_of(operation, member, shape.member, deployment_id)]
    if member in VALUES:
        return VALUES[member]
    if member == "name":
        return named(operation)
    if member == "templateName":
        return "web" if "Service" in operation else "vpc"
    if member == "spec":
        return ENV_SPEC if "Environment" in operation else SERVICE_SPEC
    if member == "id":
        return deployment_id if shape.name == "DeploymentId" else UUID
    if shape.enum:
        return shape.enum[0]
    if shape.type_name == "string":
        return "x"
    raise AssertionError(f"no value for {operation}.{member} ({shape.type_name})")


#: Optional members without which the request can only be refused.
EXTRA = {
    "CreateComponent": {"environmentName": "dev"},
    "CreateEnvironmentAccountConnection": {"roleArn": ROLE},
    # The draft 2.0 that Create*TemplateVersion made: 1.0, the recommended version, can only
    # be deleted last.
    "DeleteEnvironmentTemplateVersion": {"majorVersion": "2"},
    "DeleteServiceTemplateVersion": {"majorVersion": "2"},
}
#: Deletions run last, dependants first, so that the other operations find the fixture.
DELETIONS = (
    "DeleteTemplateSyncConfig",
    "DeleteServiceSyncConfig",
    "DeleteComponent",
    "DeleteService",
    "DeleteDeployment",
    "DeleteEnvironment",
    "DeleteEnvironmentAccountConnection",
    "DeleteServiceTemplateVersion",
    "DeleteEnvironmentTemplateVersion",
    "DeleteServiceTemplate",
    "DeleteEnvironmentTemplate",
    "DeleteRepository",
)


def in_order(operations):
    """The model's operations, deletions last."""
    return sorted(operations, key=lambda op: DELETIONS.index(op) + 1 if op in DELETIONS else 0)


def minimal_request(operation, deployment_id):
    shape = MODEL.operation_model(operation).input_shape
    request = {
        member: value_of(operation, member, shape.members[member], deployment_id)
        for member in (shape.required_members if shape is not None else ())
    }
    return {**request, **EXTRA.get(operation, {})}


@pytest.fixture
def seeded(proton):
    """Environment template vpc and service template web (1.0 each, published), environment
    dev, service svc with instance one, component comp and repository GITHUB org/repo; the
    environment's deployment id."""
    client = proton.client()
    env_template(client)
    deployment_id = environment(client, "dev", componentRoleArn=ROLE)["lastAttemptedDeploymentId"]
    client.create_service_template(name="web", pipelineProvisioning="CUSTOMER_MANAGED")
    service_version(client, supportedComponentSources=["DIRECTLY_DEFINED"])
    client.get_environment(name="dev")
    client.create_service(
        name="svc", templateName="web", templateMajorVersion="1", spec=SERVICE_SPEC
    )
    client.create_component(
        name="comp", environmentName="dev", manifest=MANIFEST, templateFile="Resources: {}\n"
    )
    client.create_repository(
        name="org/repo", provider="GITHUB", connectionArn=VALUES["connectionArn"]
    )
    return deployment_id


def test_every_operation_is_implemented():
    assert len(MODEL.operation_names) == 87
    assert implemented_operations() == list(MODEL.operation_names)


def test_every_operation_answers(proton, seeded):
    answered = {}
    for operation in in_order(MODEL.operation_names):
        body = minimal_request(operation, seeded)
        answer = raw_call(proton, operation, body)
        error = answer.body.get("__type") if answer.status != 200 else None
        answered[operation] = (answer.status, error)
        assert answer.status < 500, (operation, body, answer.body)
        assert error != "NotImplementedYetException", operation
        assert isinstance(answer.body, dict), (operation, answer.body)
        if error is not None:
            # The request itself was valid: the backend method answered, not the model check.
            assert error in {e.name for e in MODEL.operation_model(operation).error_shapes}, (
                operation,
                answer.body,
            )
            assert "validation error detected" not in answer.body["message"], (
                operation,
                body,
                answer.body,
            )
    assert len(answered) == 87
    # Most of them act on the fixture's resources and succeed.
    assert sum(status == 200 for status, _ in answered.values()) >= 65, answered
