"""In-process figures, all under one `mock_aws`: per-call cost, scaling with N, memory.

Connections (the environment account's side) and services (service templates, services and
their instances) are measured alike: per call beside ssm and sts, and a full listing at N."""

import itertools
import statistics
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.core.models import botocore_stubber

import moto_proton
from moto_proton.models import ProtonBackend, proton_backends

from . import provisioning
from .timing import (
    Settings,
    Subject,
    batches_us,
    interleaved_median_seconds,
    median_seconds,
    per_call_us,
    spread,
)

ACCOUNT = "123456789012"  # moto's default account: the caller of every request here
MANAGEMENT = "222222222222"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/r"
QUOTA = "environment_account_connections_per_environment_account"
LISTED = 10  # connections behind the per-call ListEnvironmentAccountConnections
READ_REGION = "us-east-1"  # holds exactly LISTED connections
CREATE_REGION = "eu-west-1"  # emptied ahead of every timed batch of creates
MEMORY_REGION = "sa-east-1"
SCALE_REGIONS = ("us-west-2", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "ca-central-1")
PARAMETER = "/bench/parameter"
ENVIRONMENT_ACCOUNT = {"requestedBy": "ENVIRONMENT_ACCOUNT"}
PROTON_OPERATIONS = {
    "create": "CreateEnvironmentAccountConnection",
    "get": "GetEnvironmentAccountConnection",
    "list10": "ListEnvironmentAccountConnections",
    "create_service": "CreateService",
    "get_service": "GetService",
    "list_instances10": "ListServiceInstances",
    "list_templates10": "ListEnvironmentTemplates",
}
# Services: one Region each, apart from the connections' ones (whose backends get reset).
SERVICE_GET_REGION = "us-east-2"  # one service with one instance
SERVICE_LIST_REGION = "us-west-1"  # one service with LISTED instances: nothing else to list
SERVICE_CREATE_REGION = "eu-west-2"  # reset and set up again ahead of every timed batch
TEMPLATE_LIST_REGION = "eu-west-3"  # exactly LISTED environment templates
SEEDED_PER_SERVICE = 20  # instances per service in the scaling section: the default quota
TEMPLATE_SOURCE = {"s3": {"bucket": "bench-templates", "key": "template.tar.gz"}}
ENVIRONMENT = "env1"
ENVIRONMENT_SPEC = "proton: EnvironmentSpec\nspec: {}\n"
SERVICE_TEMPLATE = "web"

_names = itertools.count()


def _backend(account: str, region: str) -> ProtonBackend:
    return proton_backends[account][region]  # type: ignore[no-any-return]


def _reset(region: str) -> None:
    for account in (ACCOUNT, MANAGEMENT):
        _backend(account, region).reset()


def _seed(region: str, count: int) -> None:
    """`count` PENDING connections straight through the backend (no HTTP, same model)."""
    backend = _backend(ACCOUNT, region)
    for _ in range(count):
        backend.create_environment_account_connection(
            management_account_id=MANAGEMENT, environment_name=f"env-{next(_names)}", role_arn=ROLE
        )


def _trim(region: str, keep: int) -> None:
    """Drop the connections created after the first `keep` ones."""
    owner, manager = _backend(ACCOUNT, region), _backend(MANAGEMENT, region)
    for connection_id in list(owner.connections)[keep:]:
        del owner.connections[connection_id]
        manager.managed_connections.pop(connection_id, None)


def _create_kwargs() -> dict[str, str]:
    return {
        "managementAccountId": MANAGEMENT,
        "environmentName": f"env-{next(_names)}",
        "roleArn": ROLE,
    }


class _CannedBody:
    """What `AWSResponse` reads its body from (`raw.stream()`)."""

    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


Canned = tuple[dict[str, str], bytes]  # headers, body


def _floor_client(service: str, canned: Canned) -> Any:
    """A client whose every call is answered with `canned` by a `before-send` handler:
    botocore serialises, signs and parses; moto is not involved."""
    client = boto3.client(
        service,
        region_name=READ_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    headers, body = canned

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, headers, _CannedBody(body))

    # Every before-send handler runs (the first answer wins), so take moto's stub, which
    # mock_aws enables, off this client: otherwise moto would still do all its work.
    client.meta.events.unregister("before-send", botocore_stubber)
    client.meta.events.register(f"before-send.{service}", answer)
    return client


def _record_into(responses: dict[str, Canned]) -> Callable[..., None]:
    def keep(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        responses[operation_model.name] = (dict(response_dict["headers"]), response_dict["body"])

    return keep


def _record_responses(client: Any, service: str) -> dict[str, Canned]:
    """Keep the headers and raw body of each response the client receives, by operation."""
    responses: dict[str, Canned] = {}
    client.meta.events.register(f"before-parse.{service}", _record_into(responses))
    return responses


def _service_spec(instances: int) -> str:
    return "proton: ServiceSpec\ninstances:\n" + "".join(
        f"  - name: i{k + 1}\n    environment: {ENVIRONMENT}\n" for k in range(instances)
    )


def _service_kwargs(instances: int = 1) -> dict[str, str]:
    return {
        "name": f"svc-{next(_names)}",
        "templateName": SERVICE_TEMPLATE,
        "templateMajorVersion": "1",
        "spec": _service_spec(instances),
    }


def _set_up_services(region: str) -> None:
    """Empty the Region, then what a service needs: a published environment template version,
    an environment, and a published service template version compatible with it (no
    pipeline: `CUSTOMER_MANAGED`, so no account settings needed)."""
    _reset(region)
    client = boto3.client("proton", region_name=region)
    client.create_environment_template(name="vpc")
    client.create_environment_template_version(templateName="vpc", source=TEMPLATE_SOURCE)
    client.update_environment_template_version(
        templateName="vpc", majorVersion="1", minorVersion="0", status="PUBLISHED"
    )
    client.create_environment(
        name=ENVIRONMENT,
        templateName="vpc",
        templateMajorVersion="1",
        spec=ENVIRONMENT_SPEC,
        protonServiceRoleArn=ROLE,
    )
    client.create_service_template(name=SERVICE_TEMPLATE, pipelineProvisioning="CUSTOMER_MANAGED")
    client.create_service_template_version(
        templateName=SERVICE_TEMPLATE,
        source=TEMPLATE_SOURCE,
        compatibleEnvironmentTemplates=[{"templateName": "vpc", "majorVersion": "1"}],
    )
    client.update_service_template_version(
        templateName=SERVICE_TEMPLATE, majorVersion="1", minorVersion="0", status="PUBLISHED"
    )


def _seed_instances(region: str, count: int) -> None:
    """`count` service instances straight through the backend (no HTTP, same model), in
    services of SEEDED_PER_SERVICE instances (the last one may have fewer)."""
    backend = _backend(ACCOUNT, region)
    for first in range(0, count, SEEDED_PER_SERVICE):
        kwargs = _service_kwargs(min(SEEDED_PER_SERVICE, count - first))
        backend.create_service(
            name=kwargs["name"],
            template_name=kwargs["templateName"],
            template_major_version=kwargs["templateMajorVersion"],
            spec=kwargs["spec"],
        )


def _proton_call(client: Any, operation: str, identifier: str) -> Callable[[], object]:
    """The call that `operation` times; `identifier` is the connection or service to Get."""
    if operation == "create":
        return lambda: client.create_environment_account_connection(**_create_kwargs())
    if operation == "get":
        return lambda: client.get_environment_account_connection(id=identifier)
    if operation == "create_service":
        return lambda: client.create_service(**_service_kwargs())
    if operation == "get_service":
        return lambda: client.get_service(name=identifier)
    if operation == "list_instances10":
        return lambda: client.list_service_instances()
    if operation == "list_templates10":
        return lambda: client.list_environment_templates()
    return lambda: client.list_environment_account_connections(**ENVIRONMENT_ACCOUNT)


def _set_up_templates(region: str) -> None:
    """Exactly LISTED environment templates, with descriptions, in an emptied Region."""
    _reset(region)
    backend = _backend(ACCOUNT, region)
    for k in range(LISTED):
        backend.create_environment_template(
            name=f"template-{k}", display_name=f"Template {k}", description="for the bench"
        )


def per_call(settings: Settings) -> dict[str, dict[str, float]]:
    """Proton's seven operations beside ssm and sts, and beside botocore's floor."""
    proton = boto3.client("proton", region_name=READ_REGION)
    creator = boto3.client("proton", region_name=CREATE_REGION)
    service_getter = boto3.client("proton", region_name=SERVICE_GET_REGION)
    service_lister = boto3.client("proton", region_name=SERVICE_LIST_REGION)
    service_creator = boto3.client("proton", region_name=SERVICE_CREATE_REGION)
    template_lister = boto3.client("proton", region_name=TEMPLATE_LIST_REGION)
    sts = boto3.client("sts", region_name=READ_REGION)
    ssm = boto3.client("ssm", region_name=READ_REGION)
    recorded = {"proton": _record_responses(proton, "proton"), "ssm": _record_responses(ssm, "ssm")}
    for client in (service_getter, service_lister, service_creator, template_lister):
        client.meta.events.register("before-parse.proton", _record_into(recorded["proton"]))

    ssm.put_parameter(Name=PARAMETER, Value="value", Type="String")
    ssm.get_parameter(Name=PARAMETER)
    proton.create_environment_account_connection(**_create_kwargs())
    _seed(READ_REGION, LISTED - 1)
    connection_id = next(iter(_backend(ACCOUNT, READ_REGION).connections))
    proton.get_environment_account_connection(id=connection_id)
    listed = proton.list_environment_account_connections(**ENVIRONMENT_ACCOUNT)
    if len(listed["environmentAccountConnections"]) != LISTED:
        raise RuntimeError(f"expected {LISTED} connections in {READ_REGION}")

    for region in (SERVICE_GET_REGION, SERVICE_LIST_REGION, SERVICE_CREATE_REGION):
        _set_up_services(region)
    service_name = service_getter.create_service(**_service_kwargs())["service"]["name"]
    service_lister.create_service(**_service_kwargs(LISTED))
    service_creator.create_service(**_service_kwargs())
    service_getter.get_service(name=service_name)  # settles the deployments
    if len(service_lister.list_service_instances()["serviceInstances"]) != LISTED:
        raise RuntimeError(f"expected {LISTED} service instances in {SERVICE_LIST_REGION}")
    _set_up_templates(TEMPLATE_LIST_REGION)
    if len(template_lister.list_environment_templates()["templates"]) != LISTED:
        raise RuntimeError(f"expected {LISTED} environment templates in {TEMPLATE_LIST_REGION}")

    subjects = {
        "proton_create": Subject(
            _proton_call(creator, "create", connection_id),
            before_batch=lambda: _reset(CREATE_REGION),
        ),
        "proton_get": Subject(_proton_call(proton, "get", connection_id)),
        "proton_list10": Subject(_proton_call(proton, "list10", connection_id)),
        "proton_create_service": Subject(
            _proton_call(service_creator, "create_service", ""),
            before_batch=lambda: _set_up_services(SERVICE_CREATE_REGION),
        ),
        "proton_get_service": Subject(_proton_call(service_getter, "get_service", service_name)),
        "proton_list_instances10": Subject(_proton_call(service_lister, "list_instances10", "")),
        "proton_list_templates10": Subject(_proton_call(template_lister, "list_templates10", "")),
        "ssm_get_parameter": Subject(lambda: ssm.get_parameter(Name=PARAMETER)),
        "sts_get_caller_identity": Subject(sts.get_caller_identity),
    }
    for operation, name in PROTON_OPERATIONS.items():
        floor = _floor_client("proton", recorded["proton"][name])
        argument = service_name if operation == "get_service" else connection_id
        subjects[f"floor_{operation}"] = Subject(_proton_call(floor, operation, argument))
    ssm_floor = _floor_client("ssm", recorded["ssm"]["GetParameter"])
    subjects["floor_ssm_get_parameter"] = Subject(lambda: ssm_floor.get_parameter(Name=PARAMETER))

    samples = batches_us(subjects, settings)
    return {
        "per_call_us": {name: statistics.median(values) for name, values in samples.items()},
        "spread": {name: spread(values) for name, values in samples.items()},
    }


def _list_all(client: Any, expected: int) -> None:
    paginator = client.get_paginator("list_environment_account_connections")
    count = sum(
        len(page["environmentAccountConnections"])
        for page in paginator.paginate(**ENVIRONMENT_ACCOUNT)
    )
    if count != expected:
        raise RuntimeError(f"listed {count} connections, expected {expected}")


def scaling(settings: Settings) -> dict[str, dict[str, float]]:
    """Per N: list everything through the paginator, Get, Create (one Region per N)."""
    if len(settings.scale) > len(SCALE_REGIONS):
        raise ValueError(f"at most {len(SCALE_REGIONS)} values of N")
    regions = dict(zip(settings.scale, SCALE_REGIONS))
    clients = {n: boto3.client("proton", region_name=region) for n, region in regions.items()}
    for n, region in regions.items():
        _reset(region)
        _seed(region, n)

    results: dict[str, dict[str, float]] = {str(n): {} for n in regions}
    _list_all(clients[settings.scale[0]], settings.scale[0])  # warm-up
    for n, client in clients.items():
        seconds = median_seconds(lambda: _list_all(client, n), settings.list_repeats)
        results[str(n)]["list_all_ms"] = seconds * 1e3
        results[str(n)]["list_per_item_us"] = seconds / n * 1e6

    def getter(n: int) -> Subject:
        ids = itertools.cycle(list(_backend(ACCOUNT, regions[n]).connections))
        client = clients[n]
        return Subject(lambda: client.get_environment_account_connection(id=next(ids)))

    def creator(n: int) -> Subject:
        client = clients[n]
        return Subject(
            lambda: client.create_environment_account_connection(**_create_kwargs()),
            before_batch=lambda: _trim(regions[n], n),
        )

    for key, value in per_call_us({str(n): getter(n) for n in regions}, settings).items():
        results[key]["get_us"] = value
    for key, value in per_call_us({str(n): creator(n) for n in regions}, settings).items():
        results[key]["create_us"] = value
    for region in regions.values():
        _reset(region)
    return results


def _list_all_instances(client: Any, expected: int) -> None:
    paginator = client.get_paginator("list_service_instances")
    count = sum(len(page["serviceInstances"]) for page in paginator.paginate())
    if count != expected:
        raise RuntimeError(f"listed {count} service instances, expected {expected}")


def service_scaling(settings: Settings) -> dict[str, dict[str, float]]:
    """Per N: list every service instance through the paginator (one Region per N, services
    of SEEDED_PER_SERVICE instances seeded through the backend). The values of N take turns,
    and a small N lists several times per sample, so that each sample lasts about as long."""
    regions = dict(zip(settings.scale, SCALE_REGIONS))
    clients = {n: boto3.client("proton", region_name=region) for n, region in regions.items()}
    for n, region in regions.items():
        _set_up_services(region)
        _seed_instances(region, n)
    for n, client in clients.items():  # settles the deployments; warm-up
        _list_all_instances(client, n)

    rounds = {n: max(1, max(regions) // 10 // n) for n in regions}

    def listing(n: int) -> Callable[[], object]:
        client = clients[n]
        return lambda: [_list_all_instances(client, n) for _ in range(rounds[n])]

    samples = interleaved_median_seconds(
        {str(n): listing(n) for n in regions}, settings.list_repeats
    )
    results: dict[str, dict[str, float]] = {}
    for n in regions:
        seconds = samples[str(n)] / rounds[n]
        results[str(n)] = {"list_all_ms": seconds * 1e3, "list_per_item_us": seconds / n * 1e6}
    for region in regions.values():
        _reset(region)
    return results


def memory_per_connection(count: int) -> float:
    """Bytes that `count` connections hold (tracemalloc), per connection."""
    _reset(MEMORY_REGION)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _seed(MEMORY_REGION, count)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    _reset(MEMORY_REGION)
    return (after - before) / count


def measure(settings: Settings) -> dict[str, Any]:
    moto_proton.set_quota(QUOTA, 10**9)
    moto_proton.set_quota("services", 10**9)  # N / SEEDED_PER_SERVICE of them at N
    moto_proton.set_quota("environments", 10**9)  # provisioning also empties its Region
    try:
        with mock_aws():
            return {
                **per_call(settings),
                "scaling": scaling(settings),
                "service_scaling": service_scaling(settings),
                "provisioning": provisioning.measure(settings),
                "memory": {
                    "connections": max(settings.scale),
                    "bytes_per_connection": memory_per_connection(max(settings.scale)),
                },
            }
    finally:
        moto_proton.reset_quotas()
