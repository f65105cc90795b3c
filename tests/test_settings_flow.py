"""Following ``settings`` from ``api.analyze`` through the calls visits no module twice (issue 23).

A profiler records, on every call into cruxmap, whether the frame received the settings tree, one of its
sections, or an object that holds the tree (the batch, the corpus steps' state) as an argument. Each such
frame's chain of settings-receiving callers, read as modules, must not leave a module and come back to it
(``api → engine → api``): a run's set-up reads the settings on the way down, each module once.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from cruxmap import api
from cruxmap import settings as settings_module
from cruxmap.settings import Settings
from cruxmap.store import open_store

REPO = Path(__file__).resolve().parents[1]

ARTICLES = {
    "ferry-sceptic.txt": (
        "The island does not need a second ferry\n\n"
        "The council wants a second ferry by next summer. It should drop the plan. A second boat would run "
        "half empty for nine months of the year, and the harbour cannot take two boats at once without a new "
        "pier that nobody has costed. The money would do more good in the island's clinic."),
    "ferry-fan.txt": (
        "A second ferry is overdue\n\n"
        "Anyone who has queued for the morning boat knows the island needs a second ferry. Shops lose deliveries "
        "when the only boat breaks down, and patients miss appointments on the mainland. The council must order "
        "the boat this year, before the yard's prices rise again."),
    "ferry-report.txt": (
        "Ferry vote set for May\n\n"
        "Councillors will vote in May on whether to buy a second ferry. The harbour master said the pier could "
        "take a second boat if the timetable kept them an hour apart. Residents are divided on the cost."),
}


def _carries_settings(value: Any) -> bool:
    """The settings tree, one of its sections, or an object holding the tree (read without running its code)."""
    if isinstance(value, Settings):
        return True
    if isinstance(value, BaseModel) and type(value).__module__ == settings_module.__name__:
        return True
    try:
        attributes = object.__getattribute__(value, "__dict__")
    except AttributeError:
        return False
    return isinstance(attributes, dict) and any(isinstance(v, Settings) for v in attributes.values())


def _arguments(frame: types.FrameType) -> list[Any]:
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    names = list(code.co_varnames[:count])
    extra = code.co_varnames[count:count + bool(code.co_flags & 4) + bool(code.co_flags & 8)]
    values = [frame.f_locals.get(n) for n in names]
    for name in extra:  # *args and **kwargs
        packed = frame.f_locals.get(name)
        values.extend(packed.values() if isinstance(packed, dict) else packed or ())
    return values


class SettingsTrail:
    """The chains of settings-receiving calls under ``prefix`` (module names), recorded while ``run`` runs."""

    def __init__(self, prefix: str = "cruxmap"):
        self.prefix = prefix
        self.chains: set[tuple[str, ...]] = set()  # each as "module:function" from the outermost call
        self.errors: list[str] = []
        self._open: dict[int, str] = {}  # id of a live frame that received the settings → "module:function"

    def run(self, work: Callable[[], Any]) -> Any:
        sys.setprofile(self._profile)
        try:
            return work()
        finally:
            sys.setprofile(None)

    def _profile(self, frame: types.FrameType, event: str, _arg: Any) -> None:
        try:
            if event == "call":
                self._call(frame)
            elif event == "return":
                self._open.pop(id(frame), None)
        except Exception as err:  # a profiler that raises is switched off: make that a failure, not a pass
            self.errors.append(f"{type(err).__name__}: {err}")

    def _call(self, frame: types.FrameType) -> None:
        module = frame.f_globals.get("__name__", "")
        if not (module == self.prefix or module.startswith(self.prefix + ".")):
            return
        if not any(_carries_settings(v) for v in _arguments(frame)):
            return
        self._open[id(frame)] = f"{module}:{frame.f_code.co_name}"
        chain = []
        caller: types.FrameType | None = frame
        while caller is not None:
            if id(caller) in self._open:
                chain.append(self._open[id(caller)])
            caller = caller.f_back
        self.chains.add(tuple(reversed(chain)))

    def modules(self) -> set[str]:
        return {call.partition(":")[0] for chain in self.chains for call in chain}

    def revisits(self) -> list[str]:
        """Each chain that leaves a module and comes back to it, written out call by call."""
        found = []
        for chain in sorted(self.chains):
            visited: list[str] = []
            for call in chain:
                module = call.partition(":")[0]
                if visited and visited[-1] == module:
                    continue
                if module in visited:
                    found.append(" -> ".join(chain))
                    break
                visited.append(module)
        return found


def test_the_trail_finds_a_module_that_settings_leave_and_come_back_to(tmp_path, monkeypatch):
    """Two invented modules: a → b → a is found; a → a → b is not, nor b called twice from a, nor a call
    that does not get the settings."""
    code = {
        "fakeflow.a": "from fakeflow import b\n"
                      "def outer(settings):\n    return inner(settings)\n"
                      "def inner(settings):\n    return b.middle(settings)\n"
                      "def twice(settings):\n    return b.leaf(settings.map) + b.leaf(settings.map)\n"
                      "def go_round(settings):\n    return b.round_trip(settings)\n"
                      "def back(settings):\n    return settings.batch_size\n"
                      "def plain(n):\n    return n\n",
        "fakeflow.b": "from fakeflow import a\n"
                      "def middle(settings):\n    return a.plain(leaf(settings.map))\n"
                      "def leaf(section):\n    return section.max_cruxes\n"
                      "def round_trip(settings):\n    return a.back(settings)\n",
    }
    package = tmp_path / "fakeflow"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in code.items():
        (package / f"{name.rpartition('.')[2]}.py").write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    a = importlib.import_module("fakeflow.a")
    for name in ("fakeflow", *code):  # forgotten again after the test
        monkeypatch.setitem(sys.modules, name, sys.modules[name])

    straight = SettingsTrail("fakeflow")
    assert straight.run(lambda: a.outer(Settings()) + a.twice(Settings())) == 7 + 14
    assert straight.revisits() == [] and not straight.errors
    assert ("fakeflow.a:outer", "fakeflow.a:inner", "fakeflow.b:middle", "fakeflow.b:leaf") in straight.chains
    assert "fakeflow.a:plain" not in {call for chain in straight.chains for call in chain}

    round_trip = SettingsTrail("fakeflow")
    assert round_trip.run(lambda: a.go_round(Settings())) == 64
    assert round_trip.revisits() == ["fakeflow.a:go_round -> fakeflow.b:round_trip -> fakeflow.a:back"]


def _articles(folder: Path) -> Path:
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _add_a_correction(settings: Settings, articles: Path) -> None:
    """Analyse once and record an analyst's correction about one claim, so the next run makes a child run."""
    first = api.analyze([articles], settings=settings, question=REPO / "examples" / "question.yaml")
    claim = next(c for c in first.claims)
    api.correct(first.run.id, "not_claim", settings=settings, item=claim.id)
    with open_store(settings.db) as store:
        assert store.list_corrections()


@pytest.mark.parametrize(("question", "corrected", "reached"), [
    ("examples/question.yaml", False, {"cruxmap.run.engine", "cruxmap.run.setup", "cruxmap.run.executor",
                                       "cruxmap.run.steps", "cruxmap.nlp.stages", "cruxmap.argue.stages",
                                       "cruxmap.map.build", "cruxmap.run.children"}),
    (None, False, {"cruxmap.run.engine", "cruxmap.run.steps", "cruxmap.argue.stages",  # suggested hypotheses
                   "cruxmap.map.build"}),
    ("examples/question.yaml", True, {"cruxmap.run.children", "cruxmap.corrections", "cruxmap.map.build"}),
], ids=["question-file", "suggested-hypotheses", "stored-correction"])
def test_following_settings_from_analyze_visits_no_module_twice(tmp_path, question, corrected, reached):
    settings = Settings.load(db=str(tmp_path / "flow.db"), annotate_workers=0)
    articles = _articles(tmp_path / "articles")
    if corrected:
        _add_a_correction(settings, articles)
    trail = SettingsTrail()
    made = trail.run(lambda: api.analyze([articles], settings=settings,
                                         question=REPO / question if question else None))
    assert len(made.sources) == len(ARTICLES) and made.claims
    assert (made.run.kind == "corrections") is corrected
    assert not trail.errors
    assert reached <= trail.modules(), f"the trail missed {sorted(reached - trail.modules())}"
    assert trail.revisits() == []
