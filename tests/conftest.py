"""Every test that uses Proton runs twice: in-process and against a live server. The clients of
the two accounts of the cross-account tests, as fixtures."""

from typing import Any

import pytest


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "proton_mode" in metafunc.fixturenames:
        metafunc.parametrize("proton_mode", ["in_process", "server"])


@pytest.fixture
def env(proton_accounts: Any) -> Any:
    """A Proton client of the environment account (ENV)."""
    return proton_accounts.environment


@pytest.fixture
def mgmt(proton_accounts: Any) -> Any:
    """A Proton client of the management account (MGMT)."""
    return proton_accounts.management
