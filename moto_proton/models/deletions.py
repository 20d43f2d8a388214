"""What was deleted, so that a retried delete succeeds (the API Reference's "Ensuring
idempotency"): one record per account and Region, by the deleted resource's ARN, counted in
no listing and no quota.

A retry gets what the delete answered while that is remembered (`ANSWER_LIFETIME`, as long as
client tokens), then an empty answer; the fact of the deletion is kept until moto's reset, so a
delete of what never existed stays a ResourceNotFoundException. A resource created again under
the same name is a new resource: deletes act on it as usual, since the record is consulted only
when the resource is not found.
"""

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from moto.core.utils import utcnow

from ..exceptions import ResourceNotFoundException
from .idempotency import LIFETIME as ANSWER_LIFETIME


@dataclasses.dataclass
class Deleted:
    answer: dict[str, Any]
    forget_answer_at: datetime.datetime


@dataclasses.dataclass
class Deletions:
    deleted: dict[str, Deleted] = dataclasses.field(default_factory=dict)

    def remember(self, arn: str, answer: dict[str, Any]) -> None:
        """`arn` was deleted; a retry answers `answer` for a while (`{}` for none)."""
        self.deleted[arn] = Deleted(answer, utcnow() + ANSWER_LIFETIME)

    def retry_or(self, arn: str, delete: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """`delete()`; when it finds nothing because `arn` was deleted before, the answer a
        retry gets instead of its ResourceNotFoundException."""
        try:
            return delete()
        except ResourceNotFoundException:
            deleted = self.deleted.get(arn)
            if deleted is None:
                raise
            return deleted.answer if utcnow() < deleted.forget_answer_at else {}
