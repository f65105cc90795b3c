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

A backend declares the options a user may set as a pydantic model (``@takes_options(Model)`` on its
factory, or a class attribute ``options_model``): ``create`` validates them by it (types, ranges, its
defaults filled in) and refuses an unknown one by name, for cruxmap's backends and a plugin's alike.
cruxmap's own models are sections of the settings tree (``stance.llm``), so a bad value is refused when
the settings load; a plugin's come from the section's ``options`` table and are checked here. Keyword
arguments that are not options (the ``store``, the run's ``embedder``) are the factory's other parameters.

A backend has one name, ``<kind>.<name>`` (``stance.offline.v2``; ``full_name``), and everything that names it
derives from that: ``create`` gives it to what it builds, ``name_of`` finds it for one of cruxmap's own classes
built directly (a test's ``SpacyStage()``) from ``BUILTIN``, and ``version_of`` is that name followed by what
else makes the backend's output differ (its model, weights' digests, endpoint); stage versions and cache
namespaces are made by it, so renaming a backend here renames it everywhere.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import EntryPoint, entry_points
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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


def full_name(kind: str, name: str) -> str:
    """``<kind>.<versioned name>`` (``stance``, ``offline`` → ``stance.offline.v2``): the one name of a backend."""
    return f"{kind}.{resolve_name(kind, name)}"


def builtin_name(made: Callable[..., Any]) -> str | None:
    """The full name under which ``BUILTIN`` lists ``made`` (a factory or a class), or one of whose factories
    returns exactly the class ``made`` (its return annotation); None if none does or several do (the two
    ``claims.offline`` versions build one class: the detector names itself by the factory it was asked as).
    Only modules already imported are looked at: a class that exists has its module loaded."""
    found = []
    for kind, table in BUILTIN.items():
        for name, target in table.items():
            module_name, _, attr = target.partition(":")
            module = sys.modules.get(module_name)
            listed = getattr(module, attr, None) if module is not None else None
            if listed is not None and (listed is made or _returned_class(listed) is made):
                found.append(f"{kind}.{name}")
    return found[0] if len(found) == 1 else None


def name_of(backend: Any) -> str:
    """The one name ``backend`` is known by: the full name ``create`` gave it; for one of cruxmap's own
    classes built directly, its ``BUILTIN`` entry (``builtin_name``); for a hand-made backend outside the
    registry (a test's), a ``registry_name`` string its class declares, else its ``name``."""
    given = getattr(backend, "__dict__", {}).get("registry_name")
    if isinstance(given, str):
        return given
    listed = builtin_name(type(backend))
    if listed is not None:
        return listed
    declared = getattr(type(backend), "registry_name", None)
    return declared if isinstance(declared, str) else str(getattr(backend, "name", type(backend).__name__))


def version_of(backend: Any, *details: object) -> str:
    """``backend``'s name followed by what else makes its output differ (``stance.offline.v2:<weights>``),
    joined by colons: the form of every stage version and cache namespace."""
    return ":".join([name_of(backend), *(str(detail) for detail in details)])


def changed_options(backend: Any) -> list[str]:
    """``option=value`` for each option of ``backend``'s model (``options_model``) whose value, read from the
    attribute of the same name, is not the model's default: what a version adds for a backend built with
    options that change its output, so that the defaults' version stays as it was."""
    model = options_model(type(backend))
    if model is None:
        return []
    return [f"{name}={getattr(backend, name)}" for name, field in model.model_fields.items()
            if getattr(backend, name, field.default) != field.default]


class RegistryName:
    """Class attribute ``registry_name`` of cruxmap's backend base classes: reads ``name_of(instance)``;
    setting it (as ``create`` does) gives that instance its name."""

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self if instance is None else name_of(instance)

    def __set__(self, instance: Any, value: str) -> None:
        instance.__dict__["registry_name"] = value


def _returned_class(made: Any) -> type | None:
    """The class a factory function declares it returns (its annotation, resolved in its module)."""
    if isinstance(made, type) or not callable(made):
        return None
    returns = inspect.signature(made).return_annotation
    target = getattr(made, "__globals__", {}).get(returns) if isinstance(returns, str) else returns
    return target if isinstance(target, type) and target is not inspect.Signature.empty else None


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


F = TypeVar("F", bound=Callable[..., Any])


def takes_options(model: type[BaseModel]) -> Callable[[F], F]:
    """Decorator: the options ``factory`` takes, declared as a pydantic ``model`` whose fields are its
    keyword arguments (a plugin's ``make(store=None, lean="support")`` with ``lean: Literal[...]``)."""

    def declare(factory: F) -> F:
        factory.options_model = model  # type: ignore[attr-defined]
        return factory

    return declare


def options_model(factory: Callable[..., Any]) -> type[BaseModel] | None:
    """The pydantic model of the options ``factory`` declares, or None (its signature is then all there is)."""
    model = getattr(factory, "options_model", None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def options_of(factory: Callable[..., Any]) -> list[str]:
    """The keyword options ``factory`` takes. A factory that passes ``**options`` on to the class it
    returns (its return annotation) takes that class's options too; one that names no class is refused,
    since what it would accept could not be checked."""
    params = inspect.signature(factory).parameters.values()
    names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if any(p.kind is p.VAR_KEYWORD for p in params):
        target = _returned_class(factory)
        if target is None:
            raise TypeError(f"{factory.__qualname__} takes **options but returns no class to check them against")
        names += [n for n in options_of(target) if n not in names]
    return names


def checked_options(kind: str, name: str, options: dict[str, Any], where: Mapping[str, str] | None = None
                    ) -> dict[str, Any]:
    """``options`` for backend ``name`` of ``kind``, checked before anything is built: an option its model
    declares is validated by it (and the model's defaults are filled in); any other must be one of its
    factory's parameters. A misspelt or mistyped option is a ``ConfigError`` naming the backend and, with
    ``where`` (option → the setting it came from, ``settings.option_settings``), the setting to fix."""
    where = where or {}
    full = resolve_name(kind, name)
    made = factory(kind, full)
    model = options_model(made)
    declared = list(model.model_fields) if model is not None else []
    takes = declared + [n for n in options_of(made) if n not in declared]
    unknown = [option for option in options if option not in takes]
    if unknown:
        setting = f" ({where[unknown[0]]})" if unknown[0] in where else ""
        raise ConfigError(f"{kind} backend '{full}' takes no option '{unknown[0]}'{setting}",
                          fix=f"its options: {', '.join(declared or takes) or 'none'}")
    if model is None:
        return dict(options)
    try:
        typed = model.model_validate({k: v for k, v in options.items() if k in declared})
    except ValidationError as err:
        first = err.errors()[0]
        option = ".".join(str(part) for part in first["loc"])
        setting = f" ({where[option]})" if option in where else ""
        field = model.model_fields.get(option)
        raise ConfigError(f"{kind} backend '{full}': option {option} = {options.get(option)!r}{setting}: {first['msg']}",
                          fix=f"{option}: {field.description}" if field is not None and field.description
                          else f"its options: {', '.join(declared)}") from None
    return {**options, **typed.model_dump()}


def create(kind: str, name: str, where: Mapping[str, str] | None = None, /, **options: Any) -> Any:
    """A backend built by its factory from options checked by ``checked_options`` (a misspelt option is
    never silently dropped, a mistyped one never reaches the backend; ``where`` names the setting each came
    from). The backend's ``registry_name`` is set to ``<kind>.<full name>``, the one name it is known by."""
    full = resolve_name(kind, name)
    backend = factory(kind, full)(**checked_options(kind, full, options, where))
    if hasattr(backend, "__dict__"):
        backend.registry_name = full_name(kind, full)
    return backend
