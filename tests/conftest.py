"""Every test that uses Proton runs twice: in-process and against a live server."""

from typing import Any

import pytest


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "proton_mode" in metafunc.fixturenames and not hasattr(metafunc.function, "one_mode"):
        metafunc.parametrize("proton_mode", ["in_process", "server"])


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "slow: long-running test")
