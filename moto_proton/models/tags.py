"""Tags on Proton resources: TagResource, UntagResource, ListTagsForResource."""

from typing import TYPE_CHECKING, Any, Optional

from moto.utilities.paginator import paginate
from moto.utilities.tagging_service import TaggingService

from ..exceptions import ResourceNotFoundException, ValidationException

if TYPE_CHECKING:
    from .connections import EnvironmentAccountConnection

MAX_TAGS = 50
PAGINATION_MODEL = {
    "_list_tags": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 100,
        "unique_attribute": "key",
    }
}


def new_tagger() -> TaggingService:
    return TaggingService(tag_name="tags", key_name="key", value_name="value")


def check_tags(tags: list[dict[str, str]]) -> None:
    for tag in tags:
        if tag["key"].lower().startswith("aws:"):
            raise ValidationException(
                f"Tag key {tag['key']} is not allowed: keys that begin with 'aws:' are "
                "reserved for AWS."
            )


class TagsMixin:
    """The tagging operations of `ProtonBackend`, for every kind of Proton resource."""

    account_id: str
    region_name: str
    partition: str
    tagger: TaggingService

    def backend_of(self, account_id: str) -> Any:
        raise NotImplementedError  # provided by ProtonBackend

    def _as_environment_account(
        self, connection_id: str, operation: str
    ) -> "EnvironmentAccountConnection":
        raise NotImplementedError  # provided by ConnectionsMixin

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
        raise not_found

    def tag_resource(self, resource_arn: str, tags: list[dict[str, str]]) -> dict[str, Any]:
        self._check_taggable(resource_arn, "TagResource")
        check_tags(tags)
        merged = self.tagger.get_tag_dict_for_resource(resource_arn)
        merged.update({t["key"]: t["value"] for t in tags})
        if len(merged) > MAX_TAGS:
            raise ValidationException(
                f"A resource can have at most {MAX_TAGS} tags; {resource_arn} would have "
                f"{len(merged)}."
            )
        self.tagger.tag_resource(resource_arn, tags)
        return {}

    def untag_resource(self, resource_arn: str, tag_keys: list[str]) -> dict[str, Any]:
        self._check_taggable(resource_arn, "UntagResource")
        self.tagger.untag_resource_using_names(resource_arn, tag_keys)
        return {}

    def list_tags_for_resource(
        self,
        resource_arn: str,
        max_results: Optional[int] = None,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        self._check_taggable(resource_arn, "ListTagsForResource")
        page, token = self._list_tags(
            resource_arn=resource_arn, max_results=max_results, next_token=next_token
        )
        result: dict[str, Any] = {"tags": page}
        if token:
            result["nextToken"] = token
        return result

    @paginate(pagination_model=PAGINATION_MODEL)
    def _list_tags(self, resource_arn: str) -> list[dict[str, str]]:
        return sorted(
            self.tagger.list_tags_for_resource(resource_arn)["tags"], key=lambda t: t["key"]
        )
