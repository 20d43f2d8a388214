"""Tags on Proton resources: TagResource, UntagResource, ListTagsForResource.

Users may set at most 50 tags on a resource; keys that begin with `aws:` are AWS's (the
`aws:proton:*` tags Proton adds to environments): users can neither set nor remove them, and
they do not count toward the 50. Keys and values hold letters, numbers, spaces and
`_ . : / = + - @` only (the User Guide's "AWS Proton resources and tagging").
"""

import unicodedata
from typing import TYPE_CHECKING, Any, Optional

from moto.utilities.tagging_service import TaggingService

from ..exceptions import ResourceNotFoundException, ValidationException
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, stored

if TYPE_CHECKING:
    pass

MAX_USER_TAGS = 50
#: The punctuation tags may hold besides letters, numbers and spaces.
TAG_PUNCTUATION = "_.:/=+-@"


def new_tagger() -> TaggingService:
    return TaggingService(tag_name="tags", key_name="key", value_name="value")


def reserved_tag(key: str) -> bool:
    """Whether the key is AWS's (`aws:...`, any case): users can't set those."""
    return key.lower().startswith("aws:")


def _refused_character(text: str) -> Optional[str]:
    """The first character a tag may not hold: anything but a letter, a number, a space
    (Unicode's L, N and Z categories, as AWS's own tag pattern) or `TAG_PUNCTUATION`."""
    for character in text:
        if unicodedata.category(character)[0] not in "LNZ" and character not in TAG_PUNCTUATION:
            return character
    return None


def check_tags(tags: Optional[list[dict[str, str]]]) -> None:
    for tag in tags or []:
        for part in ("key", "value"):
            refused = _refused_character(tag[part])
            if refused is not None:
                raise ValidationException(
                    f"Tag {part} {tag[part]!r} has a character that isn't allowed: {refused!r}. "
                    f"Tags may hold letters, numbers, spaces and {' '.join(TAG_PUNCTUATION)}."
                )
        if reserved_tag(tag["key"]):
            raise ValidationException(
                f"Tag key {tag['key']} is not allowed: keys that begin with 'aws:' are "
                "reserved for AWS."
            )


class TagsMixin(BackendParts):
    """The tagging operations of `ProtonBackend`, for every kind of Proton resource."""

    tagger: TaggingService = stored(new_tagger)

    def add_tags(
        self,
        arn: str,
        tags: Optional[list[dict[str, str]]],
        managed: Optional[dict[str, str]] = None,
    ) -> None:
        """Tag a resource (new or existing) with user tags, checked, and AWS's own tags."""
        check_tags(tags)
        if tags:  # without user tags, the count of the resource's own can't grow
            current = self.tagger.get_tag_dict_for_resource(arn)
            current.update({t["key"]: t["value"] for t in tags})
            user_tags = [k for k in current if not reserved_tag(k)]
            if len(user_tags) > MAX_USER_TAGS:
                raise ValidationException(
                    f"A resource can have at most {MAX_USER_TAGS} tags; {arn} would have "
                    f"{len(user_tags)}."
                )
        everything = list(tags or []) + [{"key": k, "value": v} for k, v in (managed or {}).items()]
        if everything:
            self.tagger.tag_resource(arn, everything)

    def drop_tags(self, arn: str) -> None:
        self.tagger.delete_all_tags_for_resource(arn)

    def _check_taggable(self, resource_arn: str, operation: str) -> None:
        """Raise unless `resource_arn` is a resource of this Region the caller may tag."""
        not_found = ResourceNotFoundException(f"The resource {resource_arn} was not found.")
        parts = resource_arn.split(":", 5)
        if len(parts) != 6 or parts[1] != self.partition or parts[2] != "proton":
            raise not_found
        if parts[3] != self.region_name:
            raise not_found
        kind, _, name = parts[5].partition("/")
        if kind == "environment-account-connection":
            try:
                connection = self._as_environment_account(name, operation)
            except ResourceNotFoundException:
                raise not_found
            if connection.arn == resource_arn:
                return
        elif parts[4] == self.account_id and self.owns_resource(kind, name):
            return
        raise not_found

    def tag_resource(self, resource_arn: str, tags: list[dict[str, str]]) -> dict[str, Any]:
        self._check_taggable(resource_arn, "TagResource")
        self.add_tags(resource_arn, tags)
        return {}

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
        self._check_taggable(resource_arn, "UntagResource")
        for key in tag_keys:
            if reserved_tag(key):
                raise ValidationException(
                    f"Tag key {key} can't be removed: keys that begin with 'aws:' are AWS's."
                )
        self.tagger.untag_resource_using_names(resource_arn, tag_keys)
        return {}

    @paged("tags", describe=lambda backend, tag: tag)
    def list_tags_for_resource(self, resource_arn: str) -> Selection:
        self._check_taggable(resource_arn, "ListTagsForResource")
        tags = self.tagger.list_tags_for_resource(resource_arn)["tags"]
        return OrderedIndex(((tag["key"],), tag) for tag in tags), None
