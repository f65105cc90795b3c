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


MANY = [["Opening thesis."], [f"Middle {i}." for i in range(12)], ["Closing line."]]


def test_consistent_claims_give_a_position_with_its_evidence():
    out = run([stance(i, "support") for i in range(8)], MANY)
    h1 = out["H1"]
    assert (h1.target, h1.target_id, h1.label) == ("source", "src", "support")
    assert h1.claim_ids[0] == "src:s0:c"  # the thesis claim weighs more, comes first
    assert len(h1.claim_ids) == 8 and len(h1.evidence) == 3
    source, _, _claims = make_doc(MANY)
    assert source.text[h1.evidence[0].start:h1.evidence[0].end] == "Opening thesis."
    assert 0.95 < h1.score <= 1.0


def test_a_few_claims_are_not_evidence_enough():
    """Two agreeing claims are what a sentence-level model gets by chance: the cell stays none."""
    out = run([stance(1, "support"), stance(2, "support")], MANY)
    assert out["H1"].label == "none" and out["H1"].claim_ids == [] and out["H1"].evidence == []


def test_claims_pointing_every_way_stay_none_however_many():
    labels = ["support", "oppose"] * 6
    out = run([stance(i + 1, lab) for i, lab in enumerate(labels)], MANY)
    assert out["H1"].label == "none"


def test_one_sided_oppose_with_a_weak_dissent():
    out = run([stance(i, "oppose") for i in range(1, 10)] + [stance(10, "support", score=0.5)], MANY)
    assert out["H1"].label == "oppose"
    assert "src:s10:c" not in out["H1"].claim_ids


def test_both_sides_argued_in_earnest_is_mixed():
    out = run([stance(i, "support") for i in range(1, 8)] + [stance(i, "oppose") for i in range(8, 14)]
              + [stance(0, "oppose")], MANY)
    h1 = out["H1"]
    assert h1.label == "mixed" and len(h1.claim_ids) == 14


def test_never_addressed_is_none():
    out = run([stance(1, "neutral"), stance(2, "neutral")])
    assert out["H1"].label == "none" and out["H1"].score == 0.0 and out["H1"].claim_ids == []
    assert out["H2"].label == "none"  # no stance at all toward H2


def test_low_confidence_stances_do_not_count():
    out = run([stance(i, "support", score=0.35) for i in range(12)], MANY)
    assert out["H1"].label == "none"


def test_stances_per_hypothesis_are_independent_for_propositions():
    props = [h.model_copy(update={"kind": "proposition"}) for h in HYPS]
    source, sentences, claims = make_doc(MANY)
    stances = [stance(i, "support", hyp="H1") for i in range(8)] + [stance(i, "oppose", hyp="H2") for i in range(8)]
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, props)}
    assert out["H1"].label == "support" and out["H2"].label == "oppose"


def test_competing_hypotheses_are_supported_at_most_once():
    source, sentences, claims = make_doc(MANY)
    stances = [stance(i, "support", hyp="H1") for i in range(8)] + [stance(i, "support", hyp="H2") for i in range(12)]
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS)}
    assert out["H2"].label == "support" and out["H1"].label == "none"  # the stronger lean keeps it
    both = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS,
                                                                  exclusive=False)}
    assert both["H1"].label == both["H2"].label == "support"


def test_the_authors_voice_only():
    from cruxmap.model import Quote

    paragraphs = [["Opening thesis."], [f"Middle {i}." for i in range(6)]
                  + ["Critics say the plan fails.", "But they are wrong.", "Middle seven."], ["Closing line."]]
    source, sentences, claims = make_doc(paragraphs)
    from cruxmap.argue.aggregate import reported_claim_ids

    quote = Quote(id="q", source_id="src", start=claims[3].start, end=claims[3].end, text=claims[3].text,
                  speaker="A Minister")
    reported = reported_claim_ids(sentences, claims, [quote])
    # the quotation, the group's view and the set-up of the rebuttal ("But they are wrong.")
    assert reported == {claims[3].id, claims[7].id}
    stances = [stance(i, "oppose") for i in (3, 7)] + [stance(i, "support") for i in (0, 1, 2, 4, 5, 6, 8, 9, 10)]
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS,
                                                                  quotes=[quote])}
    assert out["H1"].label == "support" and claims[3].id not in out["H1"].claim_ids


def test_edges_without_paragraphs_use_first_and_last_sentences():
    source, sentences, claims = make_doc([["a.", "b.", "c.", "d.", "e.", "f."]])
    assert edge_claim_ids(source, sentences, claims) == {"src:s0:c", "src:s1:c", "src:s4:c", "src:s5:c"}
    assert paragraph_bounds("one\n\ntwo\nthree") == [(0, 3), (5, 8), (9, 14)]


def test_nearest_hypotheses_keeps_ties_and_handles_empty_input():
    import numpy as np

    from cruxmap.argue.aggregate import nearest_hypotheses

    hyps = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    claims = np.array([[2.0, 0.1], [0.1, 3.0], [1.0, 1.0]])
    assert nearest_hypotheses(claims, hyps) == [[0, 2], [1], [0, 1, 2]]
    assert nearest_hypotheses(np.zeros((0, 2)), hyps) == []
    assert nearest_hypotheses(claims, np.zeros((0, 2))) == [[], [], []]


def test_a_claim_counts_only_towards_the_hypotheses_it_addresses():
    source, sentences, claims = make_doc(MANY)
    stances = [stance(i, "support") for i in range(1, 13)] + [stance(i, "oppose", hyp="H2") for i in range(1, 13)]
    everywhere = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS)}
    assert everywhere["H1"].label == "support" and everywhere["H2"].label == "oppose"
    addressed = {f"src:s{i}:c": {"H1"} for i in range(1, 13)}
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS, addressed)}
    assert out["H1"].label == "support" and out["H2"].label == "none"
    # a claim the stage has no entry for counts nowhere
    out = {s.hypothesis_id: s for s in aggregate_source_stances(source, sentences, claims, stances, HYPS, {})}
    assert out["H1"].label == out["H2"].label == "none"


def test_claims_count_by_how_far_they_pass_the_claim_threshold():
    from cruxmap.argue.aggregate import claimness

    assert claimness(0.375, 0.375) == 0.0 and claimness(1.0, 0.375) == 1.0
    assert claimness(0.6875, 0.375) == pytest.approx(0.5) and claimness(0.9, 0.0) == 0.9
    source, sentences, claims = make_doc(MANY)
    # five claims that barely passed the detector lean one way, eight sure ones the other
    claims = [c.model_copy(update={"score": 0.42 if i < 6 else 0.98}) for i, c in enumerate(claims)]
    stances = [stance(i, "support") for i in range(1, 6)] + [stance(i, "oppose") for i in range(6, 14)]
    plain = aggregate_source_stances(source, sentences, claims, stances, HYPS)[0]
    assert plain.label == "none"  # measured from 0, the many middling claims cancel the sure ones
    weighted = aggregate_source_stances(source, sentences, claims, stances, HYPS, claim_threshold=0.4)[0]
    assert weighted.label == "oppose" and weighted.claim_ids[0] == "src:s13:c"
