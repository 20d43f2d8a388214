"""The optional extras, and the one line that says what to install when one is missing."""

from typing import Optional

SERVER_INSTALL_HINT = "pip install 'moto-proton[server]'"


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
