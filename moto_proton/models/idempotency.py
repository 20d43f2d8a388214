"""`clientToken` memory: one per kind of create, per account and Region (AWS's Welcome page)."""

import dataclasses
import datetime
import json
from typing import Any, Optional

from moto.core.utils import utcnow

from ..exceptions import ValidationException

LIFETIME = datetime.timedelta(hours=8)


def fingerprint(*parameters: Any) -> str:
    """A canonical form of a request's parameters, to tell a retry from a different request."""
    return json.dumps(parameters, sort_keys=True, default=str)


@dataclasses.dataclass
class Remembered:
    fingerprint: str
    resource_key: Any
    expires_at: datetime.datetime


@dataclasses.dataclass
class ClientTokens:
    tokens: dict[str, Remembered] = dataclasses.field(default_factory=dict)

    def replay(self, token: Optional[str], request: str) -> Any:
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

    def remember(self, token: Optional[str], request: str, resource_key: Any) -> None:
        if token:
            self.tokens[token] = Remembered(request, resource_key, utcnow() + LIFETIME)
