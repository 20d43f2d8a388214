"""AWS Proton for moto. Importing this package registers Proton with moto."""

__version__ = "0.3.0.dev0"

from . import api_model
from ._plugin import register
from .quotas import DEFAULT_QUOTAS, get_quota, reset_quotas, set_quota
from .switches import bundles_required, require_bundles

api_model.install()
register()

__all__ = [
    "DEFAULT_QUOTAS",
    "__version__",
    "bundles_required",
    "get_quota",
    "register",
    "require_bundles",
    "reset_quotas",
    "set_quota",
]
