"""Smoke test of the built wheel, installed with its `[server]` extra into a fresh venv.

Run by `.ci/run` with that venv's Python, from outside the source tree
(`<venv>/bin/python -I tests/smoke_wheel.py`), so that it sees the installed package only.
`.ci/run` first removes Proton from the venv's botocore (`tests/botocore_without_proton.py`):
the package must bring everything of Proton itself. Not collected by pytest (no `test_`
prefix). Exits non-zero on the first failed check.
"""

import importlib.metadata
import os
import subprocess
import sys
import sysconfig
from pathlib import Path


def check(condition: bool, what: str, detail: str = "") -> None:
    if not condition:
        sys.exit(f"wheel smoke test FAILED: {what}" + (f": {detail}" if detail else ""))
    print(f"wheel smoke test: {what}")


def main() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ[name] = value

    import boto3
    import moto
    from moto import mock_aws

    import moto_proton

    installed = Path(moto_proton.__file__).resolve()
    check(
        installed.is_relative_to(Path(sys.prefix).resolve()),
        f"moto_proton {moto_proton.__version__} imported from the venv ({installed.parent})",
    )
    files = importlib.metadata.distribution("moto-proton").files or []
    check(any(Path(str(f)).name == "LICENSE" for f in files), "the wheel carries LICENSE")

    check(
        any(str(f).endswith("data/proton/2020-07-20/service-2.json.gz") for f in files),
        "the wheel carries the Proton model",
    )

    with mock_aws():
        proton = boto3.client("proton", region_name="us-east-1")
        proton.create_environment_template(name="smoke", displayName="Smoke")
        listed = proton.list_environment_templates()["templates"]
    check([t["name"] for t in listed] == ["smoke"], "mock_aws creates and lists a template")
    check(
        proton.meta.service_model.api_version == "2020-07-20"
        and proton.can_paginate("list_environments")
        and proton.get_waiter("environment_deployed").name == "EnvironmentDeployed",
        "boto3 has Proton's model, paginators and waiters (from the package)",
    )

    result = subprocess.run(
        [str(Path(sysconfig.get_path("scripts")) / "moto-proton"), "model-path"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    printed = Path(result.stdout.strip())
    check(
        result.returncode == 0 and (printed / "proton" / "2020-07-20" / "waiters-2.json").exists(),
        f"`moto-proton model-path` prints the model's folder ({printed})",
        f"status {result.returncode}, stderr {result.stderr!r}",
    )

    script = Path(sysconfig.get_path("scripts")) / "moto-proton-server"
    expected = f"moto-proton-server {moto_proton.__version__} (moto {moto.__version__})"
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    check(
        (result.returncode, result.stdout.strip()) == (0, expected),
        f"`moto-proton-server --version` prints {expected!r}",
        f"status {result.returncode}, stdout {result.stdout!r}, stderr {result.stderr!r}",
    )
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    check(
        result.returncode == 0 and "AWS Proton" in result.stdout,
        "`moto-proton-server --help` runs (the [server] extra brought Flask)",
        f"status {result.returncode}, stderr {result.stderr!r}",
    )


if __name__ == "__main__":
    main()
