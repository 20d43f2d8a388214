"""The only place that touches moto's registries.

moto finds a service by matching request URLs (and, in server mode, the SigV4 scope) against
`moto.backend_index.backend_url_patterns`, then imports `moto.<service>` for its
`<service>_backends`. Registering Proton is therefore one entry in that list and one module
alias; no moto function is replaced.
"""

import importlib.util
import re
import sys
import warnings

SERVICE = "proton"
URL_PATTERNS = [
    re.compile(r"https?://proton\.(.+)\.amazonaws\.com"),
    re.compile(r"https?://proton\.(.+)\.amazonaws\.com\.cn"),
]

_registered = False


def moto_has_own_proton() -> bool:
    if sys.modules.get("moto.proton") is not None and _registered:
        return False
    try:
        return importlib.util.find_spec("moto.proton") is not None
    except (ImportError, ValueError):
        return False


def register() -> bool:
    """Serve Proton from moto; idempotent. False if moto ships its own Proton."""
    global _registered
    if _registered:
        return True
    if moto_has_own_proton():
        warnings.warn(
            "This moto ships its own AWS Proton; moto_proton steps aside and leaves it in charge.",
            stacklevel=2,
        )
        return False
    import moto.backend_index as backend_index

    from . import _moto_module

    sys.modules["moto.proton"] = _moto_module
    known = {pattern.pattern for _, pattern in backend_index.backend_url_patterns}
    for pattern in URL_PATTERNS:
        if pattern.pattern not in known:
            backend_index.backend_url_patterns.append((SERVICE, pattern))
    _registered = True
    return True
