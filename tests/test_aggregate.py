"""Source-level stance from hand-built claim-level stances: support, oppose, mixed, none."""

from __future__ import annotations

import pytest

from cruxmap.argue.aggregate import aggregate_source_stances, edge_claim_ids, paragraph_bounds
from cruxmap.model import Claim, Hypothesis, Sentence, Source, Stance

HYPS = [Hypothesis(id="H1", statement="The plan works."), Hypothesis(id="H2", statement="The plan is cheap.")]


def make_doc(paragraphs: list[list[str]]):
    """A source with one sentence per string, paragraphs separated by a newline; every sentence a claim."""
    text, sentences, _pos = "", [], 0
    for p, para in enumerate(paragraphs):
        for s, sent in enumerate(para):
            if s:
                text += " "
            start = len(text)
            text += sent
            sentences.append(Sentence(id=f"src:s{len(sentences)}", source_id="src", start=start, end=len(text), text=sent))
        if p < len(paragraphs) - 1:
            text += "\n"
    source = Source(id="src", path="x.txt", sha256="0" * 64, text=text)
    claims = [Claim(id=f"{s.id}:c", source_id="src", sentence_id=s.id, start=s.start, end=s.end, text=s.text,
                    score=0.9) for s in sentences]
    return source, sentences, claims


def stance(claim_index, label, score=0.9, hyp="H1"):
    return Stance(target="claim", target_id=f"src:s{claim_index}:c", hypothesis_id=hyp, label=label, score=score)


PARAS = [["Opening thesis."], ["Middle one.", "Middle two.", "Middle three."], ["Closing line."]]


def run(stances, paragraphs=PARAS):
    source, sentences, claims = make_doc(paragraphs)
    return {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS)}


def test_one_sided_support():
    out = run([stance(0, "support"), stance(2, "support"), stance(3, "neutral")])
    h1 = out["H1"]
    assert (h1.target, h1.target_id, h1.label) == ("source", "src", "support")
    assert h1.claim_ids == ["src:s0:c", "src:s2:c"]  # thesis claim weighs more, comes first
    assert 0.5 < h1.score <= 1.0


def test_one_sided_oppose_with_a_weak_dissent():
    out = run([stance(0, "oppose"), stance(4, "oppose"), stance(2, "support", score=0.5)])
    assert out["H1"].label == "oppose"
    assert out["H1"].claim_ids == ["src:s0:c", "src:s4:c"]


def test_both_sides_substantially_is_mixed():
    out = run([stance(1, "support"), stance(2, "support"), stance(3, "oppose"), stance(4, "oppose")])
    h1 = out["H1"]
    assert h1.label == "mixed"
    assert set(h1.claim_ids) == {"src:s1:c", "src:s2:c", "src:s3:c", "src:s4:c"}
    assert h1.score > 0.7  # well balanced


def test_never_addressed_is_none():
    out = run([stance(1, "neutral"), stance(2, "neutral")])
    assert out["H1"].label == "none" and out["H1"].score == 0.0 and out["H1"].claim_ids == []
    assert out["H2"].label == "none"  # no stance at all toward H2


def test_low_confidence_stances_do_not_count():
    out = run([stance(1, "support", score=0.35), stance(2, "oppose", score=0.3)])
    assert out["H1"].label == "none"


def test_thesis_position_tips_the_balance():
    # the same pair of claims: with the support claim in the opening paragraph the source
    # supports; with it in the middle, the weak dissent is a substantial share → mixed
    assert run([stance(0, "support"), stance(2, "oppose", score=0.45)])["H1"].label == "support"
    assert run([stance(1, "support"), stance(2, "oppose", score=0.45)])["H1"].label == "mixed"


def test_stances_per_hypothesis_are_independent():
    out = run([stance(0, "support", hyp="H1"), stance(1, "oppose", hyp="H2"), stance(2, "oppose", hyp="H2")])
    assert out["H1"].label == "support" and out["H2"].label == "oppose"


def test_edges_without_paragraphs_use_first_and_last_sentences():
    source, sentences, claims = make_doc([["a.", "b.", "c.", "d.", "e.", "f."]])
    assert edge_claim_ids(source, sentences, claims) == {"src:s0:c", "src:s1:c", "src:s4:c", "src:s5:c"}
    assert paragraph_bounds("one\n\ntwo\nthree") == [(0, 3), (5, 8), (9, 14)]


@pytest.mark.parametrize("labels, expected", [
    (["support"], "support"), (["oppose"], "oppose"), (["support", "oppose"], "mixed"), ([], "none")])
def test_each_case_single_paragraph_claims(labels, expected):
    out = run([stance(i + 1, lab) for i, lab in enumerate(labels)])
    assert out["H1"].label == expected


def test_nearest_hypotheses_keeps_ties_and_handles_empty_input():
    import numpy as np

    from cruxmap.argue.aggregate import nearest_hypotheses

    hyps = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    claims = np.array([[2.0, 0.1], [0.1, 3.0], [1.0, 1.0]])
    assert nearest_hypotheses(claims, hyps) == [[0, 2], [1], [0, 1, 2]]
    assert nearest_hypotheses(np.zeros((0, 2)), hyps) == []
    assert nearest_hypotheses(claims, np.zeros((0, 2))) == [[], [], []]


def test_a_claim_counts_only_towards_the_hypotheses_it_addresses():
    source, sentences, claims = make_doc(PARAS)
    stances = [stance(1, "support"), stance(2, "support"), stance(3, "oppose"), stance(4, "oppose"),
               stance(1, "oppose", hyp="H2"), stance(3, "oppose", hyp="H2")]
    everywhere = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS)}
    assert everywhere["H1"].label == "mixed" and everywhere["H2"].label == "oppose"
    addressed = {"src:s1:c": {"H1"}, "src:s2:c": {"H1"}, "src:s3:c": {"H2"}, "src:s4:c": {"H2"}}
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS, addressed)}
    assert out["H1"].label == "support" and out["H1"].claim_ids == ["src:s1:c", "src:s2:c"]
    assert out["H2"].label == "oppose" and out["H2"].claim_ids == ["src:s3:c"]
    # a claim the stage has no entry for counts nowhere
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS, {})}
    assert out["H1"].label == out["H2"].label == "none"


def test_claims_count_by_how_far_they_pass_the_claim_threshold():
    from cruxmap.argue.aggregate import claimness

    assert claimness(0.375, 0.375) == 0.0 and claimness(1.0, 0.375) == 1.0
    assert claimness(0.6875, 0.375) == pytest.approx(0.5) and claimness(0.9, 0.0) == 0.9
    source, sentences, claims = make_doc(PARAS)
    claims = [c.model_copy(update={"score": 0.45 if i < 4 else 0.95}) for i, c in enumerate(claims)]
    stances = [stance(1, "support"), stance(2, "support"), stance(3, "support"), stance(4, "oppose")]
    # measured from 0, three middling claims outweigh the one sure claim ...
    plain = aggregate_source_stances(source, sentences, claims, stances, HYPS)[0]
    assert plain.label == "mixed"
    # ... measured from the detector's threshold, claims that barely passed it barely count
    weighted = aggregate_source_stances(source, sentences, claims, stances, HYPS, claim_threshold=0.4)[0]
    assert weighted.label == "oppose" and weighted.claim_ids == ["src:s4:c"]
