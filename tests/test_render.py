"""The offline renderer: `render_bundle` and `moto-proton render` on AWS-shaped sample bundles
and on the examples of the User Guide's parameter-filters page, and what the emulator deploys
is what the command prints."""

import json
import shutil
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from moto_proton.provisioning import (
    RenderFault,
    SpecFault,
    TemplateFault,
    UsageFault,
    bundle_from_files,
    load_bundle,
    merged,
    render_bundle,
)
from moto_proton.provisioning.render import load_template

from .builders import provisioning as provisioned
from .builders.provisioning import MANIFEST

SAMPLES = Path(__file__).resolve().parent / "samples"
FARGATE_ENV = SAMPLES / "fargate-env" / "v1"
FARGATE_SVC = SAMPLES / "load-balanced-fargate-svc" / "v1"
FARGATE_ENV_SPEC = (SAMPLES / "fargate-env.spec.yaml").read_text()
SVC_SPEC = (SAMPLES / "load-balanced-fargate-svc.spec.yaml").read_text()
#: What a deployment of the service sample knew: its environment's and its component's outputs.
CONTEXT_FILE = SAMPLES / "load-balanced-fargate-svc.context.json"
CONTEXT = json.loads(CONTEXT_FILE.read_text())
ENV_OUTPUTS = CONTEXT["environment"]["outputs"]
COMPONENT_OUTPUTS = CONTEXT["service_instance"]["components"]["default"]["outputs"]
REPOSITORY = {
    "repository_connection_arn": "arn:aws:codestar-connections:us-east-1:123456789012:connection/c",
    "repository_id": "me/frontend",
    "branch_name": "main",
}


SCHEMA = """\
schema:
  format:
    openapi: "3.0.0"
  service_input_type: "Input"
  types:
    Input:
      type: object
      properties:
        port: {type: number, default: 80}
"""
SPEC = "proton: ServiceSpec\ninstances:\n  - name: web\n    environment: dev\n"


def instance_bundle(cfn: str):
    """A service bundle (no pipeline) whose instance IaC file is `cfn`."""
    return bundle_from_files(
        {
            "schema/schema.yaml": SCHEMA.encode(),
            "instance_infrastructure/manifest.yaml": MANIFEST.encode(),
            "instance_infrastructure/cloudformation.yaml": cfn.encode(),
        }
    )


def render_with_component(cfn: str, outputs: dict, **context) -> str:
    """`cfn` rendered for the instance `web`, with a default component of `outputs`."""
    component = {"service_instance": {"components": {"default": {"outputs": outputs}}}}
    return render_bundle(
        instance_bundle(cfn),
        SPEC,
        service="svc",
        instance="web",
        context=merged(component, context),
    )


def instance_context(components: bool = True) -> dict:
    return CONTEXT if components else {"environment": CONTEXT["environment"]}


def fargate_instance(name: str = "frontend-dev", components: bool = True) -> str:
    """The fargate service sample's instance `name`, rendered with the environment's outputs
    (and the component's, with `components`)."""
    return render_bundle(
        load_bundle(str(FARGATE_SVC)),
        SVC_SPEC,
        service="frontend",
        instance=name,
        context=instance_context(components),
    )


def cloudformation(text: str) -> dict:
    """The rendered template as CloudFormation reads it (short forms as their long forms)."""
    result: dict = json.loads(load_template(text, "rendered"))
    return result


# --- the filters, as the parameter-filters page shows them ------------------------------------

PAGE_OUTPUTS = {"Output1": "hello", "Output2": "world"}


#: The page's two env-var examples: (the end of the service template, of the rendered one).
ENV_VAR_EXAMPLES = [
    (
        """\
    ContainerDefinitions:
      - Name: MyServiceName
        Environment:
          {{ service_instance.components.default.outputs
            | proton_cfn_ecs_task_definition_formatted_env_vars }}
""",
        """\
        Environment:
          - Name: Output1
            Value: hello
          - Name: Output2
            Value: world
""",
    ),
    (
        """\
    Environment:
      Variables:
        {{ service_instance.components.default.outputs
          | proton_cfn_lambda_function_formatted_env_vars }}
""",
        """\
      Variables:
        Output1: hello
        Output2: world
""",
    ),
]


@pytest.mark.parametrize("template, rendered", ENV_VAR_EXAMPLES, ids=["ecs", "lambda"])
def test_env_var_filters_render_the_page_examples(template, rendered):
    cfn = "Resources:\n  Resource:\n    Type: AWS::Some::Thing\n  Properties:\n" + template
    assert render_with_component(cfn, PAGE_OUTPUTS).endswith(rendered)


@pytest.mark.parametrize(
    "call",
    [
        "proton_cfn_ecs_task_definition_formatted_env_vars(raw=False)",
        "proton_cfn_lambda_function_formatted_env_vars(raw=False)",
    ],
)
def test_env_var_filters_with_raw_false_validate_every_value(call):
    cfn = f"Resources:\n  X:\n    Env:\n      {{{{ service_instance.components.default.outputs | {call} }}}}\n"
    # Safe values render as with raw=True.
    safe = render_with_component(cfn, {"A": "hello-1", "B": "world_2"})
    assert "hello-1" in safe and "world_2" in safe
    with pytest.raises(TemplateFault) as fault:
        render_with_component(cfn, {"A": "hello", "B": "this::is::incorrect"})
    assert 'Illegal character(s) detected in "this::is::incorrect"' in str(fault.value)
    # raw=True (the default) takes any value.
    loose = cfn.replace("(raw=False)", "(raw=True)")
    assert "this::is::incorrect" in render_with_component(loose, {"B": "this::is::incorrect"})


def test_iam_policy_arns_filter_appends_the_policy_arns_to_the_list():
    cfn = textwrap.dedent("""\
        Resources:
          TaskRole:
            Type: AWS::IAM::Role
            Properties:
              ManagedPolicyArns:
                - !Ref BaseTaskRoleManagedPolicy
                {{ service_instance.components.default.outputs
                    | proton_cfn_iam_policy_arns }}
        """)
    outputs = {
        "Output1": "hello",
        "Output2": "world",
        "PolicyArn1": "arn:aws:iam::123456789012:policy/cfn-generated-policy-name-1",
        "PolicyArn2": "arn:aws:iam::123456789012:policy/cfn-generated-policy-name-2",
        "RoleArn": "arn:aws:iam::123456789012:role/not-a-policy",
    }
    assert render_with_component(cfn, outputs).endswith(
        "      ManagedPolicyArns:\n"
        "        - !Ref BaseTaskRoleManagedPolicy\n"
        "        - arn:aws:iam::123456789012:policy/cfn-generated-policy-name-1\n"
        "        - arn:aws:iam::123456789012:policy/cfn-generated-policy-name-2\n"
    )


SANITIZE = "Resources:\n  X:\n    Value:\n      {{ service_instance.components.default.outputs.Out\n        | proton_cfn_sanitize }}\n"


@pytest.mark.parametrize(
    "value",
    ["This-is_valid_37", "arn:aws:some-service::123456789012:some-resource/resource-name"],
)
def test_sanitize_passes_safe_values_and_arns_unchanged(value):
    rendered = render_with_component(SANITIZE, {"Out": value})
    assert rendered == f"Resources:\n  X:\n    Value:\n      {value}\n"


@pytest.mark.parametrize("value", ["this::is::incorrect", "a b", "x;y", "arn:aws:s3:::"])
def test_sanitize_fails_rendering_with_aws_text(value):
    with pytest.raises(TemplateFault) as fault:
        render_with_component(SANITIZE, {"Out": value})
    assert fault.value.reason == (
        f'Illegal character(s) detected in "{value}". Must match regex ^[a-zA-Z0-9_-]*$ or be '
        "a valid ARN"
    )


def test_default_filter_and_missing_outputs():
    cfn = "Resources:\n  X:\n    Value: {{ service_instance.components.default.outputs.test | default('[optional-value]') }}\n"
    assert "Value: [optional-value]" in render_bundle(
        instance_bundle(cfn), SPEC, service="svc", instance="web"
    )
    # Without a component, outputs is empty: its length is 0, an output is undefined.
    counted = (
        "Resources:\n  X:\n    N: {{ service_instance.components.default.outputs | length }}\n"
    )
    assert "N: 0" in render_bundle(instance_bundle(counted), SPEC, service="svc", instance="web")
    strict = "Resources:\n  X:\n    V: {{ service_instance.components.default.outputs.test }}\n"
    with pytest.raises(TemplateFault) as fault:
        render_bundle(instance_bundle(strict), SPEC, service="svc", instance="web")
    assert "line 3" in str(fault.value) and "test" in str(fault.value)


def test_dynamic_references_are_escaped_as_proton_documents():
    cfn = (
        "Resources:\n  X:\n    Password: '{% raw %}{{resolve:secretsmanager:db}}{% endraw %}'\n"
        "    Other: \"{{ '{{resolve:ssm:/param}}' }}\"\n"
    )
    assert render_bundle(instance_bundle(cfn), SPEC, service="svc", instance="web") == (
        "Resources:\n  X:\n    Password: '{{resolve:secretsmanager:db}}'\n"
        '    Other: "{{resolve:ssm:/param}}"\n'
    )


# --- AWS-shaped samples -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bundle, spec, what, context",
    [
        (FARGATE_ENV, FARGATE_ENV_SPEC, {"name": "fargate-env-dev"}, {}),
        (
            FARGATE_SVC,
            SVC_SPEC,
            {"service": "frontend", "instance": "frontend-dev"},
            instance_context(),
        ),
        (
            FARGATE_SVC,
            SVC_SPEC,
            {"service": "frontend", "instance": "frontend-prod"},
            instance_context(components=False),
        ),
        (FARGATE_SVC, SVC_SPEC, {"service": "frontend", "pipeline": True}, {"service": REPOSITORY}),
    ],
    ids=["fargate-env", "svc-instance-dev", "svc-instance-prod", "svc-pipeline"],
)
def test_every_sample_renders_to_a_cloudformation_template(bundle, spec, what, context):
    template = cloudformation(
        render_bundle(load_bundle(str(bundle)), spec, context=context, **what)
    )
    assert template["Resources"]


def test_vpc_environment_renders_with_schema_defaults():
    template = cloudformation(
        render_bundle(load_bundle(str(FARGATE_ENV)), FARGATE_ENV_SPEC, name="dev")
    )
    resources = template["Resources"]
    assert resources["VPC"]["Properties"]["CidrBlock"] == "10.0.0.0/16"
    assert resources["PublicSubnetTwo"]["Properties"]["CidrBlock"] == "10.0.1.0/24"  # default
    assert resources["CloudMapNamespace"]["Properties"]["Name"] == "dev.local"


def test_fargate_instance_with_component_outputs():
    text = fargate_instance()
    resources = cloudformation(text)["Resources"]
    role = resources["TaskRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        {"Ref": "BaseTaskRoleManagedPolicy"},
        COMPONENT_OUTPUTS["BucketPolicyArn"],
    ]
    container = resources["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]
    assert container["Environment"] == [
        {"Name": "SNS_TOPIC_ARN", "Value": ENV_OUTPUTS["SNSTopicArn"]},
        {"Name": "SNS_REGION", "Value": "us-east-1"},
        {"Name": "BucketName", "Value": "frontend-bucket"},
        {"Name": "BucketPolicyArn", "Value": COMPONENT_OUTPUTS["BucketPolicyArn"]},
    ]
    assert container["PortMappings"] == [{"ContainerPort": 8080, "Protocol": "tcp"}]
    assert resources["Service"]["Properties"]["DesiredCount"] == 2
    assert resources["LoadBalancer"]["Properties"]["Type"] == "application"
    # The policy list is aligned under its `- !Ref` item, at the column of `{{`.
    assert "        - !Ref BaseTaskRoleManagedPolicy\n        - arn:aws:iam::" in text


def test_fargate_instance_without_component_and_with_other_inputs():
    resources = cloudformation(fargate_instance("frontend-prod", components=False))["Resources"]
    assert resources["TaskRole"]["Properties"]["ManagedPolicyArns"] == [
        {"Ref": "BaseTaskRoleManagedPolicy"}
    ]
    assert (
        len(resources["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]["Environment"])
        == 2
    )
    assert resources["LoadBalancer"]["Properties"]["Type"] == "network"
    assert "LoadBalancerSecurityGroup" not in resources
    assert resources["TaskDefinition"]["Properties"]["Cpu"] == {
        "Fn::FindInMap": ["TaskSize", "medium", "cpu"]
    }
    assert resources["TargetGroup"]["Properties"]["Port"] == 80  # the schema's default


def test_fargate_pipeline_lists_every_instance_and_needs_the_repository():
    bundle = load_bundle(str(FARGATE_SVC))
    template = cloudformation(
        render_bundle(
            bundle, SVC_SPEC, service="frontend", pipeline=True, context={"service": REPOSITORY}
        )
    )
    stages = template["Resources"]["Pipeline"]["Properties"]["Stages"]
    assert [s["Name"] for s in stages] == [
        "Source",
        "Build",
        "Deployfrontend-dev",
        "Deployfrontend-prod",
    ]
    variables = json.loads(stages[3]["Actions"][0]["Configuration"]["EnvironmentVariables"])
    assert variables[1:] == [
        {"name": "ENVIRONMENT", "value": "fargate-env-prod"},
        {"name": "PORT", "value": "80"},  # defaults applied
    ]
    build = template["Resources"]["BuildProject"]["Properties"]["Source"]["BuildSpec"]
    assert "- echo 'no tests'\n" in build and "-f Dockerfile ." in build
    # The repository comes only from the context.
    with pytest.raises(TemplateFault, match="repository_connection_arn"):
        render_bundle(bundle, SVC_SPEC, service="frontend", pipeline=True)


def test_environment_outputs_come_only_from_the_context():
    with pytest.raises(TemplateFault, match="outputs"):
        render_bundle(
            load_bundle(str(FARGATE_SVC)), SVC_SPEC, service="frontend", instance="frontend-dev"
        )


def test_context_deep_merges_objects_and_replaces_other_values():
    assert merged(
        {"a": {"b": 1, "c": [1, 2]}, "d": 1}, {"a": {"c": [3], "e": 4}, "f": {"g": 5}}
    ) == {"a": {"b": 1, "c": [3], "e": 4}, "d": 1, "f": {"g": 5}}
    cfn = "Resources:\n  X:\n    V: '{{ service.name }} {{ service_instance.inputs.port }} {{ service_instance.name }}'\n"
    context = {"service_instance": {"inputs": {"port": 9}}, "service": {"name": "other"}}
    rendered = render_bundle(
        instance_bundle(cfn), SPEC, service="svc", instance="web", context=context
    )
    assert "V: 'other 9 web'" in rendered


def test_tar_gz_bundle_with_one_leading_folder_renders_like_the_folder(tmp_path):
    archive = tmp_path / "svc.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(FARGATE_SVC, arcname="load-balanced-fargate-svc")
    what = {"service": "frontend", "instance": "frontend-dev", "context": instance_context()}
    assert render_bundle(load_bundle(str(archive)), SVC_SPEC, **what) == render_bundle(
        load_bundle(str(FARGATE_SVC)), SVC_SPEC, **what
    )


def test_hidden_files_of_a_bundle_folder_are_no_part_of_it(tmp_path):
    bundle = tmp_path / "fargate-env"
    shutil.copytree(FARGATE_ENV, bundle)
    (bundle / ".DS_Store").write_bytes(b"\x00\x87\xff")
    (bundle / ".git" / "objects").mkdir(parents=True)
    (bundle / ".git" / "objects" / "pack").write_bytes(b"\xff" * 10)
    assert render_bundle(load_bundle(str(bundle)), FARGATE_ENV_SPEC, name="dev") == render_bundle(
        load_bundle(str(FARGATE_ENV)), FARGATE_ENV_SPEC, name="dev"
    )


def test_a_bundle_without_an_iac_folder_or_schema_is_a_render_fault(tmp_path):
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "schema.yaml").write_text(SCHEMA)
    with pytest.raises(RenderFault, match="has neither infrastructure/ nor instance_"):
        load_bundle(str(tmp_path))
    (tmp_path / "instance_infrastructure").mkdir()
    (tmp_path / "instance_infrastructure" / "manifest.yaml").write_text(MANIFEST)
    (tmp_path / "schema" / "schema.yaml").unlink()
    with pytest.raises(RenderFault, match="schema/schema.yaml: missing"):
        load_bundle(str(tmp_path))


@pytest.mark.parametrize(
    "spec, message",
    [
        ("proton: ServiceSpec\ninstances: [", "not valid YAML"),
        (
            "proton: ServiceSpec\ninstances:\n  - name: frontend-dev\n    environment: e\n"
            "    spec:\n      task_size: huge\n",
            "Invalid service instance frontend-dev input task_size: fails enum",
        ),
        ("proton: EnvironmentSpec\n", "must have 'proton: ServiceSpec'"),
    ],
)
def test_bad_specs_are_spec_faults(spec, message):
    with pytest.raises(SpecFault, match=message):
        render_bundle(
            load_bundle(str(FARGATE_SVC)), spec, service="frontend", instance="frontend-dev"
        )


@pytest.mark.parametrize(
    "what, message",
    [
        ({"service": "frontend", "instance": "frontend-dev", "pipeline": True}, "one of"),
        ({"service": "frontend"}, "one of"),
        ({"instance": "frontend-dev"}, "--service"),
        ({"service": "frontend", "instance": "nope"}, "lists no instance nope"),
        ({"name": "dev"}, "--service"),
    ],
)
def test_wrong_choices_are_usage_faults(what, message):
    with pytest.raises(UsageFault, match=message):
        render_bundle(load_bundle(str(FARGATE_SVC)), SVC_SPEC, **what)


def test_environment_bundle_needs_a_name_and_no_service():
    with pytest.raises(UsageFault, match="--name"):
        render_bundle(load_bundle(str(FARGATE_ENV)), FARGATE_ENV_SPEC)
    with pytest.raises(UsageFault, match="--instance"):
        render_bundle(load_bundle(str(FARGATE_ENV)), FARGATE_ENV_SPEC, name="dev", instance="x")


# --- the command ------------------------------------------------------------------------------


def run(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "moto_proton.cli", "render", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_command_prints_what_the_function_renders(tmp_path):
    done = run(
        str(FARGATE_SVC),
        "--spec",
        "-",
        "--service",
        "frontend",
        "--instance",
        "frontend-dev",
        "--context",
        str(CONTEXT_FILE),
        stdin=SVC_SPEC,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, fargate_instance(), "")
    output = tmp_path / "env.yaml"
    done = run(
        str(FARGATE_ENV),
        "--spec",
        str(SAMPLES / "fargate-env.spec.yaml"),
        "--name",
        "dev",
        "-o",
        str(output),
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert output.read_text() == render_bundle(
        load_bundle(str(FARGATE_ENV)), FARGATE_ENV_SPEC, name="dev"
    )


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    return done.stderr


def test_command_rendering_faults_exit_1_with_one_line(tmp_path):
    bundle = tmp_path / "bundle"
    for name, text in {
        "schema/schema.yaml": SCHEMA,
        "instance_infrastructure/manifest.yaml": MANIFEST,
        "instance_infrastructure/cloudformation.yaml": SANITIZE,
    }.items():
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_text(text)
    context = tmp_path / "context.json"
    context.write_text(
        json.dumps({"service_instance": {"components": {"default": {"outputs": {"Out": "a::b"}}}}})
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    base = [str(bundle), "--spec", str(spec), "--service", "svc", "--instance", "web"]
    done = run(*base, "--context", str(context))
    assert done.returncode == 1
    assert one_line(done).endswith(
        'Illegal character(s) detected in "a::b". Must match regex ^[a-zA-Z0-9_-]*$ or be a '
        "valid ARN\n"
    )
    spec.write_text(SPEC + "    spec:\n      port: eighty\n")
    done = run(*base)
    assert done.returncode == 1
    assert one_line(done).startswith(
        f"moto-proton render: {spec}: Invalid service instance web input port"
    )
    context.write_text("[1, 2]")
    done = run(*base, "--context", str(context))
    assert done.returncode == 1
    assert "the context must be a JSON object" in one_line(done)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--service", "frontend", "--instance", "frontend-dev", "--pipeline"], "not allowed with"),
        (["--service", "frontend", "--instance", "nope"], "lists no instance nope"),
        (["--instance", "frontend-dev"], "--service"),
    ],
)
def test_command_usage_faults_exit_2(arguments, message):
    done = run(
        str(FARGATE_SVC), "--spec", str(SAMPLES / "load-balanced-fargate-svc.spec.yaml"), *arguments
    )
    assert done.returncode == 2
    assert message in one_line(done)


def test_command_without_a_bundle_or_spec_exits_2(tmp_path):
    done = run(str(tmp_path / "nothing"), "--spec", "-", "--name", "dev")
    assert done.returncode == 2 and "no such bundle" in one_line(done)
    done = run(str(FARGATE_ENV), "--name", "dev")
    assert done.returncode == 2 and "--spec" in one_line(done)


def test_command_names_the_extra_when_jinja_is_missing():
    # Hidden once moto is imported: moto 5.1's own core imports Jinja2.
    hide = (
        "import sys; from moto_proton.cli import main; sys.modules['jinja2'] = None; "
        f"main(['render', {str(FARGATE_ENV)!r}, '--spec', '-', '--name', 'dev'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", hide],
        input=FARGATE_ENV_SPEC,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "pip install 'moto-proton[provisioning]'" in one_line(done)


# --- what the emulator deploys is what the command prints ------------------------------------


def test_deployed_stacks_hold_what_the_renderer_prints(proton):
    """An environment, a service instance that reads its outputs and account, and the
    service's pipeline that reads the instance's: the stacks' templates equal `render_bundle`
    of the same bundles, specs and outputs."""
    provisioned.env_template(proton)
    environment = provisioned.create_env(proton, "dev", "tier: dev\n")
    mgmt = proton.client(account_id=provisioned.MGMT)
    mgmt.update_account_settings(pipelineServiceRoleArn=f"arn:aws:iam::{provisioned.MGMT}:role/p")
    env_bundle = bundle_from_files(
        {name: text.encode() for name, text in provisioned.env_files().items()}
    )
    env_cfn = proton.client("cloudformation", account_id=provisioned.ENV)
    stack = env_cfn.describe_stacks()["Stacks"][0]["StackName"]
    assert env_cfn.get_template(StackName=stack)["TemplateBody"] == render_bundle(
        env_bundle, environment["spec"], name="dev"
    )
    # A service instance in the environment reads its outputs and account.
    provisioned.upload(proton, "svc/v1.tar.gz", provisioned.bundle(provisioned.svc_files()))
    version = provisioned.register(mgmt, "service", "worker", "svc/v1.tar.gz")
    provisioned.publish(mgmt, "service", "worker", version)
    spec = (
        "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: dev\n"
        "    spec:\n      size: 3\n"
    )
    mgmt.create_service(
        name="orders",
        templateName="worker",
        templateMajorVersion="1",
        spec=spec,
        repositoryConnectionArn=REPOSITORY["repository_connection_arn"],
        repositoryId="me/orders",
        branchName="main",
    )
    mgmt.get_waiter("service_created").wait(name="orders", WaiterConfig=provisioned.FAST)
    env_outputs = provisioned.outputs(
        mgmt.list_environment_outputs(environmentName="dev")["outputs"]
    )
    svc_bundle = bundle_from_files(
        {name: text.encode() for name, text in provisioned.svc_files().items()}
    )
    expected = render_bundle(
        svc_bundle,
        spec,
        service="orders",
        instance="one",
        context={"environment": {"outputs": env_outputs, "account_id": provisioned.ENV}},
    )
    stacks = [
        s["StackName"] for s in env_cfn.describe_stacks()["Stacks"] if s["StackName"] != stack
    ]
    assert env_cfn.get_template(StackName=stacks[0])["TemplateBody"] == expected
    assert f"Value: '{provisioned.ENV}'" in expected
    # The pipeline (in the management account) saw the instance with its outputs.
    instance_outputs = provisioned.outputs(
        mgmt.list_service_instance_outputs(serviceName="orders", serviceInstanceName="one")[
            "outputs"
        ]
    )
    context = {
        "service": {"repository_id": "me/orders", "branch_name": "main"},
        "service_instances": [
            {
                "name": "one",
                "inputs": {"size": 3},
                "outputs": instance_outputs,
                "environment": {"name": "dev", "outputs": env_outputs},
            }
        ],
    }
    pipeline = render_bundle(svc_bundle, spec, service="orders", pipeline=True, context=context)
    mgmt_cfn = proton.client("cloudformation", account_id=provisioned.MGMT)
    (pipeline_stack,) = mgmt_cfn.describe_stacks()["Stacks"]
    assert mgmt_cfn.get_template(StackName=pipeline_stack["StackName"])["TemplateBody"] == pipeline
    assert "Value: '/orders/one/queue build'" in pipeline
