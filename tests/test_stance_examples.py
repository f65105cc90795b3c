"""Examples written in the question file steer which way a related claim leans, never whether it is related."""

from __future__ import annotations

import numpy as np
import pytest
from test_claims import HashEmbedder

from cruxmap.argue.examples import apply_examples, example_margins, shift, unit_rows
from cruxmap.argue.question import load_question
from cruxmap.argue.stages import StanceStage
from cruxmap.argue.stance.base import StanceClassifier, StanceResult
from cruxmap.bench.datasets import LabelledPair
from cruxmap.bench.stance import few_shot_split
from cruxmap.errors import ConfigError
from cruxmap.model import Claim, Document, Hypothesis, Source


class LeaningStance(StanceClassifier):
    """Every pair is related and leans slightly to 'oppose' (0.45 vs 0.35), like a biased head."""

    name = "leaning"
    example_temperature = 0.05

    def __init__(self, embedder):
        super().__init__()
        self.embedder = embedder

    def classify_batch(self, pairs):
        return [StanceResult("oppose", 0.45, (0.35, 0.45, 0.20)) for _ in pairs]


def test_shift_moves_direction_and_keeps_relatedness():
    base = StanceResult("oppose", 0.45, (0.35, 0.45, 0.20))
    towards_support = shift(base, 0.2)
    assert towards_support.label == "support"
    assert sum(towards_support.probs[:2]) == pytest.approx(0.80)
    assert towards_support.probs[2] == pytest.approx(0.20)
    assert shift(base, -0.2).label == "oppose" and shift(base, -0.2).probs[1] > 0.45
    assert shift(base, 0.0).probs == pytest.approx(base.probs)
    neutral = StanceResult("neutral", 0.9, (0.06, 0.04, 0.90))
    assert shift(neutral, 0.5).label == "neutral"  # examples never make an unrelated claim related
    no_probs = StanceResult("support", 0.7)
    assert shift(no_probs, -1.0) is no_probs


def test_margins_use_the_closest_example_of_each_side_and_a_missing_side_counts_zero():
    claims = unit_rows(np.array([[1.0, 0.0], [0.0, 1.0]]))
    support = unit_rows(np.array([[1.0, 0.1], [0.5, 0.5]]))
    oppose = unit_rows(np.array([[0.0, 1.0]]))
    margins = example_margins(claims, support, oppose)
    assert margins[0] > 0.9 and margins[1] < -0.2
    only_support = example_margins(claims, support, unit_rows(np.zeros((0, 2))))
    assert only_support[0] == pytest.approx(float(support[0] @ claims[0]))


def test_stance_stage_uses_the_examples_of_each_hypothesis():
    embedder = HashEmbedder()
    plain = Hypothesis(id="H1", statement="The ferry should stay public.")
    with_examples = plain.model_copy(update={
        "support_examples": ["Keeping the ferry in public hands protects fares for islanders."],
        "oppose_examples": ["A private operator would run the ferry better and cheaper."]})
    text = "Keeping the ferry in public hands protects islanders from higher fares."
    source = Source(id="s", path="s.txt", sha256="0" * 64, text=text)
    claims = [Claim(id="s:s0:c", source_id="s", sentence_id="s:s0", start=0, end=len(text), text=text, score=0.9)]

    def label(hypothesis):
        doc = Document(source=source, claims=list(claims))
        stage = StanceStage(LeaningStance(embedder), [hypothesis])
        return next(iter(stage.pipe([doc]))).stances[0].label, stage.version()

    without, version_plain = label(plain)
    with_, version_examples = label(with_examples)
    assert without == "oppose" and with_ == "support"
    assert version_plain != version_examples  # cached runs without the examples are not re-used


def test_question_file_examples_are_checked(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text('hypotheses:\n  - id: H1\n    statement: "A is true."\n'
                    '    support_examples: ["A holds.", "  A   is so. "]\n    oppose_examples: "A is false."\n')
    h = load_question(path).hypotheses[0]
    assert h.support_examples == ["A holds.", "A is so."] and h.oppose_examples == ["A is false."]
    path.write_text('hypotheses:\n  - id: H1\n    statement: "A is true."\n    support_examples: [""]\n')
    with pytest.raises(ConfigError, match="support_examples must be a list of non-empty statements") as err:
        load_question(path)
    assert str(path) in str(err.value) or err.value.path == str(path)


def test_few_shot_split_keeps_examples_out_of_the_scored_pairs():
    pairs = [LabelledPair(text=f"t{i}", hypothesis=f"h{i % 2}", label="support" if i % 4 < 2 else "oppose",
                         fine_label="", group=f"h{i % 2}")
             for i in range(24)]
    examples, scored = few_shot_split(pairs, 2)
    assert set(examples) == {"h0", "h1"}
    chosen = {i for support, oppose in examples.values() for i in support + oppose}
    assert len(chosen) == 8 and not chosen & set(scored) and len(scored) == 16
    assert all(pairs[i].label == "support" for support, _ in examples.values() for i in support)
    assert few_shot_split(pairs, 2) == (examples, scored)  # seeded


def test_apply_examples_keeps_order():
    results = [StanceResult("oppose", 0.45, (0.35, 0.45, 0.20))] * 2
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]])
    out = apply_examples(results, vectors, np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert [r.label for r in out] == ["support", "oppose"]
