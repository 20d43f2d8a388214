"""Proton's own `/moto-api/proton/...` endpoints, for tests against a server.

- `POST /moto-api/proton/push`: a simulated commit to a linked repository (template sync);
  body `{"repositoryProvider", "repositoryName", "branch", "files": {path: content},
  "commitSha"?, "accountId"?, "region"?}`, answer `{"versions": [...]}`.
- `POST /moto-api/proton/fail-next-deployment`: the next deployment (or deletion) of the
  resource fails; body `{"resourceArn", "message"?}`.

`moto_proton.testing` calls the same backend methods directly in-process.
"""

import json
from typing import Any

from moto.core.common_types import TYPE_RESPONSE
from moto.moto_api._internal.responses import MotoAPIResponse

from .exceptions import ProtonError, ValidationException
from .models import PROTON_LOCK, ProtonBackend, proton_backends

DEFAULT_ACCOUNT_ID, DEFAULT_REGION = "123456789012", "us-east-1"  # moto's defaults

DEFAULT_FAILURE = "The deployment failed (moto_proton.testing.fail_next_deployment)."


def backend_for(account_id: str, region: str) -> ProtonBackend:
    try:
        backend: ProtonBackend = proton_backends[account_id][region]
    except KeyError:
        raise ValidationException(f"No Proton backend for account {account_id} in {region}.")
    return backend


def fail_next_deployment(resource_arn: str, message: str = DEFAULT_FAILURE) -> None:
    """The next deployment or deletion of the resource `resource_arn` names fails."""
    parts = resource_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "proton":
        raise ValidationException(f"{resource_arn} is not a Proton ARN.")
    with PROTON_LOCK:
        backend_for(parts[4], parts[3]).failures_to_come[resource_arn] = message


def push(
    repository_provider: str,
    repository_name: str,
    branch: str,
    files: dict[str, str],
    commit_sha: Any = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> list[dict[str, str]]:
    with PROTON_LOCK:
        return backend_for(account_id, region).push(
            repository_provider, repository_name, branch, files, commit_sha
        )


def _answer(status: int, body: Any) -> TYPE_RESPONSE:
    return status, {"Content-Type": "application/json"}, json.dumps(body)


def _body(request: Any, headers: Any) -> dict[str, Any]:
    try:
        body = MotoAPIResponse()._get_body(headers, request)
    except (ValueError, KeyError) as error:
        raise ValidationException(f"The body must be a JSON object: {error}")
    if not isinstance(body, dict):
        raise ValidationException("The body must be a JSON object.")
    return body


def push_response(request: Any, full_url: str, headers: Any) -> TYPE_RESPONSE:
    try:
        body = _body(request, headers)
        versions = push(
            body["repositoryProvider"],
            body["repositoryName"],
            body["branch"],
            dict(body.get("files") or {}),
            body.get("commitSha"),
            body.get("accountId", DEFAULT_ACCOUNT_ID),
            body.get("region", DEFAULT_REGION),
        )
    except KeyError as missing:
        return _answer(400, {"__type": "ValidationException", "message": f"Missing {missing}"})
    except ProtonError as error:
        return _answer(error.code, {"__type": error.error_type, "message": error.message})
    return _answer(200, {"versions": versions})


def fail_next_deployment_response(request: Any, full_url: str, headers: Any) -> TYPE_RESPONSE:
    try:
        body = _body(request, headers)
        fail_next_deployment(body["resourceArn"], body.get("message") or DEFAULT_FAILURE)
    except KeyError as missing:
        return _answer(400, {"__type": "ValidationException", "message": f"Missing {missing}"})
    except ProtonError as error:
        return _answer(error.code, {"__type": error.error_type, "message": error.message})
    return _answer(200, {})
