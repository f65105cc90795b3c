"""Slim rows: the items a run keeps of each document for the corpus steps, in less memory.

A long run keeps every claim, quote, event and stance row of the corpus until the map is built
(``corpus.Kept``). As pydantic models each item carries a ``__dict__`` of its own (272 bytes for a
claim's 7 fields, 464 for a quote's 12); a row class with the same attribute names in ``__slots__``
holds the same values in 88 and 128 bytes. The rows are read, never validated or dumped:
``model()`` gives the model back, with the same values, where one is needed.

The claim stances are most of the rows (one per claim and item: 742,290 on the 5,922-article news
corpus), and most of them lean neither way. ``StanceBlock`` keeps a document's stance rows as
``SlimStance`` objects only where they lean (support, oppose), belong to a source, or carry
anything beyond a label and a score; the others ("quiet" rows) are held as columns: the claim's
place, the item, the label and the score. ``StanceBlock.rows(quiet=True)`` gives every row back in
the document's order; without ``quiet`` only the rows the map reads when its stance reader cannot
tell direction (``map.build.reads_direction``): there the claim stances count only where they lean.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from .model import STANCE_LABELS, Claim, Event, Passage, Quote, Stance, StanceLabel

#: one fields-set per model class, shared by every item ``model()`` makes
_FIELDS_SET: dict[type[BaseModel], set[str]] = {}


def shared(value):
    """Short strings interned: ids, labels and hypothesis ids repeat across items."""
    return sys.intern(value) if isinstance(value, str) and len(value) <= 32 else value


def fields_set(cls: type[BaseModel]) -> set[str]:
    """The one fields-set every constructed ``cls`` item of the corpus steps shares."""
    return _FIELDS_SET.setdefault(cls, set(cls.model_fields))


class SlimRow:
    """A model item as the corpus steps read it: the model's attribute names in slots, same values. Each
    row class declares the model's fields with their types (a test checks that they are the model's)."""

    __slots__: tuple[str, ...] = ()
    MODEL: ClassVar[type[BaseModel]]

    def __init__(self, item: Any):
        for name in self.__slots__:
            setattr(self, name, self._held(getattr(item, name)))

    @staticmethod
    def _held(value: Any) -> Any:
        return shared(value)

    @staticmethod
    def _given(value: Any) -> Any:
        return value

    def model(self) -> Any:
        """The item as its model, with the same values (not validated again)."""
        cls = self.MODEL
        return cls.model_construct(_fields_set=fields_set(cls),
                                   **{n: self._given(getattr(self, n)) for n in self.__slots__})

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


class ClaimRow(SlimRow):
    __slots__ = tuple(Claim.model_fields)
    MODEL = Claim
    source_id: str
    start: int
    end: int
    id: str
    sentence_id: str
    text: str
    score: float


class QuoteRow(SlimRow):
    __slots__ = tuple(Quote.model_fields)
    MODEL = Quote
    source_id: str
    start: int
    end: int
    id: str
    text: str
    speaker: str | None
    speaker_role: str | None
    speaker_type: Literal["person", "organisation", "document", "group"] | None
    direct: bool
    cue: str | None
    speaker_start: int | None
    speaker_end: int | None


class EventRow(SlimRow):
    __slots__ = tuple(Event.model_fields)
    MODEL = Event
    source_id: str
    start: int
    end: int
    id: str
    date_text: str
    date: str | None
    anchor: str | None
    description: str
    sentence_id: str | None


class SlimStance(SlimRow):
    """A stance row as the corpus stages read it (same attribute names as ``Stance``, read-only use),
    in slots instead of a pydantic model's dict: about 130 bytes instead of 600; its lists are held as
    tuples (the empty one is shared). ``stance()`` gives the model back when the document is written."""

    __slots__ = tuple(Stance.model_fields)
    MODEL = Stance
    target: Literal["claim", "source"]
    target_id: str
    hypothesis_id: str
    label: StanceLabel
    score: float
    claim_ids: tuple[str, ...]
    evidence: tuple[Passage, ...]
    note: str | None
    analyst: bool
    machine_label: StanceLabel | None
    machine_score: float | None

    @staticmethod
    def _held(value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else shared(value)

    @staticmethod
    def _given(value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value

    def stance(self) -> Stance:
        return self.model()

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)


#: what a claim stance row holds besides its target, item, label and score when nothing else was set
_QUIET_DEFAULTS = {name: field.get_default(call_default_factory=True) for name, field in Stance.model_fields.items()
                   if name not in ("target", "target_id", "hypothesis_id", "label", "score")}
_LEANING = ("support", "oppose")
_LABEL_CODE = {label: i for i, label in enumerate(STANCE_LABELS)}


def _unset(value: object, default: object) -> bool:
    """Whether a field holds its default (an empty tuple counts as the empty list it stands for)."""
    if isinstance(default, list):
        return isinstance(value, list | tuple) and not value
    return value is default if default is None or isinstance(default, bool) else value == default


def _quiet(stance: Stance | SlimStance) -> bool:
    """A claim stance that leans neither way and carries nothing beyond its label and a float score."""
    return (stance.target == "claim" and stance.label not in _LEANING and type(stance.score) is float
            and all(_unset(getattr(stance, name), default) for name, default in _QUIET_DEFAULTS.items()))


class StanceBlock:
    """One document's stance rows: the ``SlimStance`` objects the map always reads (leaning claim rows,
    source rows, any row carrying more than a label and score), and the quiet claim rows as columns
    (the claim's place among ``claim_ids``, the item's among ``items``, the label's code, the score).
    ``order`` marks, row by row in the document's order, which of the two holds it (1: a quiet row)."""

    __slots__ = ("claim_ids", "items", "labels", "order", "quiet_claims", "quiet_items", "scores", "slim")

    def __init__(self, stances: Sequence[Stance | SlimStance]):
        self.slim: list[SlimStance] = []
        self.claim_ids: list[str] = []
        self.items: list[str] = []
        claims: dict[str, int] = {}
        items: dict[str, int] = {}
        order = bytearray(len(stances))
        quiet_claims, quiet_items, labels, scores = array("I"), array("I"), array("B"), array("d")
        for i, stance in enumerate(stances):
            if not _quiet(stance):
                self.slim.append(stance if isinstance(stance, SlimStance) else SlimStance(stance))
                continue
            order[i] = 1
            at = claims.setdefault(stance.target_id, len(claims))
            if at == len(self.claim_ids):
                self.claim_ids.append(shared(stance.target_id))
            item = items.setdefault(stance.hypothesis_id, len(items))
            if item == len(self.items):
                self.items.append(shared(stance.hypothesis_id))
            quiet_claims.append(at)
            quiet_items.append(item)
            labels.append(_LABEL_CODE[stance.label])
            scores.append(stance.score)
        self.order = bytes(order)
        self.quiet_claims, self.quiet_items, self.labels, self.scores = quiet_claims, quiet_items, labels, scores

    def __len__(self) -> int:
        return len(self.order)

    def _quiet_row(self, j: int) -> SlimStance:
        row = SlimStance.__new__(SlimStance)
        row.target, row.target_id = "claim", self.claim_ids[self.quiet_claims[j]]
        row.hypothesis_id, row.label = self.items[self.quiet_items[j]], STANCE_LABELS[self.labels[j]]
        row.score = self.scores[j]
        for name, default in _QUIET_DEFAULTS.items():
            setattr(row, name, tuple(default) if isinstance(default, list) else default)
        return row

    def rows(self, quiet: bool = True) -> Iterator[SlimStance]:
        """The rows in the document's order: every one, or without ``quiet`` only those the map reads
        when claim stances count only where they lean."""
        if not quiet:
            yield from self.slim
            return
        slim, j = iter(self.slim), 0
        for flag in self.order:
            if flag:
                yield self._quiet_row(j)
                j += 1
            else:
                yield next(slim)

    def stances(self) -> list[Stance]:
        """Every row as a ``Stance`` model, in the document's order (as the document held them)."""
        return [row.stance() for row in self.rows()]

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, n) for n in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state):
            setattr(self, name, value)


__all__ = ["ClaimRow", "EventRow", "QuoteRow", "SlimRow", "SlimStance", "StanceBlock", "fields_set", "shared"]
