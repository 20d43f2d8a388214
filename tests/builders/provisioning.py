"""Template bundles for real provisioning (the `[provisioning]` extra): an environment
template that makes a queue and a service template with an instance and a pipeline, their
schemas, the S3 upload, registration and publishing, and environments created from them."""

import io
import tarfile
import textwrap

from . import ENV, MGMT

BUCKET = "proton-templates"
FAST = {"Delay": 1, "MaxAttempts": 5}

ENV_SCHEMA = """\
schema:
  format:
    openapi: "3.0.0"
  environment_input_type: "QueueEnvironmentInput"
  types:
    QueueEnvironmentInput:
      type: object
      description: "Input properties for my environment"
      properties:
        prefix:
          type: string
          description: "Queue name prefix"
          default: "demo"
          pattern: "[a-z]+"
          maxLength: 10
        retention:
          type: number
          default: 345600
          minimum: 60
          maximum: 1209600
        tier:
          type: string
          enum: [dev, prod]
      required:
        - tier"""  # no final newline: `schema` must come back byte for byte

MANIFEST = """\
infrastructure:
  templates:
    - file: "cloudformation.yaml"
      rendering_engine: jinja
      template_language: cloudformation
"""

ENV_CFN = """\
AWSTemplateFormatVersion: 2010-09-09
Description: Environment {{ environment.name }}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: '{{ environment.inputs.prefix }}-{{ environment.name }}'
      MessageRetentionPeriod: {{ environment.inputs.retention }}
  Tier:
    Type: AWS::SSM::Parameter
    Properties:
      Name: '/{{ environment.name }}/tier'
      Type: String
      Value: '{{ environment.inputs.tier }}'
Outputs:
  QueueUrl:
    Value: !Ref Queue
  QueueArn:
    Value:
      !GetAtt
        - Queue
        - Arn
  TierParameter:
    Value: !Ref Tier
  Tier:
    Value: '{{ environment.inputs.tier }}'
"""

SVC_SCHEMA = """\
schema:
  format:
    openapi: "3.0.0"
  service_input_type: "WorkerInput"
  pipeline_input_type: "PipelineInput"
  types:
    WorkerInput:
      type: object
      properties:
        size:
          type: integer
          default: 2
          minimum: 1
    PipelineInput:
      type: object
      properties:
        stage:
          type: string
          default: build
"""

INSTANCE_CFN = """\
Resources:
  Queue:
    Type: AWS::SSM::Parameter
    Properties:
      Name: '/{{ service.name }}/{{ service_instance.name }}/queue'
      Type: String
      Value: '{{ environment.outputs.QueueUrl }}'
Outputs:
  ParameterName:
    Value: !Ref Queue
  Size:
    Value: '{{ service_instance.inputs.size }}'
  Account:
    Value: '{{ environment.account_id }}'
  Components:
    Value: 'n{{ service_instance.components.default.outputs | length }}'
"""

PIPELINE_CFN = """\
Resources:
{% for service_instance in service_instances %}
  Instance{{ loop.index }}:
    Type: AWS::SSM::Parameter
    Properties:
      Name: '/pipeline/{{ service.name }}/{{ service_instance.name }}'
      Type: String
      Value: '{{ service_instance.outputs.ParameterName }} {{ pipeline.inputs.stage }}'
{% endfor %}
Outputs:
  Branch:
    Value: '{{ service.branch_name }}'
"""


def bundle(files: dict, folder: str = "v1") -> bytes:
    """A gzipped tar of `files` under one leading folder, as `tar -zcvf t.tar.gz v1/` makes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode() if isinstance(text, str) else text
            info = tarfile.TarInfo(f"{folder}/{name}" if folder else name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def env_files(cfn: str = ENV_CFN) -> dict:
    return {
        "schema/schema.yaml": ENV_SCHEMA,
        "infrastructure/manifest.yaml": MANIFEST,
        "infrastructure/cloudformation.yaml": cfn,
    }


def svc_files(instance_cfn: str = INSTANCE_CFN) -> dict:
    return {
        ".compatible-envs": "queue-env:1\n",
        "schema/schema.yaml": SVC_SCHEMA,
        "instance_infrastructure/manifest.yaml": MANIFEST,
        "instance_infrastructure/cloudformation.yaml": instance_cfn,
        "pipeline_infrastructure/manifest.yaml": MANIFEST,
        "pipeline_infrastructure/cloudformation.yaml": PIPELINE_CFN,
    }


def upload(proton, key: str, data: bytes, account: str = MGMT) -> None:
    s3 = proton.client("s3", account_id=account)
    try:
        s3.create_bucket(Bucket=BUCKET)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    s3.put_object(Bucket=BUCKET, Key=key, Body=data)


def register(client, kind: str, name: str, key: str, wait: bool = True, **extra) -> dict:
    """Create the template if needed and a version from s3://BUCKET/key; waits for it."""
    create_template = getattr(client, f"create_{kind}_template")
    try:
        create_template(name=name, **extra)
    except client.exceptions.ConflictException:
        pass
    except client.exceptions.ValidationException:
        pass
    version_extra = {}
    if kind == "service":
        version_extra["compatibleEnvironmentTemplates"] = [
            {"templateName": "queue-env", "majorVersion": "1"}
        ]
    version = getattr(client, f"create_{kind}_template_version")(
        templateName=name, source={"s3": {"bucket": BUCKET, "key": key}}, **version_extra
    )[f"{kind}TemplateVersion"]
    if wait:
        client.get_waiter(f"{kind}_template_version_registered").wait(
            templateName=name,
            majorVersion=version["majorVersion"],
            minorVersion=version["minorVersion"],
            WaiterConfig=FAST,
        )
    return version


def publish(client, kind: str, name: str, version: dict) -> dict:
    return getattr(client, f"update_{kind}_template_version")(
        templateName=name,
        majorVersion=version["majorVersion"],
        minorVersion=version["minorVersion"],
        status="PUBLISHED",
    )[f"{kind}TemplateVersion"]


def connect(proton, environment_name: str) -> str:
    env = proton.client(account_id=ENV)
    mgmt = proton.client(account_id=MGMT)
    connection = env.create_environment_account_connection(
        managementAccountId=MGMT,
        environmentName=environment_name,
        roleArn=f"arn:aws:iam::{ENV}:role/proton-env",
        componentRoleArn=f"arn:aws:iam::{ENV}:role/proton-component",
    )["environmentAccountConnection"]
    mgmt.accept_environment_account_connection(id=connection["id"])
    return connection["id"]


def env_template(proton, cfn: str = ENV_CFN) -> dict:
    mgmt = proton.client(account_id=MGMT)
    upload(proton, "env/v1.tar.gz", bundle(env_files(cfn)))
    version = register(mgmt, "environment", "queue-env", "env/v1.tar.gz")
    return publish(mgmt, "environment", "queue-env", version)


def spec(inputs: str) -> str:
    return "proton: EnvironmentSpec\nspec:\n" + textwrap.indent(inputs, "  ")


def create_env(proton, name: str = "dev", inputs: str = "tier: dev\n", **how) -> dict:
    mgmt = proton.client(account_id=MGMT)
    if not how:
        how = {"environmentAccountConnectionId": connect(proton, name)}
    mgmt.create_environment(
        name=name,
        templateName="queue-env",
        templateMajorVersion="1",
        spec=spec(inputs),
        **how,
    )
    mgmt.get_waiter("environment_deployed").wait(name=name, WaiterConfig=FAST)
    environment: dict = mgmt.get_environment(name=name)["environment"]
    return environment


def outputs(items: list) -> dict:
    return {o["key"]: o["valueString"] for o in items}
