"""Server mode: requests per second against `moto-proton-server` run as a subprocess."""

import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from moto_proton.testing import free_port, server_subprocess

from .timing import Settings, spread

MANAGEMENT = "222222222222"
ROLE = "arn:aws:iam::123456789012:role/r"
PARAMETER = "/bench/parameter"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
START_TIMEOUT = 30.0


@contextmanager
def running_server() -> Iterator[str]:
    """Start `moto-proton-server` on a free port of 127.0.0.1; stop it on the way out."""
    port = free_port()
    script = Path(sys.executable).with_name("moto-proton-server")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "moto_proton"]
    with server_subprocess([*command, "-H", "127.0.0.1", "-p", str(port)], port) as url:
        yield url


def _client(service: str, url: str) -> Any:
    config = Config(retries={"max_attempts": 1}, max_pool_connections=2)
    return boto3.client(
        service, region_name="us-east-1", endpoint_url=url, config=config, **CREDENTIALS
    )


def _requests_per_second(
    make_call: Callable[[Any], Callable[[], object]], clients: list[Any], requests: int
) -> float:
    """All threads start together; each makes `requests` calls through its own client."""
    calls = [make_call(client) for client in clients]
    barrier = threading.Barrier(len(calls) + 1)
    errors: list[BaseException] = []

    def work(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            for _ in range(requests):
                call()
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(call,), daemon=True) for call in calls]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} client thread(s) failed") from errors[0]
    return len(calls) * requests / elapsed


Figures = dict[str, dict[str, float]]  # subject -> thread count -> value


def measure(settings: Settings) -> tuple[Figures, Figures]:
    """Median requests per second per thread count, Proton Get beside ssm GetParameter, and
    how noisy the samples were (see `timing.spread`)."""
    with running_server() as url:
        proton = _client("proton", url)
        connection_id = proton.create_environment_account_connection(
            managementAccountId=MANAGEMENT, environmentName="bench", roleArn=ROLE
        )["environmentAccountConnection"]["id"]
        _client("ssm", url).put_parameter(Name=PARAMETER, Value="value", Type="String")

        def proton_get(client: Any) -> Callable[[], object]:
            return lambda: client.get_environment_account_connection(id=connection_id)

        def ssm_get(client: Any) -> Callable[[], object]:
            return lambda: client.get_parameter(Name=PARAMETER)

        subjects = {"proton_get": ("proton", proton_get), "ssm_get_parameter": ("ssm", ssm_get)}
        results: Figures = {name: {} for name in subjects}
        spreads: Figures = {name: {} for name in subjects}
        for threads in settings.server_threads:
            clients = {
                name: [_client(service, url) for _ in range(threads)]
                for name, (service, _) in subjects.items()
            }
            for name, (_, make_call) in subjects.items():  # warm-up: connections, caches
                _requests_per_second(make_call, clients[name], 2)
            samples: dict[str, list[float]] = {name: [] for name in subjects}
            for _ in range(settings.server_repeats):
                for name, (_, make_call) in subjects.items():
                    samples[name].append(
                        _requests_per_second(make_call, clients[name], settings.server_requests)
                    )
            for name, values in samples.items():
                results[name][str(threads)] = statistics.median(values)
                spreads[name][str(threads)] = spread(values)
        return results, spreads
