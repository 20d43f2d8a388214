"""Helpers for tests: Proton in-process or against a live server, clients per account."""

import json
import urllib.request
from types import TracebackType
from typing import Any, Optional

import boto3
from moto import mock_aws

from . import quotas

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"
ENVIRONMENT_ACCOUNT_ID = "111111111111"
MANAGEMENT_ACCOUNT_ID = "222222222222"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": DEFAULT_REGION,
}


def act_as_account(client: Any, account_id: str) -> Any:
    """Make every request of `client` come from `account_id` (moto's `x-moto-account-id`)."""

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account_id

    client.meta.events.register("before-sign.*.*", add_header)
    return client


class ProtonMock:
    """Proton in-process (under `mock_aws`) or, with `endpoint_url`, on a live server.

    Leaving it resets quota overrides, so one test's `set_quota` never leaks into the next.
    """

    def __init__(self, endpoint_url: Optional[str] = None, region: str = DEFAULT_REGION):
        self.endpoint_url = endpoint_url
        self.region = region
        self._mock: Any = None

    @property
    def mode(self) -> str:
        return "server" if self.endpoint_url else "in_process"

    def __enter__(self) -> "ProtonMock":
        if self.endpoint_url is None:
            self._mock = mock_aws()
            self._mock.start()
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        quotas.reset_quotas()

    def client(
        self,
        service: str = "proton",
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        **kwargs: Any,
    ) -> Any:
        """A boto3 client; with `account_id`, every call comes from that account."""
        if self.endpoint_url:
            kwargs.setdefault("endpoint_url", self.endpoint_url)
        client = boto3.client(service, region_name=region or self.region, **kwargs)
        if account_id:
            act_as_account(client, account_id)
        return client


class ProtonServer:
    """moto's `ThreadedMotoServer` with Proton, on a free port of 127.0.0.1."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self.url = ""

    def start(self) -> None:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def reset(self) -> None:
        """Clear every service's state, as `POST /moto-api/reset` does."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        urllib.request.urlopen(request).read()

    def seed(self, seed: int) -> None:
        request = urllib.request.Request(
            f"{self.url}/moto-api/seed?a={seed}", method="POST", data=json.dumps({}).encode()
        )
        urllib.request.urlopen(request).read()
