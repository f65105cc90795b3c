"""Backends found by versioned name (``stance.offline.v1``), as spaCy's registries do.

A change in a backend's behaviour is a new version; asking for an unknown name lists the
known ones. Factories are registered lazily so that ``import cruxmap`` stays light.
"""

from __future__ import annotations

import inspect
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


def options_of(factory: Callable[..., Any]) -> list[str]:
    """The keyword options ``factory`` takes. A factory that passes ``**options`` on to the class it
    returns (its return annotation) takes that class's options too; one that names no class is refused,
    since what it would accept could not be checked."""
    params = inspect.signature(factory).parameters.values()
    names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if any(p.kind is p.VAR_KEYWORD for p in params):
        returns = inspect.signature(factory).return_annotation
        target = getattr(factory, "__globals__", {}).get(returns) if isinstance(returns, str) else returns
        if not isinstance(target, type) or target is inspect.Signature.empty:
            raise TypeError(f"{factory.__qualname__} takes **options but returns no class to check them against")
        names += [n for n in options_of(target) if n not in names]
    return names


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
    """A backend built by its factory; an option the factory does not take is refused by name, with the
    options it does take, before anything is built (a misspelt option is never silently dropped)."""
    full = resolve_name(kind, name)
    factory = _FACTORIES[kind][full]
    takes = options_of(factory)
    unknown = [option for option in options if option not in takes]
    if unknown:
        raise ConfigError(f"{kind} backend '{full}' takes no option '{unknown[0]}'",
                          fix=f"its options: {', '.join(takes) or 'none'}")
    backend = factory(**options)
    if hasattr(backend, "__dict__"):
        backend.registry_name = f"{kind}.{full}"
    return backend
