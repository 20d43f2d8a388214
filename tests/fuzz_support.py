"""Shared by the model-driven robustness tests: seeded state, outcomes, normalisation.

State is reset and seeded directly in the process (the session's server runs in this process
too), through the backend methods named after the operations with model-shaped parameters:
exactly what `moto_proton.responses` calls, without HTTP. `mock_random` is seeded first, so
every seeding gives the same ids and Hypothesis can replay and shrink examples.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.model import OperationModel, Shape
from hypothesis import HealthCheck, Phase, settings
from moto.moto_api._internal import mock_random

from moto_proton import exceptions
from moto_proton.coverage import implemented_operations
from moto_proton.model import service_model
from moto_proton.models import PROTON_LOCK, proton_backends
from moto_proton.models.templates import KINDS
from moto_proton.testing import NOT_STATE, _is_machinery, proton_state

REGION = "us-east-1"
ENV = "111111111111"
MGMT = "222222222222"
STRANGER = "333333333333"
ACCOUNTS = (ENV, MGMT, STRANGER)
SEED = 20200720

OPERATIONS = implemented_operations()

#: Examples per operation and mode. By default CI-sized: 25, shared out of a budget of 512
#: per mode once there are more than 20 operations (never fewer than 8), so the suite stays
#: fast as operations are added. `MOTO_PROTON_FUZZ_EXAMPLES=<n>` asks for n.
BUDGET_PER_MODE = 512
EXAMPLES = int(
    os.environ.get("MOTO_PROTON_FUZZ_EXAMPLES")
    or min(25, max(8, BUDGET_PER_MODE // max(1, len(OPERATIONS))))
)
#: By default the same examples run every time (no flaky CI) and a failure is reported as
#: generated (every draw is printed; shrinking HTTP round trips can take minutes); a larger
#: run explores afresh and shrinks what it finds.
EXPLORING = "MOTO_PROTON_FUZZ_EXAMPLES" in os.environ
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not EXPLORING,
    phases=list(Phase) if EXPLORING else [Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

#: The HTTP status of every error type moto_proton answers with.
STATUS = {
    cls.error_type: cls.code
    for cls in vars(exceptions).values()
    if isinstance(cls, type) and issubclass(cls, exceptions.ProtonError)
}


def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


def documented_errors(operation: OperationModel) -> set[str]:
    return {shape.name for shape in operation.error_shapes}


def reset_proton() -> None:
    """Forget every Proton backend (other services are untouched)."""
    with PROTON_LOCK:
        for account in list(proton_backends.values()):
            account.reset()
        proton_backends.clear()


def backend_call(account_id: str, operation: str, params: dict[str, Any]) -> Any:
    backend = proton_backends[account_id][REGION]
    handler = getattr(backend, xform_name(operation))
    with PROTON_LOCK:
        return handler(**{xform_name(name): value for name, value in params.items()})


#: Specs the seeded resources are made with, and others that a create or update can succeed
#: with: an instance added or dropped, a new instance for CreateServiceInstance,
#: `${Proton::CURRENT_VAL}`, an instance moved to another environment (refused).
ENVIRONMENT_SPEC = "proton: EnvironmentSpec\nspec:\n  vpc_cidr: 10.0.0.0/16\n"
PIPELINE_SPEC = """proton: ServiceSpec
pipeline:
  unit_test_command: make test
instances:
  - name: one
    environment: dev
    spec:
      port: 80
  - name: two
    environment: staging
"""
PLAIN_SPEC = "proton: ServiceSpec\ninstances:\n  - name: one\n    environment: dev\n"
SECOND_SPEC = "proton: ServiceSpec\ninstances:\n  - name: two\n    environment: staging\n"
SERVICE_SPECS = (
    PIPELINE_SPEC,
    PIPELINE_SPEC + "  - name: new-instance\n    environment: dev\n",
    PIPELINE_SPEC.split("  - name: two")[0],
    PIPELINE_SPEC.replace("port: 80", "port: ${Proton::CURRENT_VAL}"),
    PIPELINE_SPEC.replace("environment: staging", "environment: dev"),
    PLAIN_SPEC,
    PLAIN_SPEC + "  - name: new-instance\n    environment: staging\n",
    SECOND_SPEC,
    "proton: ServiceSpec\ninstances:\n  - name: new-instance\n    environment: dev\n",
)
#: Specs that are YAML but not specs the mock can take: values PyYAML can't build, a
#: recursive alias, aliases that expand to millions of values, no mapping, wrong structure.
AWKWARD_SPECS = (
    PLAIN_SPEC + "    spec:\n      released: 2020-13-01\n",
    PLAIN_SPEC + "    spec:\n      replicas: !!int many\n",
    PLAIN_SPEC + "    spec: &inputs\n      port: ${Proton::CURRENT_VAL}\n      me: *inputs\n",
    "proton: ServiceSpec\n"
    + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'x'] * 9)}]\n" for i in range(8))
    + "instances:\n  - name: one\n    environment: dev\n    spec: {v: *l7, w: ${Proton::CURRENT_VAL}}\n",
    "- proton: ServiceSpec\n",
    "proton: ServiceSpec\ninstances: {}\n",
    "proton: EnvironmentSpec\ninstances: []\n",
)
AWKWARD_ENVIRONMENT_SPECS = (
    ENVIRONMENT_SPEC + "  created: 2020-02-30\n",
    "proton: EnvironmentSpec\nspec: !!float abc\n",
)
#: Names a create can take (nothing seeded has them).
NEW_SERVICE, NEW_INSTANCE, NEW_TEMPLATE = "new-service", "new-instance", "new-template"
NEW_COMPONENT, NEW_REPOSITORY = "new-component", "org/new-repo"
#: The linked repository, and what components are made of.
REPOSITORY_NAME, REPOSITORY_PROVIDER = "org/seeded-repo", "GITHUB"
MANIFEST = (
    "infrastructure:\n  templates:\n    - file: cloudformation.yaml\n"
    "      rendering_engine: jinja\n      template_language: cloudformation\n"
)
#: Manifests PyYAML can't build (a 500 once), or that name no single template file.
AWKWARD_MANIFESTS = (
    MANIFEST + "      version: !!int many\n",
    MANIFEST + "      released: 2020-13-01\n",
    "infrastructure: &a\n  templates: [*a]\n",
    MANIFEST + "    - file: second.yaml\n",
)
TEMPLATE_FILE = "Resources: {}\n"
COMPONENT_SPEC = "proton: ServiceSpec\nspec:\n  size: 1\n"


@dataclass(frozen=True)
class Seeded:
    """What every example starts from: connections from ENV to MGMT in each status (the
    PENDING one tagged and made with a client token); in MGMT an environment template with a
    published version, environments `dev` (service role) and `staging` (through the CONNECTED
    connection), account settings with a pipeline role, a service template with a pipeline
    (1.0 PUBLISHED, compatible with the environment template; 1.1 DRAFT) and its service
    `seeded-service` (instances `one` in dev and `two` in staging, a pipeline, tagged), and a
    CUSTOMER_MANAGED service template with its service `seeded-plain` (instance `one` in dev,
    and `two` in staging made by CreateServiceInstance with a client token: the same
    instance names in both services, so that a drawn pair of names often exists). Every
    deployment has settled. `hints` mixes their ids, ARNs, names, versions and specs into the
    generated requests, with role ARNs in the caller's account."""

    pending: dict[str, Any]
    connected: dict[str, Any]
    rejected: dict[str, Any]
    template: dict[str, Any]
    environments: tuple[dict[str, Any], ...]
    service_templates: tuple[dict[str, Any], ...]
    versions: tuple[dict[str, Any], ...]
    services: tuple[dict[str, Any], ...]
    instances: tuple[dict[str, Any], ...]
    deployment_ids: tuple[str, ...]
    settings: dict[str, Any]
    components: tuple[dict[str, Any], ...]
    repository: dict[str, Any]
    template_sync_config: dict[str, Any]
    service_sync_config: dict[str, Any]
    blocker_ids: tuple[str, ...]

    @property
    def connections(self) -> tuple[dict[str, Any], ...]:
        return (self.pending, self.connected, self.rejected)

    @property
    def pipelines(self) -> tuple[dict[str, Any], ...]:
        return tuple(s["pipeline"] for s in self.services if "pipeline" in s)

    @property
    def arns(self) -> tuple[str, ...]:
        """The ARNs of every seeded resource (a pipeline's is not taggable)."""
        return tuple(
            r["arn"]
            for r in (
                *self.connections,
                self.template,
                *self.environments,
                *self.service_templates,
                *self.versions,
                *self.services,
                *self.instances,
                *self.pipelines,
                *self.components,
                self.repository,
            )
        )

    @property
    def secrets(self) -> set[str]:
        """What an outsider must not learn: every id and ARN the parties hold."""
        return (
            {c["id"] for c in self.connections}
            | set(self.arns)
            | set(self.deployment_ids)
            | set(self.blocker_ids)
        )

    def hints(self, caller: str) -> dict[str, tuple[Any, ...]]:
        templates = (self.template, *self.service_templates)
        service_templates = tuple(t["name"] for t in self.service_templates)
        environments = tuple(e["name"] for e in self.environments)
        services = (*(s["name"] for s in self.services), NEW_SERVICE)
        instances = (*dict.fromkeys(i["name"] for i in self.instances), NEW_INSTANCE)
        role = f"arn:aws:iam::{caller}:role/r"
        components = (*(c["name"] for c in self.components), NEW_COMPONENT)
        repositories = (REPOSITORY_NAME, NEW_REPOSITORY)
        hints: dict[str, tuple[Any, ...]] = {
            "EnvironmentAccountConnectionId": tuple(c["id"] for c in self.connections),
            "Arn": self.arns,
            "AwsAccountId": ACCOUNTS,
            "RoleArn": (role,),
            "RoleArnOrEmptyString": (role, ""),
            "ResourceName": (
                *(c["environmentName"] for c in self.connections),
                *(t["name"] for t in templates),
                *environments,
                *services,
                *instances,
                *components,
            ),
            "ClientToken": ("seed-token",),
            "DeploymentId": self.deployment_ids,
            "TemplateVersionPart": ("1", "0", "2"),
            "*.majorVersion": ("1",),
            "*.templateMajorVersion": ("1",),
            "*.minorVersion": ("0", "1"),
            "*.templateMinorVersion": ("0", "1"),
            "SpecContents": (*SERVICE_SPECS, ENVIRONMENT_SPEC, *AWKWARD_SPECS),
            "CreateEnvironmentInput.spec": (ENVIRONMENT_SPEC, *AWKWARD_ENVIRONMENT_SPECS),
            "UpdateEnvironmentInput.spec": (ENVIRONMENT_SPEC, *AWKWARD_ENVIRONMENT_SPECS),
            "CompatibleEnvironmentTemplateInput": (
                {"templateName": self.template["name"], "majorVersion": "1"},
            ),
            "EnvironmentTemplateFilter": (
                {"templateName": self.template["name"], "majorVersion": "1"},
            ),
            "ListServiceInstancesFilter": (
                {"key": "environmentName", "value": "dev"},
                {"key": "serviceName", "value": "seeded-service"},
                {"key": "deployedTemplateVersionStatus", "value": "PUBLISHED"},
                {"key": "createdAtAfter", "value": "2000-01-01T00:00:00Z"},
                {"key": "lastDeploymentAttemptedAtBefore", "value": "2000-01-01T00:00:00.5Z"},
            ),
            "*.templateName": tuple(t["name"] for t in templates),
            "*.serviceName": services,
            "*.serviceInstanceName": instances,
            "*.environmentName": (
                *environments,
                *(
                    c["environmentName"]
                    for c in self.connections
                    if c["environmentName"] != "staging"
                ),
            ),
            "*.resourceArn": self.arns,
            "*.protonServiceRoleArn": (role,),
            "*.repositoryConnectionArn": (
                f"arn:aws:codestar-connections:{REGION}:{caller}:connection/seeded",
            ),
            "*.repositoryId": ("org/repo",),
            "*.branchName": ("main",),
            "*.pipelineProvisioning": ("CUSTOMER_MANAGED",),
            "*.componentName": components,
            "*.componentRoleArn": (role,),
            "*.manifest": (MANIFEST, MANIFEST, *AWKWARD_MANIFESTS),
            "*.templateFile": (TEMPLATE_FILE,),
            "*.serviceSpec": (COMPONENT_SPEC,),
            "RepositoryName": repositories,
            "*.repositoryName": repositories,
            "RepositoryProvider": (REPOSITORY_PROVIDER,),
            "*.repositoryProvider": (REPOSITORY_PROVIDER,),
            "*.provider": (REPOSITORY_PROVIDER,),
            "*.connectionArn": (
                f"arn:aws:codestar-connections:{REGION}:{caller}:connection/seeded",
            ),
            "GitBranchName": ("main",),
            "*.branch": ("main",),
            "*.templateType": ("ENVIRONMENT", "SERVICE"),
            "*.syncType": ("TEMPLATE_SYNC",),
            "*.filePath": ("proton-ops.yaml",),
            "*.templateVersion": ("1",),
            "UpdateServiceSyncBlockerInput.id": self.blocker_ids,
        }
        # `name` means what the operation is about: a service in CreateService, a template in
        # GetServiceTemplate; new names too, so that creates can succeed.
        named = (
            ("ServiceTemplate", (*service_templates, NEW_TEMPLATE)),
            ("ServiceInstance", instances),
            ("Service", services),
            ("EnvironmentTemplate", (self.template["name"], NEW_TEMPLATE)),
            ("Environment", (*environments, "prod", "new-environment")),
            ("Component", components),
            ("Repository", repositories),
        )
        for operation in OPERATIONS:
            shape = operation_model(operation).input_shape
            if shape is None:
                continue
            members = shape.members  # type: ignore[attr-defined]
            noun = operation.removeprefix(re.match(r"[A-Z][a-z]+", operation).group(0))  # type: ignore[union-attr]
            if "name" in members:
                for prefix, names in named:
                    if noun.startswith(prefix):
                        hints[f"{shape.name}.name"] = names
                        break
            overlays = self._overlays(operation, noun, members, caller)
            if overlays:
                hints[f"{shape.name}+"] = overlays
        return hints

    def _overlays(
        self, operation: str, noun: str, members: dict[str, Any], caller: str
    ) -> tuple[dict[str, Any], ...]:
        """Members that only make sense together, drawn together (see `model_strategies`)."""
        overlays: list[dict[str, Any]] = []
        instance_member = (
            "name"
            if noun.startswith("ServiceInstance") and "name" in members
            else "serviceInstanceName"
        )
        if "serviceName" in members and instance_member in members:
            for instance in self.instances:  # an instance, and one of its deployments
                pair = {"serviceName": instance["serviceName"], instance_member: instance["name"]}
                overlays.append(pair)
                if "deploymentId" in members:
                    overlays.append({**pair, "deploymentId": instance["lastSucceededDeploymentId"]})
                if "spec" in members:
                    overlays.append({**pair, "spec": instance["spec"]})
            if operation == "CreateServiceInstance":
                overlays += [
                    {"serviceName": s["name"], "name": NEW_INSTANCE, "spec": spec}
                    for s in self.services
                    for spec in SERVICE_SPECS
                    if NEW_INSTANCE in spec
                ]
        elif "serviceName" in members and {"spec", "deploymentId"} & set(members):
            for service in self.services:  # a pipeline (or none), its spec, its deployment
                pipeline = service.get("pipeline", {})
                overlays.append(
                    {
                        "serviceName": service["name"],
                        "spec": service["spec"],
                        "deploymentId": pipeline.get("lastSucceededDeploymentId"),
                    }
                )
        kind = ":service-template/" if "Service" in noun else ":environment-template/"
        if "templateName" in members and "minorVersion" in members:
            overlays += [
                {
                    "templateName": v["templateName"],
                    "majorVersion": v["majorVersion"],
                    "minorVersion": v["minorVersion"],
                }
                for v in self.versions
                if kind in v["arn"]
            ]
        if "id" in members and operation.endswith("Deployment"):
            for deployment in self._deployments():
                overlays.append({"id": deployment["id"], **deployment["names"]})
        if operation == "CreateService":
            template, plain = (t["name"] for t in self.service_templates)
            repository = {
                "repositoryConnectionArn": (
                    f"arn:aws:codestar-connections:{REGION}:{caller}:connection/seeded"
                ),
                "repositoryId": "org/repo",
                "branchName": "main",
            }
            overlays += [
                {
                    "templateName": template,
                    "templateMajorVersion": "1",
                    "spec": spec,
                    **repository,
                }
                for spec in SERVICE_SPECS
            ]
            overlays += [
                {
                    "templateName": plain,
                    "templateMajorVersion": "1",
                    "spec": spec,
                    **{member: None for member in repository},
                }
                for spec in SERVICE_SPECS
                if "pipeline:" not in spec
            ]
        if operation == "CreateEnvironment":
            overlays.append(
                {
                    "templateName": self.template["name"],
                    "templateMajorVersion": "1",
                    "spec": ENVIRONMENT_SPEC,
                    "protonServiceRoleArn": f"arn:aws:iam::{caller}:role/proton",
                    "environmentAccountConnectionId": None,
                    "provisioningRepository": None,
                }
            )
        if operation in ("CreateServiceTemplateVersion", "CreateEnvironmentTemplateVersion"):
            overlays += [
                {"templateName": v["templateName"], "majorVersion": major}
                for v in self.versions
                if kind in v["arn"]
                for major in (None, v["majorVersion"])
            ]
        overlays += self._domain_overlays(operation, members)
        unique: list[dict[str, Any]] = []
        for overlay in overlays:
            overlay = {k: v for k, v in overlay.items() if k in members}
            if overlay and overlay not in unique:
                unique.append(overlay)
        return tuple(unique)

    def _domain_overlays(self, operation: str, members: dict[str, Any]) -> list[dict[str, Any]]:
        """Components on their instance or environment, the linked repository, the sync
        configs and the blocker, whole."""
        overlays: list[dict[str, Any]] = []
        repository = {"repositoryName": REPOSITORY_NAME, "repositoryProvider": REPOSITORY_PROVIDER}
        if "Component" in operation:
            for component in self.components:
                where = {k: component.get(k) for k in ("serviceName", "serviceInstanceName")} | {
                    "environmentName": component["environmentName"]
                }
                if "componentName" in members:
                    overlays.append({"componentName": component["name"], **where})
                    overlays.append(
                        {
                            "componentName": component["name"],
                            "deploymentId": component["lastSucceededDeploymentId"],
                        }
                    )
                elif operation == "ListComponents":
                    overlays.append(where)
                else:
                    overlays.append({"name": component["name"]})
            if operation == "CreateComponent":
                instance = self.instances[-1]  # seeded-plain's `two`, in staging
                overlays += [
                    {
                        "name": NEW_COMPONENT,
                        "manifest": MANIFEST,
                        "templateFile": TEMPLATE_FILE,
                        "environmentName": "dev",
                        "serviceName": None,
                        "serviceInstanceName": None,
                        "serviceSpec": None,
                    },
                    {
                        "name": NEW_COMPONENT,
                        "manifest": MANIFEST,
                        "templateFile": TEMPLATE_FILE,
                        "environmentName": None,
                        "serviceName": instance["serviceName"],
                        "serviceInstanceName": instance["name"],
                        "serviceSpec": COMPONENT_SPEC,
                    },
                ]
            if operation == "UpdateComponent":
                overlays += [
                    {
                        "name": "seeded-detached",
                        "deploymentType": "NONE",
                        "serviceName": None,
                        "serviceInstanceName": None,
                        "serviceSpec": None,
                        "templateFile": None,
                    },
                    {
                        "name": "seeded-attached",
                        "deploymentType": "CURRENT_VERSION",
                        "serviceName": "",
                        "serviceInstanceName": "",
                    },
                    {
                        "name": "seeded-detached",
                        "deploymentType": "CURRENT_VERSION",
                        "serviceName": "seeded-plain",
                        "serviceInstanceName": "two",
                        "serviceSpec": COMPONENT_SPEC,
                    },
                ]
        if operation == "CreateRepository":
            overlays.append({"name": REPOSITORY_NAME, "provider": REPOSITORY_PROVIDER})
            overlays.append({"name": NEW_REPOSITORY, "provider": REPOSITORY_PROVIDER})
        elif "Repository" in operation and {"name", "provider"} <= set(members):
            overlays.append({"name": REPOSITORY_NAME, "provider": REPOSITORY_PROVIDER})
        elif "repositoryName" in members:
            overlays.append(repository)
        if "TemplateSync" in operation:
            config = self.template_sync_config
            overlays.append(
                {"templateName": config["templateName"], "templateType": config["templateType"]}
            )
            overlays.append(
                {
                    "templateName": "seeded-service-template",
                    "templateType": "SERVICE",
                    **repository,
                }
            )
        if "ServiceSync" in operation or "ServiceInstanceSync" in operation:
            overlays.append({"serviceName": self.service_sync_config["serviceName"], **repository})
            overlays.append({"serviceName": "seeded-service", **repository})
            overlays.append(
                {
                    "serviceName": self.service_sync_config["serviceName"],
                    "serviceInstanceName": "one",
                }
            )
        if operation == "NotifyResourceDeploymentStatusChange":
            overlays += [
                {"resourceArn": c["arn"], "deploymentId": c.get("lastAttemptedDeploymentId")}
                for c in self.components
            ]
        return overlays

    def _deployments(self) -> list[dict[str, Any]]:
        """Each seeded deployment's id and where it is (as GetDeployment's filters)."""
        found = [
            (e["lastSucceededDeploymentId"], {"environmentName": e["name"]})
            for e in self.environments
        ]
        found += [
            (
                i["lastSucceededDeploymentId"],
                {
                    "environmentName": i["environmentName"],
                    "serviceName": i["serviceName"],
                    "serviceInstanceName": i["name"],
                },
            )
            for i in self.instances
        ]
        found += [
            (s["pipeline"]["lastSucceededDeploymentId"], {"serviceName": s["name"]})
            for s in self.services
            if "pipeline" in s
        ]
        found += [
            (c["lastSucceededDeploymentId"], {"componentName": c["name"]}) for c in self.components
        ]
        return [{"id": id, "names": names} for id, names in found]


@dataclass(frozen=True)
class _Snapshot:
    seeded: Seeded
    #: What each seeded backend stores, by account and Region (copied at each restore).
    stored: dict[str, dict[str, dict[str, Any]]]
    random_state: Any
    state: dict[str, Any]


_snapshot: _Snapshot | None = None


def reset_and_seed() -> Seeded:
    """Forget all Proton state and set up the seeded state (`Seeded`), with `mock_random` as
    seeding left it, so that ids drawn afterwards are the same every time.

    The state is built once per process through the backend (`_seed`), then restored from a
    deep copy of what the backends stored, for a fifth of the cost: every restore equals the
    first seeding, times included, so `seeded_state()` is the snapshot before any request."""
    global _snapshot
    if _snapshot is None:
        seeded = _seed()
        with PROTON_LOCK:
            stored = {
                account: {region: _stored(backend) for region, backend in regions.items()}
                for account, regions in proton_backends.items()
            }
            _snapshot = _Snapshot(seeded, _copy(stored), mock_random.getstate(), proton_state())
        return seeded
    reset_proton()
    with PROTON_LOCK:
        for account, regions in _copy(_snapshot.stored).items():
            for region, attributes in regions.items():
                vars(proton_backends[account][region]).update(attributes)
    mock_random.setstate(_snapshot.random_state)
    return _snapshot.seeded


def seeded_state() -> dict[str, Any]:
    """`proton_state()` right after `reset_and_seed()` (do not change it)."""
    if _snapshot is None:
        reset_and_seed()
    assert _snapshot is not None
    return _snapshot.state


def _stored(backend: Any) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(backend).items()
        if name not in NOT_STATE and not _is_machinery(value)
    }


def _copy(stored: Any) -> Any:
    """A deep copy that keeps the template kinds themselves (compared with `is`)."""
    return copy.deepcopy(stored, {id(kind): kind for kind in KINDS.values()})


def _seed() -> Seeded:
    reset_proton()
    mock_random.seed(SEED)

    def create(name: str, **extra: Any) -> dict[str, Any]:
        params = {
            "managementAccountId": MGMT,
            "environmentName": name,
            "roleArn": f"arn:aws:iam::{ENV}:role/r",
            **extra,
        }
        created = backend_call(ENV, "CreateEnvironmentAccountConnection", params)
        return created["environmentAccountConnection"]  # type: ignore[no-any-return]

    def mgmt(operation: str, **params: Any) -> Any:
        return backend_call(MGMT, operation, params)

    pending = create("prod", tags=[{"key": "team", "value": "a"}], clientToken="seed-token")
    connected = create("staging")
    mgmt("AcceptEnvironmentAccountConnection", id=connected["id"])
    rejected = create("old")
    mgmt("RejectEnvironmentAccountConnection", id=rejected["id"])

    source = {"s3": {"bucket": "seeded-bucket", "key": "bundle.tar.gz"}}
    template = mgmt("CreateEnvironmentTemplate", name="seeded-template")["environmentTemplate"]
    mgmt("CreateEnvironmentTemplateVersion", templateName="seeded-template", source=source)
    mgmt(
        "UpdateEnvironmentTemplateVersion",
        templateName="seeded-template",
        majorVersion="1",
        minorVersion="0",
        status="PUBLISHED",
    )
    environment = {"templateName": "seeded-template", "templateMajorVersion": "1"}
    mgmt(
        "CreateEnvironment",
        name="dev",
        spec=ENVIRONMENT_SPEC,
        protonServiceRoleArn=f"arn:aws:iam::{MGMT}:role/proton",
        componentRoleArn=f"arn:aws:iam::{MGMT}:role/component",
        **environment,
    )
    mgmt(
        "CreateEnvironment",
        name="staging",
        spec=ENVIRONMENT_SPEC,
        environmentAccountConnectionId=connected["id"],
        **environment,
    )
    mgmt("UpdateAccountSettings", pipelineServiceRoleArn=f"arn:aws:iam::{MGMT}:role/pipeline")

    compatible = [{"templateName": "seeded-template", "majorVersion": "1"}]
    for name, provisioning in (
        ("seeded-service-template", {}),
        ("seeded-plain-template", {"pipelineProvisioning": "CUSTOMER_MANAGED"}),
    ):
        mgmt("CreateServiceTemplate", name=name, **provisioning)
        mgmt(
            "CreateServiceTemplateVersion",
            templateName=name,
            source=source,
            compatibleEnvironmentTemplates=compatible,
            supportedComponentSources=["DIRECTLY_DEFINED"],
        )
        mgmt(
            "UpdateServiceTemplateVersion",
            templateName=name,
            majorVersion="1",
            minorVersion="0",
            status="PUBLISHED",
        )
    mgmt(  # 1.1 stays DRAFT
        "CreateServiceTemplateVersion",
        templateName="seeded-service-template",
        source=source,
        compatibleEnvironmentTemplates=compatible,
        majorVersion="1",
        clientToken="seed-token",
    )
    mgmt(
        "CreateService",
        name="seeded-service",
        templateName="seeded-service-template",
        templateMajorVersion="1",
        spec=PIPELINE_SPEC,
        repositoryConnectionArn=f"arn:aws:codestar-connections:{REGION}:{MGMT}:connection/seeded",
        repositoryId="org/repo",
        branchName="main",
        tags=[{"key": "team", "value": "a"}],
    )
    mgmt(
        "CreateService",
        name="seeded-plain",
        templateName="seeded-plain-template",
        templateMajorVersion="1",
        spec=PLAIN_SPEC,
    )
    _settle()  # the service must be ACTIVE before an instance is added
    mgmt(
        "CreateServiceInstance",
        name="two",
        serviceName="seeded-plain",
        spec=SECOND_SPEC,
        clientToken="seed-token",
    )
    _settle()
    component = {"manifest": MANIFEST, "templateFile": TEMPLATE_FILE}
    mgmt(
        "CreateComponent",
        name="seeded-attached",
        serviceName="seeded-service",
        serviceInstanceName="one",
        serviceSpec=COMPONENT_SPEC,
        **component,
    )
    mgmt("CreateComponent", name="seeded-detached", environmentName="dev", **component)
    repository = mgmt(
        "CreateRepository",
        name=REPOSITORY_NAME,
        provider=REPOSITORY_PROVIDER,
        connectionArn=f"arn:aws:codestar-connections:{REGION}:{MGMT}:connection/seeded",
    )["repository"]
    linked = {"repositoryName": REPOSITORY_NAME, "repositoryProvider": REPOSITORY_PROVIDER}
    template_sync = mgmt(
        "CreateTemplateSyncConfig",
        templateName="seeded-template",
        templateType="ENVIRONMENT",
        branch="main",
        **linked,
    )["templateSyncConfig"]
    service_sync = mgmt(
        "CreateServiceSyncConfig",
        serviceName="seeded-plain",
        branch="main",
        filePath="proton-ops.yaml",
        **linked,
    )["serviceSyncConfig"]
    mgmt(  # by hand, under the service sync config: an ACTIVE blocker
        "UpdateServiceInstance",
        name="one",
        serviceName="seeded-plain",
        deploymentType="CURRENT_VERSION",
    )
    _settle()

    backend = proton_backends[MGMT][REGION]
    with PROTON_LOCK:
        services = tuple(s.describe() for s in backend.services.values())
        instances = tuple(i.describe() for i in backend.instance_order.items)
        environments = tuple(e.describe() for e in backend.environments.values())
        service_templates = tuple(t.describe() for t in backend.service_templates.values())
        versions = tuple(
            t.describe_version(v)
            for kind in (backend.environment_templates, backend.service_templates)
            for t in kind.values()
            for v in t.versions.values()
        )
        deployment_ids = tuple(backend.deployments)
        settings = dict(backend.account_settings)
        components = tuple(c.describe() for c in backend.components.values())
        blocker_ids = tuple(backend.sync_blockers)
    assert len(components) == 2 and len(blocker_ids) == 1, (components, blocker_ids)
    return Seeded(
        pending,
        connected,
        rejected,
        template,
        environments,
        service_templates,
        versions,
        services,
        instances,
        deployment_ids,
        settings,
        components,
        repository,
        template_sync,
        service_sync,
        blocker_ids,
    )


def _settle() -> None:
    """Let every deployment of MGMT finish (immediate progression: the next look), so that
    no request finds one half-way and a failed request changes nothing by looking."""
    for operation in ("ListEnvironments", "ListServices", "ListDeployments"):
        backend_call(MGMT, operation, {})


#: Numbers in this range are read as epoch seconds (2001-09-09 to 2103-02-04): backends may
#: keep times as numbers, e.g. in sort keys.
EPOCH_RANGE = (1e9, 4.2e9)


def without_times(value: Any, shape: Shape | None = None) -> Any:
    """`value` with every timestamp replaced by a placeholder: datetimes and epoch-like
    numbers anywhere, JSON numbers where `shape` (an output shape) says the member is a
    timestamp, and page tokens (which may carry a time). Two runs of the same requests differ
    only in these."""
    if isinstance(value, datetime.datetime):
        return "<time>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "<time>" if EPOCH_RANGE[0] <= value <= EPOCH_RANGE[1] else value
    if shape is not None and shape.type_name == "timestamp":
        return "<time>"
    if isinstance(value, dict):
        if shape is not None and shape.type_name == "map":
            inner = shape.value  # type: ignore[attr-defined]
            return {k: without_times(v, inner) for k, v in value.items()}
        members = getattr(shape, "members", None) or {}
        return {
            k: "<token>" if k == "nextToken" else without_times(v, members.get(k))
            for k, v in value.items()
        }
    if isinstance(value, list):
        inner = shape.member if shape is not None and shape.type_name == "list" else None  # type: ignore[attr-defined]
        return [without_times(v, inner) for v in value]
    return value
