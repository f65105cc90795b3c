"""The ``StanceClassifier`` contract shared by the offline, Hugging Face and LLM backends.

A backend implements ``classify_batch(pairs)``; the base class checks inputs, de-duplicates
pairs, caches results by content hash in the store and times the work. Backends are found by
name through ``cruxmap.registry`` (built in, or a plugin's ``cruxmap.stance`` entry point).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from ... import registry

LABELS = ("support", "oppose", "neutral")


@dataclass(frozen=True)
class StanceResult:
    label: str  # one of LABELS
    score: float  # confidence of the label, 0..1
    probs: tuple[float, float, float] | None = None  # support, oppose, neutral


class StanceClassifier:
    name = "stance"
    #: set by backends whose support/oppose split the question file's examples may steer
    #: (``argue/examples.py``); None: the examples are not used
    example_temperature: float | None = None
    #: True for backends that call nearly every on-topic claim related to every hypothesis (the
    #: offline models): a source's position on a hypothesis is then read only from the claims
    #: closest to that hypothesis in meaning (``aggregate.nearest_hypotheses``)
    addressed_by_nearest: bool = False
    #: True for backends that read a whole source at once (``read_sources``) instead of claim × item pairs
    reads_sources: bool = False

    def __init__(self, store=None):
        self.store = store
        self.seconds = 0.0
        self.computed = 0

    def classify_batch(self, pairs: list[tuple[str, str]]) -> list[StanceResult]:  # pragma: no cover
        """(text, hypothesis statement) pairs → one StanceResult each."""
        raise NotImplementedError

    #: the backend's one name (``stance.offline.v2``), from the registry (``registry.name_of``)
    registry_name = registry.RegistryName()

    def cache_namespace(self) -> str:
        """The backend's version (``registry.version_of``): its name, and in subclasses what else makes
        its results differ; cached results are kept apart by it."""
        return registry.version_of(self)

    def classify(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        keys = [hashlib.sha256(f"{t}\x00{h}".encode()).hexdigest() for t, h in pairs]
        unique = dict(zip(keys, pairs))
        results: dict[str, StanceResult] = {}
        if self.store is not None:
            for key, blob in self.store.get_cached(self.cache_namespace(), list(unique)).items():
                d = json.loads(blob)
                results[key] = StanceResult(d["label"], d["score"], tuple(d["probs"]) if d.get("probs") else None)
        todo = [k for k in unique if k not in results]
        started = time.perf_counter()
        fresh = {}
        if todo:
            for key, res in zip(todo, self.classify_batch([unique[k] for k in todo])):
                if res.label not in LABELS:
                    raise ValueError(f"stance backend returned unknown label {res.label!r}")
                results[key] = res
                fresh[key] = json.dumps({"label": res.label, "score": res.score, "probs": res.probs}).encode()
        self.seconds += time.perf_counter() - started
        self.computed += len(todo)
        if self.store is not None and fresh:
            self.store.put_cached(self.cache_namespace(), fresh)
        return [results[k] for k in keys]


def check_stance_settings(settings) -> None:
    """Refuse, before any model loads, a stance backend that cannot run with these settings: an
    unknown name, ``hf`` without a model folder, ``llm`` without an endpoint and a model."""
    from ...errors import ConfigError

    registry.resolve_name("stance", settings.stance.backend)  # an unknown name, refused without importing a backend
    base = settings.stance.backend.split(".")[0]
    model_dir = settings.stance.hf.model_dir
    if base == "hf":
        if not model_dir:
            raise ConfigError("stance backend 'hf' needs a model directory",
                              fix="set stance.hf.model_dir to a local NLI model folder: model_dir = \"/path\" under "
                                  "[cruxmap.stance.hf] in cruxmap.toml, or CRUXMAP_STANCE__HF__MODEL_DIR=/path")
        from pathlib import Path

        if not (Path(model_dir).expanduser() / "config.json").is_file():
            raise ConfigError("not a Hugging Face model directory (no config.json)", path=str(model_dir),
                              fix="point stance.hf.model_dir at a folder saved with save_pretrained()")
    llm = settings.stance.llm
    if base == "llm" and not (llm.base_url and llm.model):
        missing = [f"stance.llm.{n}" for n in ("base_url", "model") if not getattr(llm, n)]
        raise ConfigError(f"stance backend 'llm' needs {' and '.join(missing)}",
                          fix="set them under [cruxmap.stance.llm] in cruxmap.toml or as CRUXMAP_STANCE__LLM__BASE_URL / "
                              "CRUXMAP_STANCE__LLM__MODEL (an OpenAI-compatible endpoint, e.g. a local llama.cpp server)")


def get_stance_classifier(name: str, **options) -> StanceClassifier:
    """Create a stance backend by name (``offline``, ``hf.v1``, …); unknown names list the known ones."""
    return registry.create("stance", name, **options)
