"""Proton's domain: one module per resource family, one backend that composes them."""

from .backend import PROTON_LOCK, ProtonBackend, proton_backends

__all__ = ["PROTON_LOCK", "ProtonBackend", "proton_backends"]
