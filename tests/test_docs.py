"""The README stays true: its operations table is the one the model and code give."""

from pathlib import Path

from moto_proton.coverage import coverage_table, implemented_operations, replace_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_operations_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert coverage_table() in text
    assert replace_table(text) == text, "run: python -m moto_proton.coverage --write README.md"


def test_connection_operations_are_implemented():
    assert set(implemented_operations()) >= {
        "CreateEnvironmentAccountConnection",
        "GetEnvironmentAccountConnection",
        "ListEnvironmentAccountConnections",
        "UpdateEnvironmentAccountConnection",
        "AcceptEnvironmentAccountConnection",
        "RejectEnvironmentAccountConnection",
        "DeleteEnvironmentAccountConnection",
        "TagResource",
        "UntagResource",
        "ListTagsForResource",
    }


def test_readme_starts_with_the_two_setup_commands():
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if line.strip()]
    fence = lines.index("```sh")
    assert (
        lines[fence + 1]
        == "python3 -m pip install -e '.[server]' && python3 -m moto_proton -p 5000"
    )
    assert lines[fence + 2] == "python3 -m pip install tox && python3 -m tox"
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[fence + 2] in ci
