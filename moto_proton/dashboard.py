"""Proton's resources on moto's dashboard (`/moto-api/`, data at `/moto-api/data.json`).

moto builds `data.json` from `moto.core.model_instances.model_data`, a registry
`{service: {model name: model}}` that its `BaseModel` metaclass fills with every model class;
each class lists its live objects in `instances_tracked`, and the dashboard shows every public,
JSON-serialisable attribute of each object. Proton's models are plain classes and dataclasses,
so `_plugin.register` puts one `ProtonModels` mapping under `model_data["proton"]` instead,
which finds the resources when the dashboard asks, without any model class taking part:

- every backend in `proton_backends` (each account and Region) is walked: its attributes,
  and everything inside them (dicts, lists, tuples, sets and objects' attributes), except
  private (`_`-prefixed) attributes, locks, modules and callables;
- a *resource* is any object with a string `arn` attribute; it is listed under the name of its
  class (`EnvironmentTemplate`, `EnvironmentAccountConnection`, `TemplateVersion`, ...) and
  only in the backend of the account and Region its ARN names, once however many indexes of
  it a backend keeps (a connection is also indexed in its management account's backend);
- each resource is shown as its public attributes, plus `account_id` and `region_name`:
  datetimes as ISO 8601 text, a resource inside another as its ARN, other objects as their
  public attributes; a `ManagedState` status (moto's state manager) is shown as the next read
  would see it, without advancing it.

Reading the dashboard changes nothing: the walk takes Proton's lock and only reads. New
resource kinds, and stores added to `ProtonBackend`, appear without changing this module.
"""

import copy
import dataclasses
import datetime
import threading
import types
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from moto.moto_api._internal.managed_state_model import ManagedState

#: Attributes of a backend that say where it lives, not what it stores.
_NOT_STATE = frozenset({"region_name", "account_id", "partition"})
_MACHINERY = (types.ModuleType, type(threading.Lock()), type(threading.RLock()))
_SCALARS = (str, int, float, bool, type(None))
#: Values nested deeper than this are shown as "...".
_MAX_DEPTH = 12


def _is_machinery(value: Any) -> bool:
    return isinstance(value, (*_MACHINERY, type)) or callable(value)


def _public_attributes(value: Any) -> dict[str, Any]:
    """An object's own public attributes (no properties, so no code of the model runs), with
    a `ManagedState`'s status as a read would see it, computed on a copy."""
    try:
        attributes = vars(value)
    except TypeError:  # __slots__ or a C type
        return {}
    found = {
        name: item
        for name, item in attributes.items()
        if not name.startswith("_") and not _is_machinery(item)
    }
    if isinstance(value, ManagedState):
        found["status"] = copy.copy(value).status
    return found


def _arn(value: Any) -> Any:
    if isinstance(value, (*_SCALARS, Mapping, list, tuple, set, frozenset)):
        return None
    arn = getattr(value, "__dict__", {}).get("arn")
    return arn if isinstance(arn, str) else None


def _owner(arn: str) -> tuple[str, str]:
    """(account, Region) an ARN names: `arn:partition:proton:region:account:resource`."""
    parts = arn.split(":")
    return (parts[4], parts[3]) if len(parts) > 5 else ("", "")


def _key(key: Any) -> str:
    if isinstance(key, tuple):
        return ".".join(str(part) for part in key)
    return str(key)


def _shown(value: Any, depth: int = 0) -> Any:
    """`value` as JSON-safe data for the dashboard."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if depth >= _MAX_DEPTH:
        return "..."
    if _arn(value) is not None and depth > 0:
        return _arn(value)
    if isinstance(value, Mapping):
        return {_key(key): _shown(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shown(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_shown(item, depth + 1) for item in value), key=repr)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
        return {name: _shown(item, depth + 1) for name, item in _public_attributes(value).items()}
    return str(value)


def _resources_in(value: Any, found: dict[int, Any], seen: set[int]) -> None:
    """Collect every resource inside `value` into `found` (by identity)."""
    if isinstance(value, _SCALARS) or _is_machinery(value) or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Mapping):
        children: Any = value.values()
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = value
    elif isinstance(value, (datetime.datetime, datetime.date, bytes)):
        return
    else:
        if _arn(value) is not None:
            found[id(value)] = value
        children = _public_attributes(value).values()
    for child in list(children):
        _resources_in(child, found, seen)


def resources() -> dict[str, list[dict[str, Any]]]:
    """Every Proton resource of every account and Region, by kind (class name), as the
    dashboard shows it. Kinds are sorted by name; resources keep the order of the stores."""
    from .models import PROTON_LOCK, proton_backends

    shown: dict[str, list[dict[str, Any]]] = {}
    listed: set[int] = set()
    with PROTON_LOCK:
        for account_id, regions in list(proton_backends.items()):
            for region, backend in list(regions.items()):
                found: dict[int, Any] = {}
                seen: set[int] = set()
                for name, value in list(vars(backend).items()):
                    if name not in _NOT_STATE:
                        _resources_in(value, found, seen)
                for key, resource in found.items():
                    if key in listed or _owner(resource.arn) not in (
                        (account_id, region),
                        ("", ""),
                    ):
                        continue
                    listed.add(key)
                    fields = _shown(resource)
                    fields.setdefault("account_id", account_id)
                    fields.setdefault("region_name", region)
                    shown.setdefault(type(resource).__name__, []).append(fields)
    return dict(sorted(shown.items()))


class _Kind:
    """One entry of moto's registry: what `data.json` reads as a model class."""

    def __init__(self, name: str):
        self.name = name

    @property
    def instances_tracked(self) -> list[types.SimpleNamespace]:
        return [types.SimpleNamespace(**fields) for fields in resources().get(self.name, [])]

    @instances_tracked.setter
    def instances_tracked(self, _: Any) -> None:
        """moto's `reset_model_data` empties every model's list; Proton's resources live in
        its backends, which moto's reset clears."""


class ProtonModels(MutableMapping[str, Any]):
    """What moto finds at `model_data["proton"]`: one entry per kind of resource that exists
    now (moto reads the keys, then each entry's `instances_tracked`). Entries set by moto itself
    (a model class of a module named `*.proton.*`) are kept and listed as well."""

    def __init__(self) -> None:
        self._set: dict[str, Any] = {}

    def _kinds(self) -> list[str]:
        return sorted(set(resources()) | set(self._set))

    def __getitem__(self, name: str) -> Any:
        if name in self._set:
            return self._set[name]
        if name in resources():
            return _Kind(name)
        raise KeyError(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self._set[name] = value

    def __delitem__(self, name: str) -> None:
        del self._set[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds())

    def __len__(self) -> int:
        return len(self._kinds())
