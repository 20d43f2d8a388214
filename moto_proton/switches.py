"""Behaviour switches, overridable per test or per server process (beside the quota API).

`require_bundles`: whether a template version whose `source.s3` object is missing from moto's
S3 fails registration (REGISTRATION_FAILED, as AWS) instead of registering without a bundle
(the lenient default). Precedence: `require_bundles(True|False)` from Python, then
`MOTO_PROTON_REQUIRE_BUNDLES=true` in the environment, then off.
"""

import os
import threading
from typing import Optional

_overrides: dict[str, bool] = {}
_lock = threading.Lock()


def require_bundles(required: Optional[bool] = True) -> None:
    """Make a missing template bundle fail registration (`None` drops the override)."""
    with _lock:
        if required is None:
            _overrides.pop("require_bundles", None)
        else:
            _overrides["require_bundles"] = bool(required)


def bundles_required() -> bool:
    """Whether a missing template bundle fails registration."""
    with _lock:
        if "require_bundles" in _overrides:
            return _overrides["require_bundles"]
    return os.environ.get("MOTO_PROTON_REQUIRE_BUNDLES", "").strip().lower() in ("1", "true", "yes")


def reset_switches() -> None:
    """Drop every override set from Python."""
    with _lock:
        _overrides.clear()
