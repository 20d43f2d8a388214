"""In-process figures, all under one `mock_aws`: per-call cost, scaling with N, memory."""

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

from .timing import Settings, Subject, batches_us, median_seconds, per_call_us, spread

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
}

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


def _record_responses(client: Any, service: str) -> dict[str, Canned]:
    """Keep the headers and raw body of each response the client receives, by operation."""
    responses: dict[str, Canned] = {}

    def keep(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        responses[operation_model.name] = (dict(response_dict["headers"]), response_dict["body"])

    client.meta.events.register(f"before-parse.{service}", keep)
    return responses


def _proton_call(client: Any, operation: str, connection_id: str) -> Callable[[], object]:
    if operation == "create":
        return lambda: client.create_environment_account_connection(**_create_kwargs())
    if operation == "get":
        return lambda: client.get_environment_account_connection(id=connection_id)
    return lambda: client.list_environment_account_connections(**ENVIRONMENT_ACCOUNT)


def per_call(settings: Settings) -> dict[str, dict[str, float]]:
    """Proton's three operations beside ssm and sts, and beside botocore's floor."""
    proton = boto3.client("proton", region_name=READ_REGION)
    creator = boto3.client("proton", region_name=CREATE_REGION)
    sts = boto3.client("sts", region_name=READ_REGION)
    ssm = boto3.client("ssm", region_name=READ_REGION)
    recorded = {"proton": _record_responses(proton, "proton"), "ssm": _record_responses(ssm, "ssm")}

    ssm.put_parameter(Name=PARAMETER, Value="value", Type="String")
    ssm.get_parameter(Name=PARAMETER)
    proton.create_environment_account_connection(**_create_kwargs())
    _seed(READ_REGION, LISTED - 1)
    connection_id = next(iter(_backend(ACCOUNT, READ_REGION).connections))
    proton.get_environment_account_connection(id=connection_id)
    listed = proton.list_environment_account_connections(**ENVIRONMENT_ACCOUNT)
    if len(listed["environmentAccountConnections"]) != LISTED:
        raise RuntimeError(f"expected {LISTED} connections in {READ_REGION}")

    subjects = {
        "proton_create": Subject(
            _proton_call(creator, "create", connection_id),
            before_batch=lambda: _reset(CREATE_REGION),
        ),
        "proton_get": Subject(_proton_call(proton, "get", connection_id)),
        "proton_list10": Subject(_proton_call(proton, "list10", connection_id)),
        "ssm_get_parameter": Subject(lambda: ssm.get_parameter(Name=PARAMETER)),
        "sts_get_caller_identity": Subject(sts.get_caller_identity),
    }
    for operation, name in PROTON_OPERATIONS.items():
        floor = _floor_client("proton", recorded["proton"][name])
        subjects[f"floor_{operation}"] = Subject(_proton_call(floor, operation, connection_id))
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
    try:
        with mock_aws():
            return {
                **per_call(settings),
                "scaling": scaling(settings),
                "memory": {
                    "connections": max(settings.scale),
                    "bytes_per_connection": memory_per_connection(max(settings.scale)),
                },
            }
    finally:
        moto_proton.reset_quotas()
