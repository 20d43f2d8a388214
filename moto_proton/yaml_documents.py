"""YAML documents users hand Proton (specs, manifests, schemas, registration files), read in
one place, with one account of why a text can't be read."""

from typing import Any, Optional

import yaml

#: libyaml's loader when PyYAML was built with it (8x faster on a typical spec), else PyYAML's.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    """The document `text` holds (safe tags only); YamlFault when there is none."""
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
