"""Backends from other distributions, found through entry points with no edit to cruxmap.

Each test installs a fake distribution in ``tmp_path`` (a ``*.dist-info`` folder with METADATA and
``entry_points.txt`` beside its module) and puts that folder on ``sys.path``, as pip would.
"""

from __future__ import annotations

import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cruxmap import registry
from cruxmap.argue.stance.base import get_stance_classifier
from cruxmap.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
QUESTION = REPO / "examples" / "question.yaml"

FAKE_STANCE = '''
from cruxmap.argue.stance.base import StanceClassifier, StanceResult


class FakeStance(StanceClassifier):
    """Calls every pair ``lean`` with confidence 0.9."""

    def __init__(self, store=None, lean="support"):
        super().__init__(store=store)
        self.lean = lean

    def classify_batch(self, pairs):
        return [StanceResult(self.lean, 0.9, None) for _ in pairs]


def make_fake(store=None, lean: str = "support") -> FakeStance:
    return FakeStance(store=store, lean=lean)
'''


def install(where: Path, distribution: str, entry_points: str, modules: dict[str, str] | None = None) -> None:
    """A distribution as pip leaves it in site-packages: its dist-info folder and its modules."""
    info = where / f"{distribution}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    for name, code in (modules or {}).items():
        (where / f"{name}.py").write_text(code)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on ``sys.path`` to install fake distributions into; their modules are forgotten after."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith(("fakepkg", "brokenpkg", "otherpkg")):
            del sys.modules[name]


def test_a_third_party_stance_backend_is_found_by_its_entry_point(site):
    install(site, "fakepkg", """
        [cruxmap.stance]
        fake.v1 = fakepkg_stance:make_fake
        """, {"fakepkg_stance": FAKE_STANCE})
    assert "fake.v1" in registry.known("stance")
    clf = registry.create("stance", "fake", lean="oppose")  # the newest fake.vN, as for cruxmap's own
    assert clf.registry_name == "stance.fake.v1" and clf.cache_namespace() == "stance.fake.v1"
    assert [r.label for r in clf.classify([("a claim", "a hypothesis")])] == ["oppose"]
    with pytest.raises(ConfigError, match="takes no option 'laen'"):
        registry.create("stance", "fake.v1", laen="oppose")


def test_the_pipeline_command_and_the_stages_use_a_plugin_backend(site, settings):
    from cruxmap.argue.stages import make_stance_classifier
    from cruxmap.cli import app

    install(site, "fakepkg", """
        [cruxmap.stance]
        fake.v1 = fakepkg_stance:make_fake
        """, {"fakepkg_stance": FAKE_STANCE})
    done = CliRunner().invoke(app, ["pipeline", "--question", str(QUESTION), "--stance", "fake"])
    assert done.exit_code == 0, done.output
    assert "backend stance.fake.v1" in next(line for line in done.output.splitlines() if " stance " in line)
    # a backend that takes no embedder is not handed one (nor is one built for it)
    clf = make_stance_classifier(settings.updated(**{"stance.backend": "fake"}))
    assert clf.registry_name == "stance.fake.v1" and clf.store is None


def test_a_plugin_backends_options_come_from_the_settings_and_a_misspelt_one_names_the_backend(
        site, settings, tmp_path, monkeypatch):
    from cruxmap.argue.stages import make_stance_classifier
    from cruxmap.settings import Settings

    install(site, "fakepkg", """
        [cruxmap.stance]
        fake.v1 = fakepkg_stance:make_fake
        """, {"fakepkg_stance": FAKE_STANCE})
    toml = tmp_path / "cruxmap.toml"
    toml.write_text('[cruxmap.stance]\nbackend = "fake"\n\n[cruxmap.stance.options]\nlean = "oppose"\n')
    clf = make_stance_classifier(Settings.load(toml))
    assert clf.registry_name == "stance.fake.v1" and clf.lean == "oppose"
    monkeypatch.setenv("CRUXMAP_STANCE__OPTIONS", '{"lean": "support"}')
    assert make_stance_classifier(Settings.load(toml)).lean == "support"
    monkeypatch.delenv("CRUXMAP_STANCE__OPTIONS")
    toml.write_text('[cruxmap.stance]\nbackend = "fake"\n\n[cruxmap.stance.options]\nlaen = "oppose"\n')
    with pytest.raises(ConfigError, match=r"stance backend 'fake.v1' takes no option 'laen' \(stance.options.laen\) — its options: store, lean"):
        make_stance_classifier(Settings.load(toml))
    # options meant for a plugin are not dropped when the backend is a built-in one either
    with pytest.raises(ConfigError, match=r"stance backend 'offline.v2' takes no option 'lean' \(stance.options.lean\)"):
        make_stance_classifier(Settings.load(**{"stance.options": {"lean": "oppose"}}))


def test_a_plugin_embedder_that_keeps_no_cache_is_built_for_a_run(site, settings):
    from cruxmap.argue.stages import make_embedder

    install(site, "fakepkg", """
        [cruxmap.embedder]
        ones.v1 = fakepkg_embed:Ones
        """, {"fakepkg_embed": (
            "import numpy as np\n"
            "from cruxmap.argue.embed import Embedder\n\n\n"
            "class Ones(Embedder):\n"
            "    dim = 4\n\n"
            "    def __init__(self):\n"
            "        super().__init__()\n\n"
            "    def embed_batch(self, texts):\n"
            "        return np.full((len(texts), 4), 0.5, dtype=np.float32)\n")})
    embedder = make_embedder(settings.model_copy(update={"embedder": "ones"}), store=object())
    assert embedder.registry_name == "embedder.ones.v1" and embedder.store is None
    assert embedder.embed(["a", "b"]).shape == (2, 4)


def test_an_unknown_name_lists_the_plugins_with_cruxmaps_own_and_says_how_to_add_one(site):
    install(site, "fakepkg", """
        [cruxmap.stance]
        fake.v1 = fakepkg_stance:make_fake
        """, {"fakepkg_stance": FAKE_STANCE})
    with pytest.raises(ConfigError, match="unknown stance backend 'faek'") as info:
        get_stance_classifier("faek")
    assert "fake.v1" in info.value.fix and "offline.v2" in info.value.fix
    assert '[project.entry-points."cruxmap.stance"]' in info.value.fix


def test_a_broken_plugin_is_a_clear_error_and_leaves_the_other_backends_working(site):
    install(site, "brokenpkg", """
        [cruxmap.stance]
        broken.v1 = brokenpkg_stance:make
        missing.v1 = brokenpkg_nowhere:make
        """, {"brokenpkg_stance": "import a_dependency_that_is_not_installed\n"})
    install(site, "fakepkg", """
        [cruxmap.stance]
        fake.v1 = fakepkg_stance:make_fake
        """, {"fakepkg_stance": FAKE_STANCE})
    with pytest.raises(ConfigError) as info:
        registry.create("stance", "broken.v1")
    message = str(info.value)
    assert "brokenpkg (entry point broken.v1 = brokenpkg_stance:make)" in message
    assert "a_dependency_that_is_not_installed" in message and "brokenpkg" in info.value.fix
    with pytest.raises(ConfigError, match="brokenpkg_nowhere"):
        registry.create("stance", "missing.v1")
    assert registry.create("stance", "fake.v1").registry_name == "stance.fake.v1"
    assert registry.resolve_name("stance", "offline") == "offline.v2"


def test_a_name_two_plugins_declare_is_refused_and_cruxmaps_own_names_stay_its_own(site):
    install(site, "fakepkg", """
        [cruxmap.stance]
        fake.v1 = fakepkg_stance:make_fake
        offline.v2 = fakepkg_stance:make_fake
        """, {"fakepkg_stance": FAKE_STANCE})
    install(site, "otherpkg", """
        [cruxmap.stance]
        fake.v1 = otherpkg_stance:make
        """)
    with pytest.raises(ConfigError, match="declared more than once: fakepkg .*; otherpkg") as info:
        registry.create("stance", "fake.v1")
    assert "uninstall one" in info.value.fix
    assert registry.factory("stance", "offline.v2").__module__ == "cruxmap.argue.stance.offline"


def test_cruxmaps_own_backends_come_from_the_code_not_stale_package_metadata(site):
    """A checkout run with PYTHONPATH=src may sit beside metadata of another version of cruxmap."""
    install(site, "cruxmap", """
        [cruxmap.stance]
        offline.v9 = cruxmap.argue.stance.gone:make
        """)
    assert "offline.v9" not in registry.known("stance")
    assert registry.resolve_name("stance", "offline") == "offline.v2"


def test_pyproject_declares_the_same_backends_as_the_code():
    entry_points = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"]
    declared = {group.removeprefix("cruxmap."): table for group, table in entry_points.items()
                if group.startswith("cruxmap.")}
    assert declared == registry.BUILTIN
    # every model-backed step is a kind: annotate, quotes and events, the argue backends, the key-point matcher
    assert set(declared) == {"annotate", "events", "quotes", "embedder", "claims", "stance", "matcher"}


def test_the_annotate_steps_and_the_matcher_are_built_by_the_registry_as_before(settings):
    from cruxmap.map.matcher import KeyPointMatcher, default_matcher
    from cruxmap.nlp.events import EventStage
    from cruxmap.nlp.stages import QuoteStage, SpacyStage, annotate_stages

    spacy, events, quotes = annotate_stages(settings)
    assert (type(spacy), type(events), type(quotes)) == (SpacyStage, EventStage, QuoteStage)
    assert [s.registry_name for s in (spacy, events, quotes)] == ["annotate.spacy.v1", "events.rules.v2",
                                                                 "quotes.rules.v2"]
    assert spacy.version() == SpacyStage().version() and events.version() == EventStage().version()
    other = annotate_stages(settings.updated(**{"annotate.spacy.model": "en_core_web_md"}))[0]
    assert other.model == "en_core_web_md" and other.version() != spacy.version()
    matcher = default_matcher()
    assert type(matcher) is KeyPointMatcher and matcher.registry_name == "matcher.argkp.v1"
    assert matcher.kind == KeyPointMatcher().kind == "head+cross"
    with pytest.raises(ConfigError, match="annotate backend 'spacy.v1' takes no option 'modle'"):
        registry.create("annotate", "spacy", modle="en_core_web_md")
    assert annotate_stages(settings.updated(**{"annotate.options": {"n_process": 2}}))[0].n_process == 2
    with pytest.raises(ConfigError, match="annotate backend 'spacy.v1' takes no option 'n_proces'"):
        annotate_stages(settings.updated(**{"annotate.options": {"n_proces": 2}}))


FAKE_QUOTES = '''
from cruxmap.pipeline import Stage


class NoQuotes(Stage):
    name = "quotes"
    requires = ("sentences", "entities")
    provides = ("quotes",)

    def __call__(self, doc):
        doc.quotes = []
        return doc
'''


def test_a_plugin_quotes_backend_named_in_the_settings_replaces_the_built_in_one(site, settings, tmp_path,
                                                                                 monkeypatch):
    from cruxmap.cli import app
    from cruxmap.nlp.stages import annotate_stages

    install(site, "fakepkg", """
        [cruxmap.quotes]
        none.v1 = fakepkg_quotes:NoQuotes
        """, {"fakepkg_quotes": FAKE_QUOTES})
    stages = annotate_stages(settings.updated(**{"annotate.quotes": "none"}))
    assert [s.registry_name for s in stages] == ["annotate.spacy.v1", "events.rules.v2", "quotes.none.v1"]
    monkeypatch.setenv("CRUXMAP_ANNOTATE__QUOTES", "none")
    monkeypatch.setenv("CRUXMAP_MAP__MATCHER", "argkp.v1")
    done = CliRunner().invoke(app, ["pipeline", "--question", str(QUESTION)])
    assert done.exit_code == 0, done.output
    assert "backend quotes.none.v1" in next(line for line in done.output.splitlines() if " quotes " in line)
    assert "matcher.argkp.v1" in next(line for line in done.output.splitlines() if " map " in line)
    shown = CliRunner().invoke(app, ["config"])
    assert shown.exit_code == 0, shown.output
    rows = {line.split()[0]: line.split()[1:] for line in shown.stdout.splitlines() if line.strip()}
    assert rows["quotes"] == ["quotes.none.v1"] and rows["stance"] == ["stance.offline.v2"]
    assert rows["annotate.quotes"] == ['"none"', "CRUXMAP_ANNOTATE__QUOTES"]


def test_listing_backends_imports_none_of_them():
    import subprocess

    code = ("import sys; from cruxmap import registry; "
            "names = [registry.resolve_name(k, n) for k in registry.BUILTIN for n in registry.known(k)]; "
            "print(sorted(m for m in sys.modules if m.startswith(('cruxmap.argue', 'cruxmap.nlp', 'cruxmap.map'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


TYPED_STANCE = '''
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cruxmap.argue.stance.base import StanceClassifier, StanceResult
from cruxmap.registry import takes_options


class LeanOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lean: Literal["support", "oppose", "neutral"] = Field(default="neutral", description="the label of every pair")
    confidence: float = Field(default=0.8, ge=0.0, le=1.0, description="the score of every pair")


class Leaning(StanceClassifier):
    def __init__(self, store=None, *, lean: str, confidence: float):
        super().__init__(store=store)
        self.lean, self.confidence = lean, confidence

    def classify_batch(self, pairs):
        return [StanceResult(self.lean, self.confidence, None) for _ in pairs]


@takes_options(LeanOptions)
def make_leaning(store=None, *, lean: str, confidence: float) -> Leaning:
    return Leaning(store=store, lean=lean, confidence=confidence)
'''


def test_a_plugins_typed_options_are_validated_with_its_defaults_and_errors_name_the_setting(site, tmp_path,
                                                                                             monkeypatch):
    """A plugin declares its options as a pydantic model: the settings' values are checked by it (types,
    ranges, unknown names) and its defaults are the ones the backend gets (its factory has none)."""
    from cruxmap.argue.stages import make_stance_classifier
    from cruxmap.settings import Settings

    install(site, "fakepkg", """
        [cruxmap.stance]
        leaning.v1 = fakepkg_typed:make_leaning
        """, {"fakepkg_typed": TYPED_STANCE})
    toml = tmp_path / "cruxmap.toml"
    toml.write_text('[cruxmap.stance]\nbackend = "leaning"\n')
    made = make_stance_classifier(Settings.load(toml))
    assert (made.registry_name, made.lean, made.confidence) == ("stance.leaning.v1", "neutral", 0.8)
    monkeypatch.setenv("CRUXMAP_STANCE__OPTIONS", '{"lean": "oppose", "confidence": "0.65"}')
    made = make_stance_classifier(Settings.load(toml))
    assert (made.lean, made.confidence) == ("oppose", 0.65)  # the string from the variable read as its type
    assert [r.label for r in made.classify([("a claim", "a hypothesis")])] == ["oppose"]
    monkeypatch.setenv("CRUXMAP_STANCE__OPTIONS", '{"lean": "sideways"}')
    with pytest.raises(ConfigError, match=r"stance backend 'leaning.v1': option lean = 'sideways' "
                                          r"\(stance.options.lean\): Input should be 'support', 'oppose' or "
                                          r"'neutral' — lean: the label of every pair"):
        make_stance_classifier(Settings.load(toml))
    monkeypatch.setenv("CRUXMAP_STANCE__OPTIONS", '{"confidence": 1.5}')
    with pytest.raises(ConfigError, match=r"option confidence = 1.5 \(stance.options.confidence\): .*less than or equal"):
        make_stance_classifier(Settings.load(toml))
    monkeypatch.setenv("CRUXMAP_STANCE__OPTIONS", '{"confidense": 0.5}')
    with pytest.raises(ConfigError, match=r"'leaning.v1' takes no option 'confidense' \(stance.options.confidense\)"
                                          r" — its options: lean, confidence$"):
        make_stance_classifier(Settings.load(toml))


def test_a_backend_registered_in_process_gets_the_same_check(site):
    from pydantic import BaseModel, ConfigDict

    class SizeOptions(BaseModel):
        model_config = ConfigDict(extra="forbid")
        size: int = 3

    @registry.takes_options(SizeOptions)
    def make(*, size: int) -> list:
        return [0] * size

    registry.register("testkind", "sized.v1")(make)
    assert registry.create("testkind", "sized") == [0, 0, 0]
    assert registry.create("testkind", "sized", size="2") == [0, 0]
    with pytest.raises(ConfigError, match=r"testkind backend 'sized.v1': option size = 'two': Input should be a "
                                          r"valid integer"):
        registry.create("testkind", "sized", size="two")
    with pytest.raises(ConfigError, match="takes no option 'sise' — its options: size$"):
        registry.create("testkind", "sized", sise=2)


#: where the settings hold each kind's typed options (a section, or the field of one)
OPTIONS_HELD = {"claims": "claims", "stance": "stance", "embedder": "embed", "matcher": "map", "annotate": "annotate",
                "events": "annotate.event_rules", "quotes": "annotate.quote_rules"}


def test_every_built_in_backend_declares_its_options_as_a_section_of_the_settings():
    """One declaration: the model a built-in factory checks its options by is the settings' section for it
    (or the one the section extends: ``stance.offline`` holds v2's options, v1 takes the first of them), and a
    class built directly has the model's defaults."""
    import inspect

    from cruxmap.settings import BackendOptions, section_model

    assert set(OPTIONS_HELD) == set(registry.BUILTIN)
    for kind in registry.BUILTIN:
        for name in registry.BUILTIN[kind]:
            made = registry.factory(kind, name)
            model = registry.options_model(made)
            assert model is not None and issubclass(model, BackendOptions), f"{kind}.{name}"
            assert model.of_backend == f"{kind}.{name.split('.')[0]}"
            section = OPTIONS_HELD[kind]
            held = section_model(f"{section}.{name.split('.')[0]}") or section_model(section)
            assert held is not None and issubclass(held, model), f"{kind}.{name}: {held}"
            assert set(model.model_fields) <= set(registry.options_of(made))
            if isinstance(made, type):  # a class's own defaults are the model's
                params = inspect.signature(made).parameters
                assert {n: params[n].default for n in model.model_fields} == model().model_dump(), f"{kind}.{name}"


def test_the_built_in_backends_typed_options_are_checked_before_anything_is_built(settings):
    from cruxmap.argue.stages import make_claim_detector, make_embedder, make_stance_classifier
    from cruxmap.settings import Settings

    with pytest.raises(ConfigError, match=r"setting embed.minilm.precision = 'fp16': Input should be 'auto', "
                                          r"'bf16' or 'fp32'"):
        Settings.load(**{"embed.minilm.precision": "fp16"})
    with pytest.raises(ConfigError, match=r"claims backend 'offline.v2': option threshold = 1.5: .*less than"):
        registry.create("claims", "offline", embedder=object(), threshold=1.5)
    # offline.v1 does not take what only v2 reads, named by its setting (no model is loaded to find out)
    v1 = settings.updated(**{"stance.backend": "offline.v1", "stance.offline.cross_weights": "/elsewhere.npz"})
    with pytest.raises(ConfigError, match=r"stance backend 'offline.v1' takes no option 'cross_weights' "
                                          r"\(stance.offline.cross_weights\) — its options: weights$"):
        make_stance_classifier(v1, embedder=object())
    # a plugin's table given to a built-in embedder names the table
    with pytest.raises(ConfigError, match=r"embedder backend 'minilm.v1' takes no option 'dims' \(embed.options.dims\)"):
        make_embedder(settings.updated(**{"embed.options": {"dims": 8}}))
    embedder = make_embedder(settings.updated(**{"embed.minilm.precision": "fp32"}))
    assert embedder.precision == "fp32" and embedder.cache_namespace().endswith(":fp32")
    detector = make_claim_detector(settings.updated(**{"claims.threshold": 0.9}), embedder)
    assert detector.threshold == 0.9 and detector.registry_name == "claims.offline.v2"


def test_the_annotate_events_and_quotes_options_come_from_the_settings_and_change_what_they_read(settings, site):
    """``annotate.spacy``, ``annotate.event_rules`` and ``annotate.quote_rules`` reach their backends through the
    registry (a misspelt one is refused by its setting), an option that changes the output changes the stage's
    version, and each does what its description says on an invented article."""
    from cruxmap.model import Document, Source
    from cruxmap.nlp.stages import annotate_stages
    from cruxmap.settings import Settings

    install(site, "fakepkg", """
        [cruxmap.quotes]
        none.v1 = fakepkg_quotes:NoQuotes
        """, {"fakepkg_quotes": FAKE_QUOTES})
    spacy, events, quotes = annotate_stages(settings)
    changed = annotate_stages(settings.updated(**{
        "annotate.spacy.sentence_component": "parser", "annotate.spacy.batch_size": "4",
        "annotate.event_rules.context_sentences": 0, "annotate.event_rules.inferred_now": False,
        "annotate.quote_rules.indirect": False}))
    assert (changed[0].sentence_component, changed[0].batch_size) == ("parser", 4)
    assert (changed[1].context_sentences, changed[1].inferred_now, changed[2].indirect) == (0, False, False)
    assert all(a.version() != b.version() for a, b in zip((spacy, events, quotes), changed))
    assert events.version() == events.version().split(":context")[0]  # the defaults add nothing
    with pytest.raises(ConfigError, match=r"events backend rules takes no option 'context' "
                                          r"\(annotate.event_rules.context\)"):
        Settings.load(**{"annotate.event_rules.context": 1})
    with pytest.raises(ConfigError, match=r"annotate.spacy.sentence_component.*'senter' or 'parser'"):
        Settings.load(**{"annotate.spacy.sentence_component": "sentencizer"})
    # a plugin's quotes backend is not handed the rules' options
    assert annotate_stages(settings.updated(**{"annotate.quotes": "none", "annotate.quote_rules.indirect": False}))

    text = ("The harbour board met on March 3, 2019 to weigh the plan.\n\nMembers argued for hours.\n\n"
            "On March 18 the board approved the survey.\n\nPia Lund, the chair, said that the vote would wait. "
            "\u201cWe need a full survey of the quay first,\u201d she told reporters.")

    def parsed() -> Document:
        return spacy(Document(source=Source(id="a", path="a.txt", sha256="x", text=text)))

    by_default = events(parsed())
    narrowed = changed[1](parsed())
    march = {e.date_text: e.date for e in by_default.events}
    assert march["March 18"] == "2019-03-18"  # two sentences after the dated one: the story's year
    assert {e.date_text: e.date for e in narrowed.events}["March 18"] != "2019-03-18"
    both = quotes(by_default)
    direct_only = changed[2](parsed())
    assert any(not q.direct for q in both.quotes) and any(q.direct for q in both.quotes)
    assert direct_only.quotes and all(q.direct for q in direct_only.quotes)


def test_the_matchers_options_come_from_the_map_section_and_are_recorded_in_the_map_stages_version():
    """``map.argkp`` reaches the key-point matcher through the registry (a misspelt option is refused by name),
    and what the map stage reads follows it: without the cross-encoder its weights leave the run record."""
    from cruxmap.map.build import map_version, map_weights, matcher_of
    from cruxmap.settings import Settings

    default = Settings()
    assert matcher_of(default).kind == "head+cross" and matcher_of(default).cross_top == 3
    assert "keypoints/cross_encoder.npz" in map_weights(default)
    head_only = Settings.load(**{"map.argkp.cross": False})
    assert matcher_of(head_only).kind == "head"
    assert "keypoints/cross_encoder.npz" not in map_weights(head_only) and "keypoints/head.npz" in map_weights(head_only)
    assert ":keypoints-cross:off:" in map_version(head_only) and ":keypoints-cross:off:" not in map_version(default)
    wider = Settings.load(**{"map.argkp.cross_top": 5})
    assert matcher_of(wider).cross_top == 5 and map_version(wider) != map_version(default)
    assert map_version(Settings.load(**{"map.argkp.cross_top": 3})) == map_version(default)
    with pytest.raises(ConfigError, match=r"matcher backend argkp takes no option 'top' \(map.argkp.top\)"):
        Settings.load(**{"map.argkp.top": 5})
    with pytest.raises(ConfigError, match=r"matcher backend 'argkp.v1' takes no option 'crosss'"):
        registry.create("matcher", "argkp", crosss=True)


def test_a_backend_built_directly_has_the_registrys_name_and_its_version_begins_with_it():
    """One name per backend: cruxmap's own classes declare none of their own; ``registry.name_of`` finds
    each in ``BUILTIN`` (by its factory's return annotation where the factory is a function), and the
    stages' versions and the backends' cache namespaces are that name with details after a colon."""
    import importlib

    from cruxmap.nlp.events import EventStage
    from cruxmap.nlp.stages import QuoteStage, SpacyStage

    for kind, table in registry.BUILTIN.items():
        for name, target in table.items():
            module, _, attr = target.partition(":")
            made = getattr(importlib.import_module(module), attr)
            assert registry.builtin_name(made) == f"{kind}.{name}"
    for stage, name in ((SpacyStage(), "annotate.spacy.v1"), (EventStage(), "events.rules.v2"),
                        (QuoteStage(), "quotes.rules.v2")):
        assert registry.name_of(stage) == stage.registry_name == name
        assert stage.version().startswith(name + ":")
        assert "registry_name" not in vars(type(stage))  # no second, hand-kept copy of the name

    class Unlisted:
        name = "hand-made"

    assert registry.name_of(Unlisted()) == "hand-made"
    given = Unlisted()
    given.registry_name = "stance.fake.v1"  # as ``create`` sets it
    assert registry.version_of(given, "abc", 3) == "stance.fake.v1:abc:3"


def test_no_code_outside_the_registry_spells_a_built_in_backends_name():
    """The source holds a built-in backend's full name (``stance.offline.v2``) only in the registry's table and
    in prose (docstrings, descriptions, help and fix texts): code asks ``registry`` for it, so renaming a backend
    there renames it in every version string, cache namespace and run record. The old cache prefixes
    (``stance:``, ``emb:``) are gone with it."""
    import ast
    import re

    names = [f"{kind}.{name}" for kind, table in registry.BUILTIN.items() for name in table]
    spelt = re.compile("|".join(re.escape(n) for n in names) + r"|^(?:stance|emb):(?! )")
    found = []
    for path in sorted((REPO / "src" / "cruxmap").rglob("*.py")):
        if path.name == "registry.py" or "migrations" in path.parts:  # a migration names what it renames
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                prose.add(id(body[0].value))
            if isinstance(node, ast.keyword) and node.arg in ("description", "help", "fix"):
                prose.update(id(sub) for sub in ast.walk(node.value))
        found += [f"{path.relative_to(REPO)}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
                  and spelt.search(node.value)]
    assert not found, found
