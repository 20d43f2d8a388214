"""Every Python example of the README runs as written, and every test in it can fail.

Each ```python block is one case, named after its number and first line. A block that defines
`test_` functions is written to a file of its own and run by pytest in a fresh process, as a
user's test file would be (the fixtures come from the package's `pytest11` entry point, not
from this repository's conftest.py); any other block runs as a script. Both get fake AWS
credentials and no `TEST_SERVER_MODE`. The processes of all selected blocks start together,
so the module takes about as long as its slowest block.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from moto_proton.testing import FAKE_CREDENTIALS

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TIMEOUT = 120


class Block(NamedTuple):
    number: int
    line: int  # where the code starts in README.md
    code: str

    @property
    def tests(self) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        return [
            node
            for node in ast.parse(self.code).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name.startswith("test_")
        ]

    @property
    def label(self) -> str:
        first = next((line.strip() for line in self.code.splitlines() if line.strip()), "")
        return f"block{self.number}-line{self.line}: {first}"


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(number, text.count("\n", 0, match.start(1)) + 1, match.group(1))
        for number, match in enumerate(FENCE.finditer(text), start=1)
    ]


BLOCKS = readme_blocks()
CASES = [pytest.param(block, id=block.label) for block in BLOCKS]


def environment() -> dict[str, str]:
    """This environment, with fake credentials and nothing that changes how moto mocks."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "TEST_SERVER_MODE", "MOTO_", "PYTEST_"))
    }
    env.update(FAKE_CREDENTIALS)
    return env


def command(block: Block, folder: Path) -> list[str]:
    path = folder / f"test_readme_block_{block.number}.py"
    path.write_text(block.code, encoding="utf-8")
    if block.tests:
        return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path.name]
    return [sys.executable, path.name]


class Run(NamedTuple):
    returncode: int
    output: str


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Start every selected block at once; `runs(block)` waits for one and gives its result.

    Under pytest-xdist a worker does not know which items it will run, so there each block
    starts when its test asks for it."""
    started: dict[int, subprocess.Popen[str]] = {}
    finished: dict[int, Run] = {}

    def start(block: Block) -> None:
        folder = tmp_path_factory.mktemp(f"readme_block_{block.number}")
        started[block.number] = subprocess.Popen(
            command(block, folder),
            cwd=folder,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )

    def result(block: Block) -> Run:
        if block.number not in finished:
            if block.number not in started:
                start(block)
            process = started[block.number]
            try:
                output, _ = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
                output += f"\n[killed after {TIMEOUT} s]"
            finished[block.number] = Run(process.returncode, output)
        return finished[block.number]

    if "PYTEST_XDIST_WORKER" not in os.environ:
        for item in request.session.items:
            if item.module is request.module and item.originalname == "test_readme_example_runs":
                block = item.callspec.params["block"]
                if block.number not in started:
                    start(block)
    yield result
    for process in started.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.parametrize("block", CASES)
def test_readme_example_runs(block: Block, runs) -> None:
    run = runs(block)
    where = f"README.md line {block.line}, block {block.number}"
    assert run.returncode == 0, f"{where} failed:\n{run.output}"
    if block.tests:
        summary = run.output.strip().splitlines()[-1]
        assert re.fullmatch(rf"{len(block.tests)} passed in [\d.]+s", summary), (
            f"{where}: expected {len(block.tests)} passing test(s), nothing else:\n{run.output}"
        )


@pytest.mark.parametrize("block", CASES)
def test_readme_example_checks_something(block: Block) -> None:
    """No `...` standing for code, and every example, and every test in it, asserts."""
    tree = ast.parse(block.code)
    ellipses = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value is Ellipsis
    ]
    assert not ellipses, f"block {block.number}: `...` at line(s) {ellipses} of the block"
    for scope in block.tests or [tree]:
        assert any(_checks(node) for node in ast.walk(scope)), (
            f"block {block.number}: {getattr(scope, 'name', 'the script')} asserts nothing"
        )


def _checks(node: ast.AST) -> bool:
    """An `assert`, or a call of `pytest.raises` (or any other `.raises(...)`)."""
    if isinstance(node, ast.Assert):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "raises"
    )


def test_the_readme_has_python_examples() -> None:
    """Python examples are fenced as ```python (and so tested), never as ```py."""
    assert len(BLOCKS) >= 5
    assert not re.search(r"^```(py|python3)\s*$", README.read_text(encoding="utf-8"), re.M)
    assert any(block.tests for block in BLOCKS) and any(not block.tests for block in BLOCKS)


def cli_quick_start() -> list[list[str]]:
    """The `aws` commands of the README's AWS CLI quick start, as argument lists."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### The same with the AWS CLI\n", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.replace("\\\n", " ").splitlines()
    return [shlex.split(line, comments=True)[1:] for line in lines if line.startswith("aws ")]


def test_the_aws_cli_quick_start_runs_as_written(proton_server_url: str) -> None:
    """Each command against the server, with the README's credentials and Proton's model from
    `moto-proton model-path`; the last prints the deployment status."""
    from .test_real_clients import Cli

    commands = cli_quick_start()
    assert len(commands) == 7
    cli = Cli(proton_server_url, dict(FAKE_CREDENTIALS))
    for arguments in commands[:-1]:
        cli.json(*arguments)
    assert cli.json(*commands[-1]) == "SUCCEEDED"
