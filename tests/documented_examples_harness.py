"""What replays the AWS CLI walkthroughs of the AWS Proton User Guide against the server: the
pages as stored, the CLI, the comparison of a reply with the page, and the set-up the pages
assume. The tests are `tests/test_documented_examples.py` and
`tests/test_documented_examples_sync.py`.


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


# --- set-up the service, repository and sync pages share ------------------------------------


SYNC_REPOSITORY = "example/proton-sync-service"
OPS_FILE = "./configuration/custom-proton-ops.yaml"


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


def link(client: Any, name: str, number: str = "11111") -> None:
    client.create_repository(name=name, provider="GITHUB", connectionArn=connection_arn(number))


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
