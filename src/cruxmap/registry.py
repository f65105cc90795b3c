"""Backends found by versioned name (``stance.offline.v1``), as spaCy's registries do.

A change in a backend's behaviour is a new version; asking for an unknown name lists the
known ones. Factories are registered lazily so that ``import cruxmap`` stays light.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from .errors import ConfigError

_FACTORIES: dict[str, dict[str, Callable[..., Any]]] = {}


def register(kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register ``factory`` as backend ``name`` (e.g. ``offline.v1``) of ``kind``."""

    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        _FACTORIES.setdefault(kind, {})[name] = factory
        return factory

    return decorate


def known(kind: str) -> list[str]:
    return sorted(_FACTORIES.get(kind, {}))


def resolve_name(kind: str, name: str) -> str:
    """``offline`` → the newest registered ``offline.vN``; a full name is returned unchanged."""
    names = _FACTORIES.get(kind, {})
    if name in names:
        return name
    versions = [n for n in names if n.rsplit(".v", 1)[0] == name]
    if versions:
        return max(versions, key=lambda n: int(n.rsplit(".v", 1)[1]))
    listing = ", ".join(known(kind)) or "none"
    raise ConfigError(f"unknown {kind} backend '{name}'", fix=f"use one of: {listing}")


def create(kind: str, name: str, **options: Any) -> Any:
    """A backend built by its factory; an option the factory does not take is refused by name (a
    misspelt option is never silently dropped)."""
    full = resolve_name(kind, name)
    factory = _FACTORIES[kind][full]
    try:
        backend = factory(**options)
    except TypeError as err:
        unexpected = re.search(r"unexpected keyword argument '(\w+)'", str(err))
        if not unexpected:
            raise
        takes = [p for p in inspect.signature(factory).parameters if p not in ("self", "options", "kwargs")]
        raise ConfigError(f"{kind} backend '{full}' takes no option '{unexpected.group(1)}'",
                          fix=f"its options: {', '.join(takes) or 'none'}") from None
    if hasattr(backend, "__dict__"):
        backend.registry_name = f"{kind}.{full}"
    return backend
