"""Each per-document stage reads only the layers it declares (issue 23: ``EventStage`` once read entities and
``StanceStage`` sentences without saying so, and the order check trusted them).

Every built-in stage runs, batched as a run runs it, on a document that holds the layers it ``requires`` (as
the stages before it made them) and an empty list for each layer it ``provides``; every other layer of the
document is a list that fails the test when it is read.
"""

from __future__ import annotations

import pytest

from cruxmap.model import Document
from cruxmap.pipeline import Stage

#: an invented article with a quotation, dated events and an argued claim, so that every stage has work
ARTICLE = """The harbour toll should be scrapped, the mayor argued on Tuesday.
"We cannot tax the people who keep this town alive," said Ana Ruiz, who chairs the harbour board.
In March 2019 the council raised the toll by a third, and trade fell the following year.
Critics say the toll pays for the new sea wall. But the wall was finished in 2021 and is already paid for.
New reactors are cheaper than wind over the life of a plant, according to a report the council ordered.
"""

LAYERS = ("sentences", "entities", "quotes", "events", "claims", "stances")


class Unreadable(list):
    """A layer the stage did not declare: any read fails, naming the stage and the layer."""

    def __init__(self, layer: str, stage: str):
        super().__init__()
        self.layer, self.stage = layer, stage

    def _read(self, *args, **kwargs):
        raise AssertionError(f"stage '{self.stage}' reads the layer '{self.layer}' but does not declare it")

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = __reversed__ = _read


def run_on_declared_layers(stage: Stage, doc: Document) -> None:
    """``stage`` on a copy of ``doc`` that holds only what the stage declares (see the module's docstring)."""
    declared = set(stage.requires) | set(stage.provides)
    layers = {name: (list(getattr(doc, name)) if name in stage.requires else []) if name in declared
              else Unreadable(name, stage.name) for name in LAYERS}
    list(stage.pipe([doc.model_copy(update=layers)]))


@pytest.mark.models
def test_every_built_in_stage_reads_only_the_layers_it_declares():
    from cruxmap.api import EXAMPLES_DIR, load_question_file
    from cruxmap.ingest.base import document_from_text
    from cruxmap.run import build_stages, make_embedder
    from cruxmap.run.batch import clean
    from cruxmap.settings import Settings

    settings = Settings(db=":memory:")
    stages = build_stages(settings, load_question_file(EXAMPLES_DIR / "question.yaml"), None, make_embedder(settings))
    assert [s.name for s in stages] == ["annotate", "events", "quotes", "claims", "stance"]
    doc = Document(source=clean(document_from_text(ARTICLE, "harbour.txt")), done=["clean"])
    for stage in stages:
        run_on_declared_layers(stage, doc)
        (doc,) = stage.pipe([doc])  # the whole document goes on to the next stage
    made = {name: len(getattr(doc, name)) for name in LAYERS}
    assert all(made.values()), made  # every stage had something to read and something to make


def test_the_check_finds_a_stage_that_reads_an_undeclared_layer():
    from cruxmap.model import Source

    class CountsEntities(Stage):
        name, requires, provides = "counting", ("sentences",), ("events",)

        def __call__(self, doc):
            self.counted = len(doc.entities)
            return doc

    class DeclaresThem(CountsEntities):
        requires = ("sentences", "entities")

    doc = Document(source=Source(id="s", path="s.txt", sha256="0" * 64, text="x"))
    with pytest.raises(AssertionError, match="stage 'counting' reads the layer 'entities' but does not declare it"):
        run_on_declared_layers(CountsEntities(), doc)
    run_on_declared_layers(DeclaresThem(), doc)
