"""ACH: ratings from stances, diagnosticity, ranking by inconsistency, sensitivity, provenance."""

from __future__ import annotations

from test_map_support import claim, claim_stance, event, quote

from cruxmap.map.ach import build_ach, rating_for
from cruxmap.model import Hypothesis

HYPS = [Hypothesis(id="H1", statement="first"), Hypothesis(id="H2", statement="second"),
        Hypothesis(id="H3", statement="third")]


def _matrix():
    """Three claims: e1 fits H1 and refutes H2 strongly; e2 mildly against H3; e3 neutral to all."""
    claims = [claim("e1", "s1", "first evidence sentence here", start=0),
              claim("e2", "s2", "second evidence sentence here", start=0),
              claim("e3", "s3", "third sentence bears on nothing", start=0)]
    stances = [claim_stance("e1", "H1", "support", 0.9), claim_stance("e1", "H2", "oppose", 0.95),
               claim_stance("e1", "H3", "neutral", 0.6),
               claim_stance("e2", "H1", "neutral", 0.5), claim_stance("e2", "H2", "neutral", 0.5),
               claim_stance("e2", "H3", "oppose", 0.5),
               claim_stance("e3", "H1", "neutral", 0.9), claim_stance("e3", "H2", "neutral", 0.9),
               claim_stance("e3", "H3", "neutral", 0.9)]
    return claims, stances


def test_ratings_follow_the_signed_stance_score():
    assert [rating_for(s) for s in (0.9, 0.3, 0.0, -0.3, -0.9)] == ["CC", "C", "N", "I", "II"]


def test_rows_are_the_evidence_that_bears_on_a_hypothesis_with_cells_and_diagnosticity():
    claims, stances = _matrix()
    ach, stale = build_ach(claims, [], [], stances, HYPS)
    assert stale == []
    assert [r.evidence_id for r in ach.rows] == ["e1", "e2"]  # e3 is neutral to every hypothesis
    e1 = ach.rows[0]
    assert [(c.hypothesis_id, c.rating) for c in e1.cells] == [("H1", "CC"), ("H2", "II"), ("H3", "N")]
    assert e1.evidence_kind == "claim" and e1.source_id == "s1" and e1.text == "first evidence sentence here"
    assert e1.diagnosticity > ach.rows[1].diagnosticity > 0


def test_hypotheses_are_ranked_least_inconsistent_first():
    claims, stances = _matrix()
    ach, _ = build_ach(claims, [], [], stances, HYPS)
    assert [r["hypothesis_id"] for r in ach.ranking] == ["H1", "H3", "H2"]
    by_id = {r["hypothesis_id"]: r for r in ach.ranking}
    assert by_id["H1"]["inconsistency"] == 0
    assert by_id["H2"]["inconsistency"] > by_id["H3"]["inconsistency"] > 0


def test_sensitivity_names_the_rows_that_would_change_the_ranking():
    claims, stances = _matrix()
    ach, _ = build_ach(claims, [], [], stances, HYPS)
    # without e1 (or with it reversed) H2 no longer comes last; e2 only moves H3 within its place
    assert ach.sensitivity == ["e1"]


def test_quotes_and_events_inside_a_claim_take_its_stance_and_share_its_weight():
    claims, stances = _matrix()
    quotes = [quote("q1", "s1", 6, 14), quote("q2", "s3", 0, 5)]  # q2 sits in a neutral claim
    events = [event("ev1", "s1", 15, 23, "2014-03", "annexation")]
    ach, _ = build_ach(claims, quotes, events, stances, HYPS)
    assert [(r.evidence_id, r.evidence_kind) for r in ach.rows] == [
        ("e1", "claim"), ("q1", "quote"), ("ev1", "event"), ("e2", "claim")]
    assert [c.rating for c in ach.rows[1].cells] == [c.rating for c in ach.rows[0].cells]
    assert ach.rows[2].text.startswith("2014-03")
    alone, _ = build_ach(claims, [], [], stances, HYPS)
    assert ach.ranking == alone.ranking  # the quote and the event do not triple-count e1


def test_no_hypotheses_give_an_empty_matrix():
    claims, stances = _matrix()
    ach, _ = build_ach(claims, [], [], stances, [])
    assert ach.rows == [] and ach.ranking == []


def test_propositions_get_cells_but_are_not_ranked_against_the_hypotheses():
    claims, stances = _matrix()
    prop = Hypothesis(id="P1", statement="a proposal", kind="proposition")
    # e2 strongly refutes the proposition: that must not make it a diagnostic row for H1-H3
    stances = [s for s in stances if not (s.target_id == "e2" and s.hypothesis_id == "H3")]
    stances += [claim_stance("e2", "H3", "neutral", 0.5), claim_stance("e2", "P1", "oppose", 0.95),
                claim_stance("e1", "P1", "neutral", 0.5), claim_stance("e3", "P1", "neutral", 0.5)]
    ach, _ = build_ach(claims, [], [], stances, [*HYPS, prop])
    # H3 is now rated N by every row: read, but nothing bears on it, so it has no place in the ranking
    assert [r["hypothesis_id"] for r in ach.ranking] == ["H1", "H2"]
    e2 = next(r for r in ach.rows if r.evidence_id == "e2")
    assert [(c.hypothesis_id, c.rating) for c in e2.cells][-1] == ("P1", "II")
    assert e2.diagnosticity == 0


def test_with_a_backend_that_cannot_read_direction_cells_follow_the_source_positions():
    """Offline claim stances rate a cell only where the claim's source takes that side itself; with no
    position read, no evidence is left and nothing is ranked (no 'least contradicted' from noise)."""
    from test_map_support import source_stance

    claims, stances = _matrix()
    ach, _ = build_ach(claims, [], [], stances, HYPS, positions_only=True)
    assert ach.rows == [] and ach.ranking == [] and ach.sensitivity == []
    stances += [source_stance("s1", "H1", "support"), source_stance("s1", "H2", "support")]
    ach, _ = build_ach(claims, [], [], stances, HYPS, positions_only=True)
    [row] = ach.rows
    # e1 supports H1 as its source does; its 'oppose H2' is not its source's position, so it is not rated
    assert [(c.hypothesis_id, c.rating) for c in row.cells] == [("H1", "CC"), ("H2", "NA"), ("H3", "NA")]
    # evidence read on one hypothesis only tells none apart: no ranking, no 'least contradicted'
    assert ach.ranking == [] and ach.sensitivity == []


def test_only_hypotheses_the_evidence_was_read_on_are_ranked_and_ties_share_a_rank():
    claims = [claim(f"e{i}", f"s{i}", f"evidence sentence number {i}", start=0) for i in range(3)]
    stances = [claim_stance("e0", "H1", "oppose", 0.9), claim_stance("e0", "H2", "neutral", 0.6),
               claim_stance("e1", "H2", "support", 0.9), claim_stance("e2", "H1", "support", 0.9)]
    ach, _ = build_ach(claims, [], [], stances, HYPS)
    # H3 has no rated cell (never read): it is left out, not ranked first for having no inconsistency
    assert [r["hypothesis_id"] for r in ach.ranking] == ["H2", "H1"]
    assert [r["rank"] for r in ach.ranking] == [1.0, 2.0]
    # the same inconsistency (none) on both: one rank, the order among them by consistency
    tied = [claim_stance("e1", "H2", "support", 0.9), claim_stance("e2", "H1", "support", 0.5)]
    ach, _ = build_ach(claims, [], [], tied, HYPS)
    assert [(r["hypothesis_id"], r["rank"]) for r in ach.ranking] == [("H2", 1.0), ("H1", 1.0)]


def test_a_cell_the_claim_does_not_bear_on_is_not_applicable_and_claims_bearing_on_nothing_are_counted():
    claims, stances = _matrix()
    stances = [s for s in stances if not (s.target_id == "e2" and s.hypothesis_id == "H1")]
    ach, _ = build_ach(claims, [], [], stances, HYPS)
    e2 = next(r for r in ach.rows if r.evidence_id == "e2")
    assert [c.rating for c in e2.cells] == ["NA", "N", "I"]  # no reading of H1; about H2, neither way
    assert ach.left_out == 1  # e3 bears on no hypothesis


def test_inconsistency_counts_inconsistent_items_weighted_by_credibility_and_relevance():
    from cruxmap.map.overrides import Override

    claims, stances = _matrix()
    ach, _ = build_ach(claims, [], [], stances, HYPS)
    by_id = {r["hypothesis_id"]: r["inconsistency"] for r in ach.ranking}
    assert by_id == {"H1": 0, "H2": 2, "H3": 1}  # e1 is II for H2, e2 is I for H3: whole numbers
    assert {(r.credibility, r.relevance) for r in ach.rows} == {("medium", "medium")}
    # the analyst doubts e1: low credibility halves it, and H2 is no longer the most contradicted
    doubt = [Override("e1", credibility="low", note="single anonymous source")]
    ach, stale = build_ach(claims, [], [], stances, HYPS, doubt)
    assert stale == []
    by_id = {r["hypothesis_id"]: r["inconsistency"] for r in ach.ranking}
    assert by_id == {"H1": 0, "H2": 1, "H3": 1}
    e1 = next(r for r in ach.rows if r.evidence_id == "e1")
    assert (e1.credibility, e1.relevance, e1.weight_note) == ("low", "medium", "single anonymous source")


def test_rows_an_analyst_brings_in_share_their_claims_weight_as_the_automatic_ones_do():
    """e3 bears on nothing; an analyst rates it and the quote inside it I on H2. One sentence is one item of
    evidence: the two rows count half each, as a claim and its quote do when scored automatically."""
    from cruxmap.map.ach import row_shares
    from cruxmap.map.overrides import Override

    claims, stances = _matrix()
    quotes = [quote("q3", "s3", 0, 5)]
    rated = [Override("e3", "H2", "I"), Override("q3", "H2", "I")]
    ach, stale = build_ach(claims, quotes, [], stances, HYPS, rated)
    assert stale == [] and {"e3", "q3"} <= {r.evidence_id for r in ach.rows}
    assert {r["hypothesis_id"]: r["inconsistency"] for r in ach.ranking}["H2"] == 2 + 1  # e1's II, then e3 + q3
    assert row_shares(ach.rows, claims, quotes, [])["q3"] == 0.5


def test_cells_are_made_for_the_claims_that_bear_only(monkeypatch):
    """On a large corpus most claims bear on no hypothesis: making their cells first and dropping them held
    400 MB on the whole news corpus. One claim of three bears here, so three cells are made (and copied once
    into its row), not nine."""
    import cruxmap.map.ach as ach_module

    made = []

    class CountedCell(ach_module.AchCell):
        def __init__(self, **values):
            made.append(values["hypothesis_id"])
            super().__init__(**values)

    monkeypatch.setattr(ach_module, "AchCell", CountedCell)
    claims, stances = _matrix()
    stances = [s for s in stances if s.target_id != "e2"]  # e1 bears, e2 and e3 do not
    ach, _ = build_ach(claims, [], [], stances, HYPS)
    assert [r.evidence_id for r in ach.rows] == ["e1"] and ach.left_out == 2
    assert made == ["H1", "H2", "H3"]


def test_without_direction_a_neutral_claim_stance_rates_what_a_missing_one_does():
    """With ``positions_only`` only leaning stances are looked up; a neutral one must read as none."""
    from test_map_support import source_stance

    claims, stances = _matrix()
    positions = [source_stance("s1", "H1", "support"), source_stance("s2", "H3", "oppose")]
    with_neutral, _ = build_ach(claims, [], [], stances + positions, HYPS, positions_only=True)
    leaning = [s for s in stances if s.label != "neutral"]
    without, _ = build_ach(claims, [], [], leaning + positions, HYPS, positions_only=True)
    assert with_neutral == without
    assert [(r.evidence_id, [c.rating for c in r.cells]) for r in with_neutral.rows] == [
        ("e1", ["CC", "NA", "NA"]), ("e2", ["NA", "NA", "I"])]


def test_leaning_scores_keep_the_signed_score_of_claim_stances_that_take_a_side():
    from test_map_support import source_stance

    from cruxmap.map.ach import leaning_scores

    _, stances = _matrix()
    scores = leaning_scores([*stances, source_stance("s1", "H1", "support")])
    assert scores == {("e1", "H1"): 0.9, ("e1", "H2"): -0.95, ("e2", "H3"): -0.5}
