"""AWS Proton for moto. Importing this package registers Proton with moto."""

__version__ = "0.3.0.dev0"

from . import api_model
from ._plugin import register
from .quotas import DEFAULT_QUOTAS, get_quota, reset_quotas, set_quota
from .switches import (
    bundles_required,
    modelled_resources_required,
    require_bundles,
    require_modelled_resources,
)

api_model.install()
register()

__all__ = [
    "DEFAULT_QUOTAS",
    "__version__",
    "bundles_required",
    "get_quota",
    "modelled_resources_required",
    "register",
    "require_bundles",
    "require_modelled_resources",
    "reset_quotas",
    "set_quota",
]
