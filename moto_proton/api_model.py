"""The Proton API model this package ships, and how botocore-based tools find it.

AWS ended AWS Proton on 2026-10-07, and botocore drops the models of discontinued services
within months. So the package carries its own copy of the Proton model (from botocore 1.44.18,
with botocore's license and notice beside it, in `data/proton/`) and never reads botocore's:
validation, serialization, the README's coverage table and the tests all load this one.

`data/` is laid out as a botocore data path (`<service>/<api-version>/<file>`): put on
`AWS_DATA_PATH`, it gives any botocore-based program (boto3, the AWS CLI, ...) Proton again,
waiters and paginators included. `install()`, run by `import moto_proton`, adds it to this
process's `AWS_DATA_PATH`, so every botocore session created afterwards resolves `proton`
whether or not the installed botocore still has it; what a user already put on
`AWS_DATA_PATH` stays there, ahead of it.
"""

import functools
import os
from pathlib import Path
from typing import Any

from botocore.loaders import Loader
from botocore.model import ServiceModel

SERVICE = "proton"
API_VERSION = "2020-07-20"
#: The folder to put on `AWS_DATA_PATH` (what `moto-proton model-path` prints).
MODEL_PATH = Path(__file__).resolve().parent / "data"
#: Where the files come from.
BOTOCORE_SOURCE = "botocore 1.44.18"


def model_path() -> str:
    return str(MODEL_PATH)


@functools.cache
def _loader() -> Loader:
    # Only the shipped folder: neither botocore's own data nor ~/.aws/models.
    return Loader(extra_search_paths=[model_path()], include_default_search_paths=False)


def load(type_name: str) -> Any:
    """One of the shipped model files as data: `service-2`, `paginators-1`, `waiters-2`,
    `endpoint-rule-set-1` or `examples-1`."""
    return _loader().load_service_model(SERVICE, type_name, api_version=API_VERSION)


@functools.cache
def service_model() -> ServiceModel:
    return ServiceModel(load("service-2"), service_name=SERVICE)


def install() -> None:
    """Add the shipped model to this process's `AWS_DATA_PATH` (idempotent; after what the
    user put there). botocore reads the variable when a session first loads data, so sessions
    created from now on resolve `proton`; so do programs this process starts."""
    paths = [path for path in os.environ.get("AWS_DATA_PATH", "").split(os.pathsep) if path]
    if model_path() not in paths:
        os.environ["AWS_DATA_PATH"] = os.pathsep.join([*paths, model_path()])
