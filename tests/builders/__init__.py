"""What the tests build Proton resources from: the accounts, ARNs, roles, bundle location and
specs they share, and the set-up most of them start with (a published environment template,
an environment, a published service template version).

`tests.builders.services` adds the service world of the service, instance, pipeline and
deployment tests; `tests.builders.provisioning` the template bundles of real provisioning.
"""

import yaml

ACCOUNT = "123456789012"  # moto's default account
#: The environment, management and an unrelated account of the cross-account tests (the
#: first two are moto_proton.testing's ENVIRONMENT_ACCOUNT_ID and MANAGEMENT_ACCOUNT_ID).
ENV, MGMT, STRANGER = "111111111111", "222222222222", "333333333333"
ARN = f"arn:aws:proton:us-east-1:{ACCOUNT}"
#: Where a template version's bundle would be: nothing reads it unless a test uploads one.
SOURCE = {"s3": {"bucket": "templates-bucket", "key": "bundle.tar.gz"}}
ENV_SPEC = "proton: EnvironmentSpec\nspec: {}\n"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/proton"
#: A role of the environment account, as environment account connections require.
ENV_ROLE = f"arn:aws:iam::{ENV}:role/proton-env"
REPOSITORY = {
    "repositoryConnectionArn": f"arn:aws:codestar-connections:us-east-1:{ACCOUNT}:connection/c",
    "repositoryId": "org/web",
    "branchName": "main",
}
#: A directly defined component's manifest: one CloudFormation file rendered with Jinja.
MANIFEST = (
    "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n"
    "      rendering_engine: jinja\n      template_language: cloudformation\n"
)
#: Waiters poll without sleeping: moto's state manager moves deployments on reads.
NO_WAIT = {"Delay": 0, "MaxAttempts": 3}
#: The state-manager model of every Proton deployment (`ProtonMock.set_transition`).
DEPLOYMENT = "proton::deployment"


def service_spec(*instances, pipeline=None):
    """A service spec: instances as (name, environment) or (name, environment, inputs)."""
    document = {"proton": "ServiceSpec"}
    if pipeline is not None:
        document["pipeline"] = pipeline
    document["instances"] = [
        {"name": i[0], "environment": i[1], **({"spec": i[2]} if len(i) > 2 else {})}
        for i in instances
    ]
    return yaml.safe_dump(document, sort_keys=False)


def env_template(client, name="vpc", majors=1):
    """Environment template `name` with versions 1.0 to `majors`.0, each published."""
    client.create_environment_template(name=name)
    for major in range(1, majors + 1):
        client.create_environment_template_version(templateName=name, source=SOURCE)
        client.update_environment_template_version(
            templateName=name, majorVersion=str(major), minorVersion="0", status="PUBLISHED"
        )


def environment(client, name, template="vpc", major="1", **extra):
    """CreateEnvironment with the Proton service role ROLE unless `extra` names another."""
    return client.create_environment(
        name=name,
        templateName=template,
        templateMajorVersion=major,
        spec=ENV_SPEC,
        **{"protonServiceRoleArn": ROLE, **extra},
    )["environment"]


def service_version(
    client, template="web", major=None, compatible=(("vpc", "1"),), publish=True, **extra
):
    """A version of service template `template` (a new major version when `major` is given),
    compatible with the environment templates (name, major) of `compatible`, published unless
    told otherwise; its (major, minor)."""
    params = {
        "templateName": template,
        "source": SOURCE,
        "compatibleEnvironmentTemplates": [
            {"templateName": t, "majorVersion": m} for t, m in compatible
        ],
        **extra,
    }
    if major:
        params["majorVersion"] = major
    version = client.create_service_template_version(**params)["serviceTemplateVersion"]
    if publish:
        client.update_service_template_version(
            templateName=template,
            majorVersion=version["majorVersion"],
            minorVersion=version["minorVersion"],
            status="PUBLISHED",
        )
    return version["majorVersion"], version["minorVersion"]
