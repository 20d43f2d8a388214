"""Templates of both kinds (environment and service) and their major.minor versions.

One machinery serves both kinds: a version registers (REGISTRATION_IN_PROGRESS -> DRAFT,
through moto's state manager as `proton::<kind>-template-version`), may then be published
(DRAFT -> PUBLISHED, the only status change a user can make), and the highest published minor
of each major is that major's recommended version; the highest major with one is the
template's. Service templates add compatible environment templates, component sources and
pipeline provisioning; the `templates` quota counts both kinds together.
"""

import dataclasses
import datetime
from typing import Any, Optional

from moto.core.utils import utcnow
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState

from ..exceptions import ConflictException, ResourceNotFoundException, ValidationException
from ..provisioning.events import status_change
from ..quotas import enforce_quota
from .describing import described
from .idempotency import Fingerprint, fingerprint, idempotent_create
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, stored

REGISTERING, DRAFT, PUBLISHED = "REGISTRATION_IN_PROGRESS", "DRAFT", "PUBLISHED"
REGISTRATION_FAILED = "REGISTRATION_FAILED"


@dataclasses.dataclass(frozen=True)
class TemplateKind:
    """What tells an environment template from a service template."""

    name: str  # "environment" or "service": the prefix of its operations' members
    #: The template member that says who provisions: `provisioning` or `pipelineProvisioning`.
    provisioning_member: str

    @property
    def label(self) -> str:
        return f"{self.name} template"

    @property
    def arn_type(self) -> str:
        return f"{self.name}-template"

    @property
    def version_model(self) -> str:
        return f"proton::{self.name}-template-version"

    @property
    def template_key(self) -> str:
        return f"{self.name}Template"

    @property
    def version_key(self) -> str:
        return f"{self.name}TemplateVersion"


ENVIRONMENT = TemplateKind("environment", "provisioning")
SERVICE = TemplateKind("service", "pipelineProvisioning")
KINDS = {kind.arn_type: kind for kind in (ENVIRONMENT, SERVICE)}
for _kind in KINDS.values():
    state_manager.register_default_transition(_kind.version_model, {"progression": "immediate"})


def version_key(major: str, minor: str) -> tuple[int, int]:
    return int(major), int(minor)


class TemplateVersion(ManagedState):
    def __init__(
        self,
        template: "Template",
        major: str,
        minor: str,
        description: Optional[str],
        source: dict[str, Any],
        compatible_environment_templates: Optional[list[dict[str, str]]] = None,
        supported_component_sources: Optional[list[str]] = None,
    ):
        super().__init__(template.kind.version_model, [(REGISTERING, DRAFT)])
        self.kind = template.kind
        self.template_name = template.name
        self.major = major
        self.minor = minor
        self.description = description
        self.source = source
        self.compatible_environment_templates = compatible_environment_templates
        self.supported_component_sources = supported_component_sources
        self.status_message: Optional[str] = None
        #: The template bundle read from S3 (moto_proton.provisioning) and its schema text.
        self.bundle: Any = None
        self.schema: Optional[str] = None
        self.arn = f"{template.arn}:{major}.{minor}"
        self.created_at = self.last_modified_at = utcnow()

    @property
    def key(self) -> tuple[int, int]:
        return version_key(self.major, self.minor)

    @property
    def status(self) -> Optional[str]:
        """moto's state manager moves a version on from REGISTERING only; once past it, no
        transition leads anywhere and the status is the one held (read on every deployment
        and listing, without asking the state manager)."""
        held = getattr(self, "_status", REGISTERING)
        return held if held != REGISTERING else ManagedState.status.fget(self)  # type: ignore[attr-defined]

    @status.setter
    def status(self, value: str) -> None:
        ManagedState.status.fset(self, value)  # type: ignore[attr-defined]

    def fail_registration(self, message: str) -> None:
        """Registration ends REGISTRATION_FAILED (a bad or missing bundle)."""
        ManagedState.__init__(self, self.kind.version_model, [(REGISTERING, REGISTRATION_FAILED)])
        self.status_message = message

    def deployment_state(self, spec: Optional[str]) -> dict[str, Any]:
        """What a deployment of this version with `spec` aims at (a DeploymentState)."""
        state = {
            "templateName": self.template_name,
            "templateMajorVersion": self.major,
            "templateMinorVersion": self.minor,
            "spec": spec,
        }
        return {k: v for k, v in state.items() if v is not None}

    @property
    def label(self) -> str:
        return f"{self.kind.label} version {self.template_name}:{self.major}.{self.minor}"

    def compatible_with(self, template_name: str, major: str) -> bool:
        return {"templateName": template_name, "majorVersion": major} in (
            self.compatible_environment_templates or []
        )

    def describe(
        self, recommended_minor: Optional[str], status: Optional[str] = None
    ) -> dict[str, Any]:
        status = status or self.status
        message = self.status_message
        if message is None and status in (DRAFT, PUBLISHED):
            message = ""  # AWS shows an empty statusMessage once a version is registered
        return described(
            self,
            "arn templateName majorVersion minorVersion recommendedMinorVersion status "
            "statusMessage description compatibleEnvironmentTemplates supportedComponentSources "
            "schema createdAt lastModifiedAt",
            majorVersion=self.major,
            minorVersion=self.minor,
            recommendedMinorVersion=recommended_minor,
            status=status,
            statusMessage=message,
            schema=self.schema if status in (DRAFT, PUBLISHED) else None,
        )


@dataclasses.dataclass
class Template:
    kind: TemplateKind
    name: str
    arn: str
    display_name: Optional[str]
    description: Optional[str]
    encryption_key: Optional[str]
    provisioning: Optional[str]
    created_at: datetime.datetime
    last_modified_at: datetime.datetime
    #: The parameters it was created with, to tell an idempotent retry of the create.
    created_with: Fingerprint = ""
    #: Whether a user changed it since (a retry of its create is then a ConflictException).
    modified: bool = False
    versions: dict[tuple[int, int], TemplateVersion] = dataclasses.field(default_factory=dict)

    def version(self, major: str, minor: str) -> Optional[TemplateVersion]:
        """The version `major.minor`, if there is one (None too for what isn't a number)."""
        try:
            return self.versions.get(version_key(major, minor))
        except ValueError:
            return None

    def published(self, major: Optional[str] = None) -> list[TemplateVersion]:
        return sorted(
            (
                v
                for v in self.versions.values()
                if v.status == PUBLISHED and (major is None or v.major == major)
            ),
            key=lambda v: v.key,
        )

    @property
    def status(self) -> str:
        """What its events report (templates have no status in the API): DRAFT until a
        version is published, then PUBLISHED, as the User Guide's service template event
        example shows."""
        return PUBLISHED if self.published() else DRAFT

    def status_changed(self, previous: Optional[str], status: str) -> None:
        """Tell EventBridge; a new template has no previous status."""
        detail = {"name": self.name, "status": status, "previousStatus": previous}
        status_change(self.kind.label.title(), self.arn, detail)

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

    def managed_tags(self, account_id: str) -> dict[str, str]:
        """The `aws:proton:` tags of the template and of its versions."""
        return {"aws:proton:account": account_id, "aws:proton:template": self.arn}

    def describe(self) -> dict[str, Any]:
        recommended = self.recommended_version()
        return described(
            self,
            f"arn name displayName description encryptionKey {self.kind.provisioning_member} "
            "recommendedVersion createdAt lastModifiedAt",
            **{self.kind.provisioning_member: self.provisioning},
            recommendedVersion=f"{recommended.major}.{recommended.minor}" if recommended else None,
        )


def missing_version(template: Template, major: str, minor: str) -> ResourceNotFoundException:
    """The RNF of a template version that does not exist. For service templates, the text AWS
    answers (as users quoted it); environment templates keep the mock's."""
    if template.kind is SERVICE:
        return ResourceNotFoundException(
            f"The requested service template version does not exist: {template.arn}:{major}.{minor}"
        )
    return ResourceNotFoundException(
        f"The {template.kind.label} version {template.name}:{major}.{minor} was not found."
    )


class TemplatesMixin(BackendParts):
    """The template operations of `ProtonBackend`, for both kinds, and finding templates and
    their versions."""

    environment_templates: dict[str, Template] = stored(dict)
    service_templates: dict[str, Template] = stored(dict)

    def templates_of(self, kind: TemplateKind) -> dict[str, Template]:
        return self.environment_templates if kind is ENVIRONMENT else self.service_templates

    def template(self, name: str, kind: TemplateKind = ENVIRONMENT) -> Template:
        template = self.templates_of(kind).get(name)
        if template is None:
            raise ResourceNotFoundException(f"The {kind.label} {name} was not found.")
        return template

    def template_version(
        self, kind: TemplateKind, name: str, major: str, minor: str
    ) -> TemplateVersion:
        template = self.template(name, kind)
        version = template.version(major, minor)
        if version is None:
            raise missing_version(template, major, minor)
        return version

    def published_version(
        self, template: Template, major: str, minor: Optional[str]
    ) -> TemplateVersion:
        """The PUBLISHED version `major.minor` (the recommended minor when `minor` is None)."""
        title = template.kind.label.capitalize()
        if minor is None:
            minor = template.recommended_minor(major)
            if minor is None:
                raise ValidationException(
                    f"{title} {template.name} has no published version in major version {major}."
                )
        version = template.version(major, minor)
        if version is None:
            raise missing_version(template, major, minor)
        if version.status != PUBLISHED:
            raise ValidationException(
                f"{title} version {template.name}:{version.major}.{version.minor} "
                f"is {version.status}; only a PUBLISHED version can be deployed."
            )
        return version

    # -- templates, both kinds ------------------------------------------------------------

    def _create_template(
        self,
        kind: TemplateKind,
        name: str,
        display_name: Optional[str] = None,
        description: Optional[str] = None,
        encryption_key: Optional[str] = None,
        provisioning: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals())
        templates = self.templates_of(kind)
        if name in templates:
            existing = idempotent_create(templates[name], request, f"{kind.label} {name}")
            return {kind.template_key: existing.describe()}
        enforce_quota(
            "templates",
            len(self.environment_templates) + len(self.service_templates),
            f"Account {self.account_id}",
            f"templates in {self.region_name}",
        )
        now = utcnow()
        template = Template(
            kind=kind,
            name=name,
            arn=self.arn(f"{kind.arn_type}/{name}"),
            # The User Guide's templates created without one show their name as displayName
            # (template-view, template-update).
            display_name=name if display_name is None else display_name,
            description=description,
            encryption_key=encryption_key,
            provisioning=provisioning,
            created_at=now,
            last_modified_at=now,
            created_with=request,
        )
        self.add_tags(template.arn, tags, template.managed_tags(self.account_id))
        templates[name] = template
        template.status_changed(None, template.status)
        return {kind.template_key: template.describe()}

    def _update_template(
        self,
        kind: TemplateKind,
        name: str,
        display_name: Optional[str] = None,
        description: Optional[str] = None,
    ) -> dict[str, Any]:
        template = self.template(name, kind)
        changes = {"display_name": display_name, "description": description}
        changes = {k: v for k, v in changes.items() if v is not None}
        if any(getattr(template, k) != v for k, v in changes.items()):
            for k, v in changes.items():
                setattr(template, k, v)
            template.last_modified_at = utcnow()
            template.modified = True
        return {kind.template_key: template.describe()}

    def _delete_template(self, kind: TemplateKind, name: str) -> dict[str, Any]:
        arn = self.arn(f"{kind.arn_type}/{name}")
        return self.deletions.retry_or(arn, lambda: self._remove_template(kind, name))

    def _remove_template(self, kind: TemplateKind, name: str) -> dict[str, Any]:
        template = self.template(name, kind)
        if template.versions:
            raise ConflictException(
                f"The {kind.label} {name} has {len(template.versions)} versions; delete them first."
            )
        del self.templates_of(kind)[name]
        self.drop_tags(template.arn)
        self.forget_template_sync(kind.name.upper(), name)
        answer = {kind.template_key: template.describe()}
        self.deletions.remember(template.arn, answer)
        template.status_changed(template.status, "DELETED")
        return answer

    def _list_templates(self, kind: TemplateKind) -> Selection:
        return OrderedIndex(((t.name,), t) for t in self.templates_of(kind).values()), None

    # -- the operations, named as the API names them --------------------------------------

    def create_environment_template(
        self, name: str, provisioning: Optional[str] = None, **common: Any
    ) -> dict[str, Any]:
        return self._create_template(ENVIRONMENT, name, provisioning=provisioning, **common)

    def create_service_template(
        self, name: str, pipeline_provisioning: Optional[str] = None, **common: Any
    ) -> dict[str, Any]:
        return self._create_template(SERVICE, name, provisioning=pipeline_provisioning, **common)

    def get_environment_template(self, name: str) -> dict[str, Any]:
        return {ENVIRONMENT.template_key: self.template(name, ENVIRONMENT).describe()}

    def get_service_template(self, name: str) -> dict[str, Any]:
        return {SERVICE.template_key: self.template(name, SERVICE).describe()}

    @paged("templates")
    def list_environment_templates(self) -> Selection:
        return self._list_templates(ENVIRONMENT)

    @paged("templates")
    def list_service_templates(self) -> Selection:
        return self._list_templates(SERVICE)

    def update_environment_template(self, name: str, **changes: Any) -> dict[str, Any]:
        return self._update_template(ENVIRONMENT, name, **changes)

    def update_service_template(self, name: str, **changes: Any) -> dict[str, Any]:
        return self._update_template(SERVICE, name, **changes)

    def delete_environment_template(self, name: str) -> dict[str, Any]:
        return self._delete_template(ENVIRONMENT, name)

    def delete_service_template(self, name: str) -> dict[str, Any]:
        return self._delete_template(SERVICE, name)
