"""Template and service sync configurations, sync blockers and sync status.

There is no Git here: configurations are stored and checked, and nothing syncs by itself.
`ProtonBackend.push(...)` (exposed as `moto_proton.testing.push_to_repository` and
`POST /moto-api/proton/push`) simulates a commit to a linked repository and does what AWS's
template sync does with it: a changed `<template>/v<major>/` directory becomes a new minor
version of that major (a new major when the directory is new), always DRAFT, and the sync
attempts are recorded for GetTemplateSyncStatus and GetRepositorySyncStatus.
"""

import dataclasses
import datetime
from typing import Any, Optional

from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from ..yaml_documents import YamlFault, read_yaml
from .describing import described
from .parts import BackendParts, stored
from .templates import KINDS, Template, TemplateKind

TEMPLATE_TYPES = {
    "ENVIRONMENT": KINDS["environment-template"],
    "SERVICE": KINDS["service-template"],
}
REGISTRATION_FILE = ".template-registration.yaml"
LEGACY_REGISTRATION_FILE = ".compatible-envs"


@dataclasses.dataclass
class TemplateSyncConfig:
    template_name: str
    template_type: str
    repository_name: str
    repository_provider: str
    branch: str
    subdirectory: Optional[str]

    @property
    def label(self) -> str:
        return f"{self.template_type.lower()} template {self.template_name}"

    def describe(self) -> dict[str, Any]:
        members = "templateName templateType repositoryName repositoryProvider branch subdirectory"
        return described(self, members)


@dataclasses.dataclass
class ServiceSyncConfig:
    service_name: str
    repository_name: str
    repository_provider: str
    branch: str
    file_path: str

    @property
    def label(self) -> str:
        return f"service {self.service_name}"

    def describe(self) -> dict[str, Any]:
        return {
            "serviceName": self.service_name,
            "repositoryName": self.repository_name,
            "repositoryProvider": self.repository_provider,
            "branch": self.branch,
            "filePath": self.file_path,
        }


@dataclasses.dataclass
class SyncBlocker:
    id: str
    service_name: str
    service_instance_name: Optional[str]
    created_reason: str
    created_at: datetime.datetime
    contexts: list[dict[str, str]]
    status: str = "ACTIVE"
    resolved_at: Optional[datetime.datetime] = None
    resolved_reason: Optional[str] = None

    def describe(self) -> dict[str, Any]:
        members = "id type status createdReason createdAt contexts resolvedAt resolvedReason"
        return described(self, members, type="AUTOMATED")


class SyncMixin(BackendParts):
    """Sync configurations, blockers and sync status of `ProtonBackend`."""

    template_sync_configs: dict[tuple[str, str], TemplateSyncConfig] = stored(dict)
    service_sync_configs: dict[str, ServiceSyncConfig] = stored(dict)
    sync_blockers: dict[str, SyncBlocker] = stored(dict)
    #: Sync attempts: by (templateType, templateName, major), and by (provider, repository,
    #: branch, syncType); newest last.
    template_sync_attempts: dict[tuple[str, str, str], list[dict[str, Any]]] = stored(dict)
    repository_sync_attempts: dict[tuple[str, str, str, str], list[dict[str, Any]]] = stored(dict)

    def sync_configs(self) -> list[Any]:
        return [*self.template_sync_configs.values(), *self.service_sync_configs.values()]

    def forget_template_sync(self, template_type: str, template_name: str) -> None:
        """A deleted template takes its template sync configuration and history with it
        (else the configuration could be neither read nor deleted, and would keep its
        repository from being deleted)."""
        self.template_sync_configs.pop((template_type, template_name), None)
        template = (template_type, template_name)
        for key in [k for k in self.template_sync_attempts if k[:2] == template]:
            del self.template_sync_attempts[key]

    def forget_service_sync(self, service_name: str) -> None:
        """A deleted service takes its service sync configuration and blockers with it."""
        self.service_sync_configs.pop(service_name, None)
        for id in [i for i, b in self.sync_blockers.items() if b.service_name == service_name]:
            del self.sync_blockers[id]

    # -- template sync configs ----------------------------------------------------------

    def _sync_template_kind(self, template_type: str) -> TemplateKind:
        return TEMPLATE_TYPES[template_type]

    def _template_sync_config(self, template_name: str, template_type: str) -> TemplateSyncConfig:
        self.template(template_name, self._sync_template_kind(template_type))
        config = self.template_sync_configs.get((template_type, template_name))
        if config is None:
            raise ResourceNotFoundException(
                f"The {template_type.lower()} template {template_name} has no template sync "
                "configuration."
            )
        return config

    def create_template_sync_config(
        self,
        template_name: str,
        template_type: str,
        repository_name: str,
        repository_provider: str,
        branch: str,
        subdirectory: Optional[str] = None,
    ) -> dict[str, Any]:
        kind = self._sync_template_kind(template_type)
        if template_name not in self.templates_of(kind):
            raise ValidationException(f"The {kind.label} {template_name} does not exist.")
        self.linked_repository(repository_provider, repository_name, "repository")
        if (template_type, template_name) in self.template_sync_configs:
            raise ConflictException(
                f"The {kind.label} {template_name} already has a template sync configuration."
            )
        config = TemplateSyncConfig(
            template_name,
            template_type,
            repository_name,
            repository_provider,
            branch,
            subdirectory,
        )
        self.template_sync_configs[(template_type, template_name)] = config
        return {"templateSyncConfig": config.describe()}

    def get_template_sync_config(self, template_name: str, template_type: str) -> dict[str, Any]:
        self.template(template_name, self._sync_template_kind(template_type))
        config = self.template_sync_configs.get((template_type, template_name))
        return {"templateSyncConfig": config.describe()} if config else {}

    def update_template_sync_config(
        self,
        template_name: str,
        template_type: str,
        repository_name: str,
        repository_provider: str,
        branch: str,
        subdirectory: Optional[str] = None,
    ) -> dict[str, Any]:
        config = self._template_sync_config(template_name, template_type)
        self.linked_repository(repository_provider, repository_name, "repository")
        config.repository_name, config.repository_provider = repository_name, repository_provider
        config.branch, config.subdirectory = branch, subdirectory
        return {"templateSyncConfig": config.describe()}

    def delete_template_sync_config(self, template_name: str, template_type: str) -> dict[str, Any]:
        config = self._template_sync_config(template_name, template_type)
        del self.template_sync_configs[(template_type, template_name)]
        return {"templateSyncConfig": config.describe()}

    def get_template_sync_status(
        self, template_name: str, template_type: str, template_version: str
    ) -> dict[str, Any]:
        config = self._template_sync_config(template_name, template_type)
        attempts = self.template_sync_attempts.get((template_type, template_name, template_version))
        if not attempts:
            return {}
        succeeded = [a for a in attempts if a["status"] == "SUCCEEDED"]
        answer = {"latestSync": attempts[-1], "desiredState": attempts[-1]["targetRevision"]}
        if succeeded:
            answer["latestSuccessfulSync"] = succeeded[-1]
        del config  # looked up for its ResourceNotFoundException only
        return answer

    # -- service sync configs -----------------------------------------------------------

    def _service_sync_config(self, service_name: str) -> ServiceSyncConfig:
        self.service(service_name)
        config = self.service_sync_configs.get(service_name)
        if config is None:
            raise ResourceNotFoundException(
                f"The service {service_name} has no service sync configuration."
            )
        return config

    def create_service_sync_config(
        self,
        service_name: str,
        repository_name: str,
        repository_provider: str,
        branch: str,
        file_path: str,
    ) -> dict[str, Any]:
        try:
            self.service(service_name)
        except ResourceNotFoundException:
            raise ValidationException(f"The service {service_name} does not exist.")
        self.linked_repository(repository_provider, repository_name, "repository")
        if service_name in self.service_sync_configs:
            raise ConflictException(
                f"The service {service_name} already has a service sync configuration."
            )
        config = ServiceSyncConfig(
            service_name, repository_name, repository_provider, branch, file_path
        )
        self.service_sync_configs[service_name] = config
        return {"serviceSyncConfig": config.describe()}

    def get_service_sync_config(self, service_name: str) -> dict[str, Any]:
        self.service(service_name)
        config = self.service_sync_configs.get(service_name)
        return {"serviceSyncConfig": config.describe()} if config else {}

    def update_service_sync_config(
        self,
        service_name: str,
        repository_name: str,
        repository_provider: str,
        branch: str,
        file_path: str,
    ) -> dict[str, Any]:
        config = self._service_sync_config(service_name)
        self.linked_repository(repository_provider, repository_name, "repository")
        config.repository_name, config.repository_provider = repository_name, repository_provider
        config.branch, config.file_path = branch, file_path
        return {"serviceSyncConfig": config.describe()}

    def delete_service_sync_config(self, service_name: str) -> dict[str, Any]:
        config = self._service_sync_config(service_name)
        del self.service_sync_configs[service_name]
        return {"serviceSyncConfig": config.describe()}

    # -- blockers -----------------------------------------------------------------------

    def block_sync(self, service_name: str, instance_name: Optional[str], reason: str) -> None:
        """A manual change under a service sync configuration blocks the sync (AWS's guide):
        of the instance for an instance update, of the service for a removed instance."""
        if service_name not in self.service_sync_configs:
            return
        contexts = [{"key": "serviceName", "value": service_name}]
        if instance_name is not None:
            contexts.append({"key": "serviceInstanceName", "value": instance_name})
        blocker = SyncBlocker(
            str(mock_random.uuid4()), service_name, instance_name, reason, utcnow(), contexts
        )
        self.sync_blockers[blocker.id] = blocker

    def get_service_sync_blocker_summary(
        self, service_name: str, service_instance_name: Optional[str] = None
    ) -> dict[str, Any]:
        service = self.service(service_name)
        if service_instance_name is not None:
            service.instance(service_instance_name)
        blockers = [
            b.describe()
            for b in self.sync_blockers.values()
            if (b.service_name, b.service_instance_name) == (service_name, service_instance_name)
        ]
        summary: dict[str, Any] = {"serviceName": service_name, "latestBlockers": blockers}
        if service_instance_name is not None:
            summary["serviceInstanceName"] = service_instance_name
        return {"serviceSyncBlockerSummary": summary}

    def update_service_sync_blocker(self, id: str, resolved_reason: str) -> dict[str, Any]:
        blocker = self.sync_blockers.get(id)
        if blocker is None:
            raise ResourceNotFoundException(f"The sync blocker {id} was not found.")
        if blocker.status == "RESOLVED":
            raise ConflictException(f"The sync blocker {id} is resolved already.")
        blocker.status, blocker.resolved_reason, blocker.resolved_at = (
            "RESOLVED",
            resolved_reason,
            utcnow(),
        )
        answer: dict[str, Any] = {
            "serviceName": blocker.service_name,
            "serviceSyncBlocker": blocker.describe(),
        }
        if blocker.service_instance_name is not None:
            answer["serviceInstanceName"] = blocker.service_instance_name
        return answer

    # -- status of repositories and instances -------------------------------------------

    def get_repository_sync_status(
        self, branch: str, repository_name: str, repository_provider: str, sync_type: str
    ) -> dict[str, Any]:
        self.repository(repository_provider, repository_name)
        attempts = self.repository_sync_attempts.get(
            (repository_provider, repository_name, branch, sync_type)
        )
        return {"latestSync": attempts[-1]} if attempts else {}

    def list_repository_sync_definitions(
        self,
        repository_name: str,
        repository_provider: str,
        sync_type: str,
        next_token: Optional[str] = None,
    ) -> dict[str, Any]:
        if sync_type != "TEMPLATE_SYNC":
            return {"syncDefinitions": []}
        definitions = [
            {
                "branch": c.branch,
                "directory": c.subdirectory or c.template_name,
                "parent": c.repository_name,
                "target": c.template_name,
            }
            for c in sorted(self.template_sync_configs.values(), key=lambda c: c.template_name)
            if (c.repository_provider, c.repository_name) == (repository_provider, repository_name)
        ]
        return {"syncDefinitions": definitions}

    def get_service_instance_sync_status(
        self, service_instance_name: str, service_name: str
    ) -> dict[str, Any]:
        self.service(service_name).instance(service_instance_name)
        return {}

    # -- a simulated push ---------------------------------------------------------------

    def push(
        self,
        repository_provider: str,
        repository_name: str,
        branch: str,
        files: dict[str, str],
        commit_sha: Optional[str] = None,
    ) -> list[dict[str, str]]:
        """A commit of `files` (path -> content) to a linked repository's branch: every
        template synced from there whose `<template>/v<major>/` directory the commit touches
        gets a new DRAFT version. The versions made, as {templateName, templateType,
        majorVersion, minorVersion}."""
        self.repository(repository_provider, repository_name)
        sha = commit_sha or mock_random.get_random_hex(40)
        now = utcnow()
        # The events of a repository sync as the User Guide prints them (ag-repo-view).
        repository_events = [
            {"event": "Clone started", "time": now, "type": "CLONE_STARTED"},
            {"event": "Updated configuration", "time": now, "type": "CONFIG_UPDATED"},
            {
                "event": f"Starting syncs for commit {sha}",
                "externalId": sha,
                "time": now,
                "type": "STARTING_SYNC",
            },
        ]
        self.repository_sync_attempts.setdefault(
            (repository_provider, repository_name, branch, "TEMPLATE_SYNC"), []
        ).append({"startedAt": now, "status": "SUCCEEDED", "events": repository_events})
        made = []
        for config in list(self.template_sync_configs.values()):
            if (config.repository_provider, config.repository_name, config.branch) != (
                repository_provider,
                repository_name,
                branch,
            ):
                continue
            prefix = f"{config.subdirectory.strip('/')}/" if config.subdirectory else ""
            majors = sorted(
                {
                    path[len(prefix) :].split("/")[1]
                    for path in files
                    if path.startswith(f"{prefix}{config.template_name}/v")
                    and len(path[len(prefix) :].split("/")) > 2
                }
            )
            for directory in majors:
                made.extend(self._sync_version(config, prefix, directory, files, sha, now))
        return made

    def _sync_version(
        self,
        config: TemplateSyncConfig,
        prefix: str,
        directory: str,
        files: dict[str, str],
        sha: str,
        now: datetime.datetime,
    ) -> list[dict[str, str]]:
        kind = self._sync_template_kind(config.template_type)
        template = self.template(config.template_name, kind)
        major = directory[1:]
        root = f"{prefix}{config.template_name}/{directory}"
        revision = {
            "repositoryName": config.repository_name,
            "repositoryProvider": config.repository_provider,
            "branch": config.branch,
            "directory": root,
            "sha": sha,
        }
        key = (config.template_type, config.template_name, major)
        previous = self.template_sync_attempts.get(key, [])
        attempt: dict[str, Any] = {
            "startedAt": now,
            "target": config.template_name,
            "initialRevision": previous[-1]["targetRevision"] if previous else revision,
            "targetRevision": revision,
            "events": [{"event": "Sync started", "time": now, "type": "SYNC_STARTED"}],
        }
        made: list[dict[str, str]] = []
        try:
            created = self._synced_version(config, kind, template, root, major, files, sha)
            made.append(
                {
                    "templateName": config.template_name,
                    "templateType": config.template_type,
                    "majorVersion": created["majorVersion"],
                    "minorVersion": created["minorVersion"],
                }
            )
            attempt["status"] = "SUCCEEDED"
            attempt["events"].append(
                {
                    "event": f"Created version {created['majorVersion']}.{created['minorVersion']}",
                    "externalId": created["arn"],
                    "time": now,
                    "type": "SYNC_SUCCEEDED",
                }
            )
        except (ValidationException, ConflictException, ResourceNotFoundException) as error:
            attempt["status"] = "FAILED"
            attempt["events"].append({"event": error.message, "time": now, "type": "SYNC_FAILED"})
        except Exception as error:  # e.g. the version quota: the sync fails, as AWS's would
            attempt["status"] = "FAILED"
            attempt["events"].append({"event": str(error), "time": now, "type": "SYNC_FAILED"})
        self.template_sync_attempts.setdefault(key, []).append(attempt)
        return made

    def _synced_version(
        self,
        config: TemplateSyncConfig,
        kind: TemplateKind,
        template: Template,
        root: str,
        major: str,
        files: dict[str, str],
        sha: str,
    ) -> dict[str, Any]:
        """The new version a commit's `v<major>` directory (`root`) makes, as described."""
        if not major.isdigit():
            raise ValidationException(f"{root} is not a v<major> directory.")
        request: dict[str, Any] = {
            "template_name": config.template_name,
            "source": {"s3": {"bucket": "proton-template-sync", "key": root}},
            "description": f"Synced from {config.repository_name}@{sha[:7]}",
        }
        if kind.name == "service":
            request.update(self._registration(root, files))
        if any(v.major == major for v in template.versions.values()):
            request["major_version"] = major
        created: dict[str, Any] = self.create_template_version(kind, **request)[kind.version_key]
        return created

    def _registration(self, root: str, files: dict[str, str]) -> dict[str, Any]:
        """compatibleEnvironmentTemplates (and component sources) of a synced service
        template version, from `.template-registration.yaml` (or the legacy `.compatible-envs`)."""
        text = files.get(f"{root}/{REGISTRATION_FILE}")
        entries: list[str] = []
        sources: Optional[list[str]] = None
        if text is not None:
            try:
                document = read_yaml(text) or {}
            except YamlFault:
                document = None
            if not isinstance(document, dict) or not isinstance(
                document.get("compatible_environments"), list
            ):
                raise ValidationException(
                    f"{root}/{REGISTRATION_FILE} must list compatible_environments."
                )
            entries = [str(e) for e in document["compatible_environments"]]
            if document.get("supported_component_sources") is not None:
                sources = [str(s) for s in document["supported_component_sources"]]
        elif f"{root}/{LEGACY_REGISTRATION_FILE}" in files:
            entries = files[f"{root}/{LEGACY_REGISTRATION_FILE}"].split()
        else:
            raise ValidationException(
                f"A service template needs {root}/{REGISTRATION_FILE} with its "
                "compatible_environments."
            )
        compatible = []
        for entry in entries:
            name, _, major = entry.partition(":")
            if not name or not major.isdigit():
                raise ValidationException(
                    f"Compatible environment {entry!r} must be <template name>:<major version>."
                )
            compatible.append({"templateName": name, "majorVersion": major})
        if not compatible:
            raise ValidationException(
                f"{root}/{REGISTRATION_FILE} lists no compatible environment."
            )
        request: dict[str, Any] = {"compatible_environment_templates": compatible}
        if sources is not None:
            request["supported_component_sources"] = sources
        return request
