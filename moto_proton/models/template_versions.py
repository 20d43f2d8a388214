"""Template versions of both kinds: creating (registration), publishing, deleting; and the
version operations, named as the API names them. Templates and versions themselves, and the
lifecycle of a version, are in `templates.py`."""

from typing import Any, Optional

from moto.core.utils import utcnow

from .. import provisioning
from ..exceptions import ConflictException, ValidationException
from ..quotas import enforce_quota
from .idempotency import ClientTokens, fingerprint
from .paging import OrderedIndex, Selection, paged
from .parts import BackendParts, stored
from .templates import (
    DRAFT,
    ENVIRONMENT,
    PUBLISHED,
    REGISTERING,
    SERVICE,
    TemplateKind,
    TemplateVersion,
)


class TemplateVersionsMixin(BackendParts):
    """The template version operations of `ProtonBackend`, for both kinds."""

    template_version_client_tokens: ClientTokens = stored(ClientTokens)

    def _compatible_environment_templates(
        self, compatible: Optional[list[dict[str, str]]]
    ) -> Optional[list[dict[str, str]]]:
        """Each named environment template must exist; duplicates are dropped."""
        if compatible is None:
            return None
        unique: list[dict[str, str]] = []
        for entry in compatible:
            if entry["templateName"] not in self.environment_templates:
                raise ValidationException(
                    f"Compatible environment template {entry['templateName']} does not exist."
                )
            wanted = {"templateName": entry["templateName"], "majorVersion": entry["majorVersion"]}
            if wanted not in unique:
                unique.append(wanted)
        return unique

    def _create_template_version(
        self,
        kind: TemplateKind,
        template_name: str,
        source: dict[str, Any],
        major_version: Optional[str] = None,
        description: Optional[str] = None,
        tags: Optional[list[dict[str, str]]] = None,
        client_token: Optional[str] = None,
        compatible_environment_templates: Optional[list[dict[str, str]]] = None,
        supported_component_sources: Optional[list[str]] = None,
    ) -> dict[str, Any]:
        request = fingerprint(locals(), tags=tags or [])
        template = self.template(template_name, kind)
        original = self.template_version_client_tokens.replay(client_token, request)
        if original is not None and original in template.versions:
            return {kind.version_key: template.describe_version(template.versions[original])}
        compatible = self._compatible_environment_templates(compatible_environment_templates)
        majors = sorted({v.key[0] for v in template.versions.values()})
        if major_version is None:
            major, minor = str((majors[-1] if majors else 0) + 1), "0"
        else:
            if not major_version.isdigit() or int(major_version) not in majors:
                raise ValidationException(
                    f"majorVersion {major_version} does not exist for {kind.label} "
                    f"{template_name}; omit majorVersion to create the next major version."
                )
            minors = [
                v.key[1] for v in template.versions.values() if v.key[0] == int(major_version)
            ]
            major, minor = str(int(major_version)), str(max(minors) + 1)
        enforce_quota(
            "template_versions_per_template",
            len(template.versions),
            f"{kind.label.capitalize()} {template_name}",
            "versions",
        )
        version = TemplateVersion(
            template,
            major,
            minor,
            description,
            source,
            compatible,
            list(dict.fromkeys(supported_component_sources))
            if supported_component_sources is not None
            else None,
        )
        # Tags first: refused tags must leave no trace, not even registration's event.
        self.add_tags(version.arn, tags, template.managed_tags(self.account_id))
        provisioning.register_version(self, template, version)
        template.versions[version.key] = version
        self.template_version_client_tokens.remember(client_token, request, version.key)
        return {kind.version_key: template.describe_version(version, REGISTERING)}

    def create_template_version(self, kind: TemplateKind, **request: Any) -> dict[str, Any]:
        """A new version of a template of either kind: its create operation's, and template
        sync's."""
        return self._create_template_version(kind, **request)

    def _get_template_version(
        self, kind: TemplateKind, template_name: str, major_version: str, minor_version: str
    ) -> dict[str, Any]:
        version = self.template_version(kind, template_name, major_version, minor_version)
        version.advance()
        return {kind.version_key: self.template(template_name, kind).describe_version(version)}

    def _list_template_versions(
        self, kind: TemplateKind, template_name: str, major_version: Optional[str] = None
    ) -> Selection:
        template = self.template(template_name, kind)
        chosen = OrderedIndex(
            (v.key, v)
            for v in template.versions.values()
            if major_version is None or v.major == major_version
        )
        return chosen, None

    def _update_template_version(
        self,
        kind: TemplateKind,
        template_name: str,
        major_version: str,
        minor_version: str,
        description: Optional[str] = None,
        status: Optional[str] = None,
        compatible_environment_templates: Optional[list[dict[str, str]]] = None,
        supported_component_sources: Optional[list[str]] = None,
    ) -> dict[str, Any]:
        version = self.template_version(kind, template_name, major_version, minor_version)
        current = version.status
        if status is not None and status != current and (current, status) != (DRAFT, PUBLISHED):
            raise ValidationException(
                f"The status of {version.label} can only change from DRAFT to PUBLISHED, "
                f"not from {current} to {status}."
            )
        compatible = self._compatible_environment_templates(compatible_environment_templates)
        changes: dict[str, Any] = {
            "status": status,
            "description": description,
            "compatible_environment_templates": compatible,
            "supported_component_sources": list(dict.fromkeys(supported_component_sources))
            if supported_component_sources is not None
            else None,
        }
        template = self.template(template_name, kind)
        template_status = template.status
        changed = False
        for field, value in changes.items():
            if value is not None and value != getattr(version, field):
                setattr(version, field, value)
                changed = True
        if changed:
            # Only the version's: the User Guide lists templates with a published version
            # whose lastModifiedAt is still their createdAt (template-view).
            version.last_modified_at = utcnow()
        if version.status != current:
            provisioning.version_status_changed(version, current, version.status)
        if template.status != template_status:  # its first published version
            template.status_changed(template_status, template.status)
        return {kind.version_key: template.describe_version(version)}

    def _delete_template_version(
        self, kind: TemplateKind, template_name: str, major_version: str, minor_version: str
    ) -> dict[str, Any]:
        arn = self.arn(f"{kind.arn_type}/{template_name}:{major_version}.{minor_version}")
        return self.deletions.retry_or(
            arn,
            lambda: self._remove_template_version(
                kind, template_name, major_version, minor_version
            ),
        )

    def _remove_template_version(
        self, kind: TemplateKind, template_name: str, major_version: str, minor_version: str
    ) -> dict[str, Any]:
        version = self.template_version(kind, template_name, major_version, minor_version)
        template = self.template(template_name, kind)
        same_major = [v for v in template.versions.values() if v.major == version.major]
        title = version.label[0].upper() + version.label[1:]
        # The API Reference: a recommended minor version goes only when no other minor of its
        # major exists; the template's recommended version only when no other version does.
        if template.recommended_minor(version.major) == version.minor and len(same_major) > 1:
            raise ConflictException(
                f"{title} is the recommended version of its major version and can only be "
                "deleted last."
            )
        if template.recommended_version() is version and len(template.versions) > 1:
            others = sorted(v.key for v in template.versions.values() if v is not version)
            raise ConflictException(
                f"{title} is the recommended version of the template and can only be deleted "
                f"last; delete {', '.join(f'{major}.{minor}' for major, minor in others)} first."
            )
        users = self.template_version_users(version)
        if users:
            raise ConflictException(f"{title} is used by {'; '.join(users)}.")
        template_status = template.status
        del template.versions[version.key]
        # Described as it is left: the last version of its major leaves no recommended minor
        # (AWS's template-delete examples).
        answer = {kind.version_key: template.describe_version(version)}
        self.drop_tags(version.arn)
        self.deletions.remember(version.arn, answer)
        provisioning.version_status_changed(version, version.status, "DELETED")
        if template.status != template_status:  # its last published version went
            template.status_changed(template_status, template.status)
        return answer

    # -- the operations, named as the API names them --------------------------------------

    def create_environment_template_version(self, **request: Any) -> dict[str, Any]:
        return self.create_template_version(ENVIRONMENT, **request)

    def create_service_template_version(self, **request: Any) -> dict[str, Any]:
        return self.create_template_version(SERVICE, **request)

    def get_environment_template_version(self, **version: Any) -> dict[str, Any]:
        return self._get_template_version(ENVIRONMENT, **version)

    def get_service_template_version(self, **version: Any) -> dict[str, Any]:
        return self._get_template_version(SERVICE, **version)

    @paged("templateVersions", describe=lambda backend, v: backend.describe_template_version(v))
    def list_environment_template_versions(self, **filters: Any) -> Selection:
        return self._list_template_versions(ENVIRONMENT, **filters)

    @paged("templateVersions", describe=lambda backend, v: backend.describe_template_version(v))
    def list_service_template_versions(self, **filters: Any) -> Selection:
        return self._list_template_versions(SERVICE, **filters)

    def update_environment_template_version(self, **changes: Any) -> dict[str, Any]:
        return self._update_template_version(ENVIRONMENT, **changes)

    def update_service_template_version(self, **changes: Any) -> dict[str, Any]:
        return self._update_template_version(SERVICE, **changes)

    def delete_environment_template_version(self, **version: Any) -> dict[str, Any]:
        return self._delete_template_version(ENVIRONMENT, **version)

    def delete_service_template_version(self, **version: Any) -> dict[str, Any]:
        return self._delete_template_version(SERVICE, **version)

    def describe_template_version(self, version: TemplateVersion) -> dict[str, Any]:
        return self.template(version.template_name, version.kind).describe_version(version)
