"""The in-process shortcut for Proton's requests answers exactly as moto's generic path does,
answers nothing with `mock_aws` off, and leaves every other request to moto."""

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import boto3
import moto
import pytest
import requests
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber
from moto.moto_api import recorder
from moto.moto_api._internal import mock_random

from moto_proton import _fast_path
from moto_proton.responses import BotocoreProtonResponse

MANAGEMENT = "222222222222"
ROLE = "arn:aws:iam::123456789012:role/r"


#: Whether this moto's request path is the one the shortcut reproduces (else nothing is
#: installed, and every request takes moto's path).
SHORTCUT = _fast_path._moto_internals() is not None
needs_shortcut = pytest.mark.skipif(not SHORTCUT, reason="this moto's request path differs")


def test_the_shortcut_is_installed_exactly_where_moto_has_the_path_it_reproduces():
    assert _fast_path.installed() == SHORTCUT


@pytest.fixture
def shortcut_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The operations the shortcut answered."""
    calls: list[str] = []
    answer = BotocoreProtonResponse.answer_botocore.__func__  # type: ignore[attr-defined]

    def spy(cls: Any, request: Any, headers: Any, access_key: str, **options: Any) -> Any:
        calls.append(headers["X-Amz-Target"].split(".")[-1])
        return answer(cls, request, headers, access_key, **options)

    monkeypatch.setattr(BotocoreProtonResponse, "answer_botocore", classmethod(spy))
    return calls


def _timeless(value: Any) -> Any:
    """The answer with its timestamps (the only thing two runs may differ in) left out."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if not isinstance(v, datetime)}
    if isinstance(value, list):
        return [_timeless(item) for item in value]
    return value


def _session_of_calls() -> list[Any]:
    """Successes, a model error and a not-found, in two accounts, after seeding moto's ids."""
    requests.post("http://motoapi.amazonaws.com/moto-api/seed?a=7")
    client = boto3.client("proton", region_name="eu-west-1")
    other = boto3.client("proton", region_name="eu-west-1")
    other.meta.events.register(
        "before-sign.proton.*",
        lambda request, **_: request.headers.add_header("x-moto-account-id", "333333333333"),
    )
    outcomes: list[Any] = []

    def call(operation: Any, **kwargs: Any) -> None:
        try:
            response = operation(**kwargs)
        except operation.__self__.exceptions.ClientError as error:
            response = error.response
        metadata = response.pop("ResponseMetadata")
        headers = {k: v for k, v in metadata["HTTPHeaders"].items() if k != "date"}
        outcomes.append(
            (_timeless(response), metadata["HTTPStatusCode"], metadata["RequestId"], headers)
        )

    call(
        client.create_environment_account_connection,
        managementAccountId=MANAGEMENT,
        environmentName="env1",
        roleArn=ROLE,
    )
    call(client.list_environment_account_connections, requestedBy="ENVIRONMENT_ACCOUNT")
    call(other.list_environment_account_connections, requestedBy="ENVIRONMENT_ACCOUNT")
    call(client.get_environment_account_connection, id="a" * 5)
    call(client.get_environment_account_connection, id="0123456789abcdef")
    call(client.create_environment_template, name="vpc", description="<RequestId>x</RequestId>")
    call(client.list_environment_templates)
    return outcomes


def _on_the_shortcut_and_off(session: Callable[[], list[Any]]) -> tuple[list[Any], list[Any]]:
    """The outcomes of `session` under `mock_aws`, with the shortcut, then without it."""
    with mock_aws():
        fast = session()
    previous = _fast_path.set_enabled(False)
    try:
        with mock_aws():
            generic = session()
    finally:
        _fast_path.set_enabled(previous)
    return fast, generic


@needs_shortcut
def test_the_shortcut_and_moto_path_answer_the_same(aws_credentials, shortcut_calls):
    fast, generic = _on_the_shortcut_and_off(_session_of_calls)
    assert len(shortcut_calls) == len(fast)  # the shortcut answered every call, once
    assert fast == generic


def test_mock_aws_off_answers_nothing(aws_credentials):
    client = boto3.client("proton", region_name="us-east-1")
    captured: list[Any] = []

    def capture(request: Any, **_: Any) -> AWSResponse:
        captured.append(request)
        return AWSResponse(request.url, 500, {}, MockRawResponse(b"{}"))  # never the network

    client.meta.events.register("before-send.proton", capture)
    with pytest.raises(client.exceptions.ClientError):
        client.list_environment_templates()
    request = captured[0]
    assert botocore_stubber("before-send.proton", request=request) is None
    with mock_aws():
        answered = botocore_stubber("before-send.proton", request=request)
    assert answered is not None and answered.status_code == 200
    assert botocore_stubber("before-send.proton", request=request) is None


def test_a_bucket_named_proton_stays_with_s3(aws_credentials, shortcut_calls):
    with mock_aws():
        s3 = boto3.client(
            "s3",
            region_name="us-east-1",
            config=boto3.session.Config(s3={"addressing_style": "virtual"}),
        )
        s3.create_bucket(Bucket="proton")
        s3.put_object(Bucket="proton", Key="k", Body=b"v")
        assert s3.get_object(Bucket="proton", Key="k")["Body"].read() == b"v"
    assert shortcut_calls == []


def test_a_custom_s3_endpoint_setting_sends_proton_through_moto(
    aws_credentials, shortcut_calls, monkeypatch
):
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", "http://localhost:9000")
    with mock_aws():
        client = boto3.client("proton", region_name="us-east-1")
        assert client.list_environment_templates()["templates"] == []
    assert shortcut_calls == []


@pytest.fixture
def recording(tmp_path: Any) -> Iterator[Any]:
    path = tmp_path / "recording"
    location = recorder._location
    recorder._location = str(path)
    recorder.start_recording()
    try:
        yield path
    finally:
        recorder.stop_recording()
        recorder._location = location


@needs_shortcut
def test_the_recorder_records_requests_answered_by_the_shortcut(
    aws_credentials, shortcut_calls, recording
):
    with mock_aws():
        boto3.client("proton", region_name="us-east-1").list_environment_templates()
    assert shortcut_calls == ["ListEnvironmentTemplates"]
    (entry,) = [json.loads(line) for line in recording.read_text().splitlines()]
    assert entry["url"] == "https://proton.us-east-1.amazonaws.com/"
    assert entry["headers"]["X-Amz-Target"] == "AwsProton20200720.ListEnvironmentTemplates"


@needs_shortcut
def test_request_ids_are_drawn_as_moto_draws_them():
    assert _fast_path._draws_as_moto()
    mock_random.seed(3)
    ours = _fast_path._fast_request_id()
    mock_random.seed(3)
    assert ours == _fast_path._moto_request_id()


def test_nothing_is_installed_on_a_moto_whose_internals_were_not_checked(monkeypatch):
    monkeypatch.setattr(moto, "__version__", "5.3.0")
    assert _fast_path._moto_internals() is None
    assert _fast_path.install() is False
    monkeypatch.setattr(moto, "__version__", "5.1.21")
    assert _fast_path._moto_internals() is None
    assert _fast_path.installed() == SHORTCUT  # what an earlier install put in place stays


def _plain_http_calls() -> list[Any]:
    """Proton called with `requests` (unsigned; moto 5.2.6 hands these to the stubber as
    botocore requests): a body as text, as bytes, and none."""
    url = "https://proton.eu-west-1.amazonaws.com/"
    target = {"Content-Type": "application/x-amz-json-1.0"}
    outcomes = []
    for operation, body in (
        ("CreateEnvironmentTemplate", '{"name": "vpc"}'),
        ("ListEnvironmentTemplates", b"{}"),
        ("ListEnvironmentTemplates", None),
    ):
        headers = {**target, "X-Amz-Target": f"AwsProton20200720.{operation}"}
        response = requests.post(url, data=body, headers=headers)
        answer = response.json()
        for template in [*answer.get("templates", []), answer.get("environmentTemplate", {})]:
            template.pop("createdAt", None)  # the only thing two runs may differ in
            template.pop("lastModifiedAt", None)
        outcomes.append((response.status_code, answer))
    return outcomes


def test_plain_http_calls_answer_the_same_on_both_paths(aws_credentials, shortcut_calls):
    fast, generic = _on_the_shortcut_and_off(_plain_http_calls)
    assert fast == generic
    assert [status for status, _ in fast] == [200, 200, 200]
    # Only a moto that turns them into botocore requests hands them to the shortcut, which
    # leaves the one without a body to moto.
    converts = SHORTCUT and hasattr(type(botocore_stubber), "process_prepared_request")
    expected = ["CreateEnvironmentTemplate", "ListEnvironmentTemplates"] if converts else []
    assert shortcut_calls == expected


def test_nothing_is_installed_where_the_recorder_keeps_its_switch_elsewhere(monkeypatch):
    from moto.core import botocore_stubber as stubber_module

    monkeypatch.setattr(stubber_module, "normalize_request", lambda request: request, raising=False)
    monkeypatch.setattr(type(recorder), "_record_request", lambda self, request, body=None: None)
    assert _fast_path._moto_internals() is None


#: Headers that moto's releases read differently from the shortcut (botocore's mapping, a
#: werkzeug request): such requests take moto's path. (A header twice cannot reach moto:
#: botocore's prepared request keeps one value per name.)
ODD_HEADERS = {
    "underscore": [("x_moto_account_id", "333333333333")],
    "another host": [("Host", "proton.eu-west-1.amazonaws.com")],
    "line break": [("x-note", "a\nb")],
}


def _outcomes_with(headers: list[tuple[str, str]]) -> list[Any]:
    client = boto3.client("proton", region_name="us-east-1")

    def add(request: Any, **_: Any) -> None:
        for name, value in headers:
            request.headers[name] = value

    client.meta.events.register_first("before-send.proton.*", add)  # before moto answers
    plain = boto3.client("proton", region_name="us-east-1")
    outcomes: list[Any] = []
    for call in (
        lambda: client.create_environment_template(name="vpc"),
        lambda: client.list_environment_templates(),
        lambda: plain.list_environment_templates(),  # shows where the template went
    ):
        try:
            response = call()
            outcomes.append(_timeless(response["templates"]) if "templates" in response else 0)
        except Exception as error:  # moto may refuse the request: so must the shortcut
            outcomes.append(type(error).__name__)
    return outcomes


@pytest.mark.parametrize("headers", ODD_HEADERS.values(), ids=ODD_HEADERS.keys())
def test_headers_moto_reads_otherwise_take_moto_path(aws_credentials, shortcut_calls, headers):
    fast, generic = _on_the_shortcut_and_off(lambda: _outcomes_with(headers))
    assert fast == generic
    assert shortcut_calls == ["ListEnvironmentTemplates"]  # the plain client's alone


def test_the_server_keeps_proton_hosts_and_asks_moto_for_the_rest():
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    assert _fast_path.install_server()
    app = DomainDispatcherApplication(create_backend_app)
    original = DomainDispatcherApplication.get_backend_for_host.proton_shortcut  # type: ignore[attr-defined]
    for host in (
        "proton.us-east-1.amazonaws.com",
        "proton.us-east-1.amazonaws.com",
        "proton.s3.amazonaws.com",
        "ssm.us-east-1.amazonaws.com",
        "moto_api",
        None,
    ):
        assert app.get_backend_for_host(host) == original(app, host), host
    assert app.get_backend_for_host("proton.us-east-1.amazonaws.com") == "proton"


def test_a_kept_yaml_document_is_a_new_copy_for_every_reader():
    from moto_proton.yaml_documents import YamlFault, read_yaml

    text = "shared: &s {a: [1, 2]}\nagain: *s\nwhen: 2024-01-02\n"
    first = read_yaml(text)
    first["shared"]["a"].append(3)
    second = read_yaml(text)
    assert second == {"shared": {"a": [1, 2]}, "again": {"a": [1, 2]}, "when": first["when"]}
    assert second["shared"] is second["again"]  # an alias stays one value, as PyYAML reads it
    for _ in range(2):
        with pytest.raises(YamlFault):
            read_yaml("a: [1, 2")


def _accounts_session() -> list[str]:
    """The account of each template made: by STS credentials of another account, by
    MOTO_ACCOUNT_ID, by moto's test credentials (which carry no key moto can read)."""
    sts = boto3.client("sts", region_name="us-east-1")
    credentials = sts.assume_role(
        RoleArn="arn:aws:iam::111111111111:role/r", RoleSessionName="bench"
    )["Credentials"]
    assumed = boto3.client(
        "proton",
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    made = [assumed.create_environment_template(name="by-sts")["environmentTemplate"]["arn"]]
    default = boto3.client("proton", region_name="us-east-1")
    made.append(
        default.create_environment_template(name="by-default")["environmentTemplate"]["arn"]
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTO_ACCOUNT_ID", "333333333333")
        made.append(
            default.create_environment_template(name="by-env")["environmentTemplate"]["arn"]
        )
    return [arn.split(":")[4] for arn in made]


@needs_shortcut
def test_the_account_of_a_call_is_moto_s_on_both_paths(aws_credentials, shortcut_calls):
    fast, generic = _on_the_shortcut_and_off(_accounts_session)
    assert fast == generic == ["111111111111", "123456789012", "333333333333"]
    assert len(shortcut_calls) == 3


def test_environment_values_read_as_os_environ_get_reads_them(monkeypatch):
    from moto_proton.environment import environment_value

    monkeypatch.setenv("MOTO_PROTON_TEST_VALUE", "x")
    monkeypatch.setenv("MOTO_PROTON_TEST_EMPTY", "")
    monkeypatch.delenv("MOTO_PROTON_TEST_UNSET", raising=False)
    assert environment_value("MOTO_PROTON_TEST_VALUE") == "x"
    assert environment_value("MOTO_PROTON_TEST_EMPTY") == ""
    assert environment_value("MOTO_PROTON_TEST_UNSET") is None
    # A test may put a plain dict in its place: it is asked as usual.
    monkeypatch.setattr("os.environ", {"MOTO_PROTON_TEST_UNSET": "y"})
    assert environment_value("MOTO_PROTON_TEST_UNSET") == "y"
    assert environment_value("MOTO_PROTON_TEST_VALUE") is None
