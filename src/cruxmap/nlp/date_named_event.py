"""The event a narrative offset names ("three weeks after the poisoning"): its words, and its dated mention
elsewhere in the article (:func:`named_event`), found by the rare words the two share."""

from __future__ import annotations

import re

from .date_story import FAR_SENTENCES, StoryContext, as_anchor, relabel, sentence_index
from .date_values import date_words
from .dates import Anchor, DateExpr

#: how far from a dated mention its words still describe what it dates (characters, own sentence)
EVENT_WINDOW = 100
#: least score of a named event's dated mention to be the offset's time: each shared word adds its
#: rarity, 1 / (sentences of the article holding it), twice for a word of the event's own phrase
#: ("her release") and once for a name elsewhere in the offset's sentence; chosen on the dev split
#: of the labelled relative set (a word of the phrase in up to six sentences is enough)
EVENT_MIN_SCORE = 0.3
#: where the named event's clause ends
_CLAUSE_END = re.compile(r"[,;:!?()\[\]—–]|\s-\s|\s(?:and|but|while|when|as|so)\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_STOP = frozenset(
    "the a an of to in on at by for from with and or but that this these those his her its their our your my "
    "he she it they we you i him them us was were is are be been being had has have do did does not no "
    "who whom which what when where while than then there here also just only very more most some any all "
    "would could should will shall may might must can into onto about over under after before during "
    "day days week weeks month months year years time said says say told mr mrs ms dr".split()
)


def names_event(ctx: StoryContext, n: int) -> bool:
    """True for offsets of the form "… after X", "… before X", "the day of X" with X in the text."""
    expr = ctx.exprs[n]
    if not expr.text.lower().endswith(("before", "after", " of")):
        return False
    return bool(_event_words(ctx, n))


def event_clause(ctx: StoryContext, n: int) -> tuple[int, int]:
    expr = ctx.exprs[n]
    sentence = ctx.sentences[sentence_index(ctx, n)]
    m = _CLAUSE_END.search(ctx.text, expr.end, sentence.end)
    return expr.end, m.start() if m else sentence.end


def _event_words(ctx: StoryContext, n: int) -> set[str]:
    start, end = event_clause(ctx, n)
    return {_stem(w) for w in _WORD.findall(ctx.text[start:end]) if w.lower() not in _STOP}


def _stem(word: str) -> str:
    """A crude stem that makes 'attacks'/'attacked' and 'release'/'released' one word."""
    word = word.lower().replace("’", "'")
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def named_event(ctx: StoryContext, n: int, within: Anchor | None = None, by_phrase: bool = False) -> Anchor | None:
    """The dated mention, in another sentence, of the event offset ``n`` names: the one whose nearby words best
    match the event's phrase and the names of the offset's sentence, each word weighted by how rare it is in the
    article, scoring at least ``EVENT_MIN_SCORE``; with ``within`` (a month), only a day of that month; with
    ``by_phrase``, only a mention told before the offset, at most ``FAR_SENTENCES`` back, whose nearby words hold a word
    of the event's own phrase (an event named again refers back to where the story told it)."""
    here = sentence_index(ctx, n)
    sentence = ctx.sentences[here]
    phrase = _event_words(ctx, n)
    keys = phrase | _names_in(ctx.text, sentence.start, sentence.end)
    rarity = _sentence_counts(ctx, keys)
    best, best_score = None, 0.0
    for k, other in enumerate(ctx.exprs):
        point, there = as_anchor(ctx, k), ctx.where[k]
        if there is None or there == here or other.kind == "narrative" or point is None or k in ctx.not_story:
            continue
        if within is not None and (point.precision != "day" or (point.when.year, point.when.month) != (within.when.year, within.when.month)):
            continue
        words = _words_near(ctx, k)
        if by_phrase and (not words & phrase or not 0 < here - there <= FAR_SENTENCES):
            continue
        score = sum((2.0 if w in phrase else 1.0) / rarity[w] for w in keys & words if rarity.get(w))
        # a tie goes to the mention nearer the offset
        if score > best_score or (score == best_score and best is not None
                                   and abs(other.start - ctx.exprs[n].start) < abs(ctx.exprs[best].start - ctx.exprs[n].start)):
            best, best_score = k, score
    if best is None or best_score < EVENT_MIN_SCORE or (anchor := as_anchor(ctx, best)) is None:
        return None
    return relabel(anchor, f"the event it names, dated at char {ctx.exprs[best].start}: {date_words(ctx.values[best], ctx.exprs[best].text)}")


def shares_phrase(ctx: StoryContext, n: int, k: int) -> bool:
    """True when a word near date ``k`` is a word of the phrase that names offset ``n``'s event."""
    return bool(_words_near(ctx, k) & _event_words(ctx, n))


def _names_in(text: str, start: int, end: int) -> set[str]:
    """Capitalised words inside a sentence (not its first word): the names that tie it to other sentences."""
    words = list(_WORD.finditer(text, start, end))
    return {_stem(m.group()) for m in words[1:] if m.group()[0].isupper() and m.group().lower() not in _STOP}


def _sentence_counts(ctx: StoryContext, keys: set[str]) -> dict[str, int]:
    counts = dict.fromkeys(keys, 0)
    for span in ctx.sentences:
        for w in keys & {_stem(m) for m in _WORD.findall(ctx.text, span.start, span.end)}:
            counts[w] += 1
    return counts


def _words_near(ctx: StoryContext, k: int) -> set[str]:
    """Words of date ``k``'s sentence that stand nearer to it than to any other date there, within
    ``EVENT_WINDOW`` characters: in a list of dated events each date keeps its own words."""
    sentence = ctx.sentences[sentence_index(ctx, k)]
    expr = ctx.exprs[k]
    others = [e for j, e in enumerate(ctx.exprs) if j != k and ctx.where[j] == ctx.where[k]]
    out = set()
    for m in _WORD.finditer(ctx.text, max(sentence.start, expr.start - EVENT_WINDOW), min(sentence.end, expr.end + EVENT_WINDOW)):
        if expr.start <= m.start() < expr.end:
            continue
        gap = _gap(m.start(), m.end(), expr)
        if all(gap <= _gap(m.start(), m.end(), o) for o in others):
            out.add(_stem(m.group()))
    return out


def _gap(start: int, end: int, expr: DateExpr) -> int:
    return max(expr.start - end, start - expr.end, 0)
