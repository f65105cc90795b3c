"""``--stance llm`` end to end on a real dev debate, with a server that answers as the gold reader did.

The server returns, for each article, the gold reading's label and its decisive passage (quoted
as the annotator wrote it: whitespace collapsed, elisions marked with "..."). What this measures
is everything after the model: that real quotations align to the cleaned articles, that the
positions reach the source table and the benchmark intact, and that the map built on them (cruxes,
camps, evaluative contradictions) agrees with the reading wherever it rests on the positions. A reader as good as the annotator must score as the annotator: on all three dev debates
every one of the 138 decisive passages aligns and the table scores 1.0.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import SHARED
from openai_stub import send_chat

DEBATE = SHARED / "debates" / "illegal-immigration"


def gold_server(gold: dict):
    by_title = {" ".join(spec["meta"]["title"].split()): spec["stance"] for spec in gold["files"].values()}
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append(payload)
            user = payload["messages"][1]["content"]
            title = user.split("Headline: ", 1)[1].split("\n", 1)[0] if "Headline: " in user else ""
            opening = " ".join(user.split("Article:\n", 1)[1][:400].split())  # where cleaning kept the title
            stance = by_title.get(" ".join(title.split())) or next(
                (st for t, st in by_title.items() if opening.startswith(t)), {})
            rows = [{"id": item, "label": cell["label"], "confidence": 0.9,
                     "evidence": [cell["quote"]] if cell["label"] != "none" and cell["quote"] else []}
                    for item, cell in stance.items()]
            send_chat(self, json.dumps({"positions": rows}))

        def log_message(self, *args):
            pass

    return Handler, requests


@pytest.fixture
def gold():
    if not (DEBATE / "gold.json").is_file():
        pytest.skip(f"dev debate not found at {DEBATE} (needs ../shared beside the checkout)")
    return json.loads((DEBATE / "gold.json").read_text(encoding="utf-8"))


def test_a_reader_as_good_as_the_annotator_scores_as_the_annotator(settings, data_dir, gold):
    from cruxmap.bench.map_quality import camp_purity, crux_consistency, position_precision
    from cruxmap.bench.source_stance import analyse, build_articles, reading_sets, score, source_labels

    handler, requests = gold_server(gold)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        run = settings.updated(stance={"backend": "llm", "llm": {
            "base_url": f"http://127.0.0.1:{httpd.server_address[1]}/v1", "model": "gold",
            "max_requests_per_second": None}})
        [rs] = [s for s in reading_sets(settings.data_dir) if s.name == DEBATE.name]
        corpus = build_articles(rs.build, Path(data_dir), Path(settings.db).parent / "articles")
        debate_map = analyse(corpus, rs.question, run)
        predicted = source_labels(debate_map)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert len(requests) == len(gold["files"])  # one request per article, whatever the number of items
    sided = [k for k, c in rs.cells.items() if c.label != "none"]
    lost = [k for k in sided if predicted.get(k, "none") == "none"]
    assert not lost, f"decisive passages that did not align to the cleaned articles: {lost}"
    metrics = score(predicted, rs.cells)
    assert metrics["accuracy"] == metrics["strict accuracy"] == 1.0 and metrics["flips"] == 0
    # the map built on a right table is right where it rests on the table: every crux places each
    # source on its own side, no camp joins opposed sources, every evaluative contradiction pairs
    # two sources the reading puts on opposite sides
    good, cruxes = crux_consistency(debate_map, rs.cells)
    pure, pairs = camp_purity(debate_map, rs.cells)
    right, opposed = position_precision(debate_map, rs.cells)
    assert cruxes and good == cruxes
    assert len(debate_map.camps) > 1 and pure == pairs
    assert opposed and right == opposed
