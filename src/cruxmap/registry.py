"""Backends found by versioned name (``stance.offline.v1``), as spaCy's registries do.

A backend is a factory (a function or a class) registered under a kind and a name with a version
(``offline.v2``). The kinds are the model-backed steps: ``annotate`` (sentences and entities), ``events``,
``quotes``, ``embedder``, ``claims``, ``stance`` and ``matcher`` (the key-point matcher of the map); a change in behaviour is a new version, and asking for an
unknown name lists the known ones. Three sources, looked up in this order:

1. ``register(kind, name)``: a factory registered in this process (tests, notebooks);
2. ``BUILTIN``: cruxmap's own backends, as ``"module:factory"`` strings, imported on first use;
3. entry points in the group ``cruxmap.<kind>`` of every other installed distribution, read once
   per kind on first use, so that a third-party backend needs no edit to cruxmap.

cruxmap's own backends come from ``BUILTIN``, not from the entry points of the installed
``cruxmap`` distribution: ``pyproject.toml`` declares the same table (``tests/test_registry.py``
checks it), but a source checkout run with ``PYTHONPATH=src``, or an editable install made before
a backend was added or renamed, has stale metadata, and the code is what runs. A plugin that declares
one of cruxmap's own names is not used for it. Nothing is imported
until a backend is created, so ``import cruxmap`` stays light and listing names loads no model.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .errors import ConfigError

#: cruxmap's own backends; the same table as ``[project.entry-points."cruxmap.<kind>"]`` in pyproject.toml
BUILTIN: dict[str, dict[str, str]] = {
    "annotate": {
        "spacy.v1": "cruxmap.nlp.stages:SpacyStage",
    },
    "events": {
        "rules.v2": "cruxmap.nlp.events:EventStage",
    },
    "quotes": {
        "rules.v2": "cruxmap.nlp.stages:QuoteStage",
    },
    "claims": {
        "offline.v1": "cruxmap.argue.claims:create_offline_claims",
        "offline.v2": "cruxmap.argue.claims:create_prefiltered_claims",
    },
    "embedder": {
        "minilm.v1": "cruxmap.argue.minilm:create_minilm",
    },
    "stance": {
        "offline.v1": "cruxmap.argue.stance.offline:create_offline_stance",
        "offline.v2": "cruxmap.argue.stance.offline:create_cross_stance",
        "hf.v1": "cruxmap.argue.stance.hf:create_hf_stance",
        "llm.v1": "cruxmap.argue.stance.llm:create_llm_stance",
        "llm.v2": "cruxmap.argue.stance.reader:create_llm_reader",
    },
    "matcher": {
        "argkp.v1": "cruxmap.map.matcher:KeyPointMatcher",
    },
}

#: the distribution whose entry points ``BUILTIN`` stands for
OWN_DISTRIBUTION = "cruxmap"

_FACTORIES: dict[str, dict[str, Callable[..., Any]]] = {}  # registered in this process
_PLUGINS: dict[tuple[str, tuple[str, ...]], dict[str, list[Plugin]]] = {}  # (kind, sys.path) → name → entry points


@dataclass(frozen=True)
class Plugin:
    """A backend declared by another distribution's entry point, not loaded yet."""

    distribution: str
    entry_point: EntryPoint

    def describe(self) -> str:
        return f"{self.distribution} (entry point {self.entry_point.name} = {self.entry_point.value})"


def register(kind: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register ``factory`` as backend ``name`` (e.g. ``offline.v1``) of ``kind`` in this
    process; it takes precedence over a built-in or plugin backend of the same name."""

    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        _FACTORIES.setdefault(kind, {})[name] = factory
        return factory

    return decorate


def _plugins(kind: str) -> dict[str, list[Plugin]]:
    """Entry points of group ``cruxmap.<kind>`` from distributions other than cruxmap, by name; read
    again only when ``sys.path`` has changed."""
    key = (kind, tuple(sys.path))
    if key not in _PLUGINS:
        found: dict[str, list[Plugin]] = {}
        for ep in entry_points(group=f"cruxmap.{kind}"):
            dist = ep.dist.name if ep.dist is not None else "an unnamed distribution"
            if dist.lower() != OWN_DISTRIBUTION:
                found.setdefault(ep.name, []).append(Plugin(dist, ep))
        _PLUGINS[key] = found
    return _PLUGINS[key]


def known(kind: str) -> list[str]:
    """Every backend name of ``kind``: registered, built in and declared by installed plugins."""
    return sorted(set(_FACTORIES.get(kind, {})) | set(BUILTIN.get(kind, {})) | set(_plugins(kind)))


def resolve_name(kind: str, name: str) -> str:
    """``offline`` → the newest known ``offline.vN``; a full name is returned unchanged. Loads nothing."""
    names = known(kind)
    if name in names:
        return name
    versions = {n: n.rpartition(".v") for n in names}
    newest = [n for n, (base, _, v) in versions.items() if base == name and v.isdigit()]
    if newest:
        return max(newest, key=lambda n: int(versions[n][2]))
    listing = ", ".join(names) or "none"
    raise ConfigError(f"unknown {kind} backend '{name}'",
                      fix=f"use one of: {listing}; a plugin declares more under "
                          f"[project.entry-points.\"cruxmap.{kind}\"] in its pyproject.toml")


def factory(kind: str, name: str) -> Callable[..., Any]:
    """The factory of backend ``name`` (resolved as ``resolve_name`` does), imported on first use.
    cruxmap's own names are its own: a plugin declaring one is not used for it. A plugin that cannot be
    imported, or a name two plugins both declare, is a ``ConfigError`` naming the distributions and
    entry points, raised only when that name is asked for: the other backends still work."""
    full = resolve_name(kind, name)
    if full in _FACTORIES.get(kind, {}):
        return _FACTORIES[kind][full]
    if full in BUILTIN.get(kind, {}):
        module, _, attr = BUILTIN[kind][full].partition(":")
        made = getattr(import_module(module), attr)
    else:
        plugins = _plugins(kind)[full]
        if len(plugins) > 1:
            raise ConfigError(f"{kind} backend '{full}' is declared more than once: "
                              f"{'; '.join(p.describe() for p in plugins)}",
                              fix="uninstall one of these distributions, or ask an author to rename the backend")
        plugin = plugins[0]
        try:
            made = plugin.entry_point.load()
        except Exception as err:
            raise ConfigError(f"{kind} backend '{full}' from {plugin.describe()} could not be loaded: "
                              f"{type(err).__name__}: {err}",
                              fix=f"reinstall or upgrade {plugin.distribution}, or uninstall it; "
                                  "the other backends still work") from err
        if not callable(made):
            raise ConfigError(f"{kind} backend '{full}' from {plugin.describe()} is not callable",
                              fix="the entry point must name a factory function or class")
    return made


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


def create(kind: str, name: str, **options: Any) -> Any:
    """A backend built by its factory; an option the factory does not take is refused by name, with the
    options it does take, before anything is built (a misspelt option is never silently dropped). The
    backend's ``registry_name`` is set to ``<kind>.<full name>``, the one name it is known by."""
    full = resolve_name(kind, name)
    made = factory(kind, full)
    takes = options_of(made)
    unknown = [option for option in options if option not in takes]
    if unknown:
        raise ConfigError(f"{kind} backend '{full}' takes no option '{unknown[0]}'",
                          fix=f"its options: {', '.join(takes) or 'none'}")
    backend = made(**options)
    if hasattr(backend, "__dict__"):
        backend.registry_name = f"{kind}.{full}"
    return backend
