"""What moto imports as `moto.proton` (see `_plugin.register`)."""

from .models import proton_backends

__all__ = ["proton_backends"]
