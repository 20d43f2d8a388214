"""The implemented-operations table of the README, generated from the Proton model the package ships.

`python -m moto_proton.coverage` prints it; `--write README.md` replaces the table between
the README's coverage markers (a test checks that the README is current).
"""

import argparse
import re
from typing import Optional

from botocore import xform_name

from .model import service_model
from .models import ProtonBackend

START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"


def implemented_operations() -> list[str]:
    return [op for op in service_model().operation_names if hasattr(ProtonBackend, xform_name(op))]


def coverage_table() -> str:
    operations = service_model().operation_names
    done = set(implemented_operations())
    lines = [
        f"{len(done)} of {len(operations)} Proton operations are implemented.",
        "",
        "| Operation | Implemented |",
        "|---|---|",
    ]
    lines += [f"| {op} | {'yes' if op in done else '-'} |" for op in operations]
    return "\n".join(lines)


def replace_table(text: str) -> str:
    block = f"{START}\n{coverage_table()}\n{END}"
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", metavar="README", help="update the table in this file")
    args = parser.parse_args(argv)
    if args.write:
        with open(args.write, encoding="utf-8") as readme:
            text = readme.read()
        with open(args.write, "w", encoding="utf-8") as readme:
            readme.write(replace_table(text))
    else:
        print(coverage_table())


if __name__ == "__main__":
    main()
