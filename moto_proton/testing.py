"""Helpers for tests: Proton in-process or against a live server, clients per account, and
`proton_state()`, a comparable snapshot of everything Proton stores."""

import contextlib
import dataclasses
import datetime
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, Optional

import boto3
from moto import mock_aws
from moto.utilities.tagging_service import TaggingService

from . import quotas, switches
from .extras import server_missing

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"
ENVIRONMENT_ACCOUNT_ID = "111111111111"
MANAGEMENT_ACCOUNT_ID = "222222222222"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": DEFAULT_REGION,
}


def act_as_account(client: Any, account_id: str) -> Any:
    """Make every request of `client` come from `account_id` (moto's `x-moto-account-id`)."""

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account_id

    client.meta.events.register("before-sign.*.*", add_header)
    return client


class ProtonMock:
    """Proton in-process (under `mock_aws`) or, with `endpoint_url`, on a live server.

    Leaving it resets quota and switch overrides, so one test's `set_quota` or
    `require_bundles` never leaks into the next.
    """

    def __init__(self, endpoint_url: Optional[str] = None, region: str = DEFAULT_REGION):
        self.endpoint_url = endpoint_url
        self.region = region
        self._mock: Any = None
        self._transitions: set[str] = set()

    @property
    def mode(self) -> str:
        return "server" if self.endpoint_url else "in_process"

    def __enter__(self) -> "ProtonMock":
        if self.endpoint_url is None:
            self._mock = mock_aws()
            self._mock.start()
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        for model_name in sorted(self._transitions):
            self._moto_api("state-manager/unset-transition", {"model_name": model_name})
        self._transitions.clear()
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        quotas.reset_quotas()
        switches.reset_switches()

    def _moto_api(self, path: str, body: dict[str, Any]) -> None:
        import requests

        url = self.endpoint_url or "http://motoapi.amazonaws.com"
        requests.post(f"{url}/moto-api/{path}", json=body, timeout=30).raise_for_status()

    def set_transition(self, model_name: str, transition: dict[str, Any]) -> None:
        """Choose how a status progresses (moto's state manager), in either mode, until exit.

        E.g. `set_transition("proton::deployment", {"progression": "manual", "times": 3})`
        keeps deployments IN_PROGRESS for three reads.
        """
        self._moto_api(
            "state-manager/set-transition", {"model_name": model_name, "transition": transition}
        )
        self._transitions.add(model_name)

    def fail_next_deployment(self, resource_arn: str, message: Optional[str] = None) -> None:
        """The next deployment of the resource (an environment, service instance, pipeline or
        component ARN), or its next deletion, fails with `message`; a service ARN makes the
        service's next deletion fail. Reaches the failure acceptors of Proton's waiters."""
        from . import moto_api

        if self.endpoint_url is None:
            moto_api.fail_next_deployment(resource_arn, message or moto_api.DEFAULT_FAILURE)
        else:
            self._moto_api(
                "proton/fail-next-deployment", {"resourceArn": resource_arn, "message": message}
            )

    def push_to_repository(
        self,
        repository_name: str,
        branch: str,
        files: dict[str, str],
        repository_provider: str = "GITHUB",
        commit_sha: Optional[str] = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: Optional[str] = None,
    ) -> list[dict[str, str]]:
        """A commit of `files` ({path: content}) to a linked repository: the templates synced
        from that branch whose `<template>/v<major>/` directory it touches get a new DRAFT
        version (a new major for a new `v<major>` directory), as AWS's template sync makes
        them. Returns the versions made: [{templateName, templateType, majorVersion,
        minorVersion}]."""
        from . import moto_api

        region = region or self.region
        if self.endpoint_url is None:
            return moto_api.push(
                repository_provider, repository_name, branch, files, commit_sha, account_id, region
            )
        import requests

        answer = requests.post(
            f"{self.endpoint_url}/moto-api/proton/push",
            json={
                "repositoryProvider": repository_provider,
                "repositoryName": repository_name,
                "branch": branch,
                "files": files,
                "commitSha": commit_sha,
                "accountId": account_id,
                "region": region,
            },
            timeout=30,
        )
        answer.raise_for_status()
        versions: list[dict[str, str]] = answer.json()["versions"]
        return versions

    def client(
        self,
        service: str = "proton",
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        **kwargs: Any,
    ) -> Any:
        """A boto3 client; with `account_id`, every call comes from that account."""
        if self.endpoint_url:
            kwargs.setdefault("endpoint_url", self.endpoint_url)
        client = boto3.client(service, region_name=region or self.region, **kwargs)
        if account_id:
            act_as_account(client, account_id)
        return client


class MissingExtra(ImportError):
    """An optional extra this needs is not installed; the message says what to install."""


class ProtonServer:
    """moto's `ThreadedMotoServer` with Proton, on a free port of 127.0.0.1."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        problem = server_missing("moto_proton's server (ProtonServer, TEST_SERVER_MODE=true)")
        if problem is not None:
            raise MissingExtra(problem)
        from moto.server import ThreadedMotoServer

        from ._fast_path import install_server

        install_server()
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self.url = ""

    def start(self) -> None:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def reset(self) -> None:
        """Clear every service's state, as `POST /moto-api/reset` does."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        urllib.request.urlopen(request).read()

    def seed(self, seed: int) -> None:
        request = urllib.request.Request(
            f"{self.url}/moto-api/seed?a={seed}", method="POST", data=json.dumps({}).encode()
        )
        urllib.request.urlopen(request).read()


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server_subprocess(
    command: Optional[list[str]] = None,
    port: Optional[int] = None,
    env: Optional[dict[str, str]] = None,
    log: Optional[Path] = None,
    timeout: float = 30.0,
) -> Iterator[str]:
    """Run a Proton-enabled server as a separate process (by default `python -m moto_proton`
    on a free port), wait until `GET /moto-api/` answers, yield its URL, stop it on exit.

    With `log`, the server's output goes there and is quoted when it fails to start.
    """
    port = port or free_port()
    if command is None:
        command = [sys.executable, "-m", "moto_proton", "-H", "127.0.0.1", "-p", str(port)]
    url = f"http://127.0.0.1:{port}"
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
    )

    def failed(why: str) -> RuntimeError:
        shown = log.read_text(errors="replace") if log else ""
        return RuntimeError(f"{command} {why}" + (f":\n{shown}" if shown else ""))

    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise failed(f"exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise failed(f"did not answer within {timeout:g} s")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log:
            output.close()  # type: ignore[union-attr]


#: Attributes of a backend that say where it lives, not what it stores.
NOT_STATE = frozenset({"region_name", "account_id", "partition"})


def proton_state(account_ids: Optional[Iterable[str]] = None) -> dict[str, Any]:
    """Everything Proton stores, as plain data: `{account_id: {region: {attribute: value}}}`.

    Walks `moto_proton.models.proton_backends` (the server started by `ProtonServer` lives in
    the same process, so this sees its state too) and converts every attribute of every
    backend generically: dataclasses with `dataclasses.asdict`, moto's `TaggingService` as its
    `.tags`, dicts, lists, tuples and sets recursively, other objects through their `vars()`.
    Datetimes stay `datetime` objects; scalars stay as they are. New kinds of resources added
    to `ProtonBackend` are included without changing this function.

    Backends that store nothing (every attribute empty) are left out, so a request that merely
    made moto create the backend of a new account or Region does not count as a change. Two
    snapshots are equal exactly when Proton's stored state is the same: use it to prove that a
    failed request changed nothing::

        before = proton_state()
        ...  # a request that fails
        assert proton_state() == before

    `account_ids` limits the snapshot to those accounts. The snapshot is taken under Proton's
    lock, so it never sees half of a concurrent request.
    """
    from .models import PROTON_LOCK, proton_backends

    wanted = None if account_ids is None else set(account_ids)
    state: dict[str, Any] = {}
    with PROTON_LOCK:
        for account_id, regions in list(proton_backends.items()):
            if wanted is not None and account_id not in wanted:
                continue
            for region, backend in list(regions.items()):
                stored = {
                    name: _plain(value)
                    for name, value in vars(backend).items()
                    if name not in NOT_STATE and not _is_machinery(value)
                }
                if not _is_empty(stored):
                    state.setdefault(account_id, {})[region] = stored
    return state


_MACHINERY = (ModuleType, type(threading.Lock()), type(threading.RLock()))
_SCALARS = (str, bytes, int, float, datetime.datetime, datetime.date)


def _is_machinery(value: Any) -> bool:
    """Locks, modules and functions a backend may hold: not stored state."""
    return isinstance(value, _MACHINERY) or callable(value)


def _plain(value: Any, _path: tuple[int, ...] = ()) -> Any:
    if value is None or isinstance(value, _SCALARS):
        return value
    if id(value) in _path:  # an object that refers back to one of its containers
        return "<cycle>"
    path = (*_path, id(value))
    if isinstance(value, TaggingService):
        return _plain(value.tags, path)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value), path)
    if isinstance(value, Mapping):
        return {key: _plain(item, path) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item, path) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item, path) for item in value), key=repr)
    if hasattr(value, "__dict__"):
        return {
            "__class__": type(value).__name__,
            **{
                name: _plain(item, path)
                for name, item in vars(value).items()
                if not _is_machinery(item)
            },
        }
    return value


def _is_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_empty(item) for key, item in value.items() if key != "__class__")
    return not value
