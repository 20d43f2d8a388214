"""Model-driven fuzzing of every implemented operation, in-process and against the server.

Requests are generated from the botocore model (`tests/model_strategies.py`) and sent as raw
JSON (`raw_call`), so that what botocore would refuse still reaches the server. For each
operation and mode, every example checks three properties from one freshly seeded state:

1. a valid request succeeds (2xx) or fails with an error type the operation documents in the
   model, with that type's status, never a 5xx;
2. the same request with members the model does not know (at every level) and explicit nulls
   for the optional members it leaves out gives the same answer and the same stored state;
3. a request that breaks one constraint gets 400 ValidationException naming the member.

After every failed request, `proton_state()` (all Proton state: connections, management
indexes, tags, client tokens, ...) is exactly what it was before. New operations are picked up
from `implemented_operations()`. `MOTO_PROTON_FUZZ_EXAMPLES=500` runs more (random) examples.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from moto_proton.testing import proton_state

from .builders import ROLE
from .fuzz_support import (
    AWKWARD_ENVIRONMENT_SPECS,
    AWKWARD_MANIFESTS,
    AWKWARD_SPECS,
    ENV,
    FUZZ_SETTINGS,
    MGMT,
    OPERATIONS,
    STATUS,
    STRANGER,
    documented_errors,
    operation_model,
    reset_and_seed,
    seeded_state,
    without_times,
)
from .helpers import Raw, raw_call
from .model_strategies import ModelStrategies

#: The management account holds the templates, environments and services: it calls half the
#: time, so that requests reach them; the environment account and a stranger the rest.
CALLERS = st.sampled_from((MGMT, ENV, MGMT, STRANGER))
SESSION = requests.Session()  # keep-alive: thousands of calls in a row
_strategies: dict[tuple[str, ...], ModelStrategies] = {}
#: (mode, operation) -> outcome ("2xx" or the error type) -> count, for the README's figures.
OUTCOMES: defaultdict[str, Counter[str]] = defaultdict(Counter)


@pytest.fixture(scope="module", autouse=True)
def outcome_report():
    """With MOTO_PROTON_FUZZ_REPORT=<file>, write what the valid requests got, per operation."""
    yield
    target = os.environ.get("MOTO_PROTON_FUZZ_REPORT")
    if target:
        with open(target, "w", encoding="utf-8") as report:
            json.dump(
                {key: dict(counts) for key, counts in sorted(OUTCOMES.items())}, report, indent=1
            )


def strategies_for(hints: dict[str, tuple[Any, ...]]) -> ModelStrategies:
    """One generator per set of hints (seeding is deterministic, so in practice one)."""
    key = tuple(f"{name}={values}" for name, values in sorted(hints.items()))
    if key not in _strategies:
        _strategies[key] = ModelStrategies(hints)
    return _strategies[key]


def describe(result: Raw) -> str:
    return f"HTTP {result.status}: {str(result.body)[:500]}"


def assert_clean_error(result: Raw) -> None:
    """A 4xx or 5xx answer is an AWS-shaped JSON error, never a traceback or a page."""
    assert isinstance(result.body, dict), describe(result)
    assert set(result.body) == {"__type", "message"}, describe(result)
    assert isinstance(result.body["message"], str) and result.body["message"]
    assert "Traceback" not in result.body["message"], describe(result)
    assert result.headers["x-amzn-ErrorType"] == result.body["__type"]


@pytest.mark.parametrize("operation", OPERATIONS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_generated_requests(proton, operation, data):
    model = operation_model(operation)
    seeded = reset_and_seed()
    account = data.draw(CALLERS, label="account")
    generate = strategies_for(seeded.hints(account))
    request = data.draw(generate.request(model), label="valid request")

    # 1. A valid request: success, or an error the operation documents.
    before = seeded_state()
    result = raw_call(proton, operation, request, account_id=account, session=SESSION)
    after = proton_state()
    ok = 200 <= result.status < 300
    outcome = (
        "2xx" if ok else str(result.body.get("__type") if isinstance(result.body, dict) else "")
    )
    OUTCOMES[f"{proton.mode} {operation}"][outcome] += 1
    if not ok:
        assert_clean_error(result)
        code = result.body["__type"]
        assert result.status < 500, describe(result)
        assert code in documented_errors(model), f"{operation} does not document {code}"
        assert result.status == STATUS[code], describe(result)
        assert after == before, f"{operation} failed with {code} but changed state"
    answer = (result.status, without_times(result.body, model.output_shape))

    # 2. Unknown members and explicit nulls change nothing, answer or state.
    if model.input_shape is not None:
        decorated = data.draw(
            generate.with_unknown_members(model.input_shape, request), label="decorated"
        )
        reset_and_seed()
        again = raw_call(proton, operation, decorated, account_id=account, session=SESSION)
        assert (again.status, without_times(again.body, model.output_shape)) == answer
        decorated_after = proton_state()
        assert without_times(decorated_after) == without_times(after)
        after = decorated_after

    # 3. An invalid request: 400 ValidationException naming the member, nothing stored.
    if model.input_shape is not None and model.input_shape.members:
        broken = generate.broken(model.input_shape, request)
        body, path = data.draw(broken, label="invalid request")
        result = raw_call(proton, operation, body, account_id=account, session=SESSION)
        assert_clean_error(result)
        assert (result.status, result.body["__type"]) == (400, "ValidationException"), describe(
            result
        )
        assert f"at '{path}'" in result.body["message"]
        assert proton_state() == after


# -- what the fuzzing found, pinned ------------------------------------------------------------


@pytest.mark.parametrize(
    "member, value",
    [
        ("managementAccountId", "\u0661" * 12),  # Arabic-Indic digits: \d in Python, not in Java
        ("roleArn", "arn:aws:iam::123456789012:role/r\u0663"),  # \w in Python, not in Java
        ("environmentName", "prod\uff17"),  # a fullwidth digit
    ],
)
def test_patterns_have_java_ascii_classes(proton, member, value):
    body = {"managementAccountId": "222222222222", "environmentName": "e", "roleArn": ROLE}
    result = raw_call(proton, "CreateEnvironmentAccountConnection", {**body, member: value})
    assert result.status == 400
    assert (
        f"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy "
        in (result.body["message"])
    )


def test_unknown_nested_members_do_not_change_a_client_token_retry(proton):
    body = {
        "managementAccountId": "222222222222",
        "environmentName": "e",
        "roleArn": ROLE,
        "clientToken": "retry",
        "tags": [{"key": "team", "value": "a", "comment": "not in the model", "other": None}],
    }
    first = raw_call(proton, "CreateEnvironmentAccountConnection", body)
    body["tags"] = [{"key": "team", "value": "a"}]
    again = raw_call(proton, "CreateEnvironmentAccountConnection", body)
    assert (first.status, again.status) == (200, 200), again.body
    assert again.body == first.body


SPEC_REQUESTS = {
    "CreateService": {
        "name": "new-service",
        "templateName": "seeded-plain-template",
        "templateMajorVersion": "1",
    },
    "UpdateService": {"name": "seeded-service"},
    "CreateServiceInstance": {"name": "new-instance", "serviceName": "seeded-service"},
    "UpdateServiceInstance": {
        "name": "one",
        "serviceName": "seeded-service",
        "deploymentType": "CURRENT_VERSION",
    },
    "UpdateServicePipeline": {"serviceName": "seeded-service", "deploymentType": "CURRENT_VERSION"},
    "CreateEnvironment": {
        "name": "new-environment",
        "templateName": "seeded-template",
        "templateMajorVersion": "1",
        "protonServiceRoleArn": ROLE,
    },
    "UpdateEnvironment": {"name": "dev", "deploymentType": "CURRENT_VERSION"},
}


@pytest.mark.parametrize(
    "spec",
    AWKWARD_SPECS[:4] + AWKWARD_ENVIRONMENT_SPECS,
    ids=["date", "int", "recursive-alias", "alias-laughs", "environment-date", "float"],
)
def test_specs_yaml_can_not_build_are_a_validation_exception(proton, spec):
    """PyYAML raised ValueError/KeyError (not a YAMLError) for `!!int many`, `!!float abc` or
    a date such as 2020-13-01: a 500. A recursive alias made `${Proton::CURRENT_VAL}`
    resolution recurse until RecursionError (a 500), and aliases naming millions of values
    made it run for minutes. Each is now a ValidationException, and nothing changes."""
    for operation, request in SPEC_REQUESTS.items():
        reset_and_seed()
        before = proton_state()
        result = raw_call(proton, operation, {**request, "spec": spec}, account_id=MGMT)
        assert (result.status, result.body["__type"]) == (400, "ValidationException"), (
            operation,
            result.body,
        )
        assert "YAML" in result.body["message"] or "alias" in result.body["message"]
        assert proton_state() == before


@pytest.mark.parametrize("manifest", AWKWARD_MANIFESTS[:3], ids=["int", "date", "alias"])
def test_manifests_yaml_can_not_build_are_a_validation_exception(proton, manifest):
    """A manifest with a value PyYAML can't build (`!!int many`, the date 2020-13-01) raised
    ValueError, not a YAMLError, out of CreateComponent: a 500. Now it is refused like any
    unparsable manifest, and nothing changes."""
    reset_and_seed()
    before = proton_state()
    request = {"name": "new-component", "environmentName": "dev", "templateFile": "t"}
    result = raw_call(proton, "CreateComponent", {**request, "manifest": manifest}, account_id=MGMT)
    assert (result.status, result.body["__type"]) == (400, "ValidationException"), result.body
    assert "component manifest" in result.body["message"]
    assert proton_state() == before


@pytest.mark.xfail(
    strict=True,
    reason="moto_proton/models/connections.py: a connection made with codebuildRoleArn alone "
    "is answered without roleArn, which the model's EnvironmentAccountConnection output "
    "shape marks required (SDKs with non-optional required members fill in a default)",
)
def test_a_codebuild_only_connection_answers_in_the_output_shape(proton):
    from moto_proton.validation import _Walker

    body = {"managementAccountId": "222222222222", "environmentName": "e", "codebuildRoleArn": ROLE}
    result = raw_call(proton, "CreateEnvironmentAccountConnection", body)
    assert result.status == 200
    walker = _Walker()
    walker.structure(
        operation_model("CreateEnvironmentAccountConnection").output_shape, result.body, ""
    )
    assert walker.errors == []


# -- the snapshot the properties rely on --------------------------------------------------------


def test_proton_state_holds_every_kind_of_state(proton):
    import dataclasses

    from moto_proton.models import proton_backends

    env = proton.client(account_id="111111111111")
    created = env.create_environment_account_connection(
        managementAccountId="222222222222",
        environmentName="e",
        roleArn="arn:aws:iam::111111111111:role/r",
        tags=[{"key": "team", "value": "a"}],
        clientToken="token",
    )["environmentAccountConnection"]
    state = proton_state()
    ours = state["111111111111"]["us-east-1"]
    assert ours["connections"][created["id"]]["status"] == "PENDING"
    assert ours["tagger"] == {created["arn"]: {"team": "a"}}
    assert "token" in str(ours["connection_client_tokens"])
    assert created["id"] in state["222222222222"]["us-east-1"]["managed_connections"]
    assert proton_state(["222222222222"]).keys() == {"222222222222"}

    @dataclasses.dataclass
    class Future:
        name: str

    backend = proton_backends["111111111111"]["us-east-1"]
    backend.future_resources = {"f": Future("later")}  # a resource type added later
    try:
        assert proton_state()["111111111111"]["us-east-1"]["future_resources"] == {
            "f": {"name": "later"}
        }
    finally:
        del backend.future_resources
    proton_backends["999999999999"]["eu-west-1"]  # created, but it stores nothing
    assert proton_state() == state


def test_proton_state_holds_services_and_their_parts(proton):
    """Services with their instances and pipeline, service templates with their versions,
    account settings, deployments and instance client tokens are all in the snapshot, and a
    change to any of them shows."""
    seeded = reset_and_seed()
    state = proton_state()
    ours = state[MGMT]["us-east-1"]
    assert ours["account_settings"] == seeded.settings != {}
    templates = ours["service_templates"]
    assert templates.keys() == {"seeded-service-template", "seeded-plain-template"}
    assert len(templates["seeded-service-template"]["versions"]) == 2
    service = ours["services"]["seeded-service"]
    assert service["instances"].keys() == {"one", "two"}
    assert service["instances"]["two"]["environment_name"] == "staging"
    assert service["pipeline"]["arn"].endswith(":service/seeded-service/pipeline")
    assert ours["services"]["seeded-plain"]["pipeline"] is None
    assert len(ours["instance_order"]["items"]) == 4
    assert set(seeded.deployment_ids) == ours["deployments"].keys()
    assert "seed-token" in str(ours["instance_client_tokens"])
    assert seeded.services[0]["arn"] in ours["tagger"]

    client = proton.client(account_id=MGMT)
    changes = [
        lambda: client.update_account_settings(pipelineCodebuildRoleArn=ROLE),
        lambda: client.update_service_template(name="seeded-plain-template", description="d"),
        lambda: client.update_service_instance(
            name="one", serviceName="seeded-plain", deploymentType="NONE", clientToken="t"
        ),
        lambda: client.update_service_pipeline(
            serviceName="seeded-service",
            spec=seeded.services[0]["spec"],
            deploymentType="CURRENT_VERSION",
        ),
    ]
    for change in changes:
        before = proton_state()
        change()
        assert proton_state() != before
