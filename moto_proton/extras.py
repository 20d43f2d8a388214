"""The optional extras, and the one line that says what to install when one is missing."""

import importlib.util
from collections.abc import Iterable
from typing import Optional

SERVER_INSTALL_HINT = "pip install 'moto-proton[server]'"
PROVISIONING_INSTALL_HINT = "pip install 'moto-proton[provisioning]'"
#: What reading bundles and rendering templates need (`[provisioning]`).
RENDERING_MODULES = ("jinja2", "jsonschema")


def first_missing(modules: Iterable[str]) -> Optional[str]:
    """The first of `modules` that can't be found, looked up without importing it."""
    return next((name for name in modules if importlib.util.find_spec(name) is None), None)


def server_missing(who: str) -> Optional[str]:
    """Why moto's server cannot start here (Flask or flask-cors missing), in one line that
    starts with `who`; None when it can."""
    try:
        import flask  # noqa: F401
        import flask_cors  # noqa: F401
    except ImportError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        return (
            f"{who}: moto's server needs Flask and flask-cors, which cannot be imported "
            f"({reason}); install them with: {SERVER_INSTALL_HINT}"
        )
    return None
