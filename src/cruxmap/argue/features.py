"""Pair features for the offline stance model: frozen sentence embeddings plus cheap lexical cues.

For a pair (text, hypothesis) the text is split into sentences; every distinct string is
embedded once. Features describe how the hypothesis relates to the whole text and to its
most similar sentences (UCLMR-style relatedness plus embedding interactions u*v, |u-v|), and
count refuting, negating and hedging words where the text talks about the hypothesis — the
cues that separate "disagree" from "discuss" in news. Training (``scripts/train_stance.py``)
and inference (``stance.offline``) call the same ``pair_features`` so they cannot drift apart.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

MAX_SENTENCES = 60  # long bodies: the first 60 sentences carry the stance in practice
TOP_K = 3

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z“\"])")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that these "
    "those he she they we you i his her their our your my me him them us who whom which what when where why how "
    "will would shall should can could may might must do does did has have had not no so than then there here "
    "about into over after before up down out off again further once all any both each few more most other some "
    "such only own same too very s t just don now also said says say".split()
)
REFUTING = frozenset(
    "fake fraud hoax false falsely deny denies denied denial refute refutes refuted debunk debunked debunks "
    "bogus myth myths untrue wrong incorrect misleading fabricated fabrication prank pranks satire satirical "
    "retract retracted retraction dismiss dismissed dismisses reject rejects rejected rumour rumor rumours rumors "
    "baseless unfounded nonsense lie lies lied doubt doubts doubtful disputed disputes dispute contrary "
    "oppose opposes opposed against harmful dangerous ban".split()
)
NEGATION = frozenset("no not never none nobody nothing neither nor without cannot can't don't doesn't didn't "
                     "isn't aren't wasn't weren't won't wouldn't shouldn't hasn't haven't hadn't n't".split())
HEDGING = frozenset(
    "reportedly allegedly alleged claim claims claimed claiming according purportedly apparently supposedly "
    "unconfirmed unverified rumoured rumored may might could possibly perhaps suggest suggests suggested "
    "report reports reported sources believed speculation speculated".split()
)
SUPPORTING = frozenset(
    "confirm confirms confirmed confirmation true proof proves proved proven evidence verified official "
    "officially indeed actually benefit benefits beneficial improve improves improved help helps helped "
    "necessary important should must".split()
)


def split_sentences(text: str, limit: int = MAX_SENTENCES) -> list[str]:
    """Split text into at most ``limit`` sentences with a light regex (no spaCy: training embeds ~100k texts)."""
    pieces = [p.strip() for p in _SENTENCE_END.split(text)]
    sentences = [" ".join(p.split()) for p in pieces if p and len(p) > 2]
    return sentences[:limit] or [" ".join(text.split())]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def content_tokens(text: str) -> set[str]:
    return {t for t in tokens(text) if t not in STOPWORDS and len(t) > 1}


def _cue_rates(words: list[str]) -> list[float]:
    n = max(len(words), 1)
    return [sum(w in lexicon for w in words) / n * 10 for lexicon in (REFUTING, NEGATION, HEDGING, SUPPORTING)]


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


class _TextWords:
    """What the lexical features read of a text whatever the hypothesis: its sentences' tokens, all its
    tokens, content words, lead content words, bigrams and cue-word rates. ``pair_features`` makes one per
    distinct text, not one per (text, hypothesis) pair."""

    __slots__ = ("all_words", "bigrams", "content", "cue_rates", "lead_content", "sentence_words")

    def __init__(self, sentence_words: list[list[str]]):
        self.sentence_words = sentence_words
        self.all_words = [w for words in sentence_words for w in words]
        self.content = set(self.all_words) - STOPWORDS
        self.lead_content = {w for words in sentence_words[:3] for w in words} - STOPWORDS
        self.bigrams = _bigrams(self.all_words)
        self.cue_rates = _cue_rates(self.all_words)


class _HypothesisWords:
    """What the lexical features read of a hypothesis: its tokens, content words, bigrams and cue flags."""

    __slots__ = ("bigrams", "content", "cues", "question", "words")

    def __init__(self, hypothesis: str):
        self.content = content_tokens(hypothesis)
        self.words = tokens(hypothesis)
        self.bigrams = _bigrams(self.words)
        self.cues = [float(any(w in lexicon for w in self.words)) for lexicon in (REFUTING, NEGATION, HEDGING, SUPPORTING)]
        self.question = float("?" in hypothesis)


def lexical_features(sentence_words: list[list[str]], hypothesis: str, order: np.ndarray) -> list[float]:
    """Overlap of the hypothesis with the text and its closest sentences, and cue-word rates.

    ``sentence_words`` holds the tokens of each text sentence; ``order`` ranks the sentences by
    embedding similarity to the hypothesis, most similar first.
    """
    return _lexical(_TextWords(sentence_words), _HypothesisWords(hypothesis), order)


def _lexical(text: _TextWords, hyp: _HypothesisWords, order: np.ndarray) -> list[float]:
    sentence_words = text.sentence_words
    top_words = [w for i in order[:TOP_K] for w in sentence_words[i]]
    best_content = set(sentence_words[order[0]]) - STOPWORDS
    denom = max(len(hyp.content), 1)
    overlap = [
        len(hyp.content & text.content) / denom,
        len(hyp.content & best_content) / denom,
        len(hyp.content & text.lead_content) / denom,
        len(hyp.content & text.content) / max(len(hyp.content | text.content), 1),
        len(hyp.bigrams & text.bigrams) / max(len(hyp.bigrams), 1),
    ]
    return overlap + hyp.cues + text.cue_rates + _cue_rates(top_words) + [hyp.question]


def _sentence_plan(pairs: Sequence[tuple[str, str]]) -> tuple[list[list[str]], list[str]]:
    """Sentences of each text, and every distinct string that needs an embedding."""
    split: dict[str, list[str]] = {}
    for text, _ in pairs:
        if text not in split:
            split[text] = split_sentences(text)
    sentences = [split[text] for text, _ in pairs]
    wanted: dict[str, None] = {}
    for (text, hypothesis), sents in zip(pairs, sentences):
        wanted[hypothesis] = None
        wanted[text] = None
        wanted.update(dict.fromkeys(sents))
    return sentences, list(wanted)


def pair_features(pairs: Sequence[tuple[str, str]], embedder) -> np.ndarray:
    """Feature matrix (len(pairs), n_features) for (text, hypothesis) pairs, float32."""
    if not pairs:
        return np.zeros((0, feature_count(embedder.dim)), dtype=np.float32)
    sentences, strings = _sentence_plan(pairs)
    vectors = embedder.embed(strings)
    index = {s: i for i, s in enumerate(strings)}
    words_of: dict[str, _TextWords] = {}  # a text shared by many pairs (one per hypothesis) is read once
    hyp_words: dict[str, _HypothesisWords] = {}
    dim = vectors.shape[1]
    out = np.empty((len(pairs), feature_count(dim)), dtype=np.float32)  # rows written in place, not stacked
    for row, ((text, hypothesis), sents) in enumerate(zip(pairs, sentences)):
        if text not in words_of:
            words_of[text] = _TextWords([tokens(x) for x in sents])
        if hypothesis not in hyp_words:
            hyp_words[hypothesis] = _HypothesisWords(hypothesis)
        text_words, hyp = words_of[text], hyp_words[hypothesis]
        h = vectors[index[hypothesis]]
        t = vectors[index[text]]
        s = vectors[[index[x] for x in sents]]
        sims = s @ h
        order = np.argsort(-sims)
        best = s[order[0]]
        top_mean = s[order[:TOP_K]].mean(0)
        scalars = [
            float(t @ h), float(sims.max()), float(sims.mean()), float(sims[order[:TOP_K]].mean()),
            float(sims.std()), float((sims > 0.5).mean()), float((sims > 0.3).mean()),
            float(order[0]) / len(sents), float(np.log1p(len(sents))), float(np.log1p(len(text_words.all_words))),
            float(np.log1p(len(hyp.words))), float(sims[0]),
        ]
        lexical = _lexical(text_words, hyp, order)
        for block, part in enumerate((h, t, h * best, np.abs(h - best), h * t, np.abs(h - t), h * top_mean)):
            out[row, block * dim:(block + 1) * dim] = part
        out[row, 7 * dim:] = scalars + lexical
    return out


SCALAR_COUNT = 12 + 5 + 4 + 4 + 4 + 1
SENTENCE_COUNT_SCALAR = 8  # index of log1p(sentence count) among the scalars


def feature_count(dim: int) -> int:
    return 7 * dim + SCALAR_COUNT
