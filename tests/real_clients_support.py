"""What the real-client tests share (`test_real_clients*.py`): the AWS CLI as a subprocess
with Proton's model from `moto-proton model-path`, the JavaScript SDK's installation, and the
checks of what those clients print (dates, errors, tags, ARNs).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

REGION = "us-east-1"
MANAGEMENT_ACCOUNT = "222222222222"
NEXT_TOKEN = re.compile(r"^[A-Za-z0-9+=/]+$")
JS_DIR = Path(__file__).parent / "js"
#: Models of moto's state manager that a service lifecycle goes through, each held for one read.
SERVICE_HELD_MODELS = (
    "proton::environment-template-version",
    "proton::service-template-version",
    "proton::deployment",
    "proton::service-deletion",
)
#: The state-manager transition that holds each of a lifecycle's HELD_MODELS for one read.
HOLD_ONE_READ = {"progression": "manual", "times": 2}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any AWS_* or MOTO_PROTON_* setting, plus `extra`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "MOTO_PROTON_"))
    }
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    env.update(extra)
    return env


def sorted_tags(tags: list[dict[str, str]]) -> list[tuple[str, str]]:
    return sorted((tag["key"], tag["value"]) for tag in tags)


def sane_date(described: dict[str, Any]) -> int:
    """The epoch milliseconds of a timestamp that the JS SDK parsed into a valid `Date`."""
    assert described["isDate"] is True, described
    assert 2020 <= described["year"] <= 2100, described
    epoch_ms = described["epochMs"]
    assert isinstance(epoch_ms, int)
    return epoch_ms


def require_javascript_sdk() -> None:
    """Skip, saying why, when node or tests/js/node_modules is missing; but on CI (`CI=true`)
    with npm installed, fail: there `npm ci` (tox's commands_pre) must have installed it."""
    installed = (JS_DIR / "node_modules" / "@aws-sdk" / "client-proton").is_dir()
    if installed and shutil.which("node") is not None:
        return
    if shutil.which("npm") is None:
        pytest.skip("npm not found: install Node.js, then run `npm ci` in tests/js")
    reason = (
        "node not found"
        if installed
        else "tests/js/node_modules missing: run `npm ci` in tests/js (tox does)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; on CI (CI=true) with npm installed, this test must run")
    pytest.skip(reason)


class Cli:
    """`python -m awscli` against one endpoint, with one set of credentials."""

    def __init__(self, endpoint_url: str, credentials: dict[str, str]):
        self.endpoint_url = endpoint_url
        self.env = clean_environment(AWS_DATA_PATH=proton_model_path(), **credentials)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "awscli",
                *args,
                "--endpoint-url",
                self.endpoint_url,
                "--region",
                REGION,
                "--output",
                "json",
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=60,
            env=self.env,
            stdin=subprocess.DEVNULL,
        )

    def json(self, *args: str) -> Any:
        """The parsed output of a command that must succeed."""
        done = self.run(*args)
        assert done.returncode == 0, f"aws {' '.join(args)} failed: {done.stderr}"
        return json.loads(done.stdout) if done.stdout.strip() else None

    def assume(self, account_id: str) -> Cli:
        """A CLI whose credentials are those of a role in `account_id`, from STS."""
        assumed = self.json(
            "sts",
            "assume-role",
            "--role-arn",
            f"arn:aws:iam::{account_id}:role/env",
            "--role-session-name",
            "s1",  # the model's minimum length is 2
        )
        credentials = assumed["Credentials"]
        return Cli(
            self.endpoint_url,
            {
                "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
                "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
                "AWS_SESSION_TOKEN": credentials["SessionToken"],
            },
        )


def console_script(name: str = "moto-proton-server") -> str:
    """A console script of this interpreter (falls back to the one on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"the {name} console script is not installed"
    return found


@functools.cache
def proton_model_path() -> str:
    """What `moto-proton model-path` prints: the CLI subprocesses get Proton from there, as a
    user's AWS CLI does once its botocore has dropped Proton."""
    done = subprocess.run(
        [console_script("moto-proton"), "model-path"],
        capture_output=True,
        check=True,
        text=True,
        env=clean_environment(),
    )
    return done.stdout.strip()


def proton_arn(resource: str, account_id: str = MANAGEMENT_ACCOUNT) -> str:
    return f"arn:aws:proton:{REGION}:{account_id}:{resource}"


def assert_dates(value: Any, path: str = "result") -> int:
    """Every timestamp member (name ending in `At`) anywhere in `value` is a sane JS Date;
    returns how many were checked."""
    checked = 0
    if isinstance(value, dict):
        for key, member in value.items():
            if key.endswith("At"):
                assert isinstance(member, dict), f"{path}.{key} is not a Date: {member!r}"
                sane_date(member)
                checked += 1
            else:
                checked += assert_dates(member, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            checked += assert_dates(item, f"{path}[{index}]")
    return checked


def assert_error(error: dict[str, Any], name: str, status: int, message: str) -> None:
    assert error["thrown"] is True, error
    assert error["name"] == name, error
    assert error["httpStatusCode"] == status, error
    assert error["fault"] == "client", error
    assert error["message"] == message, error
    assert error["requestId"], error


def cli_wait(cli: Cli, waiter: str, *args: str, timeout: float = 45) -> tuple[float, int]:
    """`aws proton wait <waiter> ...`, which must succeed; (seconds taken, API calls made)."""
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "proton",
            "wait",
            waiter,
            *args,
            "--endpoint-url",
            cli.endpoint_url,
            "--region",
            REGION,
            "--debug",
        ],
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
        env=cli.env,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    tail = "\n".join(done.stderr.splitlines()[-15:])
    assert done.returncode == 0, f"aws proton wait {waiter} failed ({done.returncode}):\n{tail}"
    assert done.stdout == ""
    return seconds, done.stderr.count("Making request for OperationModel(name=")


def run_javascript(script: str, url: str, timeout: float) -> Any:
    """Run `tests/js/<script>` with node against the server at `url`; what it printed, as JSON."""
    run = subprocess.run(
        ["node", str(JS_DIR / script), url],
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
        cwd=JS_DIR,
        env=clean_environment(),
    )
    assert run.returncode == 0, f"{script} failed:\n{run.stderr}\n{run.stdout}"
    return json.loads(run.stdout)
