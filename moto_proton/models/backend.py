"""`ProtonBackend`: one per account and Region, as moto keeps every service."""

import threading
from types import ModuleType
from typing import Any

from botocore.session import Session
from moto.core.base_backend import BackendDict, BaseBackend

from .connections import ClientToken, ConnectionsMixin, EnvironmentAccountConnection
from .tags import TagsMixin, new_tagger

#: Serialises every Proton operation in a process: check-then-act steps (client tokens,
#: conflicts, quotas) and changes that touch two accounts' backends stay atomic when the
#: server answers requests from several threads.
PROTON_LOCK = threading.RLock()


def _every_known_region() -> list[str]:
    """Real Proton runs in 11 Regions; the mock serves every Region botocore knows, so that
    tests in any Region and partition (aws-cn, aws-us-gov) work."""
    session = Session()
    regions: list[str] = []
    for partition in session.get_available_partitions():
        regions.extend(session.get_available_regions("ec2", partition_name=partition))
    return regions


class ProtonBackend(ConnectionsMixin, TagsMixin, BaseBackend):
    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.connections: dict[str, EnvironmentAccountConnection] = {}
        self.managed_connections: dict[str, EnvironmentAccountConnection] = {}
        self.connection_client_tokens: dict[str, ClientToken] = {}
        self.tagger = new_tagger()

    @property
    def _url_module(self) -> ModuleType:  # type: ignore[override]
        from .. import urls

        return urls

    def backend_of(self, account_id: str) -> "ProtonBackend":
        backend: ProtonBackend = proton_backends[account_id][self.region_name]
        return backend


proton_backends: Any = BackendDict(
    ProtonBackend, "proton", additional_regions=_every_known_region()
)
