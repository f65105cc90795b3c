"""The ``llm`` stance backend against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from openai_stub import send_chat

from cruxmap.argue.stance import get_stance_classifier
from cruxmap.argue.stance.llm import LLMUnreachable, check_answer, parse_retry_after
from cruxmap.errors import ConfigError

HYP = "The new bridge is worth its cost."


class Script:
    """Scripted behaviour keyed by a marker in the text; records every request."""

    def __init__(self):
        self.calls: dict[str, int] = defaultdict(int)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.payloads: list[dict] = []
        self.auth: list[str | None] = []
        self.lock = threading.Lock()

    def answer(self, text: str) -> tuple[int, dict, str]:
        with self.lock:
            self.calls[text] += 1
            n = self.calls[text]
            self.times[text].append(time.monotonic())
        good = {"label": "support", "score": 0.9, "evidence": text.split("]", 1)[1].strip()[:20]}
        if "[unparsable-once]" in text and n == 1:
            return 200, {}, "Sure! I think it supports it."
        if "[bad-label-once]" in text and n == 1:
            return 200, {}, json.dumps({**good, "label": "maybe"})
        if "[bad-evidence]" in text:
            return 200, {}, json.dumps({**good, "evidence": "words the text never said"})
        if "[rate-limited-once]" in text and n == 1:
            return 429, {"Retry-After": "1"}, ""
        if "[server-error]" in text:
            return 500, {}, ""
        if "[oppose]" in text:
            return 200, {}, json.dumps({**good, "label": "oppose", "score": 0.7})
        return 200, {}, json.dumps(good)


def make_handler(script: Script):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with script.lock:
                script.payloads.append(payload)
                script.auth.append(self.headers.get("Authorization"))
            if self.path != "/v1/chat/completions":
                self.send_response(404)
                self.end_headers()
                return
            text = payload["messages"][-1]["content"].split("Text: ", 1)[1]
            status, headers, content = script.answer(text)
            send_chat(self, content, status, headers)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def server():
    script = Script()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(script))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", script
    httpd.shutdown()
    httpd.server_close()


def make(url, **options):
    options.setdefault("max_requests_per_second", None)
    return get_stance_classifier("llm.v1", base_url=url, model="test-model", api_key_env="CRUXMAP_TEST_KEY", **options)


def test_good_answers_in_order_with_schema_and_key(server, monkeypatch):
    url, script = server
    monkeypatch.setenv("CRUXMAP_TEST_KEY", "secret-123")
    clf = make(url, concurrency=3)
    texts = [f"[good] claim number {i} about the bridge" if i % 2 else f"[oppose] claim number {i} against it"
             for i in range(6)]
    results = clf.classify([(t, HYP) for t in texts])
    assert [r.label for r in results] == ["oppose", "support"] * 3
    assert [r.score for r in results] == [0.7, 0.9] * 3
    assert not clf.warnings
    fmt = script.payloads[0]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["schema"]["properties"]["label"]["enum"] == ["support", "oppose", "neutral"]
    assert script.payloads[0]["model"] == "test-model"
    assert set(script.auth) == {"Bearer secret-123"}


def test_unparsable_and_bad_label_are_retried(server):
    url, script = server
    clf = make(url)
    texts = ["[unparsable-once] tolls will repay it", "[bad-label-once] tolls will repay it"]
    results = clf.classify([(t, HYP) for t in texts])
    assert [r.label for r in results] == ["support", "support"]
    assert [script.calls[t] for t in texts] == [2, 2]
    assert not clf.warnings


def test_invented_evidence_is_rejected_then_neutral_with_warning(server):
    url, script = server
    clf = make(url, max_attempts=3)
    text = "[bad-evidence] the bridge will never pay for itself"
    [result] = clf.classify([(text, HYP)])
    assert (result.label, result.score) == ("neutral", 0.0)
    assert script.calls[text] == 3
    assert len(clf.warnings) == 1 and "evidence" in clf.warnings[0]


def test_server_errors_are_bounded(server):
    url, script = server
    clf = make(url, max_attempts=2)
    [result] = clf.classify([("[server-error] anything", HYP)])
    assert (result.label, result.score) == ("neutral", 0.0)
    assert script.calls["[server-error] anything"] == 2


def test_429_waits_for_retry_after(server):
    url, script = server
    clf = make(url)
    text = "[rate-limited-once] tolls will repay it"
    [result] = clf.classify([(text, HYP)])
    assert result.label == "support"
    first, second = script.times[text]
    assert second - first >= 0.95


def test_max_requests_per_second_spaces_requests(server):
    url, _script = server
    clf = make(url, concurrency=4, max_requests_per_second=20)
    started = time.monotonic()
    clf.classify([(f"[good] point {i} for the bridge", HYP) for i in range(8)])
    assert time.monotonic() - started >= 7 / 20 - 0.01


def test_urllib_fallback_without_httpx(server, monkeypatch):
    url, _script = server
    monkeypatch.setitem(sys.modules, "httpx", None)
    clf = make(url)
    texts = ["[good] tolls will repay it", "[rate-limited-once] tolls will repay it"]
    assert [r.label for r in clf.classify([(t, HYP) for t in texts])] == ["support", "support"]


def test_configuration_errors(server):
    url, _ = server
    with pytest.raises(ConfigError, match="stance.llm.base_url"):
        get_stance_classifier("llm", base_url=None, model="m")
    with pytest.raises(ConfigError, match="404"):
        make(url.removesuffix("/v1")).classify([("[good] x y", HYP)])
    with pytest.raises(LLMUnreachable):
        make("http://127.0.0.1:9/v1").classify([("[good] x y", HYP)])


def test_check_answer_and_retry_after_rules():
    assert check_answer('```json\n{"label": "neutral", "score": 0.5, "evidence": ""}\n```', "abc").label == "neutral"
    with pytest.raises(ValueError):
        check_answer('{"label": "support", "score": 0.5, "evidence": ""}', "abc")
    with pytest.raises(ValueError):
        check_answer('{"label": "support", "score": 1.5, "evidence": "abc"}', "abc")
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(None) == 1.0
    assert parse_retry_after("9999") == 60.0
