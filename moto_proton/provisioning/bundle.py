"""Template bundles: the gzipped tar a template version's `source.s3` names, read as AWS reads
it (layout, YAML schema and manifests, fixed size limits). IaC files stay Jinja text."""

import dataclasses
import io
import tarfile
from typing import Any, Optional

from ..yaml_documents import YamlFault, read_yaml

#: AWS's fixed limits (ag-limits).
MAX_BUNDLE = 5 * 1024 * 1024
MAX_MANIFEST = 50 * 1024
MAX_SCHEMA = 50 * 1024
MAX_OTHER = 200 * 1024
MAX_FILES = 10

SCHEMA_FILE = "schema/schema.yaml"
CUSTOMER_MANAGED = "CUSTOMER_MANAGED"


class BundleError(Exception):
    """What is wrong with a bundle: the file and the fault."""

    def __init__(self, file: str, fault: str):
        super().__init__(f"{file}: {fault}")
        self.file = file
        self.fault = fault


@dataclasses.dataclass
class Section:
    """One IaC folder (`infrastructure`, `instance_infrastructure`, `pipeline_infrastructure`)."""

    folder: str
    manifest: dict[str, Any]
    templates: list[dict[str, Any]]
    files: dict[str, str]  # file name inside the folder -> text

    def cloudformation_file(self) -> Optional[tuple[str, str]]:
        """(name, text) of the Jinja-rendered CloudFormation file, if the manifest has one."""
        return cloudformation_entry(self.templates, self.files)


def cloudformation_entry(
    templates: list[dict[str, Any]], files: dict[str, str]
) -> Optional[tuple[str, str]]:
    for entry in templates:
        engine = str(entry.get("rendering_engine", "")).lower()
        language = str(entry.get("template_language", "")).lower()
        if engine == "jinja" and language == "cloudformation":
            name = str(entry.get("file", ""))
            if name in files:
                return name, files[name]
    return None


@dataclasses.dataclass
class Bundle:
    location: str  # s3://bucket/key
    schema_text: str
    schema: dict[str, Any]
    #: "environment", "service", "pipeline" -> the OpenAPI schema object of those inputs.
    input_types: dict[str, dict[str, Any]]
    sections: dict[str, Section]


def _yaml(text: str, file: str) -> Any:
    try:
        return read_yaml(text)
    except YamlFault as fault:
        reason = {
            "depth": "nested too deeply",
            "value": f"not valid YAML: a value can't be read ({fault.detail})",
        }.get(fault.kind, f"not valid YAML{fault.at}")
        raise BundleError(file, reason) from None


def archive_members(data: bytes) -> dict[str, bytes]:
    """The regular files of the gzipped tar, by normalised path."""
    if len(data) > MAX_BUNDLE:
        raise BundleError("bundle", f"{len(data)} bytes is over the limit of {MAX_BUNDLE} bytes")
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")  # noqa: SIM115 - closed below
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BundleError("bundle", f"not a gzipped tar archive ({error})") from None
    files: dict[str, bytes] = {}
    with archive:
        try:
            members = archive.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BundleError("bundle", f"damaged archive ({error})") from None
        for member in members:
            if not member.isfile():
                continue
            name = member.name
            while name.startswith("./"):
                name = name[2:]
            name = name.lstrip("/")
            if ".." in name.split("/"):
                raise BundleError(member.name, "a path outside the bundle")
            if len(files) >= MAX_FILES:
                raise BundleError("bundle", f"more than {MAX_FILES} files")
            extracted = archive.extractfile(member)
            files[name] = extracted.read() if extracted is not None else b""
    return files


def _root(files: dict[str, bytes]) -> str:
    """The folder that holds schema/schema.yaml: the archive root or one leading folder."""
    if SCHEMA_FILE in files:
        return ""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1:
        top = next(iter(tops)) + "/"
        if top + SCHEMA_FILE in files:
            return top
    raise BundleError(
        SCHEMA_FILE, "missing (the bundle's root or its single top folder must hold it)"
    )


def _text(name: str, data: bytes) -> str:
    limit = (
        MAX_SCHEMA
        if name == SCHEMA_FILE
        else MAX_MANIFEST
        if name.endswith("/manifest.yaml")
        else MAX_OTHER
    )
    if len(data) > limit:
        raise BundleError(name, f"{len(data)} bytes is over the limit of {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BundleError(name, "not UTF-8 text") from None


def _section(folder: str, files: dict[str, str]) -> Section:
    manifest_name = f"{folder}/manifest.yaml"
    if manifest_name not in files:
        raise BundleError(manifest_name, "missing")
    manifest = _yaml(files[manifest_name], manifest_name)
    infrastructure = manifest.get("infrastructure") if isinstance(manifest, dict) else None
    templates = infrastructure.get("templates") if isinstance(infrastructure, dict) else None
    if not isinstance(templates, list) or not templates:
        raise BundleError(manifest_name, "needs infrastructure.templates, a non-empty list")
    own = {
        name[len(folder) + 1 :]: text
        for name, text in files.items()
        if name.startswith(folder + "/") and name != manifest_name
    }
    for index, entry in enumerate(templates):
        where = f"infrastructure.templates[{index}]"
        if not isinstance(entry, dict):
            raise BundleError(manifest_name, f"{where} must be a mapping")
        engine = str(entry.get("rendering_engine", "")).lower()
        if not engine:
            raise BundleError(manifest_name, f"{where} needs rendering_engine")
        if engine == "codebuild":
            continue
        for key in ("file", "template_language"):
            if key not in entry:
                raise BundleError(manifest_name, f"{where} needs {key}")
        name = str(entry["file"])
        if name == "*":
            continue
        if name not in own:
            raise BundleError(f"{folder}/{name}", f"missing (named by {manifest_name})")
    return Section(folder, manifest, templates, own)


def _input_type(schema: dict[str, Any], member: str) -> dict[str, Any]:
    inner = schema["schema"]
    name = inner.get(member)
    if not isinstance(name, str) or not name:
        raise BundleError(SCHEMA_FILE, f"missing property [{member}]")
    types = inner.get("types")
    if not isinstance(types, dict) or not isinstance(types.get(name), dict):
        raise BundleError(SCHEMA_FILE, f"{member} {name} is not defined under schema.types")
    found: dict[str, Any] = types[name]
    return found


def read_bundle(
    data: bytes, location: str, kind: str, provisioning: Optional[str], check_type: Any = None
) -> Bundle:
    """The bundle of a template of `kind` ("environment" or "service"); `provisioning` is the
    template's provisioning / pipelineProvisioning. `check_type(type, name)` raises ValueError
    on an input type that is not a valid schema object."""
    return bundle_of_files(archive_members(data), location, kind, provisioning, check_type)


def bundle_of_files(
    raw: dict[str, bytes],
    location: str,
    kind: str,
    provisioning: Optional[str],
    check_type: Any = None,
) -> Bundle:
    """`read_bundle` for files already out of the archive (path inside the bundle -> bytes)."""
    root = _root(raw)
    files = {name[len(root) :]: _text(name[len(root) :], body) for name, body in raw.items()}
    schema_text = files[SCHEMA_FILE]
    schema = _yaml(schema_text, SCHEMA_FILE)
    if not isinstance(schema, dict) or not isinstance(schema.get("schema"), dict):
        raise BundleError(SCHEMA_FILE, "must be a mapping with a schema: section")
    inner = schema["schema"]
    if not isinstance(inner.get("format"), dict) or "openapi" not in inner["format"]:
        raise BundleError(SCHEMA_FILE, 'needs schema.format.openapi ("3.0.0")')
    input_types: dict[str, dict[str, Any]] = {}
    sections: dict[str, Section] = {}
    customer_managed = provisioning == CUSTOMER_MANAGED
    if kind == "environment":
        input_types["environment"] = _input_type(schema, "environment_input_type")
        has_infrastructure = any(n.startswith("infrastructure/") for n in files)
        if customer_managed and has_infrastructure:
            raise BundleError(
                "infrastructure/", "not allowed in a CUSTOMER_MANAGED environment template"
            )
        if not customer_managed:
            sections["infrastructure"] = _section("infrastructure", files)
    else:
        input_types["service"] = _input_type(schema, "service_input_type")
        sections["instance_infrastructure"] = _section("instance_infrastructure", files)
        if not customer_managed:
            input_types["pipeline"] = _input_type(schema, "pipeline_input_type")
            sections["pipeline_infrastructure"] = _section("pipeline_infrastructure", files)
    if check_type is not None:
        for which, type_schema in input_types.items():
            try:
                check_type(type_schema)
            except ValueError as error:
                raise BundleError(SCHEMA_FILE, f"the {which} input type: {error}") from None
    return Bundle(location, schema_text, schema, input_types, sections)
