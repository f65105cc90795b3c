"""Whether a label candidate is a clause: a key point's label must hold a finite verb.

A noun phrase with a full stop ("A cut in the city's traffic.") passes every surface rule of
``keypoints.label_worthy`` and still says nothing a reader can agree or disagree with. The run's
own spaCy pipeline has no tagger (``nlp/parse.py`` drops it for speed), so the few candidates a
map labels with are tagged here, once, by a tagger-only copy of the run's pipeline (the
``annotate.spacy.model`` setting; about 0.1 s per 100 sentences, about 100 MB while loaded). Where spaCy
or that pipeline is missing, every candidate passes and the log says so once. Tags, not a parse: a noun phrase whose
relative clause holds the verb ("Not the answer the council wanted.") still passes, and the small
tagger misreads a few short statements (on the seeds, the demo and the three debates, 19 of 1,436
label-worthy claims were refused: 11 fragments or site furniture, 8 statements the tagger read
without a verb, such as a plural noun followed by a verb it took for a noun).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..nlp.parse import DEFAULT_MODEL

log = logging.getLogger(__name__)

#: Penn tags of a finite verb: past, present (3rd person and not), modal
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


@lru_cache(maxsize=2)
def _tagger(name: str) -> Any | None:
    try:
        import spacy

        return spacy.load(name, exclude=["parser", "senter", "ner", "lemmatizer", "attribute_ruler"])
    except (ImportError, OSError) as err:
        log.warning("key-point labels are not checked for a verb: spaCy pipeline %s could not be loaded (%s)",
                    name, err)
        return None


def is_clause(tags: Sequence[str]) -> bool:
    """A finite verb anywhere, or an imperative: a base-form verb first ("Repeal the tax.") or right
    after an opener's comma ("More important, look at the bill."). ``tags`` keep the punctuation."""
    return any(tag in FINITE_TAGS for tag in tags) or any(
        tag == "VB" and (i == 0 or tags[i - 1] in {",", ":"}) for i, tag in enumerate(tags))


def clauses(texts: Sequence[str], model: str = DEFAULT_MODEL) -> list[bool]:
    """For each text, whether it is a clause (``is_clause`` on spaCy's Penn tags); all True without a tagger."""
    nlp = _tagger(model) if texts else None
    if nlp is None:
        return [True] * len(texts)
    return [is_clause([t.tag_ for t in doc if not t.is_space]) for doc in nlp.pipe(texts, batch_size=64)]
