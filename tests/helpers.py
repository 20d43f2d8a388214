"""Raw HTTP calls to Proton, in-process or on the server, for what botocore would refuse."""

import json
from typing import Any, NamedTuple, Optional, Union

import requests

from moto_proton.testing import ProtonMock

TARGET_PREFIX = "AwsProton20200720"
UUID = "0a1b2c3d-0000-4000-8000-000000000000"


class Raw(NamedTuple):
    status: int
    headers: Any
    body: Any  # parsed JSON, or the text when it is not JSON

    @property
    def error(self) -> tuple[str, str]:
        return self.body["__type"], self.body["message"]


def raw_call(
    proton: ProtonMock,
    operation: Optional[str],
    body: Union[dict[str, Any], str, bytes, None] = None,
    account_id: Optional[str] = None,
    headers: Optional[dict[str, str]] = None,
    region: str = "us-east-1",
    session: Optional[requests.Session] = None,
) -> Raw:
    """POST `body` (a dict as JSON, or text or bytes as they are) to Proton's `operation`;
    `session` reuses connections (many calls in a row)."""
    url = proton.endpoint_url or f"https://proton.{region}.amazonaws.com"
    sent = {
        "Content-Type": "application/x-amz-json-1.0",
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential=testing/20261126/{region}/proton/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=0"
        ),
    }
    if operation is not None:
        sent["X-Amz-Target"] = f"{TARGET_PREFIX}.{operation}"
    if account_id:
        sent["x-moto-account-id"] = account_id
    sent.update(headers or {})
    data = json.dumps(body) if isinstance(body, dict) else (body or "{}")
    response = (session or requests).post(url + "/", data=data, headers=sent, timeout=30)
    try:
        parsed: Any = response.json()
    except ValueError:
        parsed = response.text
    return Raw(response.status_code, response.headers, parsed)


def error_of(excinfo: Any) -> tuple[str, str]:
    """(code, message) of a botocore ClientError caught by pytest.raises."""
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def refused(client: Any, error: str, call: Any, message: str) -> None:
    """`call` fails with `error` and `message` and changes nothing Proton stores."""
    import pytest

    from moto_proton.testing import proton_state

    before = proton_state()
    with pytest.raises(getattr(client.exceptions, error)) as excinfo:
        call()
    assert error_of(excinfo) == (error, message)
    after = proton_state()
    assert after == before, f"changed: {changes(before, after)}"


def changes(before: Any, after: Any, path: str = "") -> list[str]:
    """The paths where two `proton_state()` snapshots differ (to read a failure)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            found
            for key in sorted(set(before) | set(after), key=str)
            for found in changes(before.get(key), after.get(key), f"{path}/{key}")
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            found
            for i, (b, a) in enumerate(zip(before, after))
            for found in changes(b, a, f"{path}[{i}]")
        ]
    return [] if before == after else [path]


def wait_exactly(client: Any, waiter: str, polls: int, **params: Any) -> None:
    """The waiter succeeds on poll number `polls`, not before."""
    import pytest
    from botocore.exceptions import WaiterError

    chosen = client.get_waiter(waiter)
    if polls > 1:
        with pytest.raises(WaiterError, match="Max attempts exceeded"):
            chosen.wait(WaiterConfig={"Delay": 0, "MaxAttempts": polls - 1}, **params)
    chosen.wait(WaiterConfig={"Delay": 0, "MaxAttempts": 1}, **params)


def tags_of(client: Any, arn: str) -> dict[str, str]:
    """A resource's tags as a dict."""
    listed = client.list_tags_for_resource(resourceArn=arn)["tags"]
    return {tag["key"]: tag["value"] for tag in listed}


def tag_refusal(part: str, text: str, character: str) -> str:
    """The message of a tag `part` ("key" or "value") holding a character tags may not hold."""
    return (
        f"Tag {part} '{text}' has a character that isn't allowed: '{character}'. Tags may hold "
        "letters, numbers, spaces and _ . : / = + - @."
    )
