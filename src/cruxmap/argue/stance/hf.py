"""``stance.hf.v1``: any local Hugging Face sequence-classification NLI model as a stance backend.

Premise = the claim text, hypothesis = the hypothesis statement. The model's own
``config.id2label`` says which output is which: entailment → support, contradiction →
oppose, neutral (or not-entailment in two-label models) → neutral. Nothing is downloaded
(``local_files_only``); torch runs on two threads so that the 2-core default machine stays
responsive. torch and transformers are imported only when this backend is created.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import ConfigError, NotInstalled
from ...registry import takes_options, version_of
from ...settings import HFStanceOptions
from ...weights import hashed
from .base import StanceClassifier, StanceResult

#: label names (lower-cased, punctuation folded to '_') → stance label
LABEL_SYNONYMS = {
    "entailment": "support", "entails": "support", "entailed": "support", "support": "support",
    "supports": "support", "favor": "support", "pro": "support", "agree": "support",
    "contradiction": "oppose", "contradicts": "oppose", "contradicted": "oppose", "oppose": "oppose",
    "against": "oppose", "con": "oppose", "refute": "oppose", "refutes": "oppose", "disagree": "oppose",
    "neutral": "neutral", "not_entailment": "neutral", "non_entailment": "neutral",
    "not_entailed": "neutral", "unrelated": "neutral", "none": "neutral",
}
TORCH_THREADS = 2


def map_labels(id2label: dict, where: str) -> dict[int, str]:
    """Model output index → stance label, from a config's ``id2label``; unknown names raise ``ConfigError``."""
    mapping: dict[int, str] = {}
    for index, name in id2label.items():
        key = re.sub(r"[^a-z]+", "_", str(name).lower()).strip("_")
        if key not in LABEL_SYNONYMS:
            raise ConfigError(
                f"cannot map model label {name!r} (id2label={dict(id2label)}) to support/oppose/neutral",
                path=where,
                fix="use an NLI model whose config.json id2label names entailment/neutral/contradiction",
            )
        mapping[int(index)] = LABEL_SYNONYMS[key]
    found = set(mapping.values())
    if "support" not in found or len(mapping) < 2 or len(found) != len(mapping):
        raise ConfigError(
            f"model labels {dict(id2label)} are not an NLI label set", path=where,
            fix="use a 2- or 3-label NLI model (entailment + contradiction and/or neutral)",
        )
    return mapping


class HFStanceClassifier(StanceClassifier):
    """Stance from a local NLI cross-encoder; ``classify_batch`` runs the model in mini-batches."""

    def __init__(self, model_dir: str | Path | None = None, store=None, batch_size: int = 16,
                 max_length: int = 256):
        super().__init__(store=store)
        if not model_dir:
            raise ConfigError("stance backend 'hf' needs a model directory",
                              fix="set stance.hf.model_dir to a local NLI model folder (model_dir under [cruxmap.stance.hf] in "
                                  "cruxmap.toml, or CRUXMAP_STANCE__HF__MODEL_DIR)")
        path = Path(model_dir).expanduser()
        if not (path / "config.json").is_file():
            raise ConfigError("not a Hugging Face model directory (no config.json)", path=str(path),
                              fix="point stance.hf.model_dir at a folder saved with save_pretrained()")
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as err:
            raise NotInstalled(err.name or "transformers", "embed", "the 'hf' stance backend") from err
        torch.set_num_threads(TORCH_THREADS)
        self._torch = torch
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no 'Loading weights' bar on every run
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(str(path), local_files_only=True)
        except (OSError, ValueError) as err:
            raise ConfigError(f"cannot load the model ({err})".replace("\n", " "), path=str(path),
                              fix="check that the folder holds a sequence-classification model and its tokenizer")
        self.model.eval()
        self.labels = map_labels(self.model.config.id2label, str(path))
        self.batch_size = batch_size
        self.max_length = max_length
        self.model_dir = str(path)

    def weight_files(self) -> dict[str, str]:
        """The model folder's weight files (safetensors or PyTorch pickles) → their SHA-256."""
        folder = Path(self.model_dir)
        return hashed(*sorted([*folder.glob("*.safetensors"), *folder.glob("*.bin")]))

    def cache_namespace(self) -> str:
        return version_of(self, self.model_dir)

    def classify_batch(self, pairs: list[tuple[str, str]]) -> list[StanceResult]:
        torch = self._torch
        out: list[StanceResult] = []
        for i in range(0, len(pairs), self.batch_size):
            chunk = pairs[i : i + self.batch_size]
            encoded = self.tokenizer(
                [text for text, _ in chunk], [hyp for _, hyp in chunk],
                padding=True, truncation="only_first", max_length=self.max_length, return_tensors="pt",
            )
            with torch.inference_mode():
                probs = torch.softmax(self.model(**encoded).logits.float(), dim=-1).tolist()
            out.extend(self._result(row) for row in probs)
        return out

    def _result(self, row: list[float]) -> StanceResult:
        summed = {"support": 0.0, "oppose": 0.0, "neutral": 0.0}
        for index, p in enumerate(row):
            summed[self.labels[index]] += p
        label = max(summed, key=lambda k: (summed[k], k == "neutral"))
        return StanceResult(label, float(summed[label]),
                            (float(summed["support"]), float(summed["oppose"]), float(summed["neutral"])))


@takes_options(HFStanceOptions)
def create_hf_stance(model_dir: str | Path | None = None, store=None, **options) -> HFStanceClassifier:
    return HFStanceClassifier(model_dir=model_dir, store=store, **options)
