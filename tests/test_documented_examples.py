"""The AWS CLI walkthroughs of the AWS Proton User Guide, replayed against the server.

Each test takes one User Guide page whose CLI examples use implemented operations and replays
its `aws proton ...` commands in order through the AWS CLI against the `proton_server_url`
server, comparing every reply with the JSON the page prints. The pages' commands and replies
are kept verbatim in `tests/documented_examples/<page>.txt` (from awsdocs/aws-proton-user-guide,
`doc_source/<page>.md`, the text of https://docs.aws.amazon.com/proton/latest/userguide/).

A reply must have:

- the members the page prints, recursively, with the same values: statuses, names, template
  names and versions, descriptions, specs, ARNs (the page's `region-id` read as us-east-1, its
  example ids as the ids the server gave);
- timestamps in the format the page prints (the CLI's ISO 8601), and the page's own equalities
  and order among them: two timestamps printed equal anywhere on the page must be equal here
  (`createdAt` == `lastDeploymentAttemptedAt` of a first deployment, `lastDeploymentSucceededAt`
  == the `lastDeploymentAttemptedAt` of the deployment that succeeded), and one printed before
  another must not come after it here;
- no other members, except those the botocore model requires (the pages trim their examples:
  a create-environment reply without `templateMajorVersion`) and those added to the API after
  the pages were written (`lastAttemptedDeploymentId` and `lastSucceededDeploymentId` of
  deployment history, `lastClientRequestToken`).

Every other difference is relaxed at its step, with the reason, naming the page: mostly where
a page contradicts itself or the API model. Set-up that a page assumes (an environment that
must exist first) is done with boto3; time that a page lets pass (a deployment running) with
moto's state manager.

The CLI runs through its own driver (`awscli.clidriver`, the code the `aws` command runs) in
this process, one driver for the module, with `cli_timestamp_format = iso8601` as the pages
print timestamps: a new Python process per command would cost about a second each.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import json
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import boto3
import pytest
from botocore import xform_name

from moto_proton.api_model import service_model
from moto_proton.testing import ProtonMock

from .helpers import tags_of

PAGES = Path(__file__).parent / "documented_examples"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # the pages' own account, also moto's default
#: The accounts of ag-env-account-connections and ag-create-env's cross-account section.
ENVIRONMENT_ACCOUNT, MANAGEMENT_ACCOUNT = "222222222222", "111111111111"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: Members added to the API after the pages' examples were printed: deployment history (July
#: 2023) and the client token of UpdateServiceInstance (the pages' commands send none; the
#: CLI now fills one in).
NEWER_THAN_THE_PAGES = frozenset(
    {"lastAttemptedDeploymentId", "lastSucceededDeploymentId", "lastClientRequestToken"}
)
#: The pages' placeholder bucket "your_s3_bucket" is not a bucket name: the API's pattern
#: (^[a-z0-9]+[a-z0-9-\.]+[a-z0-9]+$) refuses underscores, so the replay names this one.
BUNDLE = {"s3": {"bucket": "your-s3-bucket", "key": "your_s3_key"}}
SERVICE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/ProtonServiceRole"
#: The role the pages pass as pipeline service role and, in commands, as Proton service role.
AWS_PROTON_ROLE = f"arn:aws:iam::{ACCOUNT}:role/AWSProtonServiceRole"
#: The pages' example pipeline ARN ends in an id; the mock's (and other answers on the same
#: pages: ag-svc-pipeline-update's get-service and cancel) end in `/pipeline`.
PIPELINE_ID_SUFFIX = "/pipeline/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
EXAMPLE_ID = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"


# --- the pages, as stored -------------------------------------------------------------------


@dataclass
class Example:
    command: str  # as printed, continuation lines joined
    printed: Optional[dict[str, Any]]


@dataclass
class PageText:
    name: str
    examples: dict[str, Example] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def _join_command(lines: list[str]) -> tuple[str, list[str]]:
    """The command at the start of `lines` (a line ending in a backslash, or followed by an
    indented `--option` line, continues) and the lines after it."""
    parts: list[str] = []
    rest = list(lines)
    while rest:
        line = rest.pop(0)
        continued = line.rstrip().endswith("\\")
        parts.append(line.rstrip().rstrip("\\").strip())
        # ag-svc-update prints `$ aws proton update-service ` with no backslash before its
        # indented options: read those as the same command, as the page means.
        if not continued and not (rest and rest[0].lstrip().startswith("--")):
            break
    return " ".join(p for p in parts if p), rest


def load_page(name: str) -> PageText:
    page = PageText(name)
    text = (PAGES / f"{name}.txt").read_text()
    for section in text.split("\n=== ")[1:]:
        header, _, body = section.partition("\n")
        lines = body.split("\n")
        while lines and lines[0].startswith("#"):
            lines.pop(0)
        if header.startswith("file "):
            content = "\n".join(lines).rstrip("\n") + "\n"
            page.files[header.removeprefix("file ").strip()] = content
            continue
        command, rest = _join_command(lines)
        response = "\n".join(rest).strip()
        printed = json.loads(response) if response else None
        page.examples[header.strip()] = Example(command, printed)
    return page


# --- the CLI ---------------------------------------------------------------------------------


class AwsCli:
    """The AWS CLI's driver, reused for every command (credentials set per account)."""

    def __init__(self, config_file: Path):
        from awscli.clidriver import create_clidriver

        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("AWS_CONFIG_FILE", str(config_file))
            patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
            for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
                patch.delenv(name, raising=False)
            self.driver = create_clidriver()
            self.driver.session.get_scoped_config()  # read the config file now

    def run(self, args: list[str], credentials: dict[str, str]) -> tuple[int, str, str]:
        self.driver.session.set_credentials(
            credentials["AccessKeyId"],
            credentials["SecretAccessKey"],
            credentials.get("SessionToken"),
        )
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = self.driver.main(args)
        return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def aws_cli(tmp_path_factory: pytest.TempPathFactory) -> AwsCli:
    config = tmp_path_factory.mktemp("aws") / "config"
    config.write_text("[default]\ncli_timestamp_format = iso8601\n")
    return AwsCli(config)


_MODEL = service_model()
_OPERATIONS = {xform_name(name, "-"): name for name in _MODEL.operation_names}


# --- comparing a reply with the page ---------------------------------------------------------


def _generic(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "[]", path)


def _hit(options: dict[str, Any], path: str) -> bool:
    return path in options or _generic(path) in options


def _get(options: dict[str, Any], path: str) -> Any:
    return options[path] if path in options else options[_generic(path)]


@dataclass
class Stamp:
    where: str
    printed: datetime.datetime
    actual: datetime.datetime
    group: str


@dataclass
class Relaxed:
    """How one step may differ from the page; every entry's value says why (or is the value
    expected instead). Paths are the reply's members, dotted (`environment.spec`), with `[]`
    for any item of a list and `[<key>]` for one item of an unordered list."""

    missing: dict[str, str] = field(default_factory=dict)  # printed, not answered
    extra: dict[str, str] = field(default_factory=dict)  # answered, not printed
    override: dict[str, Any] = field(default_factory=dict)  # path -> the value expected
    rename: dict[str, str] = field(default_factory=dict)  # printed key path -> answered key
    unordered: dict[str, str] = field(default_factory=dict)  # list path -> key of its items
    untimed: dict[str, str] = field(default_factory=dict)  # timestamps left off the timeline


class Page:
    """One page's replay: its commands, run in order, each reply compared with the page."""

    def __init__(self, name: str, cli: AwsCli, url: str, workdir: Path):
        self.text = load_page(name)
        self.name = name
        self.cli = cli
        self.url = url
        self.workdir = workdir
        #: The page's example values (ids, placeholders) -> this run's.
        self.names: dict[str, str] = {"region-id": REGION, "your_s3_bucket": "your-s3-bucket"}
        self.stamps: list[Stamp] = []
        self.credentials: dict[str, dict[str, str]] = {
            ACCOUNT: {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
        }
        self.replayed: list[str] = []
        self.skipped: dict[str, str] = {}

    # -- files and names ---------------------------------------------------------------

    def file(self, key: str, path: Optional[str] = None) -> str:
        """Write the page's file `key` (at `path`, by default `key`); its content."""
        content = self.text.files[key]
        target = self.workdir / (path or key)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
        return content

    def write(self, path: str, content: str) -> None:
        """A file the page's commands read but the page does not show."""
        target = self.workdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)

    def _named(self, text: str, names: dict[str, str]) -> str:
        for old, new in sorted(names.items(), key=lambda item: -len(item[0])):
            text = text.replace(old, new)
        return text

    def _account(self, account_id: str) -> dict[str, str]:
        if account_id not in self.credentials:
            sts = boto3.client(
                "sts",
                region_name=REGION,
                endpoint_url=self.url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            self.credentials[account_id] = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account_id}:role/proton-guide", RoleSessionName="guide"
            )["Credentials"]
        return self.credentials[account_id]

    # -- running -------------------------------------------------------------------------

    def skip(self, label: str, reason: str) -> None:
        """A command of the page that is not replayed (an operation not implemented yet)."""
        assert label in self.text.examples, f"{self.name} has no example {label}"
        self.skipped[label] = reason

    def run(
        self,
        label: str,
        *,
        account: str = ACCOUNT,
        fix: Optional[dict[str, str]] = None,
        names: Optional[dict[str, str]] = None,
        learn: Optional[dict[str, str]] = None,
        relaxed: Optional[Relaxed] = None,
        timeline: str = "page",
        cwd: Optional[str] = None,
    ) -> Any:
        """Run the page's command `label` and compare the reply with the page; the reply.

        `fix`: text replacements in the command (each must occur); `names`: more of the
        page's values to read as this run's, for this step only; `learn`: a page value ->
        the path in this reply of the value it stands for (an id the server chose), for this
        and the later steps; `timeline`: the page's timestamps of this step come from another
        run than the rest of the page, so compare them only with those of the steps that name
        the same timeline.
        """
        example = self.text.examples[label]
        where = f"{self.name} / {label}"
        command = example.command
        for old, new in (fix or {}).items():
            assert old in command, f"{where}: the command no longer contains {old!r}"
            command = command.replace(old, new)
        args = shlex.split(self._named(command, {**self.names, **(names or {})}))
        if args[0] == "$":
            args.pop(0)
        assert args[:2] == ["aws", "proton"], f"{where}: not an aws proton command: {command}"
        args = [*args[1:], "--endpoint-url", self.url, "--region", REGION, "--output", "json"]
        with _chdir(self.workdir / (cwd or ".")):
            code, out, err = self.cli.run(args, self._account(account))
        assert code == 0, f"{where}: `{command}` failed ({code}):\n{err}"
        self.replayed.append(label)
        reply = json.loads(out) if out.strip() else None
        if example.printed is None:
            return reply
        for value, path in (learn or {}).items():
            learned = _at(reply, path)
            assert isinstance(learned, str) and UUID.match(learned), f"{where}: {path}"
            self.names[value] = learned
        step_names = {**self.names, **(names or {})}
        printed = json.loads(self._named(json.dumps(example.printed), step_names))
        operation = _OPERATIONS.get(args[1])
        shape = _MODEL.operation_model(operation).output_shape if operation else None
        problems: list[str] = []
        self._compare(
            reply,
            printed,
            shape,
            "",
            problems,
            relaxed or Relaxed(),
            timeline,
            where,
        )
        assert not problems, f"{where}: the reply differs from the page:\n" + "\n".join(problems)
        return reply

    def _compare(
        self,
        actual: Any,
        printed: Any,
        shape: Any,
        path: str,
        problems: list[str],
        relaxed: Relaxed,
        group: str,
        where: str,
    ) -> None:
        if path and _hit(relaxed.override, path):
            printed = _get(relaxed.override, path)
        if isinstance(printed, dict):
            if not isinstance(actual, dict):
                problems.append(f"{path}: {actual!r} is not a structure")
                return
            members = getattr(shape, "members", {})
            answered = set()
            for key, value in printed.items():
                sub = f"{path}.{key}" if path else key
                name = _get(relaxed.rename, sub) if _hit(relaxed.rename, sub) else key
                answered.add(name)
                if name not in actual:
                    if not _hit(relaxed.missing, sub):
                        problems.append(f"{sub}: printed by the page, missing from the reply")
                    continue
                real = f"{path}.{name}" if path else name
                self._compare(
                    actual[name], value, members.get(name), real, problems, relaxed, group, where
                )
            required = set(getattr(shape, "required_members", ()))
            for key in actual:
                sub = f"{path}.{key}" if path else key
                if key in answered or key in NEWER_THAN_THE_PAGES or key in required:
                    continue
                if not _hit(relaxed.extra, sub):
                    problems.append(f"{sub}: in the reply ({actual[key]!r}), not on the page")
            return
        if isinstance(printed, list):
            if not isinstance(actual, list):
                problems.append(f"{path}: {actual!r} is not a list")
                return
            member = getattr(shape, "member", None)
            if _hit(relaxed.unordered, path):
                key = _get(relaxed.unordered, path)
                mine = {item.get(key): item for item in actual}
                for item in printed:
                    sub = f"{path}[{item.get(key)}]"
                    if item.get(key) not in mine:
                        if not _hit(relaxed.missing, sub):
                            problems.append(f"{sub}: printed by the page, missing from the reply")
                        continue
                    self._compare(
                        mine.pop(item.get(key)), item, member, sub, problems, relaxed, group, where
                    )
                for value in mine:
                    if f"{path}[{value}]" not in relaxed.extra:
                        problems.append(f"{path}[{value}]: in the reply, not on the page")
                return
            if len(actual) != len(printed):
                problems.append(f"{path}: {len(actual)} items, the page prints {len(printed)}")
                return
            for index, (mine_item, item) in enumerate(zip(actual, printed)):
                self._compare(
                    mine_item, item, member, f"{path}[{index}]", problems, relaxed, group, where
                )
            return
        if isinstance(printed, str) and TIMESTAMP.match(printed):
            if not isinstance(actual, str) or not TIMESTAMP.match(actual):
                problems.append(f"{path}: {actual!r} is not a timestamp as the page prints them")
            elif not _hit(relaxed.untimed, path):
                self.stamps.append(
                    Stamp(
                        f"{where}: {path}",
                        datetime.datetime.fromisoformat(printed),
                        datetime.datetime.fromisoformat(actual),
                        group,
                    )
                )
            return
        if actual != printed:
            problems.append(f"{path}: {actual!r}, the page prints {printed!r}")

    def done(self) -> None:
        """The page's timestamps: equal ones equal here, ordered ones not reversed here."""
        problems = []
        for a, b in itertools.combinations(self.stamps, 2):
            if a.group != b.group:
                continue
            if a.printed == b.printed and a.actual != b.actual:
                problems.append(
                    f"printed equal, answered {a.actual} and {b.actual}:\n  {a.where}\n  {b.where}"
                )
            first, second = (a, b) if a.printed < b.printed else (b, a)
            if first.printed != second.printed and first.actual > second.actual:
                problems.append(
                    f"printed in this order, answered the other way round:\n  "
                    f"{first.where} ({first.actual})\n  {second.where} ({second.actual})"
                )
        assert not problems, f"{self.name}: timestamps\n" + "\n".join(problems)
        unrun = set(self.text.examples) - set(self.replayed) - set(self.skipped)
        assert not unrun, f"{self.name}: commands neither replayed nor skipped: {sorted(unrun)}"


@contextlib.contextmanager
def _chdir(path: Path) -> Iterator[None]:
    """contextlib.chdir, which Python 3.9 and 3.10 lack (the CLI reads file:// relative to
    the working directory)."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _at(document: Any, path: str) -> Any:
    for part in path.split("."):
        document = document[part]
    return document


# --- fixtures and set-up -----------------------------------------------------------------


@pytest.fixture
def server(proton_server_url: str, aws_credentials: dict[str, str]) -> Iterator[ProtonMock]:
    """Set-up and state-manager access to the server the CLI talks to."""
    with ProtonMock(endpoint_url=proton_server_url) as mock:
        yield mock


@pytest.fixture
def guide(server: ProtonMock, aws_cli: AwsCli, tmp_path: Path) -> Any:
    def page(name: str) -> Page:
        assert server.endpoint_url
        return Page(name, aws_cli, server.endpoint_url, tmp_path)

    return page


def setup(server: ProtonMock, account_id: str = ACCOUNT) -> Any:
    return server.client(account_id=account_id)


def environment_template(client: Any, name: str, minors: int = 1, **template: Any) -> None:
    """A template with versions 1.0 .. 1.<minors-1>, all published."""
    client.create_environment_template(name=name, **template)
    for minor in range(minors):
        client.create_environment_template_version(
            templateName=name, source=BUNDLE, **({"majorVersion": "1"} if minor else {})
        )
        client.get_environment_template_version(
            templateName=name, majorVersion="1", minorVersion=str(minor)
        )
        client.update_environment_template_version(
            templateName=name, majorVersion="1", minorVersion=str(minor), status="PUBLISHED"
        )


def service_template(
    client: Any,
    name: str,
    compatible: str = "simple-env",
    minors: int = 1,
    publish: bool = True,
    version: Optional[dict[str, Any]] = None,
    **template: Any,
) -> None:
    client.create_service_template(name=name, **template)
    for minor in range(minors):
        client.create_service_template_version(
            templateName=name,
            source=BUNDLE,
            compatibleEnvironmentTemplates=[{"templateName": compatible, "majorVersion": "1"}],
            **({"majorVersion": "1"} if minor else {}),
            **(version or {}),
        )
        client.get_service_template_version(
            templateName=name, majorVersion="1", minorVersion=str(minor)
        )
        if publish:
            client.update_service_template_version(
                templateName=name, majorVersion="1", minorVersion=str(minor), status="PUBLISHED"
            )


def environment(client: Any, name: str, template: str = "simple-env", **extra: Any) -> None:
    client.create_environment(
        name=name,
        templateName=template,
        templateMajorVersion="1",
        spec=extra.pop("spec", "proton: EnvironmentSpec\n"),
        protonServiceRoleArn=extra.pop("protonServiceRoleArn", SERVICE_ROLE),
        **extra,
    )
    client.get_environment(name=name)


def connection_arn(number: str) -> str:
    return f"arn:aws:codestar-connections:{REGION}:{ACCOUNT}:connection/a1b2c3d4-5678-90ab-cdef-EXAMPLE{number}"


def link_repository(client: Any) -> None:
    """The repository of the pages' self-managed environments, linked as AWS requires first
    (ag-create-env: "link your provisioning repository to AWS Proton")."""
    client.create_repository(
        name="myrepos/env-repo", provider="GITHUB", connectionArn=connection_arn("33333")
    )


def hold_deployments(server: ProtonMock) -> None:
    """The next deployment runs until it is read once after it started (the pages' "wait
    condition included in the template so that the cancellation starts before the update
    deployment succeeds"); a cancellation then settles at the following read."""
    server.set_transition("proton::deployment", {"progression": "manual", "times": 1})


# --- templates -----------------------------------------------------------------------------

#: template-create and template-view print recommendedMinorVersion "0" for a DRAFT environment
#: template version, yet no recommendedMinorVersion for DRAFT (or, on template-create, even a
#: PUBLISHED) service template version. The mock gives a major's recommended minor once one of
#: its minors is published, for both kinds.
DRAFT_RECOMMENDED = "recommendedMinorVersion of a DRAFT version (see DRAFT_RECOMMENDED)"
#: The pages print the `schema` of a template version's bundle. They don't show their bundles
#: (nor their CloudFormation templates), so the replay puts none in S3: no bundle, no schema.
NO_SCHEMA = "no bundle in S3 here, so no schema"


def test_template_create(guide: Any, server: ProtonMock) -> None:
    page = guide("template-create")
    # The page's standard and customer managed templates are alternatives with one name:
    # test_template_create_customer_managed replays the second kind.
    page.skip("create-environment-template-customer-managed", "replayed in its own test")
    page.skip("create-service-template-customer-managed", "replayed in its own test")

    page.run(
        "create-environment-template",
        # template-create: the command passes --display-name "Fargate", the reply it prints
        # says "VPC".
        relaxed=Relaxed(override={"environmentTemplate.displayName": "Fargate"}),
    )
    page.run("create-environment-template-version")
    page.run(
        "get-environment-template-version",
        relaxed=Relaxed(
            # template-create prints this reply's structure as "environment"; template-view
            # prints the same command's reply as "environmentTemplateVersion", the model's
            # member of GetEnvironmentTemplateVersionOutput.
            rename={"environment": "environmentTemplateVersion"},
            missing={
                "environmentTemplateVersion.schema": NO_SCHEMA,
                "environmentTemplateVersion.recommendedMinorVersion": DRAFT_RECOMMENDED,
            },
        ),
    )
    page.run(
        "update-environment-template-version",
        relaxed=Relaxed(missing={"environmentTemplateVersion.schema": NO_SCHEMA}),
    )
    arn = f"arn:aws:proton:{REGION}:{ACCOUNT}:environment-template/simple-env"
    tags = page.run("list-tags-for-resource")["tags"]
    # The page prints no reply; resources says AWS adds its managed tags to every template.
    assert {t["key"]: t["value"] for t in tags} == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": arn,
    }

    page.run("create-service-template")
    # template-create prints the replies of create- and get-service-template-version as
    # "serviceTemplateMinorVersion"; its update reply, like the model, "serviceTemplateVersion".
    minor_version = {"serviceTemplateMinorVersion": "serviceTemplateVersion"}
    page.run("create-service-template-version", relaxed=Relaxed(rename=minor_version))
    page.run(
        "get-service-template-version",
        relaxed=Relaxed(rename=minor_version, missing={"serviceTemplateVersion.schema": NO_SCHEMA}),
    )
    page.run(
        "update-service-template-version",
        relaxed=Relaxed(
            missing={"serviceTemplateVersion.schema": NO_SCHEMA},
            # The reply prints lastModifiedAt == createdAt, the time before the update; the
            # get right after prints the time of the update (23:03:04.767), as the environment
            # template version's update reply above does.
            untimed={"serviceTemplateVersion.lastModifiedAt": "the time before the update"},
        ),
    )
    page.run(
        "get-service-template-version-published",
        relaxed=Relaxed(
            rename=minor_version,
            missing={"serviceTemplateVersion.schema": NO_SCHEMA},
            # The update reply just before prints recommendedMinorVersion "0" for this
            # version; this get leaves it out.
            extra={"serviceTemplateVersion.recommendedMinorVersion": "printed by the update"},
        ),
    )
    page.done()


def test_template_create_customer_managed(guide: Any) -> None:
    page = guide("template-create")
    for label in list(page.text.examples):
        if not label.endswith("-customer-managed"):
            page.skip(label, "replayed in test_template_create")
    page.run(
        "create-environment-template-customer-managed",
        # As for the standard template: the command says "Fargate", the reply "VPC".
        relaxed=Relaxed(override={"environmentTemplate.displayName": "Fargate"}),
    )
    page.run("create-service-template-customer-managed")
    page.done()


def test_template_view(guide: Any, server: ProtonMock) -> None:
    page = guide("template-view")
    client = setup(server)
    # In the order of the page's timestamps: simple-env-1, simple-env-3, simple-env's 1.0.
    environment_template(client, "simple-env-1", description="Some SSM Parameters")
    environment_template(
        client, "simple-env-3", displayName="VPC", description="VPC with Public Access"
    )
    client.create_environment_template(name="simple-env")
    client.create_environment_template_version(
        templateName="simple-env", source=BUNDLE, description="Version 1"
    )
    service_template(client, "fargate-service", publish=False, version={"description": "Version 1"})
    client.create_service_template(
        name="simple-svc-template-cli", pipelineProvisioning="CUSTOMER_MANAGED"
    )

    page.run(
        "get-environment-template-version",
        relaxed=Relaxed(
            missing={
                "environmentTemplateVersion.schema": NO_SCHEMA,
                "environmentTemplateVersion.recommendedMinorVersion": DRAFT_RECOMMENDED,
            }
        ),
    )
    page.run(
        "list-environment-templates",
        relaxed=Relaxed(
            # The page lists simple-env-3 before simple-env-1 (newest first, or by name
            # descending); ListEnvironmentTemplates documents no order and the mock lists by
            # name.
            unordered={"templates": "name"},
            # The page's own get above shows simple-env, which its list leaves out.
            extra={"templates[simple-env]": "template-view's get shows it exists"},
        ),
    )
    page.run(
        "get-service-template-version",
        relaxed=Relaxed(
            # As on template-create: the model's member is serviceTemplateVersion.
            rename={"serviceTemplateMinorVersion": "serviceTemplateVersion"},
            missing={"serviceTemplateVersion.schema": NO_SCHEMA},
        ),
    )
    page.run(
        "get-service-template",
        relaxed=Relaxed(
            # ServiceTemplate has no status in the API model (its versions have).
            missing={"serviceTemplate.status": "not a member of ServiceTemplate"}
        ),
    )
    page.done()


def test_template_update(guide: Any, server: ProtonMock) -> None:
    page = guide("template-update")
    environment_template(setup(server), "simple-env")
    version_members = "a template version's member, not one of EnvironmentTemplate"
    page.run(
        "update-environment-template",
        relaxed=Relaxed(
            # template-update prints, under environmentTemplate, the members of the template's
            # version 1.0 (the model's EnvironmentTemplate has none of them) and leaves out
            # the template's recommendedVersion.
            missing={
                f"environmentTemplate.{member}": version_members
                for member in (
                    "majorVersion",
                    "minorVersion",
                    "recommendedMinorVersion",
                    "schema",
                    "status",
                    "statusMessage",
                    "templateName",
                )
            },
            extra={"environmentTemplate.recommendedVersion": "the page prints 1.0's members"},
        ),
    )
    page.done()


def test_template_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("template-delete")
    client = setup(server)
    client.create_environment_template(
        name="simple-env", displayName="VPC", description="VPC with Public Access"
    )
    client.create_environment_template_version(
        templateName="simple-env", source=BUNDLE, description="Version 1"
    )
    client.get_environment_template_version(
        templateName="simple-env", majorVersion="1", minorVersion="0"
    )
    client.update_environment_template_version(
        templateName="simple-env", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    service_template(client, "fargate-service")

    # The reply of deleting a major's last version has no recommendedMinorVersion (none is
    # left), as the page prints.
    page.run("delete-environment-template-version")
    page.run(
        "delete-environment-template",
        relaxed=Relaxed(
            # The page prints recommendedVersion "1.0" for a template whose only version it
            # deleted just before (and a template can only be deleted without versions).
            missing={"environmentTemplate.recommendedVersion": "its versions are deleted"},
            # Printed after its version's lastModifiedAt: changed by deleting the version (or
            # the template); the mock changes a template's lastModifiedAt only by
            # UpdateEnvironmentTemplate (template-view lists templates whose published
            # versions left it at createdAt).
            untimed={"environmentTemplate.lastModifiedAt": "changed by the deletion"},
        ),
    )
    # Printed from a run in which fargate-service 1.0 was registered after simple-env was
    # deleted (2020-11-28); here its compatible environment template had to exist first.
    page.run(
        "delete-service-template-version",
        timeline="another run",
    )
    page.done()


# --- environments ----------------------------------------------------------------------------

#: The pages print an environment's spec in get and cancel replies, not in the replies of
#: create, update and delete (which also leave out members the model requires); the mock's
#: replies all carry it.
ENV_SPEC = "printed by get- and cancel-environment(-deployment) replies"


def test_ag_create_env(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-create-env")
    environment_template(setup(server), "simple-env")
    page.file("env-spec.yaml")
    created = page.run(
        "create-environment",
        relaxed=Relaxed(
            # The command passes AWSProtonServiceRole; the reply prints ProtonServiceRole.
            override={"environment.protonServiceRoleArn": AWS_PROTON_ROLE},
            extra={"environment.spec": ENV_SPEC},
        ),
    )["environment"]
    tags = page.run("list-tags-for-resource")["tags"]
    # No reply printed; resources: AWS's managed tags of an environment.
    assert {t["key"]: t["value"] for t in tags} == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": f"arn:aws:proton:{REGION}:{ACCOUNT}:environment-template/simple-env",
        "aws:proton:environment": created["arn"],
    }

    # Cross-account: the environment account 222222222222 asks, 111111111111 manages.
    environment_template(setup(server, MANAGEMENT_ACCOUNT), "simple-env-template", minors=2)
    page.run(
        "create-environment-account-connection",
        account=ENVIRONMENT_ACCOUNT,
        learn={EXAMPLE_ID: "environmentAccountConnection.id"},
    )
    page.run("accept-environment-account-connection", account=MANAGEMENT_ACCOUNT)
    page.run("get-environment-account-connection", account=MANAGEMENT_ACCOUNT)
    page.write("simple-env-template/specs/original.yaml", "proton: EnvironmentSpec\nspec: {}\n")
    page.run(
        "create-environment-connected",
        account=MANAGEMENT_ACCOUNT,
        # Printed from another run: created (23:02:57) before its connection was requested.
        timeline="another run",
        relaxed=Relaxed(extra={"environment.spec": ENV_SPEC}),
    )

    # Self-managed provisioning through a repository (AWS needs it linked first).
    client = setup(server)
    environment_template(client, "pr-env-template")
    link_repository(client)
    page.file("pr-env-spec.yaml", "env-spec.yaml")
    # The self-managed deployment waits for the notification below (the pull request merged
    # and provisioned), as AWS's does.
    server.set_transition("proton::deployment", {"progression": "manual", "times": 100})
    page.run(
        "create-environment-self-managed",
        relaxed=Relaxed(extra={"environment.spec": ENV_SPEC}),
    )
    assert client.get_environment(name="pr-environment")["environment"]["deploymentStatus"] == (
        "IN_PROGRESS"
    )
    # The page prints no reply (the API's is empty).
    assert page.run("notify-resource-deployment-status-change") is None
    assert client.get_environment(name="pr-environment")["environment"]["deploymentStatus"] == (
        "SUCCEEDED"
    )
    page.done()


def test_ag_env_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-view")
    client = setup(server)
    environment_template(client, "simple-env")
    # The environment of ag-create-env (the same createdAt on both pages), created with that
    # page's env-spec.yaml.
    environment(client, "MySimpleEnv", spec=load_page("ag-create-env").files["env-spec.yaml"])
    page.run("get-environment", relaxed=Relaxed())
    page.done()


def test_ag_env_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-update")
    client = setup(server)
    environment_template(client, "simple-env", minors=3)
    environment(
        client,
        "MySimpleEnv",
        templateMinorVersion="0",
        spec=load_page("ag-create-env").files["env-spec.yaml"],
    )
    # The page does not show its spec.yaml: it holds the spec the get reply prints after it.
    spec = page.text.examples["get-environment"].printed["environment"]["spec"]
    page.write("spec.yaml", spec)
    page.run(
        "update-environment",
        # The page reads its spec from /spec.yaml, at the root of the file system.
        fix={"file:///spec.yaml": "file://spec.yaml"},
        relaxed=Relaxed(extra={"environment.spec": ENV_SPEC}),
    )
    page.run(
        "get-environment",
        # The page prints the environment's name as "environmentName", a member Environment
        # does not have; its other replies print "name".
        relaxed=Relaxed(rename={"environment.environmentName": "name"}),
    )

    # Self-managed: a pull request to the repository; the page's notification is not replayed.
    environment_template(client, "pr-env-template", minors=2)
    link_repository(client)
    client.create_environment(
        name="pr-environment",
        templateName="pr-env-template",
        templateMajorVersion="1",
        templateMinorVersion="0",
        provisioningRepository={"branch": "main", "name": "myrepos/env-repo", "provider": "GITHUB"},
        spec=load_page("ag-create-env").files["pr-env-spec.yaml"],
    )
    # The page's get reply prints the new spec as YAML that does not parse (a key indented by
    # one space after one indented by three), which AWS would not have accepted: the file has
    # both keys at one indentation.
    modified = 'proton: EnvironmentSpec\nspec:\n  ssm_parameter_value: "test"\n'
    modified += '  ssm_another_parameter_value: "update"\n'
    page.write("env-spec-mod.yaml", modified)
    # Printed from another run (November 2021; the page's other examples are of April 2021).
    page.run(
        "update-environment-self-managed",
        timeline="self-managed",
        relaxed=Relaxed(extra={"environment.spec": ENV_SPEC}),
    )
    page.run(
        "get-environment-self-managed",
        timeline="self-managed",
        relaxed=Relaxed(override={"environment.spec": modified}),
    )
    page.skip(
        "notify-resource-deployment-status-change",
        # Printed after the get above shows the update SUCCEEDED; AWS, like the mock, takes a
        # notification for a deployment IN_PROGRESS only (ConflictException otherwise).
        # ag-create-env replays the same notification where it belongs.
        "notifies a deployment the page already prints SUCCEEDED",
    )

    # Cancel an update to minor version 2 while it runs.
    hold_deployments(server)
    client.update_environment(
        name="MySimpleEnv",
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="2",
    )
    # CANCELLING without deploymentStatusMessage; "User initiated cancellation." once CANCELLED.
    page.run("cancel-environment-deployment")
    cancelled = page.run("get-environment-cancelled", relaxed=Relaxed())["environment"]
    assert cancelled["spec"] == spec
    page.done()


def test_ag_env_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-delete")
    client = setup(server)
    environment_template(client, "simple-env", minors=2)
    environment(client, "MySimpleEnv", templateMinorVersion="0")
    client.update_environment(
        name="MySimpleEnv",
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="1",
    )
    page.run(
        "delete-environment",
        relaxed=Relaxed(extra={"environment.spec": ENV_SPEC}),
    )
    page.done()


def test_ag_env_account_connections(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-env-account-connections")
    role = f"arn:aws:iam::{ENVIRONMENT_ACCOUNT}:role/service-role/env-account-proton-service-role"
    created = page.run(
        "create-environment-account-connection",
        account=ENVIRONMENT_ACCOUNT,
        learn={EXAMPLE_ID: "environmentAccountConnection.id"},
    )["environmentAccountConnection"]
    accepted = page.run("accept-environment-account-connection", account=MANAGEMENT_ACCOUNT)
    # The page rejects another connection (its reply names simple-env-reject) under the same
    # example id, printed from another run (requested at the same instant as the first).
    to_reject = setup(server, ENVIRONMENT_ACCOUNT).create_environment_account_connection(
        environmentName="simple-env-reject", roleArn=role, managementAccountId=MANAGEMENT_ACCOUNT
    )["environmentAccountConnection"]["id"]
    page.run(
        "reject-environment-account-connection",
        account=MANAGEMENT_ACCOUNT,
        names={EXAMPLE_ID: to_reject},
        timeline="another run",
        relaxed=Relaxed(
            # Printed as lastModifiedAt == requestedAt: rejected in the instant it was asked.
            untimed={"environmentAccountConnection.lastModifiedAt": "the request's time"}
        ),
    )
    page.run("get-environment-account-connection", account=ENVIRONMENT_ACCOUNT)
    deleted = page.run(
        "delete-environment-account-connection",
        account=ENVIRONMENT_ACCOUNT,
        relaxed=Relaxed(
            # The reply prints lastModifiedAt == requestedAt, from before the accept; the
            # page's get just before prints the accept's time, which the reply keeps here.
            untimed={"environmentAccountConnection.lastModifiedAt": "before the accept"}
        ),
    )["environmentAccountConnection"]
    last_accepted = accepted["environmentAccountConnection"]["lastModifiedAt"]
    assert deleted["lastModifiedAt"] == last_accepted
    assert deleted["id"] == created["id"]
    page.done()


# --- services ----------------------------------------------------------------------------

#: The pages leave the pipeline out of create-, update- and delete-service replies, and print
#: it in get-service replies (ag-svc-view, ag-svc-pipeline-update); the mock's replies carry it.
PIPELINE = "printed by get-service replies"


def services_setup(server: ProtonMock, *environments: str, templates: dict[str, int]) -> Any:
    """simple-env, the named environments from it, service templates (name -> number of minor
    versions; those named *-no-pipeline without a pipeline) and the pipeline role."""
    client = setup(server)
    environment_template(client, "simple-env")
    for name in environments:
        environment(client, name)
    for name, minors in templates.items():
        service_template(
            client,
            name,
            minors=minors,
            **({"pipelineProvisioning": "CUSTOMER_MANAGED"} if "no-pipeline" in name else {}),
        )
    client.update_account_settings(pipelineServiceRoleArn=AWS_PROTON_ROLE)
    return client


def test_ag_create_svc(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-create-svc")
    services_setup(
        server, "ENV_NAME", templates={"fargate-service": 1, "fargate-service-no-pipeline": 1}
    )
    settings = page.run("update-account-settings")["accountSettings"]
    assert settings["pipelineServiceRoleArn"] == AWS_PROTON_ROLE  # no reply printed
    page.file("spec.yaml")
    page.run(
        "create-service",
        relaxed=Relaxed(
            extra={
                # The command passes --branch-name "mainline"; the page's other service
                # replies (ag-svc-view, ag-svc-update) print branchName.
                "service.branchName": "passed by the command",
                "service.pipeline": PIPELINE,
            }
        ),
    )
    page.file("spec-no-pipeline.yaml")
    page.run(
        "create-service-no-pipeline",
        # The command names fargate-service, a template with a pipeline (the service above),
        # without repository parameters; the page says a template without a pipeline is
        # needed, and its reply names fargate-service-no-pipeline.
        fix={'--template-name "fargate-service"': '--template-name "fargate-service-no-pipeline"'},
        # Printed with the same times as the service above.
        timeline="another run",
    )
    page.done()


def test_ag_svc_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-view")
    client = services_setup(
        server, "my-simple-env", templates={"svc-simple": 2, "svc-simple-no-pipeline": 1}
    )
    printed = page.text.examples
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        spec=printed["get-service"].printed["service"]["spec"],
        repositoryConnectionArn=connection_arn("22222"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    client.create_service(
        name="simple-svc-no-pipeline",
        templateName="svc-simple-no-pipeline",
        templateMajorVersion="1",
        spec=printed["get-service-no-pipeline"].printed["service"]["spec"],
    )
    page.run("get-service", names={PIPELINE_ID_SUFFIX: "/pipeline"})
    page.run(
        "get-service-no-pipeline",
        # The command gets simple-svc-no-pipeline; the reply names simple-svc-without-pipeline.
        names={"simple-svc-without-pipeline": "simple-svc-no-pipeline"},
        # Printed with the same times as simple-svc.
        timeline="another run",
    )
    page.done()


def test_ag_svc_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-update")
    client = services_setup(server, "simple-env", templates={"fargate-service": 1})
    client.create_service(
        name="MySimpleService",
        templateName="fargate-service",
        templateMajorVersion="1",
        spec=page.text.files["spec-before-the-edit"],
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="my-repository/myorg-myapp",
        branchName="main",
    )
    page.run("update-service-description", relaxed=Relaxed(extra={"service.pipeline": PIPELINE}))
    # ListServiceInstances sorts by serviceName, then name, ascending by default (API
    # reference); the page's lists are in descending name order.
    by_name = {"serviceInstances": "name"}
    page.run(
        "list-service-instances",
        relaxed=Relaxed(
            unordered=by_name,
            # The page prints serviceName "example-svc" for instances whose ARNs, and the
            # page's next list, name MySimpleService.
            override={"serviceInstances[].serviceName": "MySimpleService"},
            missing={
                "serviceInstances[my-instance].serviceTemplateArn": (
                    "not a member of ServiceInstanceSummary"
                )
            },
        ),
    )
    page.file("spec-edited-with-current-values", "spec.yaml")
    page.run("update-service-spec", relaxed=Relaxed(extra={"service.pipeline": PIPELINE}))
    page.run(
        "list-service-instances-after-the-edit",
        relaxed=Relaxed(
            unordered=by_name,
            # Printed with the service's createdAt, though the edit added it 16 minutes later.
            untimed={"serviceInstances[yet-another-instance].createdAt": "the service's"},
        ),
    )
    page.done()


def test_ag_svc_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-delete")
    client = services_setup(server, "simple-env", templates={"fargate-service": 1})
    client.create_service(
        name="simple-svc",
        templateName="fargate-service",
        templateMajorVersion="1",
        spec=load_page("ag-svc-update").files["spec-before-the-edit"],
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    client.get_service(name="simple-svc")
    client.update_service(name="simple-svc", description="Edit by updating description")
    page.run("delete-service", relaxed=Relaxed(extra={"service.pipeline": PIPELINE}))
    page.done()


def test_ag_svc_instance_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-instance-view")
    client = services_setup(server, "simple-env", templates={"svc-simple": 1})
    # The page's get reply prints the spec with the instance in my-simple-env, and the
    # instance in simple-env (as its list reply does): the spec is read with simple-env.
    in_simple_env = {"my-simple-env": "simple-env"}
    spec = page.text.examples["get-service-instance"].printed["serviceInstance"]["spec"]
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        spec=spec.replace("my-simple-env", "simple-env"),
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    page.run(
        "list-service-instances",
        relaxed=Relaxed(
            # ServiceInstanceSummary has environmentName (required), not environmentArn.
            missing={"serviceInstances[].environmentArn": "not a member of the summary"},
            # The list prints templateName fargate-service, the get svc-simple.
            override={"serviceInstances[].templateName": "svc-simple"},
        ),
    )
    page.run("get-service-instance", names=in_simple_env)
    page.done()


def test_ag_svc_instance_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-instance-update")
    client = services_setup(server, "simple-env", "kls-simple-env", templates={"svc-simple": 3})
    # The spec the page's get replies print for instance-one. The page's service-spec.yaml
    # names my-instance and my-other-instance, not instance-one, which the command updates:
    # the command reads the spec it deploys instead.
    spec = page.text.examples["get-service-instance"].printed["serviceInstance"]["spec"]
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        templateMinorVersion="0",
        spec=spec,
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="myorg/myapp",
        branchName="mainline",
    )
    client.get_service(name="simple-svc")
    page.write("service-spec.yaml", spec)
    page.run(
        "update-service-instance",
        relaxed=Relaxed(
            # The reply prints the environment's ARN as environmentName; the page's other
            # replies print its name, as the model says.
            override={"serviceInstance.environmentName": "simple-env"},
            extra={"serviceInstance.spec": "printed by the get and cancel replies"},
        ),
    )
    page.run("get-service-instance")

    hold_deployments(server)
    client.update_service_instance(
        name="instance-one",
        serviceName="simple-svc",
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="2",
    )
    page.run(
        "cancel-service-instance-deployment",
        relaxed=Relaxed(
            # The cancel reply prints a spec of my-instance in MySimpleEnv; the get right after
            # prints instance-one's spec, which the cancelled deployment left as it was.
            override={"serviceInstance.spec": spec},
        ),
    )
    page.run("get-service-instance-cancelled")
    page.done()


def test_ag_svc_pipeline_update(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-svc-pipeline-update")
    client = services_setup(server, "simple-env", templates={"svc-simple": 3})
    # The spec the page's get-service replies print for the service and its pipeline.
    spec = page.text.examples["get-service"].printed["service"]["spec"]
    client.create_service(
        name="simple-svc",
        templateName="svc-simple",
        templateMajorVersion="1",
        templateMinorVersion="0",
        spec=spec,
        repositoryConnectionArn=connection_arn("11111"),
        repositoryId="repo-name/myorg-myapp",
        branchName="main",
    )
    client.get_service(name="simple-svc")
    page.write("service-spec.yaml", spec)  # not shown by the page
    page.run(
        "update-service-pipeline",
        # The page's command has no value for --service-name.
        fix={"--service-name --spec": "--service-name simple-svc --spec"},
        names={PIPELINE_ID_SUFFIX: "/pipeline"},
        relaxed=Relaxed(
            # The reply prints a spec of my-instance in MySimpleEnv; the get-service replies
            # right after print the pipeline's spec as instance-one in simple-env.
            override={"pipeline.spec": spec}
        ),
    )
    page.run("get-service")

    hold_deployments(server)
    client.update_service_pipeline(
        serviceName="simple-svc",
        spec=spec,
        deploymentType="MINOR_VERSION",
        templateMajorVersion="1",
        templateMinorVersion="2",
    )
    page.run(
        "cancel-service-pipeline-deployment",
        # The cancel replies of ag-env-update and ag-svc-instance-update print the spec.
        relaxed=Relaxed(extra={"pipeline.spec": "printed by the other cancel replies"}),
    )
    page.run("get-service-cancelled")
    page.done()


# --- tags and the getting-started tutorial ---------------------------------------------------


def test_resources_tagging(guide: Any, server: ProtonMock) -> None:
    page = guide("resources")
    client = setup(server)
    client.create_service_template(name="webservice")
    page.names["account-id"] = ACCOUNT
    arn = f"arn:aws:proton:{REGION}:{ACCOUNT}:service-template/webservice"
    assert page.run("tag-resource") is None  # the CLI prints nothing for an empty reply
    assert tags_of(client, arn)["mykey1"] == "myval1"
    assert page.run("untag-resource") is None
    tags = page.run("list-tags-for-resource")["tags"]
    # No reply printed. The page's table: AWS managed tags; aws:proton:account holds the
    # account id (ag-infrastructure-tmp-files-terraform prints "proton:account": "123456789012").
    assert {t["key"]: t["value"] for t in tags} == {
        "aws:proton:account": ACCOUNT,
        "aws:proton:template": arn,
    }
    page.done()


def test_ag_getting_started_cli(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-getting-started-cli")
    client = setup(server)
    client.update_account_settings(pipelineServiceRoleArn=AWS_PROTON_ROLE)  # a prerequisite
    # The page's placeholders for the fork of the sample templates (a repository name is
    # owner/name), linked as the page's prerequisites say.
    page.names.update(
        {
            "your-forked-repo": "myrepos/aws-proton-cloudformation-sample-templates",
            "your-branch": "main",
        }
    )
    link(client, page.names["your-forked-repo"])
    # The configurations are replayed; the page shows no commit of its own (the versions come
    # from the fork's existing bundles), so each version is registered with boto3.

    page.run("create-environment-template")
    page.run("create-template-sync-config-environment")
    client.create_environment_template_version(templateName="fargate-env", source=BUNDLE)
    page.run("wait-environment-template-version-registered")
    page.run("update-environment-template-version")

    page.run("create-service-template")
    page.run("create-template-sync-config-service")
    client.create_service_template_version(
        templateName="load-balanced-fargate-svc",
        source=BUNDLE,
        compatibleEnvironmentTemplates=[{"templateName": "fargate-env", "majorVersion": "1"}],
    )
    page.run("wait-service-template-version-registered")
    page.run("update-service-template-version")

    # The specs of the sample templates' spec/spec.yaml (not shown by the page), each read
    # from the template's directory, as the page says.
    page.write("env/spec/spec.yaml", "proton: EnvironmentSpec\nspec: {}\n")
    page.write(
        "svc/spec/spec.yaml",
        "proton: ServiceSpec\npipeline:\n  service_dir: ecs-static-website\n"
        "instances:\n  - name: load-balanced-fargate-svc-prod\n    environment: fargate-env-prod\n"
        "    spec:\n      port: 80\n",
    )
    page.run("create-environment", cwd="env")
    page.run("wait-environment-deployed")
    page.run("create-service", cwd="svc")
    page.run("wait-service-created")
    # What the sample template's stack outputs (nothing is really provisioned).
    from moto_proton.models import proton_backends

    instance = (
        proton_backends[ACCOUNT][REGION]
        .services["static-website"]
        .instances["load-balanced-fargate-svc-prod"]
    )
    url = page.text.examples["list-service-instance-outputs"].printed["outputs"][0]
    instance.outputs[instance.last_succeeded_deployment_id] = [url]
    page.run("list-service-instance-outputs")

    page.run("delete-service")
    page.run("delete-environment")
    # The template deletes below need the versions gone first (template-delete).
    page.run("delete-template-sync-config-service")
    client.delete_service_template_version(
        templateName="load-balanced-fargate-svc", majorVersion="1", minorVersion="0"
    )
    page.run("delete-service-template")
    page.run("delete-template-sync-config-environment")
    client.delete_environment_template_version(
        templateName="fargate-env", majorVersion="1", minorVersion="0"
    )
    page.run("delete-environment-template")
    page.done()


# --- repositories and sync -------------------------------------------------------------------

TEMPLATES_REPOSITORY = "myrepos/templates"


#: create-, view- and update-template-sync print the reply's structure as
#: "templateSyncConfigDetails"; the model's member (and delete-template-sync's) is
#: "templateSyncConfig".
SYNC_DETAILS = {"templateSyncConfigDetails": "templateSyncConfig"}


def link(client: Any, name: str, number: str = "11111") -> None:
    client.create_repository(name=name, provider="GITHUB", connectionArn=connection_arn(number))


def test_ag_create_repo(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-create-repo")
    page.run(
        "create-repository",
        relaxed=Relaxed(
            # The command passes the connection ...-EXAMPLE11111; the reply prints another
            # (2ad03b28-a7c4-EXAMPLE11111, not even a UUID).
            override={"repository.connectionArn": connection_arn("11111")}
        ),
    )
    tags = page.run("list-tags-for-resource")["tags"]
    # No reply printed; the command's customer managed tags.
    assert {t["key"]: t["value"] for t in tags} == {"mytag1": "value1", "mytag2": "value2"}
    page.done()


def test_ag_repo_view(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-repo-view")
    client = setup(server)
    link(client, TEMPLATES_REPOSITORY)
    link(client, "myrepos/environments")
    environment_template(client, "env-template")
    client.create_template_sync_config(
        templateName="env-template",
        templateType="ENVIRONMENT",
        repositoryName=TEMPLATES_REPOSITORY,
        repositoryProvider="GITHUB",
        branch="main",
    )
    commit = "62c03ff86eEXAMPLE1111111"
    server.push_to_repository(
        TEMPLATES_REPOSITORY,
        "main",
        {"env-template/v1/infrastructure/cloudformation.yaml": "Resources: {}\n"},
        commit_sha=commit,
    )
    page.run(
        "list-repositories",
        # ListRepositories documents no order; the mock lists by ARN.
        relaxed=Relaxed(unordered={"repositories": "name"}),
    )
    page.run("get-repository")
    definitions = page.run(
        "list-repository-sync-definitions",
        # ListRepositorySyncDefinitions has no branch parameter (the CLI refuses --branch).
        fix={'--branch "main" ': ""},
    )["syncDefinitions"]
    # No reply printed: the one template synced from the branch.
    assert [d["target"] for d in definitions] == ["env-template"]
    page.run("get-repository-sync-status")
    page.done()


def test_ag_repo_delete(guide: Any, server: ProtonMock) -> None:
    page = guide("ag-repo-delete")
    link(setup(server), TEMPLATES_REPOSITORY)
    # The page's command has no space between --provider and its value.
    page.run("delete-repository", fix={'--provider"GITHUB"': '--provider "GITHUB"'})
    page.done()


def test_create_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("create-template-sync")
    link(setup(server), TEMPLATES_REPOSITORY)
    page.run(
        "create-environment-template",
        relaxed=Relaxed(
            # The command passes no --display-name; status and templateName are no members of
            # EnvironmentTemplate (the model's; template-create's reply has neither).
            missing={
                "environmentTemplate.displayName": "not passed by the command",
                "environmentTemplate.status": "not a member of EnvironmentTemplate",
                "environmentTemplate.templateName": "not a member of EnvironmentTemplate",
            }
        ),
    )
    page.run(
        "create-template-sync-config",
        # The command passes --subdirectory "env-template/"; the reply prints "templates".
        relaxed=Relaxed(
            rename=SYNC_DETAILS, override={"templateSyncConfig.subdirectory": "env-template/"}
        ),
    )
    page.done()


def sync_template(
    client: Any, name: str, kind: str, repository: str, subdirectory: str, branch: str = "main"
) -> None:
    client.create_template_sync_config(
        templateName=name,
        templateType=kind,
        repositoryName=repository,
        repositoryProvider="GITHUB",
        branch=branch,
        subdirectory=subdirectory,
    )


def test_view_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("view-template-sync")
    client = setup(server)
    link(client, "myrepos/myrepo")
    environment_template(client, "env-template")
    service_template(client, "svc-template", compatible="env-template")
    sync_template(client, "svc-template", "SERVICE", "myrepos/myrepo", "svc-template")
    sync_template(client, "env-template", "ENVIRONMENT", "myrepos/myrepo", "env-template")
    page.run("get-template-sync-config", relaxed=Relaxed(rename=SYNC_DETAILS))
    page.run("get-template-sync-status")  # no reply printed
    page.done()


def test_update_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("update-template-sync")
    client = setup(server)
    link(client, TEMPLATES_REPOSITORY)
    environment_template(client, "env-template")
    sync_template(client, "env-template", "ENVIRONMENT", TEMPLATES_REPOSITORY, "templates")
    page.run(
        "update-template-sync-config",
        relaxed=Relaxed(
            # The command passes myrepos/templates and the subdirectory "env-template"; the
            # reply prints myrepos/myrepo and "templates".
            rename=SYNC_DETAILS,
            override={
                "templateSyncConfig.repositoryName": TEMPLATES_REPOSITORY,
                "templateSyncConfig.subdirectory": "env-template",
            },
        ),
    )
    page.done()


def test_delete_template_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("delete-template-sync")
    client = setup(server)
    link(client, TEMPLATES_REPOSITORY)
    environment_template(client, "env-template")
    sync_template(client, "env-template", "ENVIRONMENT", TEMPLATES_REPOSITORY, "env-template")
    page.run(
        "delete-template-sync-config",
        # The page prints only the template's name and type; the model requires the
        # configuration's repository and branch too (the page's other sync replies print
        # them), and the configuration has a subdirectory.
        relaxed=Relaxed(extra={"templateSyncConfig.subdirectory": "printed by the other pages"}),
    )
    page.done()


#: The service sync pages' service is "service name", not a service name (the API's pattern
#: has no spaces); the replay names it my-service.
SYNC_SERVICE = {"service name": "my-service"}
SYNC_REPOSITORY = "example/proton-sync-service"
OPS_FILE = "./configuration/custom-proton-ops.yaml"


def sync_service(server: ProtonMock, config: bool = True) -> Any:
    client = services_setup(server, "simple-env", templates={"fargate-service-no-pipeline": 1})
    client.create_service(
        name="my-service",
        templateName="fargate-service-no-pipeline",
        templateMajorVersion="1",
        spec="proton: ServiceSpec\ninstances:\n  - name: one\n    environment: simple-env\n",
    )
    link(client, SYNC_REPOSITORY)
    if config:
        client.create_service_sync_config(
            serviceName="my-service",
            repositoryName=SYNC_REPOSITORY,
            repositoryProvider="GITHUB",
            branch="main",
            filePath=OPS_FILE,
        )
    return client


def test_create_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("create-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server, config=False)
    page.run(
        "create-service-sync-config",
        # The page's options are not CreateServiceSyncConfig's (--service-name,
        # --repository-name, --branch, --file-path), and it marks the last "(optional)" in
        # the command itself.
        fix={
            '--resource "service-arn"': '--service-name "service name"',
            '--repository "': '--repository-name "',
            "--ops-file-branch": "--branch",
            f'--proton-ops-file "{OPS_FILE}" (optional)': f'--file-path "{OPS_FILE}"',
        },
    )
    page.done()


def test_get_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("get-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server)
    page.run("get-service-sync-config")
    page.skip(
        "get-service-sync-status",
        "not an operation: the API's are GetServiceInstanceSyncStatus and "
        "GetServiceSyncBlockerSummary (the CLI refuses get-service-sync-status)",
    )
    page.done()


def test_update_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("update-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server)
    page.run(
        "update-service-sync-config",
        # As on create-service-sync: UpdateServiceSyncConfig's options are --repository-name,
        # --branch and --file-path.
        fix={
            '--repository "': '--repository-name "',
            "--ops-file-branch": "--branch",
            '--ops-file "': '--file-path "',
        },
    )
    page.done()


def test_delete_service_sync(guide: Any, server: ProtonMock) -> None:
    page = guide("delete-service-sync")
    page.names.update(SYNC_SERVICE)
    sync_service(server)
    page.run("delete-service-sync-config")
    page.done()
