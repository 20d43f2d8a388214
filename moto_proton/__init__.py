"""AWS Proton for moto. Importing this package registers Proton with moto."""

__version__ = "0.3.0.dev0"

from ._plugin import register
from .quotas import DEFAULT_QUOTAS, get_quota, reset_quotas, set_quota

register()

__all__ = ["DEFAULT_QUOTAS", "__version__", "get_quota", "register", "reset_quotas", "set_quota"]
