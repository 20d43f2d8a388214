"""`moto-proton`: the package's command (the server is `moto-proton-server`).

Subcommands:
  render      render a Proton template bundle offline, as Proton did at each deployment:
              `moto-proton render BUNDLE --spec SPEC [--name NAME] [--service NAME]
              [--instance NAME | --pipeline] [--context JSON_FILE] [-o FILE]`
  model-path  print the folder that, put on `AWS_DATA_PATH`, gives botocore-based tools (the
              AWS CLI, boto3) the Proton model: `AWS_DATA_PATH="$(moto-proton model-path)"
              aws proton list-environments --endpoint-url http://127.0.0.1:5000`

Errors are one line on stderr; exit 1 means the input can't be rendered, exit 2 means the
command line was wrong.
"""

import argparse
import json
import sys
from typing import Any, NoReturn, Optional

from .extras import PROVISIONING_INSTALL_HINT, RENDERING_MODULES, first_missing

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


def _read(path: str, what: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as file:
            return file.read()
    except FileNotFoundError:
        raise _Usage(f"no such {what} file: {path}") from None
    except OSError as error:
        raise _Usage(f"can't read the {what} file {path}: {error.strerror}") from None


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _Fault(f"{where}: not UTF-8 text") from None


def _context(path: Optional[str]) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        context = json.loads(_text(_read(path, "context"), path))
    except ValueError as error:
        raise _Fault(f"{path}: not JSON ({error})") from None
    if not isinstance(context, dict):
        raise _Fault(f"{path}: the context must be a JSON object")
    return context


class _Usage(Exception):
    """A command-line fault: exit 2."""


class _Fault(Exception):
    """An input that can't be rendered: exit 1."""


def _failed(message: str) -> int:
    """Say why rendering failed, on one line of stderr (exit 1)."""
    print(f"{PROG} render: " + " ".join(message.split("\n")), file=sys.stderr)
    return 1


def _render(arguments: argparse.Namespace) -> int:
    missing = first_missing(RENDERING_MODULES)
    if missing is not None:
        return _failed(f"needs {missing}; install the extra: {PROVISIONING_INSTALL_HINT}")
    from .provisioning.offline import (
        RenderFault,
        SpecFault,
        TemplateFault,
        UsageFault,
        load_bundle,
        render_bundle,
    )

    spec_name = "stdin" if arguments.spec == "-" else arguments.spec
    try:
        bundle = load_bundle(arguments.bundle)
        spec = _text(_read(arguments.spec, "spec"), spec_name)
        context = _context(arguments.context)
        text = render_bundle(
            bundle,
            spec,
            name=arguments.name,
            service=arguments.service,
            instance=arguments.instance,
            pipeline=arguments.pipeline,
            context=context,
        )
        if arguments.output is None:
            sys.stdout.write(text)
        else:
            with open(arguments.output, "w", encoding="utf-8") as output:
                output.write(text)
    except (_Usage, UsageFault) as fault:
        arguments.usage(" ".join(str(fault).split("\n")))
    except SpecFault as fault:
        return _failed(f"{spec_name}: {fault.reason}")
    except TemplateFault as fault:
        return _failed(f"{arguments.bundle}: {fault}")
    except (_Fault, RenderFault) as fault:
        return _failed(str(fault))
    except OSError as error:  # the output file
        return _failed(f"{error.filename}: {error.strerror}")
    except Exception as error:  # never a traceback
        return _failed(f"{type(error).__name__}: {error}")
    return 0


def _add_render(commands: Any) -> None:
    render = commands.add_parser(
        "render",
        help="render a Proton template bundle offline (Jinja on CloudFormation)",
        description=(
            "Render a Proton template bundle as Proton did at each deployment: the spec is "
            "checked against the bundle's schema (defaults applied), Proton's parameter "
            "namespace is built, and the IaC file is rendered with Jinja and Proton's filters. "
            "The text goes to stdout (or -o FILE). Exit 1: the spec, the context or the "
            "template can't be rendered; exit 2: the command line is wrong."
        ),
    )
    render.add_argument("bundle", metavar="BUNDLE", help="a bundle folder or .tar.gz")
    render.add_argument("--spec", required=True, metavar="SPEC", help="the spec file (- for stdin)")
    render.add_argument("--name", metavar="NAME", help="the environment's name")
    render.add_argument("--service", metavar="NAME", help="the service's name")
    which = render.add_mutually_exclusive_group()
    which.add_argument("--instance", metavar="NAME", help="the service instance to render")
    which.add_argument("--pipeline", action="store_true", help="render the service pipeline")
    render.add_argument(
        "--context",
        metavar="JSON_FILE",
        help="a JSON object deep-merged over the namespace (outputs, account ids, repository)",
    )
    render.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    render.set_defaults(run=_render, usage=render.error)


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
    _add_render(commands)
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
