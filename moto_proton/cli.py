"""`moto-proton`: the package's command (the server is `moto-proton-server`).

Subcommands:
  model-path  print the folder that, put on `AWS_DATA_PATH`, gives botocore-based tools (the
              AWS CLI, boto3) the Proton model: `AWS_DATA_PATH="$(moto-proton model-path)"
              aws proton list-environments --endpoint-url http://127.0.0.1:5000`

Errors are one line on stderr; exit 2 means the command line was wrong.
"""

import argparse
import sys
from typing import NoReturn, Optional

PROG = "moto-proton"
DESCRIPTION = "AWS Proton offline: the tools of the moto-proton package."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: "moto-proton: error: ..." and exit 2.
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _model_path(arguments: argparse.Namespace) -> int:
    from .api_model import model_path

    print(model_path())
    return 0


def parser() -> argparse.ArgumentParser:
    from . import __version__

    top = _Parser(prog=PROG, description=DESCRIPTION)
    top.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = top.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    model_path = commands.add_parser(
        "model-path",
        help="print the folder to put on AWS_DATA_PATH for the AWS CLI and boto3 to know Proton",
        description=(
            "Print the folder holding the Proton API model this package ships. Put on "
            "AWS_DATA_PATH, it gives the AWS CLI and any botocore-based tool Proton, whether "
            'or not their botocore still has it: AWS_DATA_PATH="$(moto-proton model-path)" '
            "aws proton list-environments --endpoint-url http://127.0.0.1:5000"
        ),
    )
    model_path.set_defaults(run=_model_path)
    return top


def main(argv: Optional[list[str]] = None) -> None:
    top = parser()
    arguments = top.parse_args(sys.argv[1:] if argv is None else argv)
    if not hasattr(arguments, "run"):
        top.print_help(sys.stderr)
        raise SystemExit(2)
    raise SystemExit(arguments.run(arguments))


if __name__ == "__main__":
    main()
