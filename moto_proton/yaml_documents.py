"""YAML documents users hand Proton (specs, manifests, schemas, registration files), read in
one place, with one account of why a text can't be read."""

import functools
import pickle
from typing import Any, Optional

import yaml

#: libyaml's loader when PyYAML was built with it (8x faster on a typical spec), else PyYAML's.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The documents of the most recent texts of at most CACHED_TEXT characters are kept: tests
#: and deployments read the same specs and manifests again and again (a deployment reads its
#: spec three times).
CACHED_DOCUMENTS = 256
CACHED_TEXT = 16 * 1024


class YamlFault(ValueError):
    """Why a text is no YAML document: `kind` is "syntax" (with `at`, e.g. " (line 1, column
    16)"), "depth" or "value" (a scalar its tag or form can't build, with `detail`)."""

    def __init__(self, kind: str, at: str = "", detail: str = ""):
        super().__init__(kind)
        self.kind, self.at, self.detail = kind, at, detail


def _fault_position(text: str) -> Optional[Any]:
    """Where PyYAML's own parser places the fault: libyaml places some elsewhere, and messages
    should not depend on how PyYAML was built."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as error:
        return getattr(error, "problem_mark", None)
    except (RecursionError, ValueError, KeyError, TypeError, OverflowError):
        return None
    return None


def read_yaml(text: str) -> Any:
    """The document `text` holds (safe tags only); YamlFault when there is none. Each call
    gets a document of its own, which the caller may change."""
    if len(text) > CACHED_TEXT:
        return _parse(text)
    try:
        pickled = _pickled(text)
    except _Uncachable:
        return _parse(text)
    return pickle.loads(pickled)  # noqa: S301 (pickled here, from a safe loader's document)


class _Uncachable(Exception):
    pass


@functools.lru_cache(maxsize=CACHED_DOCUMENTS)
def _pickled(text: str) -> bytes:
    """The document of `text`, pickled: unpickling makes a new copy faster than parsing does
    (about 30x for a small spec), with the values the text's aliases share shared alike. A
    text that is no document raises YamlFault, which is not cached."""
    document = _parse(text)
    try:
        return pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        raise _Uncachable from None


def _parse(text: str) -> Any:
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        where = _fault_position(text)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise YamlFault("syntax", at=at) from None
    except RecursionError:
        raise YamlFault("depth") from None
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        # PyYAML's constructors raise these, not a YAMLError, for a scalar they can't build:
        # `!!int x`, `!!float abc`, `!!bool x`, a date such as 2020-13-01, an integer of over
        # 4300 digits.
        raise YamlFault("value", detail=str(error)) from None
