"""pytest fixtures for Proton under moto (loaded through the `pytest11` entry point).

- `aws_credentials`: fake credentials and Region in the environment.
- `proton_mode`: "in_process" (default) or "server" (with `TEST_SERVER_MODE=true`, as moto).
- `proton`: a `ProtonMock` in that mode; `proton.client(account_id=..., region=...)`.
- `proton_client`: a Proton client of the default account (123456789012).
- `proton_server`: a live Proton-enabled moto server for the session; `proton_server_url`
  resets it before the test and gives its URL.
- `proton_accounts`: clients of an environment account and of a management account.
"""

import os
from collections.abc import Iterator
from typing import Any, NamedTuple, Optional

import pytest

from .testing import (
    DEFAULT_REGION,
    ENVIRONMENT_ACCOUNT_ID,
    FAKE_CREDENTIALS,
    MANAGEMENT_ACCOUNT_ID,
    MissingExtra,
    ProtonMock,
    ProtonServer,
)


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Fake credentials, so that nothing can reach real AWS."""
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    return dict(FAKE_CREDENTIALS)


@pytest.fixture
def proton_mode() -> str:
    server = os.environ.get("TEST_SERVER_MODE", "false").lower() == "true"
    return "server" if server else "in_process"


@pytest.fixture(scope="session")
def proton_server() -> Iterator[ProtonServer]:
    """One live Proton-enabled moto server (in a thread) for the whole session."""
    try:
        server = ProtonServer()
    except MissingExtra as error:
        pytest.fail(str(error), pytrace=False)  # one line that says what to install
    server.start()
    yield server
    server.stop()


@pytest.fixture
def proton_server_url(proton_server: ProtonServer) -> str:
    """The session's server, reset before this test."""
    proton_server.reset()
    return proton_server.url


@pytest.fixture
def proton(
    proton_mode: str, aws_credentials: dict[str, str], request: pytest.FixtureRequest
) -> Iterator[ProtonMock]:
    """Proton served in `proton_mode`; quotas are back to AWS's defaults afterwards."""
    url: Optional[str] = None
    if proton_mode == "server":
        url = request.getfixturevalue("proton_server_url")
    with ProtonMock(endpoint_url=url) as mock:
        yield mock


@pytest.fixture
def proton_client(proton: ProtonMock) -> Any:
    return proton.client()


class AccountClients(NamedTuple):
    environment: Any
    management: Any
    environment_account_id: str
    management_account_id: str


@pytest.fixture
def proton_accounts(proton: ProtonMock) -> AccountClients:
    """Clients of two accounts: `environment` requests connections, `management` accepts them."""
    return AccountClients(
        environment=proton.client(account_id=ENVIRONMENT_ACCOUNT_ID),
        management=proton.client(account_id=MANAGEMENT_ACCOUNT_ID),
        environment_account_id=ENVIRONMENT_ACCOUNT_ID,
        management_account_id=MANAGEMENT_ACCOUNT_ID,
    )


__all__ = ["AccountClients", "DEFAULT_REGION"]
