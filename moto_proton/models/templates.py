"""Environment templates and their major.minor versions.

A version registers (REGISTRATION_IN_PROGRESS -> DRAFT, through moto's state manager as
`proton::environment-template-version`), may then be published (DRAFT -> PUBLISHED, the only
status change a user can make), and the highest published minor of each major is that
major's recommended version; the highest major with one is the template's.
"""

import dataclasses
import datetime
from typing import TYPE_CHECKING, Any, Optional

from moto.core.utils import utcnow
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState

from ..exceptions import (
    ConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from ..quotas import enforce_quota
from .base import BackendParts, OrderedIndex, Selection, paged
from .idempotency import ClientTokens, fingerprint

if TYPE_CHECKING:
    pass

REGISTERING, DRAFT, PUBLISHED = "REGISTRATION_IN_PROGRESS", "DRAFT", "PUBLISHED"
VERSION_MODEL = "proton::environment-template-version"
state_manager.register_default_transition(VERSION_MODEL, {"progression": "immediate"})


def version_key(major: str, minor: str) -> tuple[int, int]:
    return int(major), int(minor)


class TemplateVersion(ManagedState):
    def __init__(
        self,
        template: "EnvironmentTemplate",
        major: str,
        minor: str,
        description: Optional[str],
        source: dict[str, Any],
    ):
        super().__init__(VERSION_MODEL, [(REGISTERING, DRAFT)])
        self.template_name = template.name
        self.major = major
        self.minor = minor
        self.description = description
        self.source = source
        self.arn = f"{template.arn}:{major}.{minor}"
        self.created_at = self.last_modified_at = utcnow()

    @property
    def key(self) -> tuple[int, int]:
        return version_key(self.major, self.minor)

    def describe(
        self, recommended_minor: Optional[str], status: Optional[str] = None
    ) -> dict[str, Any]:
        described = {
            "arn": self.arn,
            "templateName": self.template_name,
            "majorVersion": self.major,
            "minorVersion": self.minor,
            "recommendedMinorVersion": recommended_minor,
            "status": status or self.status,
            "description": self.description,
            "createdAt": self.created_at,
            "lastModifiedAt": self.last_modified_at,
        }
        return {k: v for k, v in described.items() if v is not None}


@dataclasses.dataclass
class EnvironmentTemplate:
    name: str
    arn: str
    display_name: Optional[str]
    description: Optional[str]
    encryption_key: Optional[str]
    provisioning: Optional[str]
    created_at: datetime.datetime
    last_modified_at: datetime.datetime
    versions: dict[tuple[int, int], TemplateVersion] = dataclasses.field(default_factory=dict)

    def published(self, major: Optional[str] = None) -> list[TemplateVersion]:
        return sorted(
            (
                v
                for v in self.versions.values()
                if v.status == PUBLISHED and (major is None or v.major == major)
            ),
            key=lambda v: v.key,
        )

    def recommended_minor(self, major: str) -> Optional[str]:
        published = self.published(major)
        return published[-1].minor if published else None

    def recommended_version(self) -> Optional[TemplateVersion]:
        published = self.published()
        if not published:
            return None
        return self.published(published[-1].major)[-1]

    def describe_version(
        self, version: TemplateVersion, status: Optional[str] = None
    ) -> dict[str, Any]:
        return version.describe(self.recommended_minor(version.major), status)

    def describe(self) -> dict[str, Any]:
        recommended = self.recommended_version()
        described = {
            "arn": self.arn,
            "name": self.name,
            "displayName": self.display_name,
            "description": self.description,
            "encryptionKey": self.encryption_key,
            "provisioning": self.provisioning,
            "recommendedVersion": f"{recommended.major}.{recommended.minor}"
            if recommended
            else None,
            "createdAt": self.created_at,
            "lastModifiedAt": self.last_modified_at,
        }
        return {k: v for k, v in described.items() if v is not None}


class TemplatesMixin(BackendParts):
    """The environment template (and template version) operations of `ProtonBackend`."""

    template_version_client_tokens: ClientTokens

    def template(self, name: str) -> EnvironmentTemplate:
        template = self.environment_templates.get(name)
        if template is None:
            raise ResourceNotFoundException(f"The environment template {name} was not found.")
        return template

    def template_version(self, name: str, major: str, minor: str) -> TemplateVersion:
        template = self.template(name)
        try:
            version = template.versions.get(version_key(major, minor))
        except ValueError:
            version = None
        if version is None:
            raise ResourceNotFoundException(
                f"The environment template version {name}:{major}.{minor} was not found."
            )
        return version

    # -- templates ----------------------------------------------------------------------

    def create_environment_template(
        self,
        name: str,
        display_name: Optional[str] = None,
        description: Optional[str] = None,
        encryption_key: Optional[str] = None,
        provisioning: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        if name in self.environment_templates:
            raise ConflictException(f"The environment template {name} already exists.")
        enforce_quota(
            "templates",
            len(self.environment_templates),
            f"Account {self.account_id}",
            f"templates in {self.region_name}",
        )
        now = utcnow()
        template = EnvironmentTemplate(
            name=name,
            arn=self.arn(f"environment-template/{name}"),
            display_name=display_name,
            description=description,
            encryption_key=encryption_key,
            provisioning=provisioning,
            created_at=now,
            last_modified_at=now,
        )
        self.add_tags(template.arn, tags)
        self.environment_templates[name] = template
        return {"environmentTemplate": template.describe()}

    def get_environment_template(self, name: str) -> dict[str, Any]:
        return {"environmentTemplate": self.template(name).describe()}

    @paged("templates")
    def list_environment_templates(self) -> Selection:
        return OrderedIndex(((t.name,), t) for t in self.environment_templates.values()), None

    def update_environment_template(
        self, name: str, display_name: Optional[str] = None, description: Optional[str] = None
    ) -> dict[str, Any]:
        template = self.template(name)
        changes = {"display_name": display_name, "description": description}
        changes = {k: v for k, v in changes.items() if v is not None}
        if any(getattr(template, k) != v for k, v in changes.items()):
            for k, v in changes.items():
                setattr(template, k, v)
            template.last_modified_at = utcnow()
        return {"environmentTemplate": template.describe()}

    def delete_environment_template(self, name: str) -> dict[str, Any]:
        template = self.template(name)
        if template.versions:
            raise ConflictException(
                f"The environment template {name} has {len(template.versions)} versions; "
                "delete them first."
            )
        del self.environment_templates[name]
        self.drop_tags(template.arn)
        return {"environmentTemplate": template.describe()}

    # -- versions -----------------------------------------------------------------------

    def create_environment_template_version(
        self,
        template_name: str,
        source: dict[str, Any],
        major_version: Optional[str] = None,
        description: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
    ) -> dict[str, Any]:
        template = self.template(template_name)
        request = fingerprint(template_name, source, major_version, description, tags or [])
        original = self.template_version_client_tokens.replay(client_token, request)
        if original is not None and original in template.versions:
            return {
                "environmentTemplateVersion": template.describe_version(template.versions[original])
            }
        majors = sorted({v.key[0] for v in template.versions.values()})
        if major_version is None:
            major, minor = str((majors[-1] if majors else 0) + 1), "0"
        else:
            if not major_version.isdigit() or int(major_version) not in majors:
                raise ValidationException(
                    f"majorVersion {major_version} does not exist for environment template "
                    f"{template_name}; omit majorVersion to create the next major version."
                )
            minors = [
                v.key[1] for v in template.versions.values() if v.key[0] == int(major_version)
            ]
            major, minor = str(int(major_version)), str(max(minors) + 1)
        enforce_quota(
            "template_versions_per_template",
            len(template.versions),
            f"Environment template {template_name}",
            "versions",
        )
        version = TemplateVersion(template, major, minor, description, source)
        self.add_tags(version.arn, tags)
        template.versions[version.key] = version
        self.template_version_client_tokens.remember(client_token, request, version.key)
        return {"environmentTemplateVersion": template.describe_version(version, REGISTERING)}

    def get_environment_template_version(
        self, template_name: str, major_version: str, minor_version: str
    ) -> dict[str, Any]:
        version = self.template_version(template_name, major_version, minor_version)
        version.advance()
        return {
            "environmentTemplateVersion": self.template(template_name).describe_version(version)
        }

    @paged(
        "templateVersions",
        describe=lambda backend, v: backend.template(v.template_name).describe_version(v),
    )
    def list_environment_template_versions(
        self, template_name: str, major_version: Optional[str] = None
    ) -> Selection:
        template = self.template(template_name)
        chosen = OrderedIndex(
            (v.key, v)
            for v in template.versions.values()
            if major_version is None or v.major == major_version
        )
        return chosen, None

    def update_environment_template_version(
        self,
        template_name: str,
        major_version: str,
        minor_version: str,
        description: Optional[str] = None,
        status: Optional[str] = None,
    ) -> dict[str, Any]:
        version = self.template_version(template_name, major_version, minor_version)
        current = version.status
        if status is not None and status != current and (current, status) != (DRAFT, PUBLISHED):
            raise ValidationException(
                f"The status of environment template version {template_name}:"
                f"{version.major}.{version.minor} can only change from DRAFT to PUBLISHED, "
                f"not from {current} to {status}."
            )
        changed = False
        if status is not None and status != current:
            version.status = status
            changed = True
        if description is not None and description != version.description:
            version.description = description
            changed = True
        template = self.template(template_name)
        if changed:
            version.last_modified_at = template.last_modified_at = utcnow()
        return {"environmentTemplateVersion": template.describe_version(version)}

    def delete_environment_template_version(
        self, template_name: str, major_version: str, minor_version: str
    ) -> dict[str, Any]:
        version = self.template_version(template_name, major_version, minor_version)
        template = self.template(template_name)
        same_major = [v for v in template.versions.values() if v.major == version.major]
        if template.recommended_minor(version.major) == version.minor and len(same_major) > 1:
            raise ConflictException(
                f"Environment template version {template_name}:{version.major}.{version.minor} "
                "is the recommended version of its major version and can only be deleted last."
            )
        users = sorted(
            e.name for e in self.environments.values() if e.uses_template_version(version)
        )
        if users:
            raise ConflictException(
                f"Environment template version {template_name}:{version.major}.{version.minor} "
                f"is used by environments: {', '.join(users)}."
            )
        described = template.describe_version(version)
        del template.versions[version.key]
        self.drop_tags(version.arn)
        return {"environmentTemplateVersion": described}
