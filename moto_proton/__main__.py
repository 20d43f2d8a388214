"""`moto-proton-server` / `python -m moto_proton`: moto's server with Proton added.

This wraps `moto.server.main` rather than copying its options: `--version` and `--help` are
answered here (the help is moto's own, captured, with this program's name, a description and
Proton's environment variables added); every other argument goes to moto unchanged.
"""

import argparse
import contextlib
import io
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import NoReturn, Optional

from .extras import server_missing

PROG = "moto-proton-server"
DESCRIPTION = (
    "moto's server (every AWS service moto mocks, on one port) with AWS Proton added: point "
    "any SDK or the AWS CLI at http://HOST:PORT."
)
VERSION_HELP = "print moto-proton-server's and moto's versions and exit"

MotoMain = Callable[[Optional[list[str]]], None]


def version() -> str:
    """`moto-proton-server <version> (moto <version>)`."""
    import moto

    from . import __version__

    return f"{PROG} {__version__} (moto {moto.__version__})"


def environment_help() -> str:
    """The `MOTO_PROTON_*` environment variables, for `--help`."""
    from .quotas import DEFAULT_QUOTAS

    return "\n".join(
        [
            "environment variables:",
            "  MOTO_PROTON_QUOTA_<NAME>=N  overrides one of Proton's service quotas (per",
            "                              account and Region); the quotas, at AWS's defaults:",
            *(
                f"    MOTO_PROTON_QUOTA_{name.upper()}={default}"
                for name, default in DEFAULT_QUOTAS.items()
            ),
            "  MOTO_PROTON_REQUIRE_BUNDLES=true  a template version whose source.s3 object is",
            "                              missing fails registration, as on AWS",
            "  MOTO_PROTON_REQUIRE_MODELLED_RESOURCES=true  a deployment whose CloudFormation",
            "                              has resources moto doesn't model fails",
            "  moto's own settings apply as well, e.g. MOTO_PORT (the default of --port) and",
            "  MOTO_ACCOUNT_ID.",
        ]
    )


def _own_parser() -> argparse.ArgumentParser:
    """The options this program answers itself; the rest are moto's."""
    parser = argparse.ArgumentParser(prog=PROG, add_help=False, allow_abbrev=False)
    parser.add_argument("-h", "--help", action="store_true")
    parser.add_argument("--version", action="version", version=version(), help=VERSION_HELP)
    return parser


@contextlib.contextmanager
def _arguments(arguments: list[str], program: Optional[str] = None) -> Iterator[None]:
    """`sys.argv` as moto's `main` reads it, for one call: moto's parser names itself after
    `sys.argv[0]` and parses `sys.argv[1:]` when handed an empty list."""
    saved = list(sys.argv)
    sys.argv[:] = [program or (saved[0] if saved else PROG), *arguments]
    try:
        yield
    finally:
        sys.argv[:] = saved


def help_text(moto_main: MotoMain) -> str:
    """moto's help with this program's name, description, `--version` and environment."""
    captured = io.StringIO()
    with _arguments(["--help"], program=PROG), contextlib.redirect_stdout(captured):
        try:
            moto_main(["--help"])
        except SystemExit:
            pass
    usage, _, options = captured.getvalue().partition("\n\n")
    return "\n\n".join(
        [
            f"{usage.rstrip()} [--version]",
            textwrap.fill(DESCRIPTION, width=79),
            f"{options.rstrip()}\n  {'--version':<22}{VERSION_HELP}",
            environment_help(),
        ]
    )


def _exit_with(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def main(argv: Optional[list[str]] = None) -> None:
    arguments = sys.argv[1:] if argv is None else list(argv)
    own, moto_arguments = _own_parser().parse_known_args(arguments)  # --version exits here
    problem = server_missing(PROG)
    if problem is not None:
        _exit_with(problem)

    from moto.server import main as moto_server_main

    import moto_proton  # noqa: F401  (registers Proton)
    from moto_proton._fast_path import install_server

    install_server()

    if own.help:
        print(help_text(moto_server_main))
        return
    if moto_arguments:
        moto_server_main(moto_arguments)
    else:
        with _arguments([]):  # moto parses sys.argv[1:] when handed an empty list
            moto_server_main([])


if __name__ == "__main__":
    main()
