"""``cruxmap bench quality --task probes``: minimal pairs that tone and topic cannot answer.

``resources/stance/probes.yaml`` holds short texts written for cruxmap, each with a statement and
the position its author takes, in pairs that differ in one respect: a negation, a double
negation, a rebuttal ("Supporters insist X. But …"), reported speech the author rejects,
condemning a policy's opponents, and a statement worded negatively. A reader that follows the
sentence's tone or topic instead of its meaning gets one of each pair wrong, so about 0.5 is what
guessing from tone scores.

A pair backend (offline, hf, ``llm.v1``) judges each (text, statement) pair; a backend that reads
whole sources (``llm.v2``) reads each text as an article with the statement as its one item.
Rows: accuracy over all probes and per kind. The probes chose no rule or threshold.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import registry
from ..model import Document, Hypothesis, Source
from .base import BenchRow, quality_task

PROBES = Path(__file__).resolve().parents[1] / "resources" / "stance" / "probes.yaml"
KINDS = ("negation", "double-negation", "rebuttal", "reported-speech", "condemn-opponents", "negative-statement")


def load_probes(path: Path = PROBES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["probes"]


def predict(classifier, probes: list[dict]) -> list[str]:
    """The backend's label per probe: support, oppose, or anything else (neutral / none / mixed)."""
    if getattr(classifier, "reads_sources", False):
        docs = [Document(source=Source(id=f"probe-{p['id']}", path=f"{p['id']}.txt", sha256=p["id"], text=p["text"]))
                for p in probes]
        labels = []
        for doc, p in zip(docs, probes):
            [position] = classifier.read_sources([doc], [Hypothesis(id="S", statement=p["statement"],
                                                                    kind="proposition")])[0]
            labels.append(position.label)
        return labels
    return [r.label for r in classifier.classify([(p["text"], p["statement"]) for p in probes])]


def score(probes: list[dict], labels: list[str]) -> dict[str, float]:
    right = [label == p["expected"] for p, label in zip(probes, labels)]
    out = {"accuracy": sum(right) / len(right) if right else 0.0}
    for kind in KINDS:
        hits = [r for r, p in zip(right, probes) if p["kind"] == kind]
        if hits:
            out[f"accuracy: {kind}"] = sum(hits) / len(hits)
    return out


@quality_task("probes")
def probes_task(split: str, settings, stance: str | None = None, limit: int | None = None,
                classifier=None, **_options) -> list[BenchRow]:
    probes = load_probes()[:limit] if limit else load_probes()
    if classifier is None:
        from ..argue.stages import make_stance_classifier
        from ..store import open_store

        with open_store(settings.db) as store:
            classifier = make_stance_classifier(settings.updated(**{"stance.backend": stance or settings.stance.backend}), store)
            labels = predict(classifier, probes)
    else:
        labels = predict(classifier, probes)
    backend = registry.name_of(classifier)
    return [BenchRow(task="probes", dataset="minimal pairs", split=split, metric=metric, value=round(value, 4),
                     note=f"{len(probes)} probes, {backend}; tone alone scores about 0.5" if i == 0 else None)
            for i, (metric, value) in enumerate(score(probes, labels).items())]
