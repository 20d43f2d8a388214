"""Racing requests against the threaded server lose nothing and duplicate nothing."""

from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import moto_proton
from moto_proton.testing import ProtonMock, act_as_account, proton_state

from .builders import ENV, ENV_ROLE, MANIFEST, MGMT, env_template, environment, service_version

THREADS = 16


def clients(url, account, count):
    config = Config(retries={"max_attempts": 1}, max_pool_connections=THREADS)
    return [
        act_as_account(
            boto3.client("proton", region_name="us-east-1", endpoint_url=url, config=config),
            account,
        )
        for _ in range(count)
    ]


def race(calls):
    def run(call):
        try:
            return ("ok", call())
        except ClientError as error:
            return ("error", error.response)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def url(proton_server_url, aws_credentials):
    yield proton_server_url
    moto_proton.reset_quotas()


def test_racing_retries_with_one_token_create_one_connection(url):
    envs = clients(url, ENV, THREADS)
    results = race(
        [
            lambda c=c: c.create_environment_account_connection(
                managementAccountId=MGMT,
                environmentName="prod",
                roleArn=ENV_ROLE,
                clientToken="race",
            )["environmentAccountConnection"]["id"]
            for c in envs
        ]
    )
    assert {kind for kind, _ in results} == {"ok"}
    assert len({value for _, value in results}) == 1
    listed = envs[0].list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert len(listed["environmentAccountConnections"]) == 1


def test_racing_creates_never_exceed_the_quota(url):
    moto_proton.set_quota("environment_account_connections_per_environment_account", 5)
    envs = clients(url, ENV, THREADS)
    results = race(
        [
            lambda c=c, i=i: c.create_environment_account_connection(
                managementAccountId=MGMT, environmentName=f"e{i}", roleArn=ENV_ROLE
            )
            for i, c in enumerate(envs)
        ]
    )
    oks = [r for kind, r in results if kind == "ok"]
    errors = [r["Error"]["Code"] for kind, r in results if kind == "error"]
    assert len(oks) == 5
    assert errors == ["ServiceQuotaExceededException"] * (THREADS - 5)
    listed = envs[0].list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")
    assert len(listed["environmentAccountConnections"]) == 5


def test_racing_creates_for_one_environment_make_one_open_connection(url):
    envs = clients(url, ENV, THREADS)
    results = race(
        [
            lambda c=c: c.create_environment_account_connection(
                managementAccountId=MGMT, environmentName="same", roleArn=ENV_ROLE
            )
            for c in envs
        ]
    )
    kinds = sorted(kind for kind, _ in results)
    assert kinds.count("ok") == 1
    assert {r["Error"]["Code"] for kind, r in results if kind == "error"} == {"ConflictException"}


def test_racing_accept_reject_delete_end_consistently(url):
    env = clients(url, ENV, 1)[0]
    connection_id = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="prod", roleArn=ENV_ROLE
    )["environmentAccountConnection"]["id"]
    mgmts = clients(url, MGMT, 8)
    envs = clients(url, ENV, 8)
    calls = []
    for i in range(8):
        calls.append(lambda c=mgmts[i]: c.accept_environment_account_connection(id=connection_id))
        calls.append(lambda c=mgmts[i]: c.reject_environment_account_connection(id=connection_id))
        if i == 7:
            calls.append(
                lambda c=envs[i]: c.delete_environment_account_connection(id=connection_id)
            )
        else:
            calls.append(
                lambda c=envs[i]: c.update_environment_account_connection(
                    id=connection_id, roleArn=f"arn:aws:iam::{ENV}:role/r{i}"
                )
            )
    results = race(calls)
    statuses = [
        r.get("ResponseMetadata", {}).get("HTTPStatusCode")
        for _, r in results
        if isinstance(r, dict)
    ]
    assert all(s is None or s < 500 for s in statuses)
    codes = {r["Error"]["Code"] for kind, r in results if kind == "error"}
    assert codes <= {"ConflictException", "ResourceNotFoundException"}
    # Every successful answer is a snapshot of one serial history: ordered by time, the
    # status never goes back (nothing is CONNECTED or PENDING after it was REJECTED).
    rank = {"PENDING": 0, "CONNECTED": 1, "REJECTED": 2}
    views = sorted(
        (
            r["environmentAccountConnection"]["lastModifiedAt"],
            rank[r["environmentAccountConnection"]["status"]],
        )
        for kind, r in results
        if kind == "ok"
    )
    assert [r for _, r in views] == sorted(r for _, r in views)
    with pytest.raises(ClientError) as excinfo:
        env.get_environment_account_connection(id=connection_id)
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert (
        env.list_environment_account_connections(requestedBy="ENVIRONMENT_ACCOUNT")[
            "environmentAccountConnections"
        ]
        == []
    )
    assert (
        mgmts[0].list_environment_account_connections(requestedBy="MANAGEMENT_ACCOUNT")[
            "environmentAccountConnections"
        ]
        == []
    )


def test_racing_tags_while_deleting_leave_nothing_behind(url):
    """Tag, untag and list tags race a delete: each call sees the connection whole or not at
    all, and once it is gone no tag, index entry or listing of it is left."""
    env = clients(url, ENV, 1)[0]
    created = env.create_environment_account_connection(
        managementAccountId=MGMT,
        environmentName="prod",
        roleArn=ENV_ROLE,
        tags=[{"key": "team", "value": "a"}],
    )["environmentAccountConnection"]
    arn = created["arn"]
    envs = clients(url, ENV, THREADS)
    calls = []
    for i, c in enumerate(envs[:-1]):
        key = f"k{i % 4}"
        calls += [
            lambda c=c, key=key: c.tag_resource(resourceArn=arn, tags=[{"key": key, "value": "v"}]),
            lambda c=c, key=key: c.untag_resource(resourceArn=arn, tagKeys=[key]),
            lambda c=c: c.list_tags_for_resource(resourceArn=arn)["tags"],
        ]
    calls.insert(
        len(calls) // 2, lambda: envs[-1].delete_environment_account_connection(id=created["id"])
    )
    results = race(calls)
    errors = [r for kind, r in results if kind == "error"]
    assert {r["ResponseMetadata"]["HTTPStatusCode"] for r in errors} <= {404}
    assert {r["Error"]["Code"] for r in errors} <= {"ResourceNotFoundException"}
    for kind, r in results:
        if kind == "ok" and isinstance(r, list):
            assert {"key": "team", "value": "a"} in r  # a listing never sees half a delete
    # Client tokens remember the id for their 8 hours (a retry then creates a new one), and
    # the record of deletions its ARN (a retried delete then succeeds).
    traces = str(
        [
            {
                name: value
                for name, value in stored.items()
                # tokens and deletions remember the id for a retry
                if not name.endswith("client_tokens") and name != "deletions"
            }
            for regions in proton_state().values()
            for stored in regions.values()
        ]
    )
    assert created["id"] not in traces and arn not in traces


# -- services, instances, pipelines -------------------------------------------------------

REPOSITORY = {
    "repositoryConnectionArn": f"arn:aws:codestar-connections:us-east-1:{MGMT}:connection/c",
    "repositoryId": "org/repo",
    "branchName": "main",
}


def instance_spec(*names):
    entries = "".join(f"  - name: {name}\n    environment: dev\n" for name in names)
    return f"proton: ServiceSpec\ninstances:\n{entries}"


def service_world(client, components=False):
    """In MGMT: a published environment template, environment `dev`, a pipeline role, and a
    published service template `st` (with a pipeline) compatible with it; with `components`,
    `dev` has a component role and `st` 1.0 supports directly defined components."""
    env_template(client, "et")
    environment(
        client,
        "dev",
        template="et",
        protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton",
        **({"componentRoleArn": f"arn:aws:iam::{MGMT}:role/component"} if components else {}),
    )
    client.update_account_settings(pipelineServiceRoleArn=f"arn:aws:iam::{MGMT}:role/pipeline")
    client.create_service_template(name="st")
    service_version(
        client,
        "st",
        compatible=(("et", "1"),),
        **({"supportedComponentSources": ["DIRECTLY_DEFINED"]} if components else {}),
    )


def create_service(client, name, *instances):
    return client.create_service(
        name=name,
        templateName="st",
        templateMajorVersion="1",
        spec=instance_spec(*instances),
        **REPOSITORY,
    )["service"]


def errors_of(results):
    return [r["Error"]["Code"] for kind, r in results if kind == "error"]


def test_racing_creates_of_one_service_make_one(url):
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0])
    results = race([lambda c=c: create_service(c, "svc", "a", "b")["arn"] for c in mgmts])
    # The same request, unmodified since: every caller gets the original back.
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({value for _, value in results}) == 1
    assert [s["name"] for s in mgmts[0].list_services()["services"]] == ["svc"]
    instances = mgmts[0].list_service_instances()["serviceInstances"]
    assert sorted(i["name"] for i in instances) == ["a", "b"]
    deployments = mgmts[0].list_deployments(serviceName="svc")["deployments"]
    assert len(deployments) == 3  # two instances and the pipeline, once each


def test_racing_instance_creates_with_one_token_make_one_instance(url):
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0])
    create_service(mgmts[0], "svc", "a")
    assert mgmts[0].get_service(name="svc")["service"]["status"] == "ACTIVE"
    results = race(
        [
            lambda c=c: c.create_service_instance(
                name="b", serviceName="svc", spec=instance_spec("b"), clientToken="race"
            )["serviceInstance"]["arn"]
            for c in mgmts
        ]
    )
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({value for _, value in results}) == 1
    instances = mgmts[0].list_service_instances(serviceName="svc")["serviceInstances"]
    assert sorted(i["name"] for i in instances) == ["a", "b"]
    deployments = mgmts[0].list_deployments(serviceName="svc", serviceInstanceName="b")
    assert len(deployments["deployments"]) == 1


def test_racing_instance_updates_deploy_one_at_a_time(url):
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0])
    create_service(mgmts[0], "svc", "a")
    assert mgmts[0].get_service(name="svc")["service"]["status"] == "ACTIVE"
    with ProtonMock(endpoint_url=url) as proton:
        proton.set_transition("proton::deployment", {"progression": "manual", "times": 10_000})
        results = race(
            [
                lambda c=c: c.update_service_instance(
                    name="a", serviceName="svc", deploymentType="CURRENT_VERSION"
                )["serviceInstance"]["lastAttemptedDeploymentId"]
                for c in mgmts
            ]
        )
        started = [value for kind, value in results if kind == "ok"]
        assert len(started) == 1, results
        assert errors_of(results) == ["ConflictException"] * (THREADS - 1)
        deployments = mgmts[0].list_deployments(serviceName="svc", serviceInstanceName="a")
        statuses = [d["deploymentStatus"] for d in deployments["deployments"]]
        assert sorted(statuses) == ["IN_PROGRESS", "SUCCEEDED"]
        instance = mgmts[0].get_service_instance(name="a", serviceName="svc")["serviceInstance"]
        assert instance["lastAttemptedDeploymentId"] == started[0]
        assert instance["deploymentStatus"] == "IN_PROGRESS"


def test_racing_instance_creates_never_exceed_the_quota(url):
    moto_proton.set_quota("service_instances_per_service", 3)
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0])
    create_service(mgmts[0], "svc", "a")
    assert mgmts[0].get_service(name="svc")["service"]["status"] == "ACTIVE"
    results = race(
        [
            lambda c=c, i=i: c.create_service_instance(
                name=f"i{i}", serviceName="svc", spec=instance_spec(f"i{i}")
            )
            for i, c in enumerate(mgmts)
        ]
    )
    assert len([r for kind, r in results if kind == "ok"]) == 2
    # The model lists no ServiceQuotaExceededException for CreateServiceInstance.
    assert errors_of(results) == ["ValidationException"] * (THREADS - 2)
    instances = mgmts[0].list_service_instances(serviceName="svc")["serviceInstances"]
    assert len(instances) == 3


def test_racing_service_creates_never_exceed_the_quota(url):
    moto_proton.set_quota("services", 5)
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0])
    results = race([lambda c=c, i=i: create_service(c, f"s{i}", "a") for i, c in enumerate(mgmts)])
    assert len([r for kind, r in results if kind == "ok"]) == 5
    assert errors_of(results) == ["ServiceQuotaExceededException"] * (THREADS - 5)
    assert len(mgmts[0].list_services()["services"]) == 5
    assert len(mgmts[0].list_service_instances()["serviceInstances"]) == 5


def test_racing_service_updates_and_a_delete_end_consistently(url):
    """UpdateService (adding an instance each), UpdateServicePipeline and DeleteService race:
    every call is answered whole or refused cleanly, and once the service is gone nothing of
    it is left."""
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0])
    created = create_service(mgmts[0], "svc", "a")
    assert mgmts[0].get_service(name="svc")["service"]["status"] == "ACTIVE"
    calls = [
        lambda c=c, i=i: c.update_service(name="svc", spec=instance_spec("a", f"n{i}"))
        for i, c in enumerate(mgmts[:-2])
    ]
    calls.append(
        lambda: mgmts[-2].update_service_pipeline(
            serviceName="svc", spec=instance_spec("a"), deploymentType="CURRENT_VERSION"
        )
    )
    calls.insert(len(calls) // 2, lambda: mgmts[-1].delete_service(name="svc"))
    results = race(calls)
    assert set(errors_of(results)) <= {"ConflictException", "ResourceNotFoundException"}
    for kind, r in results:
        if kind == "ok":
            assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    # Deletion is immediate by default: after a read, nothing of the service is left.
    with pytest.raises(ClientError) as excinfo:
        mgmts[0].get_service(name="svc")
    if excinfo.value.response["Error"]["Code"] != "ResourceNotFoundException":
        raise excinfo.value
    assert mgmts[0].list_services()["services"] == []
    assert mgmts[0].list_service_instances()["serviceInstances"] == []
    traces = str(
        [
            {
                name: value
                for name, value in stored.items()
                if name not in ("deployments", "deletions")  # a retried delete needs its ARN
            }
            for regions in proton_state().values()
            for stored in regions.values()
        ]
    )
    assert created["arn"] not in traces


# -- components and repositories ------------------------------------------------------------

COMPONENT = {"manifest": MANIFEST, "templateFile": "Resources: {}\n"}


def test_racing_component_creates_with_one_token_make_one_component(url):
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0], components=True)
    create_service(mgmts[0], "svc", "a")
    assert mgmts[0].get_service(name="svc")["service"]["status"] == "ACTIVE"
    results = race(
        [
            lambda c=c: c.create_component(
                name="comp",
                serviceName="svc",
                serviceInstanceName="a",
                serviceSpec="proton: ServiceSpec\nspec: {}\n",
                clientToken="race",
                **COMPONENT,
            )["component"]["arn"]
            for c in mgmts
        ]
    )
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({value for _, value in results}) == 1
    components = mgmts[0].list_components()["components"]
    assert [(c["name"], c.get("serviceInstanceName")) for c in components] == [("comp", "a")]
    deployments = mgmts[0].list_deployments(componentName="comp")["deployments"]
    assert len(deployments) == 1


def test_racing_repository_creates_link_one(url):
    mgmts = clients(url, MGMT, THREADS)
    results = race(
        [
            lambda c=c, i=i: c.create_repository(
                name="org/repo",
                provider="GITHUB",
                connectionArn=f"arn:aws:codestar-connections:us-east-1:{MGMT}:connection/c{i}",
            )["repository"]["connectionArn"]
            for i, c in enumerate(mgmts)
        ]
    )
    assert [kind for kind, _ in results].count("ok") == 1, results
    assert errors_of(results) == ["ConflictException"] * (THREADS - 1)
    for kind, r in results:
        if kind == "error":
            assert r["ResponseMetadata"]["HTTPStatusCode"] == 409
    (winner,) = [value for kind, value in results if kind == "ok"]
    listed = mgmts[0].list_repositories()["repositories"]
    assert [(r["name"], r["connectionArn"]) for r in listed] == [("org/repo", winner)]


def test_racing_component_updates_deploy_one_at_a_time(url):
    mgmts = clients(url, MGMT, THREADS)
    service_world(mgmts[0], components=True)
    mgmts[0].create_component(name="comp", environmentName="dev", **COMPONENT)
    assert mgmts[0].get_component(name="comp")["component"]["deploymentStatus"] == "SUCCEEDED"
    with ProtonMock(endpoint_url=url) as proton:
        proton.set_transition("proton::deployment", {"progression": "manual", "times": 10_000})
        results = race(
            [
                lambda c=c, i=i: c.update_component(
                    name="comp",
                    deploymentType="CURRENT_VERSION",
                    templateFile=f"Resources: {{}}\n# {i}\n",
                )["component"]["lastAttemptedDeploymentId"]
                for i, c in enumerate(mgmts)
            ]
        )
        started = [value for kind, value in results if kind == "ok"]
        assert len(started) == 1, results
        assert errors_of(results) == ["ConflictException"] * (THREADS - 1)
        deployments = mgmts[0].list_deployments(componentName="comp")["deployments"]
        assert sorted(d["deploymentStatus"] for d in deployments) == ["IN_PROGRESS", "SUCCEEDED"]
        component = mgmts[0].get_component(name="comp")["component"]
        assert component["lastAttemptedDeploymentId"] == started[0]
        assert component["deploymentStatus"] == "IN_PROGRESS"
