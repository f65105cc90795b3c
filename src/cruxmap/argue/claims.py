"""Claim detection: which sentences argue (thesis, claim, premise, evaluation, prescription)
rather than narrate, give background or only quote someone.

``claims.offline.v1`` is a logistic-regression head over a frozen sentence embedding
(all-MiniLM-L6-v2 by default) concatenated with linguistic cue features (modals,
evaluative words, first person, hedges, argumentative connectives, quotation share,
reporting verbs, dates and numbers, …). The head is trained by ``scripts/train_claims.py``
from public data in ``../shared/data``; its weights (``resources/claims/claims_head.npz``)
and training record sit next to each other. The decision threshold was chosen on a
hand-annotated dev set (``resources/claims/dev_refs.json``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .. import registry
from ..errors import ConfigError
from ..model import Claim, Document, Sentence

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "claims"
WEIGHTS_PATH = RESOURCES / "claims_head.npz"


def _words(*items: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(items) + r")\b", re.IGNORECASE)


MODALS = _words("should", "shouldn't", "must", "mustn't", "ought", "needs? to", "have to", "has to",
                "had better", "cannot afford")
EVALUATIVE = _words(
    "good", "bad", "wrong", "right", "clear(?:ly)?", "obvious(?:ly)?", "dangerous", "foolish", "absurd",
    "important", "necessary", "essential", "better", "worse", "best", "worst", "mistake", "failure", "failed",
    "success(?:ful)?", "wise", "unwise", "naive", "reckless", "irresponsible", "legitimate", "illegitimate",
    "fair", "unfair", "just", "unjust", "moral", "immoral", "disastrous", "catastrophic", "terrible",
    "great", "sensible", "misguided", "false", "true", "truth", "lie", "lies", "nonsense", "ridiculous",
    "crucial", "vital", "serious", "weak", "strong", "effective", "ineffective", "hypocri\\w*", "shameful",
    "tragic", "insufficient", "inevitable", "impossible", "plausible", "implausible", "deserves?",
)
FIRST_PERSON = _words("I", "we", "us", "our", "ours", "my", "me")
SECOND_PERSON = _words("you", "your")
HEDGES = _words("may", "might", "could", "perhaps", "probably", "likely", "unlikely", "seems?", "appears?",
                "arguably", "possibly", "suggests?", "I think", "I believe", "in my view")
CONNECTIVES = _words("because", "therefore", "thus", "hence", "however", "although", "though", "since",
                     "yet", "indeed", "in fact", "rather", "instead", "so that", "consequently", "unless",
                     "if", "nevertheless", "nonetheless", "whereas")
REPORTING = _words("said", "says", "say", "told", "tells", "according to", "reported", "reports",
                   "announced", "stated", "added", "asked", "declared", "noted", "wrote", "claimed",
                   "insisted", "explained", "confirmed", "spokesman", "spokeswoman", "spokesperson")
GENERALIZING = _words("all", "every", "always", "never", "nothing", "no one", "nobody", "everyone",
                      "anyone", "only", "entirely", "simply")
NEGATION = _words("not", "no", "never", "n't", "none", "neither", "nor")
COMPARATIVE = _words("more", "most", "less", "least", "than")
MONTHS = _words("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December", "Jan\\.", "Feb\\.", "Aug\\.", "Sept?\\.", "Oct\\.",
                "Nov\\.", "Dec\\.", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                "Sunday", "yesterday", "today", "last week", "last year")
YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
NUMBER = re.compile(r"\d")
TOKEN = re.compile(r"\w+(?:'\w+)?|[^\w\s]")
QUOTED = re.compile(r"[“\"]([^”\"]*)[”\"]")

CUE_NAMES = (
    "modal", "evaluative", "first_person", "second_person", "hedge", "connective", "reporting",
    "generalizing", "negation", "comparative", "date", "number_density", "quote_share", "question",
    "no_final_punct", "capital_share", "log_tokens", "starts_with_quote",
)


def cue_features(text: str) -> np.ndarray:
    """The linguistic cue vector of one sentence, in ``CUE_NAMES`` order (counts capped at 3)."""
    tokens = TOKEN.findall(text)
    words = [t for t in tokens if t[0].isalnum()]
    n_words = max(1, len(words))
    quoted = sum(len(m.group(1)) for m in QUOTED.finditer(text))
    unquoted = QUOTED.sub(" ", text)  # cues inside a quotation belong to the quoted speaker

    def count(pattern: re.Pattern, where: str = unquoted) -> float:
        return float(min(3, len(pattern.findall(where))))

    stripped = text.rstrip()
    capitals = sum(1 for w in words[1:] if w[0].isupper())
    return np.array([
        count(MODALS), count(EVALUATIVE), count(FIRST_PERSON), count(SECOND_PERSON), count(HEDGES),
        count(CONNECTIVES), count(REPORTING, text), count(GENERALIZING), count(NEGATION), count(COMPARATIVE),
        float(min(3, len(MONTHS.findall(text)) + len(YEAR.findall(text)))),
        sum(1 for w in words if NUMBER.search(w)) / n_words,
        quoted / max(1, len(text)),
        float(stripped.endswith("?")),
        float(not stripped.endswith((".", "!", "?", "”", "\"", "’", "'", ")"))),
        capitals / n_words,
        math.log1p(len(words)),
        float(stripped[:1] in "“\""),
    ], dtype=np.float32)


def cue_matrix(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, len(CUE_NAMES)), dtype=np.float32)
    return np.stack([cue_features(t) for t in texts])


class ClaimHead:
    """The trained logistic-regression head: standardised cues + embedding → P(claim)."""

    def __init__(self, coef: np.ndarray, intercept: float, cue_mean: np.ndarray, cue_std: np.ndarray,
                 threshold: float, embedder: str = "", cue_names: Sequence[str] = CUE_NAMES):
        if tuple(cue_names) != CUE_NAMES:
            raise ConfigError("claim head was trained with other cue features",
                              fix="re-train it with scripts/train_claims.py")
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.cue_mean = np.asarray(cue_mean, dtype=np.float32)
        self.cue_std = np.asarray(cue_std, dtype=np.float32)
        self.threshold = float(threshold)
        self.embedder = embedder

    @classmethod
    def load(cls, path: str | Path = WEIGHTS_PATH) -> ClaimHead:
        path = Path(path)
        if not path.is_file():
            raise ConfigError("claim head weights not found", path=str(path),
                              fix="re-install cruxmap or run scripts/train_claims.py")
        with np.load(path, allow_pickle=False) as data:
            return cls(data["coef"], float(data["intercept"]), data["cue_mean"], data["cue_std"],
                       float(data["threshold"]), str(data["embedder"]), [str(n) for n in data["cue_names"]])

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, coef=self.coef, intercept=np.float32(self.intercept), cue_mean=self.cue_mean,
                            cue_std=self.cue_std, threshold=np.float32(self.threshold),
                            embedder=np.str_(self.embedder), cue_names=np.array(CUE_NAMES))

    def features(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        cues = (cue_matrix(texts) - self.cue_mean) / self.cue_std
        return np.hstack([np.asarray(embeddings, dtype=np.float32), cues])

    def probabilities(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        x = self.features(embeddings, texts)
        if x.shape[1] != self.coef.shape[0]:
            raise ConfigError(f"claim head expects {self.coef.shape[0] - len(CUE_NAMES)}-d embeddings, "
                              f"got {x.shape[1] - len(CUE_NAMES)}-d",
                              fix="use the embedder the head was trained with (embedder = minilm)")
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))


class ClaimDetector:
    """Scores sentences and keeps those at or above the threshold as ``Claim`` items."""

    def __init__(self, embedder, head: ClaimHead | None = None, threshold: float | None = None):
        self.embedder = embedder
        self.head = head or ClaimHead.load()
        self.threshold = self.head.threshold if threshold is None else float(threshold)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """P(claim) for each text; the embedder's cache makes repeated texts free."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        return self.head.probabilities(self.embedder.embed(list(texts)), texts)

    def claims_for(self, sentences: Sequence[Sentence]) -> list[Claim]:
        return self._keep(sentences, self.score([s.text for s in sentences]))

    def detect_many(self, docs: Sequence[Document]) -> list[list[Claim]]:
        """Claims per document, scoring all documents' sentences in one batched embedder call."""
        flat = [s for d in docs for s in d.sentences]
        scores = self.score([s.text for s in flat])
        out, at = [], 0
        for d in docs:
            out.append(self._keep(d.sentences, scores[at : at + len(d.sentences)]))
            at += len(d.sentences)
        return out

    def _keep(self, sentences: Sequence[Sentence], scores: np.ndarray) -> list[Claim]:
        return [
            Claim(id=f"{s.id}:c", source_id=s.source_id, sentence_id=s.id, start=s.start, end=s.end,
                  text=s.text, score=round(float(p), 4))
            for s, p in zip(sentences, scores) if p >= self.threshold
        ]


def training_record(path: Path = RESOURCES / "training_record.json") -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@registry.register("claims", "offline.v1")
def create_offline_claims(embedder=None, threshold: float | None = None, **_ignored) -> ClaimDetector:
    if embedder is None:
        raise ConfigError("the claim detector needs an embedder", fix="pass embedder=get_embedder('minilm')")
    return ClaimDetector(embedder, threshold=threshold)
