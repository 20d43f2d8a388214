"""Idempotent creates and updates (AWS's Welcome page): a request's fingerprint, what a create
without client token answers when the name exists, and `clientToken` memory (one per kind of
create, per account and Region)."""

import dataclasses
import datetime
import json
from typing import Any, Optional, Union

from moto.core.utils import utcnow

from ..exceptions import ConflictException, ValidationException

LIFETIME = datetime.timedelta(hours=8)


#: A request's canonical form: its arguments in order where each is text, a number, a boolean
#: or None (the usual create), else JSON with sorted keys (lists and mappings, which the
#: backend may go on to change, are copied out as text).
Fingerprint = Union[str, tuple[tuple[str, Any], ...]]
_SCALARS = (str, int, float, bool, type(None))


def fingerprint(arguments: dict[str, Any], **same_as: Any) -> Fingerprint:
    """A canonical form of a create's or an update's request, to tell a retry from a different
    request: every argument of the operation but `self` and the client token (which a retry
    repeats). Give it the method's `locals()` as its first statement, so that every parameter
    counts, one added later too. `same_as` replaces an argument whose spellings mean the same
    request (no tags and an empty list of tags)."""
    request = {k: v for k, v in arguments.items() if k not in ("self", "client_token")}
    request.update(same_as)
    if all(type(value) in _SCALARS for value in request.values()):
        return tuple(request.items())
    return _CANONICAL.encode(request)


#: One encoder for every fingerprint (`json.dumps` with options builds a new one per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, default=str)


def idempotent_create(existing: Any, request: Fingerprint, label: str) -> Any:
    """The resource a create without client token answers when `existing` has its name (AWS's
    Welcome page): the same request, unmodified since, returns it; the same request after a
    change is a ConflictException; other parameters are an idempotent parameter mismatch."""
    if existing.created_with != request:
        raise ValidationException(
            f"Idempotent parameter mismatch: the {label} already exists with different parameters."
        )
    if existing.modified:
        raise ConflictException(f"The {label} already exists.")
    return existing


@dataclasses.dataclass
class Remembered:
    fingerprint: Fingerprint
    resource_key: Any
    expires_at: datetime.datetime


@dataclasses.dataclass
class ClientTokens:
    tokens: dict[str, Remembered] = dataclasses.field(default_factory=dict)

    def replay(self, token: Optional[str], request: Fingerprint) -> Any:
        """The key of the resource a live token created with the same request, else None.

        Raises ValidationException when the token was used with other parameters.
        """
        if not token:
            return None
        remembered = self.tokens.get(token)
        if remembered is None or remembered.expires_at <= utcnow():
            return None
        if remembered.fingerprint != request:
            raise ValidationException(
                f"Idempotent parameter mismatch: client token {token} was already used with "
                "different parameters."
            )
        return remembered.resource_key

    def remember(self, token: Optional[str], request: Fingerprint, resource_key: Any) -> None:
        if token:
            self.tokens[token] = Remembered(request, resource_key, utcnow() + LIFETIME)
