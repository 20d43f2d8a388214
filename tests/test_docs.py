"""The README stays true: its operations table is the one the model and code give, its
sections come in the order a new user needs them, and its links lead somewhere."""

import re
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


def test_readme_says_how_to_run_the_two_setup_commands():
    """Right after the commands: a venv, the server runs until Ctrl+C, and the second is the
    contributors' (what it takes and needs is under Development, not before a user's needs)."""
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if line.strip()]
    fence = lines.index("```sh")
    assert lines[fence + 3] == "```"
    explanation = " ".join(lines[fence + 4 : fence + 8])
    for needed in ("venv", "Ctrl+C", "contributors", "(#development)"):
        assert needed in explanation, needed
    development = README.read_text(encoding="utf-8").split("\n## Development\n")[1]
    for needed in ("10 minutes", "npm", "JavaScript SDK", "python3 -m tox"):
        assert needed in " ".join(development.split("\n## ")[0].split()), needed


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_readme_contents_link_to_its_sections():
    text = README.read_text(encoding="utf-8")
    anchors = {_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("## ")}
    contents = text.split("\n## Contents\n")[1].split("\n## ")[0]
    links = re.findall(r"\]\(#([^)]+)\)", contents)
    assert len(links) >= 10
    assert not [link for link in links if link not in anchors]
    # Every section but the contents itself is listed.
    assert anchors - {"contents"} <= set(links)


def test_readme_says_what_the_end_of_aws_proton_means_before_installing():
    headings = [
        line[3:]
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert headings[:3] == [
        "Contents",
        "AWS Proton has ended: what that means for you",
        "Install into your own project",
    ]


#: The README's sections, in order (others may come between them).
SECTIONS = [
    "Install into your own project",
    "Quick start",
    "Environment account connections",
    "Templates, environments and deployments",
    "Quotas and switches",
    "Errors and validation",
    "Choices where AWS is silent",
    "Implemented operations",
    "Development",
    "Reporting a bug",
    "License",
]


def test_readme_sections_come_in_order():
    headings = [
        line[3:].strip()
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert [heading for heading in headings if heading in SECTIONS] == SECTIONS
    # The long write-ups live in their own files, one line each from the README.
    assert "Benchmarks" not in headings and "Reliability" not in headings


def test_readme_links_to_files_that_exist():
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\((?!https?://|#)([^)\s]+)\)", text)
    assert {"bench/README.md", "docs/reliability.md", "docs/architecture.md"} <= set(targets)
    for target in targets:
        assert (README.parent / target.split("#")[0]).exists(), target


def test_readme_is_self_contained():
    """Nothing outside the repository: no sibling folders such as ../shared."""
    text = README.read_text(encoding="utf-8")
    assert "../" not in text
    assert "shared/" not in text


def test_the_architecture_map_names_every_module_and_test_module():
    """docs/architecture.md stays a true map: every package module and every test module is
    named in it."""
    root = README.parent
    text = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = [p for p in (root / "moto_proton").rglob("*.py") if p.name != "__init__.py"]
    unnamed = [str(p.relative_to(root)) for p in package if p.name not in text]
    assert unnamed == []
    tests = [p.stem for p in (root / "tests").glob("test_*.py")]
    assert "test_real_clients*" in text
    assert [t for t in tests if t not in text and not t.startswith("test_real_clients")] == []
