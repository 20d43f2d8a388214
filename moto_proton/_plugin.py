"""The only place that touches moto's registries.

moto finds a service by matching request URLs (and, in server mode, the SigV4 scope) against
`moto.backend_index.backend_url_patterns`, then imports `moto.<service>` for its
`<service>_backends`. Registering Proton is therefore a few entries in that list and one module
alias. One moto method is wrapped, guarded: the `process_request` of moto's botocore stubber
gets a shortcut for Proton's requests (see `moto_proton._fast_path`; with a moto whose
internals differ, nothing is wrapped and moto's generic path answers).

moto's server takes the host of a signed request from its credential scope
(`DomainDispatcherApplication.infer_service_region_host`: `<service>.<region>.amazonaws.com`),
so a scope with an empty Region makes the host `proton..amazonaws.com`. Proton's own pattern
needs a Region there, and moto answered such requests with an HTML 500; `EMPTY_REGION_PATTERN`
routes them to Proton, which refuses the scope as it refuses any Region it does not serve
(InvalidSignatureException, 403). Nothing else sends that host.

moto's dashboard (`/moto-api/data.json`) lists the models in `moto.core.model_instances.
model_data`; `model_data["proton"]` is a `dashboard.ProtonModels`, which finds Proton's
resources in its backends (see `moto_proton.dashboard`).
"""

import importlib.util
import re
import sys
import warnings
from typing import Any

SERVICE = "proton"
#: The host moto's server infers from a credential scope with an empty Region.
EMPTY_REGION_PATTERN = re.compile(r"https?://proton\.\.amazonaws\.com")
URL_PATTERNS = [
    re.compile(r"https?://proton\.(.+)\.amazonaws\.com"),
    re.compile(r"https?://proton\.(.+)\.amazonaws\.com\.cn"),
    EMPTY_REGION_PATTERN,
]

#: The moto releases this package supports (setup.cfg says the same to pip): 5.1.22 is the
#: first whose JSON timestamps keep milliseconds; 6 may change the internals used here.
SUPPORTED_MOTO = ((5, 1, 22), (6,))
SUPPORTED_MOTO_TEXT = "moto>=5.1.22,<6"

_registered = False


def _release(version: str) -> tuple[int, ...]:
    numbers = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in numbers.group().split(".")) if numbers else ()


def check_moto_version(version: str) -> None:
    """Refuse a moto older than the supported range (it would break later, deep inside, with an
    AttributeError); warn about one newer than it."""
    lowest, above = SUPPORTED_MOTO
    release = _release(version)
    if release < lowest:
        raise ImportError(
            f"moto_proton needs {SUPPORTED_MOTO_TEXT}, but moto {version} is installed; "
            f"upgrade it: pip install '{SUPPORTED_MOTO_TEXT}'"
        )
    if release >= above:
        warnings.warn(
            f"moto_proton is tested with {SUPPORTED_MOTO_TEXT}; moto {version} is newer and "
            "may not work with it.",
            stacklevel=3,
        )


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
    import moto

    check_moto_version(moto.__version__)
    if moto_has_own_proton():
        warnings.warn(
            "This moto ships its own AWS Proton; moto_proton steps aside and leaves it in charge.",
            stacklevel=2,
        )
        return False
    import moto.backend_index as backend_index

    from . import _fast_path, _moto_module

    sys.modules["moto.proton"] = _moto_module
    known = {pattern.pattern for _, pattern in backend_index.backend_url_patterns}
    for pattern in URL_PATTERNS:
        if pattern.pattern not in known:
            backend_index.backend_url_patterns.append((SERVICE, pattern))
    _register_dashboard()
    _register_moto_api_paths()
    _fast_path.install()
    if "moto.moto_server.werkzeug_app" in sys.modules:  # else when a server starts
        _fast_path.install_server()
    _registered = True
    return True


#: Proton's own endpoints beside moto's `/moto-api/...` ones (see `moto_proton.moto_api`).
MOTO_API_PATHS = {
    "{0}/moto-api/proton/push$": "push_response",
    "{0}/moto-api/proton/fail-next-deployment$": "fail_next_deployment_response",
}


def _register_moto_api_paths() -> None:
    """Add Proton's test endpoints to moto's own API (its `url_paths`), answered by
    `moto_proton.moto_api`, imported on first use."""
    from moto.moto_api._internal import urls

    def handler(name: str) -> Any:
        def answer(request: Any, full_url: str, headers: Any) -> Any:
            from . import moto_api

            return getattr(moto_api, name)(request, full_url, headers)

        return answer

    for path, name in MOTO_API_PATHS.items():
        if path not in urls.url_paths:
            urls.url_paths[path] = handler(name)


def _register_dashboard() -> None:
    """Show Proton's resources on moto's dashboard: `model_data["proton"]` finds them."""
    from moto.core.model_instances import model_data

    from .dashboard import ProtonModels

    current = model_data.get(SERVICE)
    if not isinstance(current, ProtonModels):
        models = ProtonModels()
        models.update(current or {})
        model_data[SERVICE] = models  # type: ignore[assignment]
