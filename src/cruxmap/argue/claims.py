"""Claim detection: which sentences argue (thesis, claim, premise, evaluation, prescription)
rather than narrate, give background or only quote someone.

``claims.offline.v1`` is a logistic-regression head over a frozen sentence embedding
(all-MiniLM-L6-v2 by default) concatenated with linguistic cue features (modals,
evaluative words, first person, hedges, argumentative connectives, quotation share,
reporting verbs, dates and numbers, …). The head is trained by ``scripts/train_claims.py``
from public data in ``../shared/data``; its weights (``resources/claims/claims_head.npz``)
and training record sit next to each other. The decision threshold was chosen on a
hand-annotated dev set (``resources/claims/dev_refs.json``).

``claims.offline.v2`` adds a pre-filter in front of it (``ClaimPrefilter``): a second logistic
regression over the same cues and the mean of the embedder's *input* token vectors (no
transformer layer runs). It was distilled from the head on news sentences
(``scripts/train_claim_prefilter.py``) and its cut-off keeps 99.9 % of the sentences the head
calls claims on held-out articles; the sentences below it are not embedded and are not claims.
Half of a news corpus is narration the pre-filter can rule out, and embedding is most of a
run's cost. Sentences above the cut-off get exactly the v1 score.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..model import Claim, Document, Sentence
from ..registry import builtin_name, name_of, takes_options
from ..settings import ClaimOptions
from ..weights import file_sha256, hashed  # one hashing helper for model files

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "claims"
WEIGHTS_PATH = RESOURCES / "claims_head.npz"
PREFILTER_PATH = RESOURCES / "prefilter.npz"


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
# Words that explain why something happened: a cause, motive or purpose, or a ranking of causes.
# Not a cue feature: as one it learned a weight of 0.007 (news narrates causes as often as
# opinion argues them). It draws the sentences of the explanatory dev and training sets
# (scripts/claim_sentences.py), the kind of claim the weak training labels file under narration.
EXPLANATORY = _words("because", "due to", "reasons?", "motives?", "motivations?", "motivated", "mainly",
                     "primarily", "chiefly", "largely", "above all", "primary", "main", "real", "root",
                     "caused?", "causes", "led to", "drove", "driven by", "provoked", "in order to",
                     "so as to", "aimed? (?:at|to)", "the point (?:of|was)", "pretext", "excuse",
                     "(?:is|was|were|are) (?:all |really |not |never |not really |only )?about")
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


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


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

    @property
    def digest(self) -> str:
        """A short digest of the weights, so that stored claims of another head are never re-used."""
        weights = hashlib.sha256()
        for array in (self.coef, np.float32(self.intercept), self.cue_mean, self.cue_std):
            weights.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        return weights.hexdigest()[:8]

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, coef=self.coef, intercept=np.float32(self.intercept), cue_mean=self.cue_mean,
                            cue_std=self.cue_std, threshold=np.float32(self.threshold),
                            embedder=np.str_(self.embedder), cue_names=np.array(CUE_NAMES))

    def features(self, embeddings: np.ndarray, texts: Sequence[str], cues: np.ndarray | None = None) -> np.ndarray:
        cues = cue_matrix(texts) if cues is None else cues
        return np.hstack([np.asarray(embeddings, dtype=np.float32), (cues - self.cue_mean) / self.cue_std])

    def probabilities(self, embeddings: np.ndarray, texts: Sequence[str], cues: np.ndarray | None = None) -> np.ndarray:
        x = self.features(embeddings, texts, cues)
        if x.shape[1] != self.coef.shape[0]:
            raise ConfigError(f"claim head expects {self.coef.shape[0] - len(CUE_NAMES)}-d embeddings, "
                              f"got {x.shape[1] - len(CUE_NAMES)}-d",
                              fix="use the embedder the head was trained with (embedder = minilm)")
        return _sigmoid(x @ self.coef + self.intercept)


class ClaimPrefilter:
    """Rules out sentences the head would not call claims, before they are embedded.

    Logistic regression over [mean input-token vector of the embedder, standardised cues];
    a sentence goes on to the head when its probability is at least ``cutoff``. Valid only for
    the head it was distilled from (``head_sha256``) and at that head's threshold or above.
    """

    def __init__(self, coef: np.ndarray, intercept: float, cue_mean: np.ndarray, cue_std: np.ndarray,
                 cutoff: float, head_sha256: str, head_threshold: float, embedder: str):
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.cue_mean = np.asarray(cue_mean, dtype=np.float32)
        self.cue_std = np.asarray(cue_std, dtype=np.float32)
        self.cutoff = float(cutoff)
        self.head_sha256 = head_sha256
        self.head_threshold = float(head_threshold)
        self.embedder = embedder

    @classmethod
    def load(cls, path: str | Path = PREFILTER_PATH) -> ClaimPrefilter | None:
        path = Path(path)
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as data:
            return cls(data["coef"], float(data["intercept"]), data["cue_mean"], data["cue_std"],
                       float(data["cutoff"]), str(data["head_sha256"]), float(data["head_threshold"]),
                       str(data["embedder"]))

    def save(self, path: str | Path) -> None:
        np.savez_compressed(path, coef=self.coef, intercept=np.float32(self.intercept), cue_mean=self.cue_mean,
                            cue_std=self.cue_std, cutoff=np.float32(self.cutoff),
                            head_sha256=np.str_(self.head_sha256), head_threshold=np.float32(self.head_threshold),
                            embedder=np.str_(self.embedder))

    def probabilities(self, token_vectors: np.ndarray, cues: np.ndarray) -> np.ndarray:
        x = np.hstack([np.asarray(token_vectors, dtype=np.float32), (cues - self.cue_mean) / self.cue_std])
        return _sigmoid(x @ self.coef + self.intercept)

    def keep(self, token_vectors: np.ndarray, cues: np.ndarray) -> np.ndarray:
        """Boolean mask of the sentences worth scoring with the head."""
        return self.probabilities(token_vectors, cues) >= self.cutoff


class ClaimDetector:
    """Scores sentences and keeps those at or above the threshold as ``Claim`` items.

    With ``prefilter`` (the default) sentences the pre-filter rules out are not embedded and
    score 0. It is used only with the embedder it was trained for, at the head's threshold or a
    stricter one, and with the head file it was distilled from; otherwise every sentence is scored.
    """

    def __init__(self, embedder, head: ClaimHead | None = None, threshold: float | None = None,
                 prefilter: bool = True, head_path: str | Path = WEIGHTS_PATH,
                 prefilter_path: str | Path = PREFILTER_PATH):
        self.embedder = embedder
        self.head = head or ClaimHead.load(head_path)
        self.head_path = None if head is not None else Path(head_path)
        self.prefilter_path = Path(prefilter_path)
        self.threshold = self.head.threshold if threshold is None else float(threshold)
        self.prefilter = self._usable_prefilter(prefilter_path, head_path) if prefilter and head is None else None
        self.ruled_out = 0  # sentences the pre-filter kept from the embedder
        #: the registry's name for what was asked for (``registry.create`` sets the same), found by the
        #: factory that asks for it: v2 asks for the pre-filter; where it cannot be used every sentence is
        #: scored as v1 scores it, and the claim stage's version carries no pre-filter cut-off
        self.registry_name = builtin_name(create_prefiltered_claims if prefilter else create_offline_claims)

    def weight_files(self) -> dict[str, str]:
        """The head's file (unless the head was given in memory) and the pre-filter's, when it is used."""
        return hashed(self.head_path, self.prefilter_path if self.prefilter is not None else None)

    def _usable_prefilter(self, prefilter_path, head_path) -> ClaimPrefilter | None:
        found = ClaimPrefilter.load(prefilter_path)
        if (found is None or not hasattr(self.embedder, "token_mean_vectors")
                or found.embedder != name_of(self.embedder) or self.threshold < found.head_threshold - 1e-6
                or found.head_sha256 != file_sha256(Path(head_path))):
            return None
        return found

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """P(claim) for each text (0 for texts the pre-filter rules out); the embedder's cache makes
        repeated texts free."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        texts = list(texts)
        cues = cue_matrix(texts)
        if self.prefilter is None:
            return self.head.probabilities(self.embedder.embed(texts), texts, cues)
        chosen = np.flatnonzero(self.prefilter.keep(self.embedder.token_mean_vectors(texts), cues))
        self.ruled_out += len(texts) - len(chosen)
        scores = np.zeros(len(texts), dtype=np.float32)
        if len(chosen):
            kept = [texts[i] for i in chosen]
            scores[chosen] = self.head.probabilities(self.embedder.embed(kept), kept, cues[chosen])
        return scores

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


@takes_options(ClaimOptions)
def create_offline_claims(embedder=None, threshold: float | None = None) -> ClaimDetector:
    if embedder is None:
        raise ConfigError("the claim detector needs an embedder", fix="pass embedder=get_embedder('minilm')")
    return ClaimDetector(embedder, threshold=threshold, prefilter=False)


@takes_options(ClaimOptions)
def create_prefiltered_claims(embedder=None, threshold: float | None = None) -> ClaimDetector:
    if embedder is None:
        raise ConfigError("the claim detector needs an embedder", fix="pass embedder=get_embedder('minilm')")
    return ClaimDetector(embedder, threshold=threshold, prefilter=True)
