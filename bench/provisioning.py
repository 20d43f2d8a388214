"""A provisioned environment deployment beside the same stack made through moto CloudFormation.

Proton's side: CreateEnvironment of a bundle-backed template version, then one GetEnvironment,
whose deployment has SUCCEEDED (the bundle's Jinja CloudFormation rendered into a moto stack).
CloudFormation's side: `create_stack` with the same rendered template (the text the plugin's
stack holds), then one `describe_stacks`, whose stack is CREATE_COMPLETE. Both run under the
caller's `mock_aws`, in one Region of their own that is emptied (Proton, CloudFormation, SQS)
and set up again ahead of every timed batch."""

import io
import itertools
import statistics
import tarfile
from collections.abc import Callable
from typing import Any

import boto3
from moto.cloudformation.models import cloudformation_backends
from moto.sqs.models import sqs_backends

from moto_proton.models import proton_backends

from .timing import Settings, Subject, batches_us, spread

ACCOUNT = "123456789012"  # moto's default account
REGION = "ap-south-1"  # used by nothing else in the benchmark
ROLE = f"arn:aws:iam::{ACCOUNT}:role/proton-service"
BUCKET = "bench-provisioning"
KEY = "queue-env/v1.tar.gz"
TEMPLATE = "queue-env"
SCHEMA = """\
schema:
  format:
    openapi: "3.0.0"
  environment_input_type: "QueueInput"
  types:
    QueueInput:
      type: object
      properties:
        tier: {type: string, enum: [dev, prod], default: dev}
"""
MANIFEST = """\
infrastructure:
  templates:
    - file: "cloudformation.yaml"
      rendering_engine: jinja
      template_language: cloudformation
"""
CLOUDFORMATION = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: '{{ environment.name }}-{{ environment.inputs.tier }}'
Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
"""
SPEC = "proton: EnvironmentSpec\nspec:\n  tier: dev\n"

_names = itertools.count()


def rendered(name: str) -> str:
    """What the plugin renders for an environment called `name` (the stack's template)."""
    return CLOUDFORMATION.replace("{{ environment.name }}", name).replace(
        "{{ environment.inputs.tier }}", "dev"
    )


def _bundle() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in {
            "schema/schema.yaml": SCHEMA,
            "infrastructure/manifest.yaml": MANIFEST,
            "infrastructure/cloudformation.yaml": CLOUDFORMATION,
        }.items():
            info = tarfile.TarInfo(f"queue-env/{name}")
            info.size = len(text.encode())
            archive.addfile(info, io.BytesIO(text.encode()))
    return buffer.getvalue()


def _set_up(proton: Any) -> None:
    """Empty the Region (Proton, CloudFormation, SQS), then register and publish the
    bundle-backed environment template version (the bundle stays in S3)."""
    for backends in (proton_backends, cloudformation_backends, sqs_backends):
        backends[ACCOUNT][REGION].reset()
    proton.create_environment_template(name=TEMPLATE)
    proton.create_environment_template_version(
        templateName=TEMPLATE, source={"s3": {"bucket": BUCKET, "key": KEY}}
    )
    version = proton.get_environment_template_version(
        templateName=TEMPLATE, majorVersion="1", minorVersion="0"
    )["environmentTemplateVersion"]
    if version["status"] != "DRAFT":
        raise RuntimeError(f"bundle not registered: {version.get('statusMessage')}")
    proton.update_environment_template_version(
        templateName=TEMPLATE, majorVersion="1", minorVersion="0", status="PUBLISHED"
    )


def _deploy_environment(proton: Any) -> Callable[[], object]:
    def call() -> object:
        name = f"env-{next(_names)}"
        proton.create_environment(
            name=name,
            templateName=TEMPLATE,
            templateMajorVersion="1",
            protonServiceRoleArn=ROLE,
            spec=SPEC,
        )
        environment = proton.get_environment(name=name)["environment"]
        if environment["deploymentStatus"] != "SUCCEEDED":
            raise RuntimeError(f"environment {name}: {environment.get('deploymentStatusMessage')}")
        return environment

    return call


def _create_stack(cloudformation: Any) -> Callable[[], object]:
    def call() -> object:
        name = f"stack-{next(_names)}"
        cloudformation.create_stack(StackName=name, TemplateBody=rendered(name))
        stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        if stack["StackStatus"] != "CREATE_COMPLETE":
            raise RuntimeError(f"stack {name}: {stack['StackStatus']}")
        return stack

    return call


def _check_same_template(proton: Any, cloudformation: Any) -> None:
    """The plugin's stack holds exactly the template the CloudFormation side sends."""
    _set_up(proton)
    name = _deploy_environment(proton)()["name"]  # type: ignore[index]
    resources = proton.list_environment_provisioned_resources(environmentName=name)
    stack_name = resources["provisionedResources"][0]["name"]
    body = cloudformation.get_template(StackName=stack_name)["TemplateBody"]
    if body != rendered(name):
        raise RuntimeError(f"the plugin rendered another template: {body}")


def measure(settings: Settings) -> dict[str, Any]:
    """Microseconds per provisioned deployment and per direct stack (median of batches that
    alternate between the two); call under `mock_aws`, with the `environments` quota raised."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=_bundle())
    proton = boto3.client("proton", region_name=REGION)
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    _check_same_template(proton, cloudformation)

    subjects = {
        "proton_environment_deployed": Subject(
            _deploy_environment(proton), before_batch=lambda: _set_up(proton)
        ),
        "cloudformation_create_stack": Subject(
            _create_stack(cloudformation), before_batch=lambda: _set_up(proton)
        ),
    }
    samples = batches_us(subjects, settings)
    for backends in (proton_backends, cloudformation_backends, sqs_backends):
        backends[ACCOUNT][REGION].reset()
    return {
        "per_call_us": {name: statistics.median(values) for name, values in samples.items()},
        "spread": {name: spread(values) for name, values in samples.items()},
    }
