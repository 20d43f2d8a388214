"""Linked repositories: Git repositories registered with Proton, by provider and name.

A repository named anywhere in the API (an environment's `provisioningRepository`, the account
settings' `pipelineProvisioningRepository`, sync configurations) must be linked first. Deleting
one only removes the link, and is refused while something uses it.
"""

import dataclasses
from typing import Any, Optional

from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .describing import described
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, stored


@dataclasses.dataclass
class Repository:
    arn: str
    name: str
    provider: str
    connection_arn: str
    encryption_key: Optional[str]

    def describe(self) -> dict[str, Any]:
        return described(self, "arn name provider connectionArn encryptionKey")


class RepositoriesMixin(BackendParts):
    """CreateRepository, GetRepository, ListRepositories and DeleteRepository."""

    repositories: dict[tuple[str, str], Repository] = stored(dict)

    def repository_arn(self, provider: str, name: str) -> str:
        return self.arn(f"repository/{provider.lower()}:{name}")

    def repository(self, provider: str, name: str) -> Repository:
        repository = self.repositories.get((provider, name))
        if repository is None:
            raise ResourceNotFoundException(
                f"The repository {name} of provider {provider} was not found."
            )
        return repository

    def linked_repository(self, provider: str, name: str, used_as: str) -> Repository:
        """The linked repository a request names; ValidationException when it isn't linked
        (the operations that name one list no ResourceNotFoundException)."""
        repository = self.repositories.get((provider, name))
        if repository is None:
            raise ValidationException(
                f"The {used_as} {provider}:{name} is not a linked repository: link it with "
                "CreateRepository first."
            )
        return repository

    def repository_users(self, repository: Repository) -> list[str]:
        key = (repository.provider, repository.name)
        users = [  # a deletion that has finished no longer uses it
            f"environment {e.name}"
            for e in self.live_environments()
            if e.provisioning_repository
            and (e.provisioning_repository["provider"], e.provisioning_repository["name"]) == key
        ]
        pipeline = self.account_settings.get("pipelineProvisioningRepository")
        if pipeline and (pipeline["provider"], pipeline["name"]) == key:
            users.append("the account settings' pipeline repository")
        users += [
            f"the sync configuration of {config.label}"
            for config in self.sync_configs()
            if (config.repository_provider, config.repository_name) == key
        ]
        return users

    def create_repository(
        self,
        name: str,
        provider: str,
        connection_arn: str,
        encryption_key: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        if (provider, name) in self.repositories:
            raise ConflictException(
                f"The repository {name} of provider {provider} is linked already."
            )
        repository = Repository(
            self.repository_arn(provider, name), name, provider, connection_arn, encryption_key
        )
        self.add_tags(repository.arn, tags)
        self.repositories[(provider, name)] = repository
        return {"repository": repository.describe()}

    def get_repository(self, name: str, provider: str) -> dict[str, Any]:
        return {"repository": self.repository(provider, name).describe()}

    @paged("repositories")
    def list_repositories(self) -> Selection:
        return OrderedIndex(((r.arn,), r) for r in self.repositories.values()), None

    def delete_repository(self, name: str, provider: str) -> dict[str, Any]:
        repository = self.repository(provider, name)
        users = self.repository_users(repository)
        if users:
            raise ConflictException(
                f"The repository {provider}:{name} is used by {'; '.join(users)}."
            )
        del self.repositories[(provider, name)]
        self.drop_tags(repository.arn)
        return {"repository": repository.describe()}
