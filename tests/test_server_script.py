"""`moto-proton-server` / `python -m moto_proton` as a user first meets it: `--help`,
`--version`, an install without the `[server]` extra, and moto's options passed through."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import moto
import pytest

import moto_proton
from moto_proton.quotas import DEFAULT_QUOTAS
from moto_proton.testing import server_subprocess

from .real_clients_support import console_script

VERSION_LINE = f"moto-proton-server {moto_proton.__version__} (moto {moto.__version__})\n"
INSTALL_HINT = "pip install 'moto-proton[server]'"


def run(
    *arguments: str, env: Optional[dict[str, str]] = None, script: bool = False
) -> subprocess.CompletedProcess[str]:
    command = [console_script()] if script else [sys.executable, "-m", "moto_proton"]
    return subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def without_flask(tmp_path: Path) -> dict[str, str]:
    """An environment in which `import flask` fails, as without the `[server]` extra."""
    (tmp_path / "flask.py").write_text(
        "raise ImportError(\"No module named 'flask' (hidden by the test)\")\n"
    )
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


@pytest.mark.parametrize("script", [False, True], ids=["python -m", "console script"])
def test_help_names_the_program_proton_and_its_environment(script):
    result = run("--help", script=script)
    assert result.returncode == 0, result.stderr
    help_text = result.stdout
    assert help_text.startswith("usage: moto-proton-server [-h] ")
    assert "__main__" not in help_text
    assert "moto's server (every AWS service moto mocks, on one port) with AWS Proton" in (
        " ".join(help_text.split())
    )
    for option in ("--host HOST", "--port PORT", "--reload", "--ssl", "--ssl-cert", "--ssl-key"):
        assert option in help_text  # moto's own options, unchanged
    assert "--version" in help_text
    assert "MOTO_PROTON_QUOTA_<NAME>=N" in help_text
    for name, default in DEFAULT_QUOTAS.items():
        assert f"MOTO_PROTON_QUOTA_{name.upper()}={default}\n" in help_text
    assert result.stderr == ""


@pytest.mark.parametrize("script", [False, True], ids=["python -m", "console script"])
def test_version(script):
    result = run("--version", script=script)
    assert (result.returncode, result.stdout, result.stderr) == (0, VERSION_LINE, "")


@pytest.mark.parametrize("arguments", [[], ["--help"], ["-H", "127.0.0.1", "-p", "0"]])
def test_without_the_server_extra_one_line_says_what_to_install(without_flask, arguments):
    result = run(*arguments, env=without_flask)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("moto-proton-server: moto's server needs Flask and flask-cors")
    assert "hidden by the test" in line
    assert line.endswith(f"install them with: {INSTALL_HINT}")


def test_without_the_server_extra_the_version_is_still_printed(without_flask):
    result = run("--version", env=without_flask)
    assert (result.returncode, result.stdout, result.stderr) == (0, VERSION_LINE, "")


def test_unknown_options_get_motos_usage_error():
    result = run("--no-such-option")
    assert result.returncode == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr
    assert result.stdout == ""


def test_motos_options_and_protons_environment_reach_the_server(tmp_path):
    """`-H`/`-p` go to moto's server; a quota set in its environment is in force there."""
    env = {**os.environ, "MOTO_PROTON_QUOTA_TEMPLATES": "1"}
    with server_subprocess(env=env, log=tmp_path / "server.log") as url:
        first, second = (create_template(url, name) for name in ("one", "two"))
    assert first[0] == 200 and first[1]["environmentTemplate"]["name"] == "one"
    assert second[0] == 402 and second[1]["__type"] == "ServiceQuotaExceededException"


def create_template(url: str, name: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url + "/",
        data=json.dumps({"name": name}).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AwsProton20200720.CreateEnvironmentTemplate",
            "Authorization": (
                "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/proton/aws4_request, "
                "SignedHeaders=host, Signature=0"
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_server_mode_fixtures_without_the_server_extra_say_what_to_install(without_flask, tmp_path):
    """`TEST_SERVER_MODE=true` needs moto's server: the fixture fails with one line naming the
    extra, not with a bare ModuleNotFoundError from deep inside moto."""
    (tmp_path / "test_uses_proton.py").write_text(
        "def test_lists(proton_client):\n    proton_client.list_environments()\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**without_flask, "TEST_SERVER_MODE": "true"},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "moto_proton's server (ProtonServer, TEST_SERVER_MODE=true): moto's server needs Flask"
        in result.stdout
    )
    assert f"install them with: {INSTALL_HINT}" in result.stdout
    assert "1 error" in result.stdout
    assert "Traceback" not in result.stdout
