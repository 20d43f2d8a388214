"""Real provisioning, what the `[provisioning]` extra adds: bundles read from moto's S3, specs
checked against the schema, deployments rendered with Jinja2 into moto CloudFormation stacks in
the right account, outputs, deletion, and EventBridge events. Both modes through the `proton`
fixture."""

import json

import botocore.exceptions
import pytest

import moto_proton

from .builders import ENV, MGMT
from .builders.provisioning import (
    BUCKET,
    ENV_CFN,
    ENV_SCHEMA,
    FAST,
    MANIFEST,
    bundle,
    create_env,
    env_files,
    env_template,
    outputs,
    publish,
    register,
    spec,
    svc_files,
    upload,
)


def test_good_bundle_registers_with_its_schema(proton):
    mgmt = proton.client(account_id=MGMT)
    version = env_template(proton)
    assert version["status"] == "PUBLISHED"
    got = mgmt.get_environment_template_version(
        templateName="queue-env", majorVersion="1", minorVersion="0"
    )["environmentTemplateVersion"]
    assert got["schema"] == ENV_SCHEMA
    assert got["statusMessage"] == ""


@pytest.mark.parametrize(
    "files, fault",
    [
        ({"infrastructure/manifest.yaml": MANIFEST}, "schema/schema.yaml: missing"),
        (
            {**env_files(), "schema/schema.yaml": "schema: [unclosed"},
            "schema/schema.yaml: not valid YAML",
        ),
        (
            {k: v for k, v in env_files().items() if k != "infrastructure/cloudformation.yaml"},
            "infrastructure/cloudformation.yaml: missing (named by infrastructure/manifest.yaml)",
        ),
        (
            {**env_files(), "infrastructure/cloudformation.yaml": "x" * (200 * 1024 + 1)},
            "infrastructure/cloudformation.yaml: 204801 bytes is over the limit of 204800 bytes",
        ),
        (
            {**env_files(), **{f"extra/{i}.txt": "" for i in range(8)}},
            "bundle: more than 10 files",
        ),
        (
            {
                **env_files(),
                "schema/schema.yaml": ENV_SCHEMA.replace("environment_input_type", "x"),
            },
            "schema/schema.yaml: missing property [environment_input_type]",
        ),
    ],
    ids=["no-schema", "bad-yaml", "missing-iac", "too-big", "too-many", "no-input-type"],
)
def test_bad_bundle_fails_registration(proton, files, fault):
    mgmt = proton.client(account_id=MGMT)
    upload(proton, "env/bad.tar.gz", bundle(files))
    version = register(mgmt, "environment", "queue-env", "env/bad.tar.gz", wait=False)
    with pytest.raises(botocore.exceptions.WaiterError) as excinfo:
        mgmt.get_waiter("environment_template_version_registered").wait(
            templateName="queue-env",
            majorVersion=version["majorVersion"],
            minorVersion=version["minorVersion"],
            WaiterConfig=FAST,
        )
    assert "failure state" in str(excinfo.value)
    got = mgmt.get_environment_template_version(
        templateName="queue-env", majorVersion="1", minorVersion="0"
    )["environmentTemplateVersion"]
    assert got["status"] == "REGISTRATION_FAILED"
    assert got["statusMessage"].startswith(f"Template bundle s3://{BUCKET}/env/bad.tar.gz: ")
    assert fault in got["statusMessage"]
    assert "schema" not in got


def test_not_a_tarball_and_missing_bundle(proton):
    mgmt = proton.client(account_id=MGMT)
    upload(proton, "env/junk.tar.gz", b"not gzip at all")
    register(mgmt, "environment", "queue-env", "env/junk.tar.gz", wait=False)
    # a missing object stays lenient...
    lenient = register(mgmt, "environment", "queue-env", "env/absent.tar.gz")
    assert "schema" not in lenient
    # ...unless bundles are required
    moto_proton.require_bundles(True)
    try:
        strict = register(mgmt, "environment", "queue-env", "env/absent.tar.gz", wait=False)
    finally:
        moto_proton.require_bundles(None)
    versions = {
        v["majorVersion"]: v
        for v in mgmt.list_environment_template_versions(templateName="queue-env")[
            "templateVersions"
        ]
    }
    assert versions["1"]["status"] == "REGISTRATION_FAILED"
    assert "not a gzipped tar archive" in versions["1"]["statusMessage"]
    assert versions["2"]["status"] == "DRAFT"
    assert versions[strict["majorVersion"]]["status"] == "REGISTRATION_FAILED"
    assert "the object does not exist" in versions[strict["majorVersion"]]["statusMessage"]


def test_environment_through_connection_is_provisioned_in_environment_account(proton):
    env_template(proton)
    mgmt = proton.client(account_id=MGMT)
    environment = create_env(proton, "dev", "tier: dev\n")
    assert environment["deploymentStatus"] == "SUCCEEDED"
    assert environment["environmentAccountId"] == ENV
    # defaults applied: prefix "demo", retention 345600
    cfn = proton.client("cloudformation", account_id=ENV)
    stacks = cfn.describe_stacks()["Stacks"]
    assert len(stacks) == 1
    stack = stacks[0]
    assert stack["StackName"].startswith("AWSProton-dev-cloudformation--")
    suffix = stack["StackName"].rsplit("--", 1)[1]
    assert len(suffix) == 15 and suffix.isupper() and suffix.isalpha()
    assert proton.client("cloudformation", account_id=MGMT).describe_stacks()["Stacks"] == []
    sqs = proton.client("sqs", account_id=ENV)
    url = sqs.get_queue_url(QueueName="demo-dev")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["MessageRetentionPeriod"] == "345600"
    ssm = proton.client("ssm", account_id=ENV)
    assert ssm.get_parameter(Name="/dev/tier")["Parameter"]["Value"] == "dev"
    listed = outputs(mgmt.list_environment_outputs(environmentName="dev")["outputs"])
    assert listed["Tier"] == "dev"
    assert listed["QueueUrl"].endswith(f"/{ENV}/demo-dev")  # the host differs by mode
    assert listed["QueueArn"].endswith(f":{ENV}:demo-dev")
    resources = mgmt.list_environment_provisioned_resources(environmentName="dev")
    assert resources["provisionedResources"] == [
        {
            "name": stack["StackName"],
            "identifier": stack["StackId"],
            "provisioningEngine": "CLOUDFORMATION",
        }
    ]

    # update updates the same stack
    mgmt.update_environment(
        name="dev", deploymentType="CURRENT_VERSION", spec=spec("tier: prod\nprefix: other\n")
    )
    mgmt.get_waiter("environment_deployed").wait(name="dev", WaiterConfig=FAST)
    stacks = cfn.describe_stacks()["Stacks"]
    assert [s["StackId"] for s in stacks] == [stack["StackId"]]
    assert stacks[0]["StackStatus"] == "UPDATE_COMPLETE"
    assert ssm.get_parameter(Name="/dev/tier")["Parameter"]["Value"] == "prod"
    assert (
        outputs(mgmt.list_environment_outputs(environmentName="dev")["outputs"])["Tier"] == "prod"
    )

    # delete removes it
    mgmt.delete_environment(name="dev")
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        mgmt.get_environment(name="dev")
    assert cfn.describe_stacks()["Stacks"] == []
    with pytest.raises(ssm.exceptions.ParameterNotFound):
        ssm.get_parameter(Name="/dev/tier")


def test_environment_with_service_role_is_provisioned_in_management_account(proton):
    env_template(proton)
    create_env(
        proton, "shared", "tier: prod\n", protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton"
    )
    stacks = proton.client("cloudformation", account_id=MGMT).describe_stacks()["Stacks"]
    assert [s["StackName"][:27] for s in stacks] == ["AWSProton-shared-cloudforma"]


@pytest.mark.parametrize(
    "inputs, message",
    [
        ("prefix: abc\n", "Invalid environment input: tier is required (rule: required)"),
        ("tier: staging\n", "Invalid environment input tier: fails enum ['dev', 'prod']"),
        ("tier: dev\nprefix: ABC\n", "Invalid environment input prefix: fails pattern '[a-z]+'"),
        ("tier: dev\nretention: 10\n", "Invalid environment input retention: fails minimum 60"),
        ("tier: dev\nretention: ten\n", "Invalid environment input retention: fails type 'number'"),
        (
            "tier: dev\nprefix: abcdefghijk\n",
            "Invalid environment input prefix: fails maxLength 10",
        ),
    ],
)
def test_bad_spec_is_refused(proton, inputs, message):
    env_template(proton)
    mgmt = proton.client(account_id=MGMT)
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.create_environment(
            name="dev",
            templateName="queue-env",
            templateMajorVersion="1",
            spec=spec(inputs),
            protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton",
        )
    assert excinfo.value.response["Error"]["Message"].startswith(message)


def test_unknown_inputs_and_integers_for_numbers_are_accepted(proton):
    env_template(proton)
    environment = create_env(
        proton,
        "dev",
        "tier: dev\nretention: 120\nunknown: whatever\n",
        protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton",
    )
    assert environment["deploymentStatus"] == "SUCCEEDED"


def test_render_error_fails_the_deployment_and_keeps_the_previous_version(proton):
    env_template(proton)
    mgmt = proton.client(account_id=MGMT)
    role = {"protonServiceRoleArn": f"arn:aws:iam::{MGMT}:role/proton"}
    # a first deployment that works
    create_env(proton, "dev", "tier: dev\n", **role)
    # version 1.1 refers to an output nobody provides
    broken = ENV_CFN + "  Broken:\n    Value: '{{ environment.inputs.missing_input }}'\n"
    upload(proton, "env/v1.1.tar.gz", bundle(env_files(broken)))
    version = mgmt.create_environment_template_version(
        templateName="queue-env",
        majorVersion="1",
        source={"s3": {"bucket": BUCKET, "key": "env/v1.1.tar.gz"}},
    )["environmentTemplateVersion"]
    mgmt.get_waiter("environment_template_version_registered").wait(
        templateName="queue-env",
        majorVersion="1",
        minorVersion=version["minorVersion"],
        WaiterConfig=FAST,
    )
    publish(mgmt, "environment", "queue-env", version)
    mgmt.update_environment(name="dev", deploymentType="MINOR_VERSION", templateMinorVersion="1")
    with pytest.raises(botocore.exceptions.WaiterError):
        mgmt.get_waiter("environment_deployed").wait(name="dev", WaiterConfig=FAST)
    environment = mgmt.get_environment(name="dev")["environment"]
    assert environment["deploymentStatus"] == "FAILED"
    assert environment["templateMinorVersion"] == "0"
    assert "Rendering failed" in environment["deploymentStatusMessage"]
    assert "missing_input" in environment["deploymentStatusMessage"]
    deployment = mgmt.get_deployment(id=environment["lastAttemptedDeploymentId"])["deployment"]
    assert deployment["deploymentStatus"] == "FAILED"


def test_stack_failure_fails_the_deployment_and_leaves_no_stack(proton):
    failing = ENV_CFN + "  Bad:\n    Value: !GetAtt Nothing.Arn\n"
    env_template(proton, failing)
    mgmt = proton.client(account_id=MGMT)
    mgmt.create_environment(
        name="dev",
        templateName="queue-env",
        templateMajorVersion="1",
        spec=spec("tier: dev\n"),
        protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton",
    )
    with pytest.raises(botocore.exceptions.WaiterError):
        mgmt.get_waiter("environment_deployed").wait(name="dev", WaiterConfig=FAST)
    environment = mgmt.get_environment(name="dev")["environment"]
    assert environment["deploymentStatus"] == "FAILED"
    assert (
        "CloudFormation stack of environment dev failed" in environment["deploymentStatusMessage"]
    )
    assert proton.client("cloudformation", account_id=MGMT).describe_stacks()["Stacks"] == []


def create_orders_with_a_pipeline(mgmt) -> None:
    """Service orders of template worker: instance one (size 3) in dev, and a pipeline."""
    mgmt.update_account_settings(pipelineServiceRoleArn=f"arn:aws:iam::{MGMT}:role/pipeline")
    mgmt.create_service(
        name="orders",
        templateName="worker",
        templateMajorVersion="1",
        repositoryConnectionArn=f"arn:aws:codestar-connections:us-east-1:{MGMT}:connection/c",
        repositoryId="me/orders",
        branchName="main",
        spec=(
            "proton: ServiceSpec\npipeline:\n  stage: test\ninstances:\n"
            "  - name: one\n    environment: dev\n    spec:\n      size: 3\n"
        ),
    )
    mgmt.get_waiter("service_created").wait(name="orders", WaiterConfig=FAST)


def test_instance_reads_environment_outputs_and_pipeline_reads_instances(proton):
    env_template(proton)
    mgmt = proton.client(account_id=MGMT)
    create_env(proton, "dev", "tier: dev\n")
    env_url = outputs(mgmt.list_environment_outputs(environmentName="dev")["outputs"])["QueueUrl"]
    upload(proton, "svc/v1.tar.gz", bundle(svc_files(), folder="worker"))
    version = register(mgmt, "service", "worker", "svc/v1.tar.gz")
    publish(mgmt, "service", "worker", version)
    create_orders_with_a_pipeline(mgmt)
    instance = outputs(
        mgmt.list_service_instance_outputs(serviceName="orders", serviceInstanceName="one")[
            "outputs"
        ]
    )
    assert instance == {
        "ParameterName": "/orders/one/queue",
        "Size": "3",
        "Account": ENV,
        "Components": "n0",
    }
    ssm_env = proton.client("ssm", account_id=ENV)
    assert ssm_env.get_parameter(Name="/orders/one/queue")["Parameter"]["Value"] == env_url
    # the pipeline is in the management account and saw the instance's outputs
    ssm_mgmt = proton.client("ssm", account_id=MGMT)
    value = ssm_mgmt.get_parameter(Name="/pipeline/orders/one")["Parameter"]["Value"]
    assert value == "/orders/one/queue test"
    assert outputs(mgmt.list_service_pipeline_outputs(serviceName="orders")["outputs"]) == {
        "Branch": "main"
    }
    # a bad instance spec is refused
    with pytest.raises(mgmt.exceptions.ValidationException) as excinfo:
        mgmt.update_service_instance(
            serviceName="orders",
            name="one",
            deploymentType="CURRENT_VERSION",
            spec=(
                "proton: ServiceSpec\ninstances:\n"
                "  - name: one\n    environment: dev\n    spec:\n      size: 0\n"
            ),
        )
    assert "service instance one input size: fails minimum 1" in str(excinfo.value)
    # deleting the service deletes the stacks
    mgmt.delete_service(name="orders")
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        mgmt.get_service(name="orders")
    env_stacks = proton.client("cloudformation", account_id=ENV).describe_stacks()["Stacks"]
    assert [s["StackName"].split("-")[1] for s in env_stacks] == ["dev"]
    assert proton.client("cloudformation", account_id=MGMT).describe_stacks()["Stacks"] == []


def proton_events(proton, account: str):
    """A rule for `aws.proton` on `account`'s default bus with an SQS target; the returned
    function drains the queue and gives the events received so far, in order."""
    events = proton.client("events", account_id=account)
    sqs = proton.client("sqs", account_id=account)
    queue = sqs.create_queue(QueueName="proton-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name="proton", EventPattern=json.dumps({"source": ["aws.proton"]}))
    events.put_targets(Rule="proton", Targets=[{"Id": "q", "Arn": queue_arn}])

    def received() -> list:
        found = []
        while True:
            messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not messages:
                return found
            found += [json.loads(m["Body"]) for m in messages]

    return received


def test_events_reach_an_eventbridge_rule(proton):
    events_of_mgmt = proton_events(proton, MGMT)
    env_template(proton)
    create_env(proton, "dev", "tier: dev\n", protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/p")
    received = events_of_mgmt()
    seen = [(e["detail-type"], e["detail"].get("status")) for e in received]
    assert ("AWS Proton Environment Template Version Status Change", "DRAFT") in seen
    assert ("AWS Proton Environment Template Version Status Change", "PUBLISHED") in seen
    assert ("AWS Proton Environment Status Change", "IN_PROGRESS") in seen
    assert ("AWS Proton Environment Status Change", "SUCCEEDED") in seen
    assert ("AWS Proton Deployment Status Change", "SUCCEEDED") in seen
    succeeded = next(
        e
        for e in received
        if e["detail-type"] == "AWS Proton Environment Status Change"
        and e["detail"]["status"] == "SUCCEEDED"
    )
    assert succeeded["source"] == "aws.proton"
    # moto's SQS target drops the envelope's "account"; the rule of MGMT's bus received it
    assert succeeded["detail"] == {
        "name": "dev",
        "status": "SUCCEEDED",
        "previousStatus": "IN_PROGRESS",
    }
    assert succeeded["resources"] == [f"arn:aws:proton:us-east-1:{MGMT}:environment/dev"]


def changes_of(received: list, detail_type: str) -> list:
    """(status, previousStatus) of each event of one kind, in order."""
    return [
        (e["detail"]["status"], e["detail"].get("previousStatus"))
        for e in received
        if e["detail-type"] == f"AWS Proton {detail_type} Status Change"
    ]


def test_every_kind_of_event_reaches_the_account_that_owns_the_resource(proton):
    events_of = {account: proton_events(proton, account) for account in (MGMT, ENV)}
    mgmt, env = proton.client(account_id=MGMT), proton.client(account_id=ENV)
    env_template(proton)
    create_env(proton, "dev", "tier: dev\n")  # through a connection from ENV
    mgmt.update_environment(name="dev", deploymentType="CURRENT_VERSION")
    mgmt.get_waiter("environment_deployed").wait(name="dev", WaiterConfig=FAST)
    upload(proton, "svc/v1.tar.gz", bundle(svc_files(), folder="worker"))
    publish(mgmt, "service", "worker", register(mgmt, "service", "worker", "svc/v1.tar.gz"))
    create_orders_with_a_pipeline(mgmt)
    mgmt.create_component(  # detached, in dev
        name="store",
        environmentName="dev",
        manifest=MANIFEST,
        templateFile="Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
    )
    mgmt.get_waiter("component_deployed").wait(name="store", WaiterConfig=FAST)
    # then everything goes, the connection last
    mgmt.delete_component(name="store")
    mgmt.get_waiter("component_deleted").wait(name="store", WaiterConfig=FAST)
    mgmt.delete_service(name="orders")
    mgmt.get_waiter("service_deleted").wait(name="orders", WaiterConfig=FAST)
    connection_id = mgmt.get_environment(name="dev")["environment"][
        "environmentAccountConnectionId"
    ]
    mgmt.delete_environment(name="dev")
    with pytest.raises(mgmt.exceptions.ResourceNotFoundException):
        mgmt.get_environment(name="dev")
    for kind, name in (("service", "worker"), ("environment", "queue-env")):
        getattr(mgmt, f"delete_{kind}_template_version")(
            templateName=name, majorVersion="1", minorVersion="0"
        )
        getattr(mgmt, f"delete_{kind}_template")(name=name)
    env.delete_environment_account_connection(id=connection_id)

    received = {account: events_of[account]() for account in (MGMT, ENV)}
    kinds = {account: {e["detail-type"] for e in got} for account, got in received.items()}
    connection_events = "AWS Proton Environment Account Connection Status Change"
    assert kinds[ENV] == {connection_events}
    assert kinds[MGMT] == {
        f"AWS Proton {kind} Status Change"
        for kind in (
            "Environment",
            "Environment Template",
            "Environment Template Version",
            "Service",
            "Service Instance",
            "Service Pipeline",
            "Service Template",
            "Service Template Version",
            "Component",
            "Deployment",
        )
    }
    for account, got in received.items():
        for event in got:
            assert event["source"] == "aws.proton"
            assert [arn.split(":")[4] for arn in event["resources"]] == [account]
            # a new resource's first event has no previous status, and none repeats its status
            assert event["detail"].get("previousStatus") != event["detail"]["status"]
    assert changes_of(received[ENV], "Environment Account Connection") == [
        ("PENDING", None),
        ("CONNECTED", "PENDING"),
        ("DELETED", "CONNECTED"),
    ]
    connection_event = received[ENV][0]
    assert connection_event["detail"] == {"id": connection_id, "status": "PENDING"}
    assert connection_event["resources"] == [
        f"arn:aws:proton:us-east-1:{ENV}:environment-account-connection/{connection_id}"
    ]
    for kind in ("Environment Template", "Service Template"):
        assert changes_of(received[MGMT], kind) == [
            ("DRAFT", None),
            ("PUBLISHED", "DRAFT"),
            ("DRAFT", "PUBLISHED"),  # its only published version was deleted
            ("DELETED", "DRAFT"),
        ]
    assert changes_of(received[MGMT], "Service") == [
        ("CREATE_IN_PROGRESS", None),
        ("ACTIVE", "CREATE_IN_PROGRESS"),
        ("DELETE_IN_PROGRESS", "ACTIVE"),
        ("DELETED", "DELETE_IN_PROGRESS"),
    ]
    assert changes_of(received[MGMT], "Environment")[:4] == [
        ("IN_PROGRESS", None),
        ("SUCCEEDED", "IN_PROGRESS"),
        ("IN_PROGRESS", "SUCCEEDED"),  # the redeployment
        ("SUCCEEDED", "IN_PROGRESS"),
    ]
    deployments = changes_of(received[MGMT], "Deployment")
    assert ("IN_PROGRESS", None) in deployments and ("SUCCEEDED", "IN_PROGRESS") in deployments
    assert {previous for status, previous in deployments if status == "IN_PROGRESS"} == {None}
    assert changes_of(received[MGMT], "Environment")[-1] == ("DELETED", "DELETE_IN_PROGRESS")
    assert changes_of(received[MGMT], "Service Template Version")[-1] == ("DELETED", "PUBLISHED")
    service_event = next(
        e for e in received[MGMT] if e["detail-type"].endswith("Service Status Change")
    )
    assert service_event["detail"] == {"name": "orders", "status": "CREATE_IN_PROGRESS"}
    assert service_event["resources"] == [f"arn:aws:proton:us-east-1:{MGMT}:service/orders"]


def test_a_rejected_connection_tells_only_its_environment_account(proton):
    events_of = {account: proton_events(proton, account) for account in (MGMT, ENV)}
    env, mgmt = proton.client(account_id=ENV), proton.client(account_id=MGMT)
    connection = env.create_environment_account_connection(
        managementAccountId=MGMT, environmentName="dev", roleArn=f"arn:aws:iam::{ENV}:role/r"
    )["environmentAccountConnection"]
    mgmt.reject_environment_account_connection(id=connection["id"])
    env.delete_environment_account_connection(id=connection["id"])
    assert changes_of(events_of[ENV](), "Environment Account Connection") == [
        ("PENDING", None),
        ("REJECTED", "PENDING"),
        ("DELETED", "REJECTED"),
    ]
    assert events_of[MGMT]() == []


COMPONENT_CFN = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: '{{ component.name }}-{{ service_instance.name }}-{{ environment.name }}'
Outputs:
  BucketName:
    Value: !Ref Bucket
"""


def test_component_is_provisioned_and_feeds_its_instance(proton):
    env_template(proton)
    mgmt = proton.client(account_id=MGMT)
    create_env(proton, "dev", "tier: dev\n")
    upload(proton, "svc/v1.tar.gz", bundle(svc_files()))
    version = register(
        mgmt, "service", "worker", "svc/v1.tar.gz", pipelineProvisioning="CUSTOMER_MANAGED"
    )
    mgmt.update_service_template_version(
        templateName="worker",
        majorVersion="1",
        minorVersion="0",
        supportedComponentSources=["DIRECTLY_DEFINED"],
    )
    publish(mgmt, "service", "worker", version)
    mgmt.create_service(
        name="orders",
        templateName="worker",
        templateMajorVersion="1",
        spec="proton: ServiceSpec\ninstances:\n  - name: one\n    environment: dev\n",
    )
    mgmt.get_waiter("service_created").wait(name="orders", WaiterConfig=FAST)
    mgmt.create_component(
        name="store",
        serviceName="orders",
        serviceInstanceName="one",
        manifest=MANIFEST,
        templateFile=COMPONENT_CFN,
    )
    mgmt.get_waiter("component_deployed").wait(name="store", WaiterConfig=FAST)
    assert outputs(mgmt.list_component_outputs(componentName="store")["outputs"]) == {
        "BucketName": "store-one-dev"
    }
    # the component's stack is in the environment account
    names = [
        s["StackName"]
        for s in proton.client("cloudformation", account_id=ENV).describe_stacks()["Stacks"]
    ]
    assert any(n.startswith("AWSProton-store-cloudformation--") for n in names)
    mgmt.update_service_instance(serviceName="orders", name="one", deploymentType="CURRENT_VERSION")
    mgmt.get_waiter("service_instance_deployed").wait(
        serviceName="orders", name="one", WaiterConfig=FAST
    )
    instance = outputs(
        mgmt.list_service_instance_outputs(serviceName="orders", serviceInstanceName="one")[
            "outputs"
        ]
    )
    assert instance["Components"] == "n1"
    assert instance["Size"] == "2"  # the default


def test_cancel_reverts_the_stack(proton):
    """AWS: a cancel "reverts the state of the resource": an update goes back to the stack's
    previous template, a create takes its stack away."""
    env_template(proton)
    mgmt = proton.client(account_id=MGMT)
    ssm = proton.client("ssm", account_id=MGMT)
    cloudformation = proton.client("cloudformation", account_id=MGMT)
    role = {"protonServiceRoleArn": f"arn:aws:iam::{MGMT}:role/proton"}
    create_env(proton, "dev", "tier: dev\n", **role)
    assert ssm.get_parameter(Name="/dev/tier")["Parameter"]["Value"] == "dev"

    proton.set_transition("proton::deployment", {"progression": "manual", "times": 5})
    mgmt.update_environment(name="dev", deploymentType="CURRENT_VERSION", spec=spec("tier: prod\n"))
    assert ssm.get_parameter(Name="/dev/tier")["Parameter"]["Value"] == "prod"  # deploying
    mgmt.cancel_environment_deployment(environmentName="dev")
    assert ssm.get_parameter(Name="/dev/tier")["Parameter"]["Value"] == "dev"  # reverted

    mgmt.create_environment(
        name="qa",
        templateName="queue-env",
        templateMajorVersion="1",
        spec=spec("tier: dev\n"),
        **role,
    )
    names = [s["StackName"] for s in cloudformation.describe_stacks()["Stacks"]]
    assert len([n for n in names if n.startswith("AWSProton-qa-")]) == 1
    mgmt.cancel_environment_deployment(environmentName="qa")
    live = [
        s["StackName"]
        for s in cloudformation.describe_stacks()["Stacks"]
        if s["StackStatus"] != "DELETE_COMPLETE"
    ]
    assert not [n for n in live if n.startswith("AWSProton-qa-")]
    assert (
        mgmt.list_environment_provisioned_resources(environmentName="qa")["provisionedResources"]
        == []
    )


UNMODELLED_CFN = ENV_CFN.replace(
    "Resources:\n",
    "Resources:\n"
    "  Build:\n    Type: AWS::CodeBuild::Project\n    Properties: {}\n"
    "  Pipeline:\n    Type: AWS::CodePipeline::Pipeline\n    Properties: {}\n",
    1,
)
UNMODELLED = "Build (AWS::CodeBuild::Project), Pipeline (AWS::CodePipeline::Pipeline)"


def test_resources_moto_does_not_model_are_named_in_the_status_message(proton):
    """moto's CloudFormation skips them and the stack completes: the deployment succeeds, and
    says what it deployed without."""
    env_template(proton, UNMODELLED_CFN)
    environment = create_env(proton, protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton")
    assert environment["deploymentStatus"] == "SUCCEEDED"
    assert environment["deploymentStatusMessage"] == (
        f"Deployed without {UNMODELLED}: moto's CloudFormation doesn't model them. "
        "require_modelled_resources(True) makes such a deployment fail."
    )
    mgmt = proton.client(account_id=MGMT)
    deployment = mgmt.get_deployment(id=environment["lastAttemptedDeploymentId"])["deployment"]
    assert deployment["deploymentStatusMessage"] == environment["deploymentStatusMessage"]
    [stack] = proton.client("cloudformation", account_id=MGMT).describe_stacks()["Stacks"]
    assert stack["StackStatus"] == "CREATE_COMPLETE"


def test_require_modelled_resources_fails_such_a_deployment(proton):
    moto_proton.require_modelled_resources(True)
    try:
        env_template(proton, UNMODELLED_CFN)
        with pytest.raises(botocore.exceptions.WaiterError):
            create_env(proton, protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton")
    finally:
        moto_proton.require_modelled_resources(None)
    environment = proton.client(account_id=MGMT).get_environment(name="dev")["environment"]
    assert environment["deploymentStatus"] == "FAILED"
    assert environment["deploymentStatusMessage"] == (
        f"moto's CloudFormation doesn't model {UNMODELLED}; the deployment fails because "
        "require_modelled_resources is on."
    )
    assert proton.client("cloudformation", account_id=MGMT).describe_stacks()["Stacks"] == []


def test_a_fully_modelled_deployment_has_no_status_message(proton):
    env_template(proton)
    environment = create_env(proton, protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton")
    assert environment["deploymentStatus"] == "SUCCEEDED"
    assert "deploymentStatusMessage" not in environment


def test_without_the_provisioning_extra_registration_says_what_to_install(proton, monkeypatch):
    """What forgetting `[provisioning]` looks like (the README shows it): the version from a
    bundle ends REGISTRATION_FAILED, and its statusMessage names the extra."""
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "jinja2" else find_spec(name, *rest),
    )
    upload(proton, "env/v1.tar.gz", bundle(env_files()))
    mgmt = proton.client(account_id=MGMT)
    register(mgmt, "environment", "queue-env", "env/v1.tar.gz", wait=False)
    version = mgmt.get_environment_template_version(
        templateName="queue-env", majorVersion="1", minorVersion="0"
    )["environmentTemplateVersion"]
    assert version["status"] == "REGISTRATION_FAILED"
    assert version["statusMessage"] == (
        f"Template bundle s3://{BUCKET}/env/v1.tar.gz: bundle: jinja2 is not installed; "
        "install the extra: pip install 'moto-proton[provisioning]'"
    )
