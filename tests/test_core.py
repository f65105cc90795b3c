"""The spine's contracts: schema, stage ordering, failure isolation, settings, backend registry."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from cruxmap import registry
from cruxmap.errors import ConfigError
from cruxmap.model import DebateMap, Document, Sentence, Source, map_json_schema
from cruxmap.pipeline import Pipeline, Stage
from cruxmap.settings import Settings


def make_doc(source_id: str, text: str = "One sentence. Another one.") -> Document:
    return Document(source=Source(id=source_id, path=f"{source_id}.txt", sha256="0" * 64, text=text))


class Splitter(Stage):
    name = "split"
    provides = ("sentences",)

    def __call__(self, doc):
        if "boom" in doc.source.text:
            raise ValueError("cannot split this")
        start = 0
        for n, part in enumerate(doc.source.text.split(". ")):
            end = start + len(part)
            doc.sentences.append(Sentence(id=f"{doc.source.id}:s{n}", source_id=doc.source.id,
                                          start=start, end=end, text=part))
            start = end + 2
        return doc

    def pipe(self, docs):  # a batched stage that fails as a whole if one input is bad
        return [self(d) for d in docs]


class NeedsSentences(Stage):
    name = "count"
    requires = ("sentences",)
    provides = ("claims",)

    def __call__(self, doc):
        doc.done.append(f"saw {len(doc.sentences)}")
        return doc


def test_committed_schema_matches_the_model():
    committed = json.loads((REPO / "schema" / "map.schema.json").read_text())
    assert committed == map_json_schema(), "run `cruxmap schema > schema/map.schema.json` and commit it"


def test_empty_map_has_every_top_level_key_and_validates():
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(DebateMap().model_dump_json())
    for key in ("sources", "sentences", "entities", "quotes", "events", "claims", "hypotheses", "stances",
                "key_points", "contradictions", "ach", "cruxes", "camps", "run", "failures", "schema_version"):
        assert key in data
    jsonschema.validate(data, map_json_schema())


def test_pipeline_rejects_a_stage_whose_requirement_comes_later():
    with pytest.raises(ConfigError, match="requires sentences"):
        Pipeline([NeedsSentences(), Splitter()])


def test_one_bad_document_is_recorded_and_the_rest_go_on():
    docs = [make_doc("a"), make_doc("b", "boom. it breaks"), make_doc("c")]
    pipeline = Pipeline([Splitter(), NeedsSentences()])
    out = pipeline.run(docs)
    assert [d.source.id for d in out] == ["a", "b", "c"], "the failed document keeps what it had"
    assert [f.path for f in pipeline.failures] == ["b.txt"]
    assert pipeline.failures[0].stage == "split"
    assert "b.txt" in pipeline.failures[0].message
    assert out[0].done == ["split", "saw 2", "count"]
    assert out[1].done == [] and out[1].sentences == []



class FindsFullStop(Stage):
    """Fails with Python's own ValueError on a document with no full stop."""

    name = "find"
    requires = ("sentences",)
    provides = ()

    def __call__(self, doc):
        doc.source.text.index(".")
        return doc


def test_an_unexpected_error_is_named_with_its_type_and_the_line_that_raised_it():
    docs = [make_doc("a"), make_doc("b", "no full stop here at all")]
    pipeline = Pipeline([Splitter(), FindsFullStop()])
    pipeline.run(docs)
    (failure,) = pipeline.failures
    assert (failure.path, failure.stage, failure.error) == ("b.txt", "find", "ValueError")
    assert "ValueError: substring not found" in failure.message
    assert "(at pipeline.py:" in failure.message and "test_core.py" not in failure.message  # cruxmap's frames only
    assert "--strict --debug" in failure.message


def test_the_line_named_is_the_innermost_one_inside_cruxmap():
    from cruxmap.pipeline import raised_at

    try:
        Settings.model_validate({"chunk_size": "many"})
    except Exception as err:  # raised inside pydantic, called from nowhere in cruxmap
        assert raised_at(err) == ""
    try:
        Pipeline([NeedsSentences(), Splitter()])
    except Exception as err:
        assert raised_at(err).startswith("pipeline.py:")

class Stalls(Stage):
    """Takes forever on a document whose text says 'stall' (a stand-in for a pathological input)."""

    name = "stall"
    requires = ("sentences",)
    provides = ()

    def __call__(self, doc):
        if "stall" in doc.source.text:
            import time

            time.sleep(30)
        return doc


def test_a_document_over_its_time_budget_is_recorded_and_the_batch_goes_on():
    import time

    docs = [make_doc("a"), make_doc("b", "this one will stall. badly"), make_doc("c")]
    pipeline = Pipeline([Splitter(), Stalls()], time_budget=0.5)
    started = time.perf_counter()
    out = pipeline.run(docs)
    assert time.perf_counter() - started < 5, "the budget stopped the stalled document"
    assert [f.path for f in pipeline.failures] == ["b.txt"]
    failure = pipeline.failures[0]
    assert failure.stage == "stall" and failure.error == "time-budget"
    assert "b.txt" in failure.message and "doc_time_budget" in failure.message
    assert [d.done for d in out] == [["split", "stall"], ["split"], ["split", "stall"]]


def test_strict_pipeline_reraises():
    with pytest.raises(ValueError):
        Pipeline([Splitter()], strict=True).run([make_doc("b", "boom. x")])


def test_stages_already_done_are_skipped():
    doc = make_doc("a")
    doc.done.append("split")
    out = Pipeline([Splitter()]).run([doc])
    assert out[0].sentences == []


def test_settings_precedence(tmp_path, monkeypatch):
    toml = tmp_path / "cruxmap.toml"
    toml.write_text('[cruxmap]\nstance = "hf"\nbatch_size = 8\n')
    assert Settings.load(toml).stance.backend == "hf"
    monkeypatch.setenv("CRUXMAP_STANCE", "llm")
    loaded = Settings.load(toml)
    assert (loaded.stance.backend, loaded.batch_size) == ("llm", 8)
    assert Settings.load(toml, **{"stance.backend": "offline"}).stance.backend == "offline"


def test_settings_errors_name_the_file_and_fix(tmp_path):
    bad = tmp_path / "cruxmap.toml"
    bad.write_text("[cruxmap\n")
    with pytest.raises(ConfigError, match="cruxmap.toml"):
        Settings.load(bad)
    bad.write_text('[cruxmap]\nstanse = "hf"\n')
    with pytest.raises(ConfigError, match="stanse"):
        Settings.load(bad)
    # a value of the wrong type or range names the file (or the variable or the command line)
    bad.write_text('[cruxmap]\nbatch_size = "many"\n')
    with pytest.raises(ConfigError, match=r"cruxmap.toml: setting batch_size = 'many': .* — batch_size: sentences"):
        Settings.load(bad)
    with pytest.raises(ConfigError, match=r"^the command line \(as claim_threshold, the old name of claims.threshold\): setting claims.threshold = -1"):
        Settings.load(claim_threshold=-1)


def test_registry_resolves_newest_version_and_lists_known_names():
    registry.register("testkind", "alpha.v1")(lambda: object())
    registry.register("testkind", "alpha.v2")(lambda: object())
    assert registry.resolve_name("testkind", "alpha") == "alpha.v2"
    assert registry.create("testkind", "alpha.v1").__class__ is object
    with pytest.raises(ConfigError, match="alpha.v1, alpha.v2"):
        registry.create("testkind", "beta")


def test_import_cruxmap_stays_light():
    import subprocess
    import sys

    code = "import sys, cruxmap, cruxmap.api, cruxmap.model; print(sorted(m for m in ('torch','spacy','ray') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_misspelt_backend_option_is_refused_by_name():
    from cruxmap.argue.stance.base import get_stance_classifier
    from cruxmap.errors import ConfigError

    with pytest.raises(ConfigError, match="takes no option 'modle'") as info:
        get_stance_classifier("llm", base_url="http://127.0.0.1:9/v1", modle="x")
    assert "model" in info.value.fix


def test_a_misspelt_option_of_a_forwarding_factory_lists_the_backends_real_options():
    """offline.v2's factory passes **options on to its class: the error names the options the backend declares
    (``stance.offline``, not the store and embedder a run hands it), and comes before anything is built (a
    built offline backend would load the embedder first)."""
    from cruxmap.argue.stance.base import get_stance_classifier

    with pytest.raises(ConfigError, match="stance backend 'offline.v2' takes no option 'thread'") as info:
        get_stance_classifier("offline.v2", thread=1)
    assert info.value.fix == "its options: weights, cross_weights, threads"


def test_a_type_error_inside_a_backend_is_not_taken_for_a_misspelt_option():
    def broken(size: int = 1) -> object:
        raise TypeError("open() got an unexpected keyword argument 'mode2'")

    registry.register("testkind", "broken.v1")(broken)
    with pytest.raises(TypeError, match="mode2"):
        registry.create("testkind", "broken.v1", size=2)


def test_every_registered_backend_states_the_options_it_takes():
    takes = {f"{kind}.{name}": registry.options_of(registry.factory(kind, name))
             for kind in registry.BUILTIN for name in registry.known(kind)}
    assert takes["events.rules.v2"] == ["context_sentences", "inferred_now"] and takes["quotes.rules.v2"] == ["indirect"]
    assert all(takes.values()), takes
    with pytest.raises(ConfigError, match=r"quotes backend 'rules.v2' takes no option 'model' — its options: indirect$"):
        registry.create("quotes", "rules", model="x")


def test_a_factory_that_swallows_options_without_naming_its_class_is_refused():
    registry.register("testkind", "vague.v1")(lambda **options: object())
    with pytest.raises(TypeError, match="returns no class"):
        registry.create("testkind", "vague.v1", anything=1)
