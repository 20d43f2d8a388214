"""Hostile input to the server: raw HTTP that no SDK would send.

Each request gets a clear 4xx (`__type` and `message`, AWS's JSON error shape), nothing is
stored, and the server keeps serving: a normal call succeeds right afterwards. Bodies are also
sent in-process, where the same request path answers them.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import json
from typing import Any, Optional, Union

import pytest
import requests
from hypothesis import Phase, find, settings
from moto.core.responses import BaseResponse

from moto_proton.responses import MAX_REQUEST_BYTES
from moto_proton.testing import proton_state

from .fuzz_support import OPERATIONS, operation_model
from .helpers import TARGET_PREFIX, Raw, raw_call
from .model_strategies import ModelStrategies

LIST = "ListEnvironmentAccountConnections"
LIST_BODY = {"requestedBy": "ENVIRONMENT_ACCOUNT"}
SCOPE = "AWS4-HMAC-SHA256 Credential=testing/20261126/{region}/proton/aws4_request, " + (
    "SignedHeaders=host;x-amz-date, Signature=0"
)


def deep(levels: int, inside: str = "") -> str:
    return "[" * levels + inside + "]" * levels


def post(
    url: str,
    body: Union[str, bytes],
    content_type: Optional[str] = "application/x-amz-json-1.0",
    authorization: str = SCOPE.format(region="us-east-1"),
    **headers: str,
) -> Raw:
    sent = {"X-Amz-Target": f"{TARGET_PREFIX}.{LIST}", "Authorization": authorization, **headers}
    if content_type is not None:
        sent["Content-Type"] = content_type
    response = requests.post(url + "/", data=body, headers=sent, timeout=60)
    try:
        parsed: Any = response.json()
    except ValueError:
        parsed = response.text
    return Raw(response.status_code, response.headers, parsed)


def assert_clear_4xx(result: Raw, status: int, code: str, message: str) -> None:
    assert result.status == status, result.body
    assert isinstance(result.body, dict) and set(result.body) == {"__type", "message"}
    assert result.body["__type"] == code
    assert message in result.body["message"]
    assert result.headers["x-amzn-ErrorType"] == code
    assert result.headers["Content-Type"] == "application/x-amz-json-1.0"


def assert_still_serving(url: str) -> None:
    result = post(url, json.dumps(LIST_BODY))
    assert result.status == 200 and result.body == {"environmentAccountConnections": []}


# -- bodies: the same answer in-process and from the server ----------------------------------

BODIES = {
    "over 1 MiB": (
        json.dumps({**LIST_BODY, "padding": "x" * MAX_REQUEST_BYTES}),
        400,
        "ValidationException",
        f"AWS Proton accepts at most {MAX_REQUEST_BYTES} bytes",
    ),
    "100 000 nested arrays": (
        deep(100_000),
        400,
        "SerializationException",
        "nested too deeply",
    ),
    "100 000 nested objects": (
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        400,
        "SerializationException",
        "nested too deeply",
    ),
    "a member nested 900 deep": (
        '{"requestedBy": ' + deep(900) + "}",
        400,
        "ValidationException",
        "at 'requestedBy' failed to satisfy constraint: Member must be a string",
    ),
    "invalid UTF-8": (b'{"requestedBy": "\xff\xfe"}', 400, "SerializationException", "UTF-8"),
    "null": ("null", 400, "SerializationException", "must be a JSON object"),
    "a bare number": ("12", 400, "SerializationException", "must be a JSON object"),
}


@pytest.mark.parametrize("name", BODIES)
def test_hostile_bodies_get_a_clear_4xx(proton, name):
    body, status, code, message = BODIES[name]
    before = proton_state()
    assert_clear_4xx(raw_call(proton, LIST, body), status, code, message)
    assert proton_state() == before
    assert raw_call(proton, LIST, LIST_BODY).status == 200


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_numbers_are_refused(proton, constant):
    """Python's json module reads NaN and Infinity; AWS refuses them, and nothing is created."""
    before = proton_state()
    for body in (
        f'{{"name": "x", "fuzz": {constant}}}',
        f'{{"name": "x", "tags": [{{"key": "k", "value": [{constant}]}}]}}',
    ):
        result = raw_call(proton, "CreateEnvironmentTemplate", body)
        assert_clear_4xx(
            result,
            400,
            "SerializationException",
            f"The request body is not valid JSON: {constant} is not a JSON number",
        )
        assert proton_state() == before
    listed = raw_call(proton, "ListEnvironmentTemplates", {})
    assert (listed.status, listed.body) == (200, {"templates": []})


def test_one_mebibyte_is_still_read(proton):
    padding = MAX_REQUEST_BYTES - len(json.dumps({**LIST_BODY, "padding": ""}))
    body = json.dumps({**LIST_BODY, "padding": "x" * padding})
    assert len(body) == MAX_REQUEST_BYTES
    assert raw_call(proton, LIST, body).status == 200


# -- headers: server mode ------------------------------------------------------------------------


def test_an_empty_body_is_an_empty_request(proton_server_url):
    """An empty body reads as `{}`: the members the operation requires are missing."""
    for content_type in ("application/x-amz-json-1.0", None):
        result = post(proton_server_url, "", content_type=content_type)
        assert_clear_4xx(result, 400, "ValidationException", "Value null at 'requestedBy'")
    assert_still_serving(proton_server_url)


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
def test_other_content_types_are_refused(proton_server_url, content_type):
    for body in (json.dumps(LIST_BODY), "requestedBy=ENVIRONMENT_ACCOUNT"):
        result = post(proton_server_url, body, content_type=content_type)
        assert_clear_4xx(
            result,
            400,
            "SerializationException",
            f"Content-Type {content_type.split(';')[0]} is not supported",
        )
    assert_still_serving(proton_server_url)


@pytest.mark.parametrize(
    "content_type",
    [None, "application/x-amz-json-1.1", "Application/X-Amz-Json-1.0; charset=UTF-8"],
)
def test_json_content_types_are_read(proton_server_url, content_type):
    assert post(proton_server_url, json.dumps(LIST_BODY), content_type=content_type).status == 200


@pytest.mark.parametrize(
    "region", ["not-a-region", "US-EAST-1", "..", "us-east-1x", pytest.param("", id="empty")]
)
def test_a_credential_scope_without_a_region_is_refused(proton_server_url, region):
    result = post(
        proton_server_url, json.dumps(LIST_BODY), authorization=SCOPE.format(region=region)
    )
    assert_clear_4xx(
        result,
        403,
        "InvalidSignatureException",
        f"Credential should be scoped to a valid region, not '{region}'.",
    )
    assert_still_serving(proton_server_url)


def test_garbled_keys_and_signatures_are_not_checked(proton_server_url):
    """moto checks no signature: a scope that names Proton and a Region is served, whatever
    the access key, date or signature around it."""
    garbled = (
        "AWS4-HMAC-SHA256 Credential=\u00e9\u00e9!!/not-a-date/us-east-1/proton/aws4_request, "
        "SignedHeaders=;;;, Signature=%%%"
    )
    assert post(proton_server_url, json.dumps(LIST_BODY), authorization=garbled).status == 200


@pytest.mark.xfail(
    strict=True,
    reason="moto's dispatcher, not moto_proton: a credential scope that does not split into "
    "five parts is routed to S3 (moto's default), which answers 200 with XML",
)
def test_a_scope_with_missing_parts_is_refused(proton_server_url):
    garbled = "AWS4-HMAC-SHA256 Credential=testing/proton/aws4_request"
    result = post(proton_server_url, json.dumps(LIST_BODY), authorization=garbled)
    assert 400 <= result.status < 500 and isinstance(result.body, dict)


def test_gzip_bodies_are_read_once(proton):
    body = gzip.compress(json.dumps(LIST_BODY).encode())
    result = raw_call(proton, LIST, body, headers={"Content-Encoding": "gzip"})
    assert result.status == 200, result.body


@pytest.mark.xfail(
    not hasattr(BaseResponse, "decompress_request_body"),
    strict=True,
    reason="moto < 5.2.5's server, not moto_proton: its before_request hook inflates every "
    "'Content-Encoding: gzip' body and answers an HTML 500 when that fails",
)
def test_a_body_that_is_not_gzip_is_refused(proton_server_url):
    result = post(proton_server_url, json.dumps(LIST_BODY), **{"Content-Encoding": "gzip"})
    assert result.status == 400 and isinstance(result.body, dict)


# -- page tokens ---------------------------------------------------------------------------------


def token(payload: Any) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


@functools.cache
def simplest_request(operation: str) -> dict[str, Any]:
    """The simplest valid request of `operation`, generated from the model."""
    model = operation_model(operation)
    found: dict[str, Any] = find(
        ModelStrategies().request(model),
        lambda _: True,
        settings=settings(database=None, phases=[Phase.generate, Phase.shrink]),
    )
    return found


PAGED = [op for op in OPERATIONS if "nextToken" in operation_model(op).input_shape.members]


@pytest.mark.parametrize("payload", [1, "text", [1, 2], None, {"from": [1]}, {"filters": 1}])
def test_tokens_that_are_not_ours_are_validation_errors(proton, payload):
    """Every implemented operation that takes a nextToken, with a token that decodes to JSON
    of another form than the ones this mock writes."""
    for operation in PAGED:
        body = {**simplest_request(operation), "nextToken": token(payload)}
        result = raw_call(proton, operation, body)
        assert result.status in (400, 404), (operation, result.body)
        assert result.body["__type"] in ("ValidationException", "ResourceNotFoundException")


def test_a_forged_token_with_a_valid_checksum_is_a_validation_error(proton):
    for name in ("a", "b"):
        assert raw_call(proton, "CreateEnvironmentTemplate", {"name": name}).status == 200
    checksum = hashlib.sha256(json.dumps({}, sort_keys=True).encode()).hexdigest()[:16]
    forged = token({"filters": checksum, "from": [1, 2]})
    result = raw_call(proton, "ListEnvironmentTemplates", {"nextToken": forged})
    assert (result.status, result.body) == (
        400,
        {
            "__type": "ValidationException",
            "message": "The nextToken is not valid for this request.",
        },
    )
