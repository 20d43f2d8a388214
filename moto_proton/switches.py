"""Behaviour switches, overridable per test or per server process (beside the quota API).

Each switch is off by default. Precedence: the function from Python (`True`/`False`; `None`
drops the override), then its environment variable set to `true`, then off.

- `require_bundles` (`MOTO_PROTON_REQUIRE_BUNDLES`): a template version whose `source.s3`
  object is missing from moto's S3 fails registration (REGISTRATION_FAILED, as AWS) instead of
  registering without a bundle.
- `require_modelled_resources` (`MOTO_PROTON_REQUIRE_MODELLED_RESOURCES`): a deployment whose
  rendered CloudFormation has resources moto's CloudFormation doesn't model (CodePipeline,
  CodeBuild, ...) fails, instead of succeeding without them (its status message names them
  either way).
"""

import os
import threading
from typing import Optional

ENVIRONMENT = {
    "require_bundles": "MOTO_PROTON_REQUIRE_BUNDLES",
    "require_modelled_resources": "MOTO_PROTON_REQUIRE_MODELLED_RESOURCES",
}

_overrides: dict[str, bool] = {}
_lock = threading.Lock()


def _set(name: str, on: Optional[bool]) -> None:
    with _lock:
        if on is None:
            _overrides.pop(name, None)
        else:
            _overrides[name] = bool(on)


def _is_on(name: str) -> bool:
    with _lock:
        if name in _overrides:
            return _overrides[name]
    return os.environ.get(ENVIRONMENT[name], "").strip().lower() in ("1", "true", "yes")


def require_bundles(required: Optional[bool] = True) -> None:
    """Make a missing template bundle fail registration (`None` drops the override)."""
    _set("require_bundles", required)


def bundles_required() -> bool:
    """Whether a missing template bundle fails registration."""
    return _is_on("require_bundles")


def require_modelled_resources(required: Optional[bool] = True) -> None:
    """Make a deployment fail when moto's CloudFormation can't create some of its resources
    (`None` drops the override)."""
    _set("require_modelled_resources", required)


def modelled_resources_required() -> bool:
    """Whether a deployment with resources moto's CloudFormation doesn't model fails."""
    return _is_on("require_modelled_resources")


def reset_switches() -> None:
    """Drop every override set from Python."""
    with _lock:
        _overrides.clear()
