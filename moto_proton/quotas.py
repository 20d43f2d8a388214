"""Proton's service quotas: AWS's defaults, overridable per test or per server process.

Precedence: `set_quota()` from Python, then `MOTO_PROTON_QUOTA_<NAME>` in the environment,
then AWS's default. A moto reset keeps overrides; `reset_quotas()` drops them.
"""

import threading

from .environment import environment_value
from .exceptions import ServiceQuotaExceededException

#: Defaults from AWS's quota table (per account per Region).
DEFAULT_QUOTAS: dict[str, int] = {
    "environment_account_connections_per_environment_account": 1000,
    "templates": 1000,  # environment and service templates combined
    "template_versions_per_template": 1000,
    "environments": 1000,
    "services": 1000,
    "service_instances_per_service": 20,
    "components": 1000,
}

_overrides: dict[str, int] = {}
_lock = threading.Lock()


def _check_name(name: str) -> None:
    if name not in DEFAULT_QUOTAS:
        known = ", ".join(sorted(DEFAULT_QUOTAS))
        raise ValueError(f"Unknown Proton quota {name!r}; known quotas: {known}")


def set_quota(name: str, value: int) -> None:
    """Override one quota until `reset_quotas()` (moto resets keep it)."""
    _check_name(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"A quota is a whole number >= 0, not {value!r}")
    with _lock:
        _overrides[name] = value


def reset_quotas() -> None:
    """Drop every override set with `set_quota()`."""
    with _lock:
        _overrides.clear()


#: Each quota's environment variable.
_ENVIRONMENT_NAMES = {name: f"MOTO_PROTON_QUOTA_{name.upper()}" for name in DEFAULT_QUOTAS}


def get_quota(name: str) -> int:
    """The quota in force: override, then environment variable, then AWS's default."""
    _check_name(name)
    if name in _overrides:
        return _overrides[name]
    from_env = environment_value(_ENVIRONMENT_NAMES[name])
    if from_env is not None:
        try:
            return int(from_env)
        except ValueError:
            pass
    return DEFAULT_QUOTAS[name]


def enforce_quota(name: str, used: int, holder: str, counted: str, adding: int = 1) -> None:
    """ServiceQuotaExceededException when adding `adding` to `used` would pass quota `name`,
    e.g. `enforce_quota("environments", 1000, "Account 1234...", "environments in us-east-1")`."""
    quota = get_quota(name)
    if used + adding > quota:
        raise ServiceQuotaExceededException(
            f"{holder} has reached its quota of {quota} {counted} ({name})."
        )
