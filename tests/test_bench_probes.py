"""``bench quality --task probes``: the minimal pairs are well formed and scored the same for both kinds of backend."""

from __future__ import annotations

from collections import Counter

from cruxmap.argue.stance.base import StanceClassifier, StanceResult
from cruxmap.argue.stance.reader import Position
from cruxmap.bench import run_quality
from cruxmap.bench.probes import KINDS, load_probes, predict, score


def test_every_kind_comes_in_balanced_pairs():
    probes = load_probes()
    assert len({p["id"] for p in probes}) == len(probes)
    counts = Counter((p["kind"], p["expected"]) for p in probes)
    for kind in KINDS:
        assert counts[(kind, "support")] == counts[(kind, "oppose")] >= 2, kind
    assert all(p["text"].strip() and p["statement"].strip() for p in probes)


class Tone(StanceClassifier):
    """Reads tone: a negative word means oppose. The probes are built so this scores about half."""

    name = "tone"

    def classify_batch(self, pairs):
        negative = ("not", "never", "wrong", "no", "lose", "fell", "destroyed", "cannot", "fail", "killed")
        return [StanceResult("oppose" if any(w in text.lower().replace(",", " ").split() for w in negative)
                             else "support", 0.9) for text, _ in pairs]


class Oracle:
    """A whole-source reader that knows the answers: every probe right."""

    reads_sources = True

    def __init__(self, probes):
        self.answers = {p["text"]: p["expected"] for p in probes}

    def read_sources(self, docs, items, exclusive=True):
        return [[Position(items[0].id, self.answers[d.source.text], 0.9, [])] for d in docs]


def test_tone_scores_about_half_and_a_reader_that_understands_scores_all(settings):
    probes = load_probes()
    tone = score(probes, predict(Tone(), probes))
    assert 0.3 <= tone["accuracy"] <= 0.7
    rows = {r.metric: r.value for r in run_quality("probes", "dev", settings, classifier=Oracle(probes))}
    assert rows["accuracy"] == 1.0 and all(rows[f"accuracy: {k}"] == 1.0 for k in KINDS)
