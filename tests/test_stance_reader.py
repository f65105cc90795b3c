"""``stance.llm.v2``: one reading per source against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from openai_stub import send_chat

from cruxmap.argue.stages import StanceStage
from cruxmap.argue.stance import get_stance_classifier
from cruxmap.argue.stance.reader import align, check_reading, settle
from cruxmap.model import Claim, Document, Hypothesis, Quote, Sentence, Source

ITEMS = [Hypothesis(id="H1", statement="The bridge was built for traffic."),
         Hypothesis(id="H2", statement="The bridge was built for prestige."),
         Hypothesis(id="P1", statement="The city should add a toll.", kind="proposition")]

TOLLS = "The toll is the fairest way to pay for it."
PRESTIGE = "The mayor wanted a monument, not a road."


class Reader:
    """Answers by markers in the article; records every request."""

    def __init__(self):
        self.requests: list[dict] = []
        self.calls: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def answer(self, article: str) -> str:
        with self.lock:
            self.calls[article] += 1
            n = self.calls[article]
        prestige = {"id": "H2", "label": "support", "confidence": 0.8, "evidence": [PRESTIGE]}
        rows = [{"id": "H1", "label": "oppose", "confidence": 0.7, "evidence": ["not a road"]}, prestige,
                {"id": "P1", "label": "support", "confidence": 0.9, "evidence": [TOLLS]}]
        if "[invented]" in article:
            rows[2]["evidence"] = ["Tolls are what every sensible city has."]
        if "[invented-once]" in article and n == 1:
            rows[2]["evidence"] = ["Tolls are what every sensible city has."]
        if "[rivals]" in article:
            rows[0] = {"id": "H1", "label": "support", "confidence": 0.6, "evidence": ["not a road"]}
        if "[missing-once]" in article and n == 1:
            rows = rows[:2]
        if "[quiet]" in article:
            rows = [{"id": h.id, "label": "none", "confidence": 0.9, "evidence": []} for h in ITEMS]
        return json.dumps({"positions": rows})


@pytest.fixture
def server():
    script = Reader()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with script.lock:
                script.requests.append(payload)
            article = payload["messages"][1]["content"].split("Article:\n", 1)[1]
            send_chat(self, script.answer(article))

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", script
    httpd.shutdown()
    httpd.server_close()


def document(marker: str, name: str = "a") -> Document:
    text = f"{marker} The new bridge opened in May.\n{PRESTIGE}\n{TOLLS}"
    source = Source(id=f"src-{name}", path=f"{name}.txt", text=text, sha256=name * 8, title="Bridge of vanity")
    sentences, claims = [], []
    for i, line in enumerate(text.split("\n")):
        start = text.index(line)
        sentences.append(Sentence(id=f"{source.id}:s{i}", source_id=source.id, start=start, end=start + len(line),
                                  text=line))
        if i:
            claims.append(Claim(id=f"{source.id}:c{i}", sentence_id=f"{source.id}:s{i}", source_id=source.id,
                                start=start, end=start + len(line), text=line, score=0.9))
    return Document(source=source, sentences=sentences, claims=claims)


def reader(url, **options):
    return get_stance_classifier("llm", base_url=url, model="test-model", max_requests_per_second=None, **options)


def run_stage(url, docs, store=None, **options):
    stage = StanceStage(reader(url, **options), ITEMS)
    assert stage.classifier.reads_sources
    return list(stage.pipe(docs))


def source_cells(doc):
    return {s.hypothesis_id: s for s in doc.stances if s.target == "source"}


def test_one_request_per_source_carries_every_item_and_the_rules(server):
    url, script = server
    docs = run_stage(url, [document("[good]", "a"), document("[good] again", "b")])
    assert len(script.requests) == 2
    user = script.requests[0]["messages"][1]["content"]
    assert all(f"{h.id} ({h.kind}): {h.statement}" in user for h in ITEMS)
    assert "Headline: Bridge of vanity" in user
    system = script.requests[0]["messages"][0]["content"]
    assert "rebut" in system and "exclude each other" in system
    cells = source_cells(docs[0])
    assert {k: v.label for k, v in cells.items()} == {"H1": "oppose", "H2": "support", "P1": "support"}


def test_evidence_points_at_the_exact_characters_and_claims_follow_it(server):
    url, _ = server
    [doc] = run_stage(url, [document("[good]")])
    cells = source_cells(doc)
    text = doc.source.text
    [passage] = cells["P1"].evidence
    assert text[passage.start:passage.end] == TOLLS
    assert cells["P1"].score == 0.9 and cells["P1"].claim_ids == ["src-a:c2"]
    claim = {(s.target_id, s.hypothesis_id): s for s in doc.stances if s.target == "claim"}
    assert claim[("src-a:c2", "P1")].label == "support"
    assert claim[("src-a:c1", "P1")].label == "neutral"  # the prestige sentence is not the toll's evidence
    assert claim[("src-a:c1", "H2")].label == "support"


def test_invented_evidence_is_asked_again_then_left_undecided_with_a_note(server):
    url, script = server
    [doc] = run_stage(url, [document("[invented]")], max_attempts=3)
    cell = source_cells(doc)["P1"]
    assert (cell.label, cell.score, cell.evidence) == ("none", 0.0, [])
    assert "did not match" in cell.note
    assert len(script.requests) == 3
    retry = script.requests[1]["messages"]
    assert retry[2]["role"] == "assistant" and "rejected" in retry[3]["content"] and "P1" in retry[3]["content"]
    assert source_cells(doc)["H2"].label == "support"  # the verified cells of the same answer stand


def test_a_rejected_answer_that_is_fixed_on_retry_is_kept(server):
    url, script = server
    [doc] = run_stage(url, [document("[invented-once]")])
    assert source_cells(doc)["P1"].label == "support"
    [doc] = run_stage(url, [document("[missing-once]", "m")])
    assert source_cells(doc)["P1"].label == "support"
    assert script.calls["[missing-once] The new bridge opened in May.\n" + PRESTIGE + "\n" + TOLLS] == 2


def test_competing_hypotheses_are_not_both_supported(server):
    url, _ = server
    [doc] = run_stage(url, [document("[rivals]")], max_attempts=2)
    cells = source_cells(doc)
    assert cells["H2"].label == "support" and cells["H1"].label == "none"
    assert "competing" in cells["H1"].note


def test_non_exclusive_question_keeps_both(server):
    url, script = server
    stage = StanceStage(reader(url), ITEMS, exclusive=False)
    [doc] = list(stage.pipe([document("[rivals]")]))
    cells = source_cells(doc)
    assert cells["H1"].label == cells["H2"].label == "support"
    assert "not exclusive" in script.requests[0]["messages"][0]["content"]


def test_readings_are_cached_by_content(server, settings):
    from cruxmap.store import open_store

    url, script = server
    with open_store(settings.db) as store:
        run_stage_store = StanceStage(reader(url, store=store), ITEMS)
        first = list(run_stage_store.pipe([document("[good]")]))
        again = list(StanceStage(reader(url, store=store), ITEMS).pipe([document("[good]")]))
        changed = list(StanceStage(reader(url, store=store), ITEMS).pipe([document("[good] edited")]))
    assert len(script.requests) == 2  # the edited text is read; the same text is not read twice
    assert source_cells(first[0])["P1"].evidence == source_cells(again[0])["P1"].evidence
    assert source_cells(changed[0])["P1"].label == "support"


def test_quiet_article_is_none_everywhere(server):
    url, _ = server
    [doc] = run_stage(url, [document("[quiet]")])
    assert {s.label for s in source_cells(doc).values()} == {"none"}


def test_align_tolerates_whitespace_quotes_dashes_and_ellipses():
    text = "He said: \u201cthe bridge \u2014 as planned \u2014 is\n  too big.\u201d Then he left the room."
    [span] = align('the bridge - as planned - is too big.', text)
    assert text[span[0]:span[1]].startswith("the bridge") and text[span[0]:span[1]].endswith("too big.")
    spans = align("the bridge ... left the room", text)
    assert [text[s:e] for s, e in spans] == ["the bridge", "left the room"]
    assert align("a bridge too far", text) is None


def test_check_reading_rejects_malformed_answers():
    text = "One sentence here."
    with pytest.raises(ValueError, match="not JSON"):
        check_reading("no", text, ITEMS, True)
    with pytest.raises(ValueError, match="no position for"):
        check_reading(json.dumps({"positions": []}), text, ITEMS, True)
    rows = [{"id": h.id, "label": "none", "confidence": 0.5, "evidence": []} for h in ITEMS]
    rows[0]["label"] = "maybe"
    with pytest.raises(ValueError, match="label"):
        check_reading(json.dumps({"positions": rows}), text, ITEMS, True)
    rows[0].update(label="none", confidence=3)
    with pytest.raises(ValueError, match="confidence"):
        check_reading(json.dumps({"positions": rows}), text, ITEMS, True)
    rows[0].update(confidence=0.5, id="H9")
    with pytest.raises(ValueError, match="unknown item"):
        check_reading(json.dumps({"positions": rows}), text, ITEMS, True)


def test_settle_keeps_the_most_confident_rival_and_drops_unverified_cells():
    rows = [{"id": "H1", "label": "support", "confidence": 0.6, "evidence": ["One sentence"]},
            {"id": "H2", "label": "support", "confidence": 0.8, "evidence": ["sentence here"]},
            {"id": "P1", "label": "oppose", "confidence": 0.9, "evidence": ["not there"]}]
    positions, problems = check_reading(json.dumps({"positions": rows}), "One sentence here.", ITEMS, True)
    assert len(problems) == 2
    kept = {p.item: p.label for p in settle(positions, ITEMS, True)}
    assert kept == {"H1": "none", "H2": "support", "P1": "none"}


def test_reported_speech_stays_out_of_the_offline_position():
    """The offline rule reads the author's voice: a quoted opponent's claim does not count."""
    from cruxmap.argue.aggregate import reported_claim_ids

    doc = document("[x]")
    quote = Quote(id="q", source_id="src-a", start=doc.claims[0].start, end=doc.claims[0].end,
                  text=doc.claims[0].text, speaker="Mayor")
    assert reported_claim_ids(doc.sentences, doc.claims, [quote]) == {doc.claims[0].id}


def test_the_cost_of_a_reading_is_known_before_the_run(settings, tmp_path):
    from cruxmap import api

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text(f"Headline {name}\n\n" + "The bridge opened in May. " * 40)
    question = tmp_path / "q.yaml"
    question.write_text("hypotheses:\n  - id: H1\n    statement: The bridge was built for traffic.\n"
                        "  - id: H2\n    statement: The bridge was built for prestige.\n")
    llm = settings.updated(stance={"backend": "llm", "llm": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}})
    plan = api.reading_plan([corpus], settings=llm, question=question)
    assert plan["requests"] == 3 and plan["items"] == 2 and plan["model"] == "m"
    assert 3 * 1040 // 4 < plan["prompt_tokens_estimate"] < 3 * 4000 // 4  # three articles of ~1 kB, plus the prompt
    assert api.reading_plan([corpus], settings=settings, question=question) is None  # offline: nothing is sent
