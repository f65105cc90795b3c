"""Hermetic helpers for the map tests: a deterministic bag-of-words embedder and map builders.

Other ``test_map_*`` modules import from here; the tests below check that the helpers behave
as the map tests assume (deterministic, normalised, similar texts close).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from cruxmap.argue.embed import Embedder
from cruxmap.model import Claim, DebateMap, Event, Hypothesis, Quote, Source, Stance

_WORD = re.compile(r"[a-z0-9]+")
_STOP = {"the", "a", "an", "of", "to", "and", "is", "was", "in", "on", "that", "it", "for", "by", "be", "this"}


class HashingEmbedder(Embedder):
    """Hashed bag of words (sha256 buckets with signs), L2-normalised: same text → same vector."""

    name = "hashing-test"
    dim = 256

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if word in _STOP:
                    continue
                digest = hashlib.sha256(word.encode()).digest()
                out[row, int.from_bytes(digest[:2], "big") % self.dim] += 1.0 if digest[2] % 2 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


def source(sid: str, text: str = "") -> Source:
    return Source(id=sid, path=f"{sid}.txt", sha256=sid * 4, text=text or "x" * 2000)


def claim(cid: str, sid: str, text: str, start: int = 0, score: float = 0.9) -> Claim:
    return Claim(id=cid, source_id=sid, sentence_id=f"s-{cid}", text=text, start=start, end=start + len(text),
                 score=score)


def claim_stance(cid: str, hid: str, label: str, score: float = 0.9) -> Stance:
    return Stance(target="claim", target_id=cid, hypothesis_id=hid, label=label, score=score)


def source_stance(sid: str, hid: str, label: str, score: float = 0.9) -> Stance:
    return Stance(target="source", target_id=sid, hypothesis_id=hid, label=label, score=score)


#: three themes a debate keeps returning to, each worded a few ways (written for these tests)
THEMES = {
    "alliance": ["the alliance expansion provoked the neighbour into attacking.",
                 "alliance expansion eastward provoked the neighbour.",
                 "expansion of the alliance provoked the neighbour into war."],
    "empire": ["the ruler wants to rebuild a lost empire by force.",
               "the ruler wants the lost empire rebuilt by force.",
               "by force the ruler wants to rebuild his lost empire."],
    "democracy": ["a thriving democracy next door frightens the regime.",
                  "the regime is frightened by a thriving democracy next door.",
                  "democracy thriving next door is what frightens the regime."],
}


def themed_map(n_sources: int = 6) -> DebateMap:
    """Sources s0..s(n-1): even ones argue alliance, odd ones empire, all mention democracy."""
    hyps = [Hypothesis(id="H1", statement="Security fears drove the war"),
            Hypothesis(id="H2", statement="Imperial ambition drove the war")]
    sources, claims, stances = [], [], []
    names = list(THEMES)
    for i in range(n_sources):
        sid = f"s{i}"
        sources.append(source(sid))
        picks = [names[1], names[2]] if i % 2 else [names[0], names[2]]  # odd: empire, even: alliance
        for j, theme in enumerate(picks):
            text = THEMES[theme][(i + j) % 3]
            cid = f"c{i}{j}"
            claims.append(claim(cid, sid, text, start=100 * j))
            if theme == "alliance":
                stances += [claim_stance(cid, "H1", "support"), claim_stance(cid, "H2", "oppose", 0.8)]
            elif theme == "empire":
                stances += [claim_stance(cid, "H1", "oppose", 0.8), claim_stance(cid, "H2", "support")]
            else:
                stances += [claim_stance(cid, "H1", "neutral", 0.5), claim_stance(cid, "H2", "neutral", 0.5)]
        pro_h1 = i % 2 == 0
        stances += [source_stance(sid, "H1", "support" if pro_h1 else "oppose"),
                    source_stance(sid, "H2", "oppose" if pro_h1 else "support")]
    return DebateMap(sources=sources, claims=claims, stances=stances, hypotheses=hyps)


def quote(qid: str, sid: str, start: int, end: int, text: str = "quoted words") -> Quote:
    return Quote(id=qid, source_id=sid, start=start, end=end, text=text)


def event(eid: str, sid: str, start: int, end: int, date: str, description: str) -> Event:
    return Event(id=eid, source_id=sid, start=start, end=end, date_text=date, date=date, description=description)


# --------------------------------------------------------------------------- helper checks


def test_hashing_embedder_is_deterministic_and_normalised():
    emb = HashingEmbedder()
    a = emb.embed(["the alliance expansion provoked the neighbour", "a different sentence entirely"])
    b = HashingEmbedder().embed(["the alliance expansion provoked the neighbour", "a different sentence entirely"])
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_hashing_embedder_puts_paraphrases_closer_than_other_themes():
    emb = HashingEmbedder()
    v = emb.embed([THEMES["alliance"][0], THEMES["alliance"][1], THEMES["empire"][0]])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3
