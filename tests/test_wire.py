"""The wire contract: error bodies and headers, status codes, timestamps, model validation."""

import pytest
from botocore.config import Config

from .builders import ROLE
from .helpers import UUID, error_of, raw_call

NO_CLIENT_CHECKS = Config(parameter_validation=False)


def test_error_has_type_message_header_and_status(proton):
    result = raw_call(proton, "GetEnvironmentAccountConnection", {"id": UUID})
    assert result.status == 404
    assert result.body == {
        "__type": "ResourceNotFoundException",
        "message": f"The environment account connection {UUID} was not found.",
    }
    assert result.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert result.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert result.headers["x-amzn-RequestId"]


def test_timestamps_are_epoch_numbers_on_the_wire(proton):
    result = raw_call(
        proton,
        "CreateEnvironmentAccountConnection",
        {"managementAccountId": "222222222222", "environmentName": "e", "roleArn": ROLE},
    )
    assert result.status == 200
    connection = result.body["environmentAccountConnection"]
    assert isinstance(connection["requestedAt"], (int, float))
    assert connection["requestedAt"] == connection["lastModifiedAt"]
    assert connection["requestedAt"] > 1_600_000_000


@pytest.mark.parametrize(
    "body, code, message",
    [
        ("{not json", "SerializationException", "The request body is not valid JSON"),
        ("[1, 2]", "SerializationException", "The request body must be a JSON object"),
        ('"text"', "SerializationException", "The request body must be a JSON object"),
        (b"\xff\xfe{}", "SerializationException", "The request body is not valid UTF-8"),
    ],
)
def test_malformed_bodies_are_400(proton, body, code, message):
    result = raw_call(proton, "ListEnvironmentAccountConnections", body)
    assert result.status == 400
    assert result.error[0] == code
    assert result.error[1].startswith(message)


def test_missing_target_is_unknown_operation(proton):
    result = raw_call(proton, None, {})
    assert (result.status, result.error) == (
        400,
        ("UnknownOperationException", "Missing header X-Amz-Target"),
    )


@pytest.mark.parametrize(
    "target", ["AwsProton20200720.NoSuchThing", "SomethingElse.ListEnvironmentAccountConnections"]
)
def test_unknown_target_is_unknown_operation(proton, target):
    result = raw_call(proton, None, {}, headers={"X-Amz-Target": target})
    assert result.status == 400
    assert result.error == (
        "UnknownOperationException",
        f"Unknown operation: X-Amz-Target '{target}'",
    )


def test_every_model_error_status(proton):
    """Each error type maps to the status of AWS's Smithy model."""
    from moto_proton import exceptions

    statuses = {
        exceptions.ValidationException: 400,
        exceptions.AccessDeniedException: 403,
        exceptions.ResourceNotFoundException: 404,
        exceptions.ConflictException: 409,
        exceptions.ServiceQuotaExceededException: 402,
        exceptions.ThrottlingException: 429,
        exceptions.InternalServerException: 500,
    }
    for error_class, status in statuses.items():
        error = error_class("m")
        assert error.code == status
        assert dict(error.get_headers())["X-Amzn-ErrorType"] == error_class.__name__


def test_model_validation_message_format(proton):
    result = raw_call(
        proton,
        "CreateEnvironmentAccountConnection",
        {"managementAccountId": "abc", "environmentName": "ok", "roleArn": ROLE},
    )
    assert result.status == 400
    assert result.error == (
        "ValidationException",
        "1 validation error detected: Value 'abc' at 'managementAccountId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^\\d{12}$",
    )


def test_several_violations_are_counted_and_joined(proton):
    result = raw_call(proton, "CreateEnvironmentAccountConnection", {"environmentName": "x" * 101})
    code, message = result.error
    assert code == "ValidationException"
    assert message == (
        "2 validation errors detected: Value '" + "x" * 101 + "' at 'environmentName' failed "
        "to satisfy constraint: Member must have length less than or equal to 100; Value null "
        "at 'managementAccountId' failed to satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize(
    "operation, body, expected",
    [
        (
            "ListEnvironmentAccountConnections",
            {"requestedBy": "SOMEONE"},
            "Value 'SOMEONE' at 'requestedBy' failed to satisfy constraint: Member must satisfy "
            "enum value set: [MANAGEMENT_ACCOUNT, ENVIRONMENT_ACCOUNT]",
        ),
        (
            "ListEnvironmentAccountConnections",
            {"requestedBy": "ENVIRONMENT_ACCOUNT", "maxResults": 101},
            "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value "
            "less than or equal to 100",
        ),
        (
            "ListEnvironmentAccountConnections",
            {"requestedBy": "ENVIRONMENT_ACCOUNT", "maxResults": 0},
            "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value "
            "greater than or equal to 1",
        ),
        (
            "ListEnvironmentAccountConnections",
            {"requestedBy": "ENVIRONMENT_ACCOUNT", "statuses": ["PENDING", "GONE"]},
            "Value 'GONE' at 'statuses.2.member' failed to satisfy constraint: Member must "
            "satisfy enum value set: [PENDING, CONNECTED, REJECTED]",
        ),
        (
            "ListEnvironmentAccountConnections",
            {"requestedBy": "ENVIRONMENT_ACCOUNT", "maxResults": "10"},
            "Value '10' at 'maxResults' failed to satisfy constraint: Member must be of type integer",
        ),
        (
            "TagResource",
            {"resourceArn": "arn:aws:proton:us-east-1:123456789012:x/y", "tags": [{"key": "k"}]},
            "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not "
            "be null",
        ),
        (
            "TagResource",
            {
                "resourceArn": "arn:aws:proton:us-east-1:123456789012:x/y",
                "tags": [{"key": "k", "value": "v"}] * 51,
            },
            "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
        ),
        (
            "GetEnvironmentAccountConnection",
            {"id": "NOT-A-UUID"},
            "Value 'NOT-A-UUID' at 'id' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        ),
        (
            # A model-driven check on an operation with no domain code yet: validation first.
            "CreateEnvironmentTemplate",
            {"name": "-bad"},
            "Value '-bad' at 'name' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: ^[0-9A-Za-z]+[0-9A-Za-z_\\-]*$",
        ),
    ],
)
def test_model_constraints(proton, operation, body, expected):
    result = raw_call(proton, operation, body)
    assert result.status == 400
    code, message = result.error
    assert code == "ValidationException"
    assert message.startswith("1 validation error detected: ")
    assert expected in message


def test_null_counts_as_absent_and_unknown_members_are_ignored(proton):
    result = raw_call(
        proton,
        "CreateEnvironmentAccountConnection",
        {
            "managementAccountId": "222222222222",
            "environmentName": "e",
            "roleArn": ROLE,
            "codebuildRoleArn": None,
            "someFutureMember": {"x": 1},
        },
    )
    assert result.status == 200
    assert "codebuildRoleArn" not in result.body["environmentAccountConnection"]
    required_null = raw_call(
        proton,
        "CreateEnvironmentAccountConnection",
        {"managementAccountId": None, "environmentName": "e"},
    )
    assert "Value null at 'managementAccountId'" in required_null.error[1]


def test_boto3_without_client_checks_gets_the_server_message(proton):
    client = proton.client(config=NO_CLIENT_CHECKS)
    with pytest.raises(client.exceptions.ValidationException) as excinfo:
        client.create_environment_account_connection(
            managementAccountId="222222222222", environmentName="", roleArn=ROLE
        )
    code, message = error_of(excinfo)
    assert message.startswith("2 validation errors detected: Value '' at 'environmentName'")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    listed = client.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert listed["environmentAccountConnections"] == []


def test_validation_covers_every_operation():
    """Every one of the 87 operations has an input shape the validator checks."""
    from moto_proton.api_model import service_model
    from moto_proton.validation import _input_check

    model = service_model()
    assert len(model.operation_names) == 87
    for name in model.operation_names:
        operation = model.operation_model(name)
        check = _input_check(operation)
        assert check is not None
        errors: list[str] = []
        check({}, "", errors)
        assert all("Member must not be null" in e for e in errors)
        assert len(errors) == len(operation.input_shape.required_members)
