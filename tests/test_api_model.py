"""The Proton model the package ships: botocore-based programs resolve `proton` through it
whether or not their botocore still has Proton, and it agrees with botocore's while botocore
has one.

tox's `moto-latest` env removes Proton from botocore first (`tests/botocore_without_proton.py`)
and sets MOTO_PROTON_BOTOCORE_WITHOUT_PROTON=1, so that there the whole suite runs without it;
`test_botocore_has_no_proton_in_the_env_that_says_so` checks that the removal really happened.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import botocore
import pytest

from moto_proton.api_model import API_VERSION, load, model_path, service_model

from .botocore_without_proton import botocore_copies, still_there
from .real_clients_support import Cli, clean_environment, console_script, proton_model_path

BOTOCORE_PROTON = Path(botocore.__file__).parent / "data" / "proton" / API_VERSION
FILES = ["service-2", "paginators-1", "waiters-2", "endpoint-rule-set-1", "examples-1"]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c code` in an environment without any AWS_* setting of this process, outside
    the checkout (so that it imports the installed package, as a user's program does)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tempfile.gettempdir(),
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        env=clean_environment(**env),
    )


def botocore_file(type_name: str) -> Any:
    for path in (BOTOCORE_PROTON / f"{type_name}.json", BOTOCORE_PROTON / f"{type_name}.json.gz"):
        if path.exists():
            opener: Any = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as stream:
                return json.load(stream)
    raise FileNotFoundError(BOTOCORE_PROTON / type_name)


def test_the_package_ships_the_five_model_files_and_botocore_license() -> None:
    folder = Path(model_path()) / "proton"
    assert sorted(path.name for path in (folder / API_VERSION).iterdir()) == [
        "endpoint-rule-set-1.json.gz",
        "examples-1.json",
        "paginators-1.json",
        "service-2.json.gz",
        "waiters-2.json",
    ]
    assert "Apache License" in (folder / "LICENSE.txt").read_text()
    assert "Botocore" in (folder / "NOTICE.txt").read_text()
    model = service_model()
    assert model.service_name == "proton" and model.api_version == API_VERSION
    assert len(model.operation_names) == 87
    assert len(load("waiters-2")["waiters"]) == 10


@pytest.mark.skipif(not BOTOCORE_PROTON.exists(), reason="this botocore has no Proton model")
@pytest.mark.parametrize("type_name", FILES)
def test_the_shipped_model_agrees_with_botocores_own(type_name: str) -> None:
    ours, theirs = load(type_name), botocore_file(type_name)
    if type_name == "service-2":
        # Every operation and shape the package relies on, member by member.
        assert ours["operations"] == theirs["operations"]
        assert ours["shapes"] == theirs["shapes"]
        assert ours["metadata"] == theirs["metadata"]
    assert ours == theirs


@pytest.mark.skipif(
    not os.environ.get("MOTO_PROTON_BOTOCORE_WITHOUT_PROTON"),
    reason="only where tox removed Proton from botocore",
)
def test_botocore_has_no_proton_in_the_env_that_says_so() -> None:
    copies = botocore_copies()
    assert copies and not [place for copy in copies for place in still_there(copy)]
    done = run_python(
        "import botocore.session; print('proton' in botocore.session.get_session()"
        ".get_available_services())"
    )
    assert done.stdout.strip() == "False", done.stderr
    # The AWS CLI without the model path doesn't know Proton (with it, see below).
    no_proton = subprocess.run(
        [sys.executable, "-m", "awscli", "proton", "list-environments", "--region", "us-east-1"],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        env=clean_environment(),
        stdin=subprocess.DEVNULL,
    )
    assert no_proton.returncode != 0
    _, _, choices = no_proton.stderr.partition("Invalid choice, valid choices are:")
    assert "organizations" in choices and "proton" not in choices


def test_boto3_resolves_proton_after_import_whatever_botocore_has() -> None:
    done = run_python(
        "import moto_proton, boto3\n"
        "client = boto3.client('proton', region_name='us-east-1')\n"
        "print(client.meta.service_model.api_version)\n"
        "print(client.get_waiter('environment_deployed').name)\n"
        "print(client.can_paginate('list_environments'))\n"
        "print(client.meta.endpoint_url)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        API_VERSION,
        "EnvironmentDeployed",
        "True",
        "https://proton.us-east-1.amazonaws.com",
    ]


def test_a_users_own_aws_data_path_keeps_working(tmp_path: Path) -> None:
    # A model of the user's own, under a name botocore doesn't have.
    own = tmp_path / "models" / "myproton" / API_VERSION
    own.mkdir(parents=True)
    (own / "service-2.json").write_text(json.dumps(load("service-2")))
    done = run_python(
        "import os, moto_proton, boto3\n"
        "print(os.environ['AWS_DATA_PATH'])\n"
        "print(moto_proton.api_model.model_path())\n"
        "services = boto3.session.Session().get_available_services()\n"
        "print('myproton' in services, 'proton' in services)\n",
        AWS_DATA_PATH=str(tmp_path / "models"),
    )
    assert done.returncode == 0, done.stderr
    data_path, shipped, found = done.stdout.splitlines()
    assert data_path == os.pathsep.join([str(tmp_path / "models"), shipped])
    assert found == "True True"


def test_model_path_prints_the_folder_to_put_on_aws_data_path() -> None:
    printed = Path(proton_model_path()) / "proton" / API_VERSION
    shipped = Path(model_path()) / "proton" / API_VERSION
    for name in ("service-2.json.gz", "waiters-2.json", "paginators-1.json"):
        assert (printed / name).read_bytes() == (shipped / name).read_bytes()


def test_the_aws_cli_talks_to_the_server_through_model_path(proton_server_url: str) -> None:
    cli = Cli(proton_server_url, {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "x"})
    created = cli.json(
        "proton",
        "create-environment-template",
        "--name",
        "model-path-check",
        "--display-name",
        "From the CLI",
    )
    assert created["environmentTemplate"]["name"] == "model-path-check"
    listed = cli.json("proton", "list-environment-templates")
    assert "model-path-check" in [t["name"] for t in listed["templates"]]
    cli.json("proton", "delete-environment-template", "--name", "model-path-check")


@pytest.mark.parametrize(
    ("arguments", "code", "stream", "expected"),
    [
        (["--version"], 0, "stdout", "moto-proton 0."),
        (["--help"], 0, "stdout", "model-path"),
        ([], 2, "stderr", "usage: moto-proton"),
        (["unpack"], 2, "stderr", "moto-proton: error: argument COMMAND: invalid choice: 'unpack'"),
        (["model-path", "extra"], 2, "stderr", "unrecognized arguments: extra"),
    ],
)
def test_the_moto_proton_command(
    arguments: list[str], code: int, stream: str, expected: str
) -> None:
    done = subprocess.run(
        [console_script("moto-proton"), *arguments],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        env=clean_environment(),
    )
    assert done.returncode == code
    assert expected in getattr(done, stream)
    assert "Traceback" not in done.stderr
