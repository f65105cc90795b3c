"""The short phrase that describes a dated event on the timeline (``Event.description``).

A pure-text heuristic over the date's clause (the annotate stage keeps no dependency parse): the date goes only
where it is an adverbial that leaves no hole when dropped ("in 2014", "on Monday", "two days later", "13 years
ago"), with its preposition and the commas that set it off; it stays where it is part of a noun phrase, the
predicate or the subject ("the post-1990 order", "the depths of the Great Depression", "the mayor's 2019 speech",
"why was 1968 a turning point", "the vote was on Monday"). A date followed by ", when …" is described by that clause, which says
what happened then. The words kept are a window of at most ``DESCRIPTION_WORDS`` that starts and ends at phrase
boundaries (never on a preposition, article, conjunction, possessive or modifier waiting for its noun), never
leaves a quote mark or bracket unbalanced, and marks each side it cut with "…". A date inside a quotation stays
(the speaker's words), and so does one after "until" (its end point). Where the clause gives a stump (no verb, or
fewer than ``STUMP_WORDS`` words that say something: "on Tuesday", "it just happens that 2015"), the window is
chosen from the whole sentence, past asides in dashes or brackets, among those that are not stumps.
"""

from __future__ import annotations

import re

from .dates import MONTH, WEEKDAY, YEAR_CORE, find_date_expressions
from .phrase_words import (
    CONJUNCTIONS,
    DETERMINERS,
    NEVER_END,
    PREPOSITIONS,
    STRIP_CHARS,
    is_stump,
    may_end,
    read_word,
    says_something,
)

DESCRIPTION_WORDS = 12
#: how much a window that starts at no phrase boundary (after a noun, before a verb) loses in the choice
SOFT_START_COST = 3
#: what a window gains for keeping words on both sides of a dropped date (the verb it modified and what follows)
BOTH_SIDES = 2
#: what a window of a widened description gains for holding the date (or the place it was dropped from)
HOLDS_DATE = 6
#: a parenthetical set off by dashes or brackets: a widened description reads past it
_ASIDE = re.compile(r"\s+—[^—]{1,160}—(?=\s)|\s+–[^–]{1,160}–(?=\s)|\s*\([^()]{1,160}\)")

#: what ends a clause inside a sentence: ; : — – parentheses, a spaced hyphen, and ", and/but/while …" (a dash or
#: colon between digits is a range or a time: "1998–2001", "6:15")
_CLAUSE_BREAK = re.compile(r"[;()—]|(?<!\d)[:–]|[:–](?!\d)|\s-\s|,\s+(?:and|but|while|whereas|although)\s")
#: a preposition (with an adverb that may lead it: "back in", "as early as") before a date it governs
_LEADING_PREP = re.compile(
    r"(?:\b(?:back|way\s+back|only|just|even|already|early|late|earlier|later|sometime|ever)\s+)?"
    r"\b(?P<prep>on|in|at|since|by|from|until|till|through|throughout|during|of|for|before|after|as\s+of"
    r"|as\s+(?:early|late|recently|far\s+back)\s+as|earlier|later)\s+"
    r"(?:(?:at\s+least|at\s+most|late|early|about|around|nearly|almost|roughly|approximately|some|circa|(?P<article>a|an|the))"
    r"\s+)?$",
    re.I,
)
#: an article or demonstrative right before a date with no preposition: the date heads a noun phrase ("it was a
#: Sunday", "different from the [years before]")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|this|that|these|those|every|each)\s+$", re.I)
#: a count or an approximation before a relative date that the date's pattern left out ("Forty [years later]",
#: "a good [thirty years ago]"): it goes with the date
_APPROXIMATION = r"(?:\b(?:a\s+good|late|early|some|about|around|nearly|almost|roughly|more\s+than|less\s+than|over|at\s+least|just|only)\s+)?"
_APPROXIMATION_BEFORE = re.compile(_APPROXIMATION + "$", re.I)
_QUANTITY_BEFORE = re.compile(
    _APPROXIMATION + r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|a\s+few|several|a\s+couple\s+of)\s+$",
    re.I,
)
#: a date that starts with its unit, so a count before it is its own ("[Forty] years later")
_UNIT_FIRST = re.compile(r"(?:hours|days|weeks|months|years|decades|centuries)\b", re.I)
#: prepositions whose date is part of the noun phrase ("the aftermath of World War II", "plans for 2016")
_NOUN_PREPS = {"of", "for"}
#: prepositions whose date stays: the noun phrase's, and an end point, which dropped would turn "may not open until
#: 2031" into "may not open" and "kept running until 2030" into a plain "kept running"
_KEPT_PREPS = _NOUN_PREPS | {"until", "till"}
_COPULA = re.compile(r"\b(?:is|was|are|were|be|been|being|’s|'s)\s*$", re.I)
#: a date that counts from another time or is itself an adverb, usable without a preposition ("13 years ago")
_ADVERBIAL_DATE = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|now|ago|last|next|this|earlier|later|before|after|previous|past"
    rf"|coming|recently|same|that|{WEEKDAY}|morning|afternoon|evening|night|weekend)\b",
    re.I,
)
#: an offset that takes an object ("the day before the vote", "hours after he spoke")
_OFFSET_WITH_OBJECT = re.compile(r"\b(?:before|after|since)\s*$", re.I)
#: a verb right after a date that makes the date its subject ("This year marks …")
_SUBJECT_VERB = re.compile(r"^\s*(?:is|was|will|has|had|marks|marked|saw|sees|brings|brought|would|could|’s|'s)\b", re.I)
_POSSESSIVE = re.compile(r"[’']s\b")
#: a word that opens a clause, right before a dropped date and its comma: the comma goes with the date
_OPENS_CLAUSE = re.compile(r"\b(?:that|because|if|whether|when|while|although|though|as|and|but|since|unless|once)$",
                           re.I)
#: a participle used as a preposition before the date's own ("starting in 2021", "effective on Monday")
_STARTING = re.compile(r"\s*\b(?:starting|beginning|effective)\s*$", re.I)
#: marks that belong to the words before a description: a comma, a stop, a closing bracket or quote mark, a dash, an
#: apostrophe, a straight quote before a space or a comma
_LEADING_MARKS = re.compile(r"^(?:[\s,.;:'’)\]”—–-]|\"(?=[\s,.;:]))+")
_PREPOSITION_NEXT = re.compile(r"\s*(?:" + "|".join(sorted(
    "in on at from during through throughout after before since around by".split())) + r")\b", re.I)
_WHEN_CLAUSE = re.compile(r"\s*,?\s*(?=when\b)", re.I)

#: words that open a new phrase, so the words before them can end a description
_BREAK_BEFORE = (PREPOSITIONS | CONJUNCTIONS) - {"and", "or", "nor", "yet", "but", "so", "out", "up", "down", "off"}
#: words a description does not start with: the clause they join is the description
_LEADING_CONNECTIVE = re.compile(r"^(?:and|but|or|so|then|while|when|as)\s+", re.I)
#: "that" before a subject is a complementiser the description can drop ("shows that the …")
_LEADING_THAT = re.compile(
    r"^that\s+(?=(?:the|a|an|he|she|it|they|we|i|you|his|her|its|their|this|these|those)\b|(?-i:[A-Z]))", re.I)
_OPENERS = {"“": "”", "(": ")", "[": "]", "‘": "’"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
#: a full stop that belongs to an abbreviation ("U.S.", "Inc.")
_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St|etc|Mr|Mrs|Ms|Dr)\.)$")
#: how many characters before the date the patterns read (a preposition and what may lead it)
_TAIL = 60
_GLUED_AFTER = re.compile(r"[-‐]?\w")
#: a count paired with a relative date ("[about five or] six years ago"): it goes with the date
_COUNT_PAIR_BEFORE = re.compile(
    r"(?:\b(?:about|around|nearly|almost|roughly|some|just|only)\s+)?\b(?:\d+|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\s+(?:or|to)\s+$", re.I)
_YEAR = re.compile(r"\d{4}(?:[–-]\d{2,4})?$")
_NEXT_WORD = re.compile(r" ([a-z][a-z-]*)\b")
_VERB_WORDS = frozenset(
    "is was were are has had have will would said says became becomes began begins saw sees made makes took takes "
    "won lost left came went got gave found told led ran set put cut hit".split())
#: the other end of a range or a pair right before the date ("between 2005 and [2014]", "from now to [2050]")
_PAIR_BEFORE = re.compile(r"\b(?:and|or|nor|to)\s+$", re.I)
_WORD_NEXT = re.compile(r"\s*\w")
#: a date in a pair of time adverbials ("in the 1970s and again in the 2000s", "in 2010 and 2014"): dropping one
#: leaves the other hanging ("and again in the 2000s", "elections and 2014"), so both stay
_COORDINATED_BEFORE = re.compile(r"\b(?:and|or|but)\s+(?:(?:again|later|then|once\s+more|also)\s+)?$", re.I)
_COORDINATED_AFTER = re.compile(
    r"\s*,?\s*(?:and|or|but)\s+(?:(?:again|later|then|once\s+more|also)\s+)?(?:(?:in|on|at|by|during|since|until)\b"
    rf"|{YEAR_CORE}\b|{MONTH}|{WEEKDAY}\b)")
#: a past participle alone between a comma and the date ("X, founded in 1822, …")
_LONE_WORD = re.compile(
    r",\s*(?:\w+(?:ed|en|wn)|born|begun|won|run|built|held|made|set|sent|spent|brought|bought|taught|sold|told|found"
    r"|led|hit|put|cut|struck|kept|left)$", re.I)
_STOP_IN_QUOTE = re.compile(r"(?<![A-Z]\.[A-Z])[.,;:!?]+(?=[”’\")\]]+$)")
_BALANCED_CHARS = re.compile(r"[“”‘’()\[\]\"]")


def describe(text: str, sent_start: int, sent_end: int, date_start: int, date_end: int) -> str:
    """A short event phrase: the date's clause, without the date where it is an adverbial, at most
    ``DESCRIPTION_WORDS`` words cut at phrase boundaries, each cut side marked with "…". Where that says nothing
    (a stump: no verb, or fewer than ``STUMP_WORDS`` words besides the date), the best window of the whole
    sentence that says something, if there is one."""
    clause_start, clause_end = _clause(text, sent_start, sent_end, date_start, date_end)
    when = _WHEN_CLAUSE.match(text, date_end, clause_end)
    if when and len(text[when.end() : clause_end].split()) >= 4:  # "in 2009, when the dam broke": what happened then
        return _window(text[when.end() : clause_end].split(), 0, 0, cut_left=False)[0]
    quoted = _inside_quotation(text, sent_start, date_start)
    phrase, stump = _describe_between(text[clause_start:date_start], text[date_start:date_end],
                                      text[date_end:clause_end], quoted)
    if stump:  # "on Tuesday", "it just happens that 2015": the sentence round the clause says what happened
        left = _ASIDE.sub("", text[sent_start:date_start]).rsplit(";", 1)[-1]  # not past a semicolon: the clause
        right = _ASIDE.sub("", text[date_end:sent_end]).split(";", 1)[0]  # after it has its own verb
        date = text[date_start:date_end]  # a description that is the date alone ("March 16") may move away from it
        anywhere = not any(says_something(token) for token in phrase.replace(date, " ").split())
        wider, still_stump = _describe_between(left, date, right, quoted, widen=True, anywhere=anywhere)
        if not still_stump:
            return wider
    return phrase


def _inside_quotation(text: str, sent_start: int, date_start: int) -> bool:
    """The date is inside a quotation that opens in its sentence: a speaker's words, which stay as they were."""
    before = text[sent_start:date_start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _describe_between(left: str, date: str, right: str, quoted: bool, widen: bool = False,
                      anywhere: bool = False) -> tuple[str, bool]:
    """The phrase made of ``left + date + right`` (the date's clause, or its sentence when ``widen``), and whether
    it is a stump. ``widen`` takes the best window that holds the date (``anywhere``: any window) and is not a
    stump."""
    edited = None if quoted else _drop_date(left, date, right)
    if edited is None or _too_short(edited[0] + " " + edited[1]):
        tokens = (left + date + right).split()  # the date stays: part of a noun phrase, the subject or the predicate
        lo = len(left.split()) - (1 if left[-1:].strip() else 0)
        if _PAIR_BEFORE.search(left[-_TAIL:]):  # "five or six years ago": the pair's other end is part of the date
            lo = max(0, lo - 2)
        hi = len((left + date).split())
        hi = max(hi, lo + 1) if lo < len(tokens) else lo
        date_tokens = range(lo, hi)
        return _window(tokens, lo, hi, date_tokens=date_tokens, widen=widen, anywhere=anywhere)
    new_left, new_right = edited[0].rstrip(), edited[1].lstrip()
    glued = new_right[:1] in tuple(",.;:!?") or new_left[-1:] in tuple("“‘([") or (
        new_left[-1:] in ('"', "'") and new_left[-2:-1] in ("", " "))  # an opening straight quote
    joined = new_left + ("" if glued else " ") + new_right
    pivot = len(new_left.split())
    # a date that opened the text modified all of it: any window of it says what happened then
    return _window(joined.split(), pivot, pivot, hole=pivot, widen=widen, anywhere=anywhere or pivot == 0)


def _modifies_noun(right: str) -> bool:
    """A lower-case word right after a year, neither a function word nor verb-like, that a preposition or a
    punctuation mark follows ("from 1990 levels by 2040", not "since 1990 shows that" or "in 2011 cost the"): the
    year modifies it."""
    m = _NEXT_WORD.match(right)
    if m is None:
        return False
    word, rest = m.group(1), right[m.end() :]
    if word in NEVER_END or word in _VERB_WORDS or word.endswith(("ed", "ly")):
        return False
    after = rest.split(maxsplit=1)[0] if rest.strip() else ""
    return not after or after[0] in ",.;:!?)”\"" or after.lower() in PREPOSITIONS


def _too_short(clause: str) -> bool:
    """Fewer than three words would be left ("What happened?"): the date stays rather than leave a stump."""
    words = clause.split(None, 5)[:5]
    if words and _LEADING_CONNECTIVE.match(words[0] + " "):
        words = words[1:]
    return sum(any(ch.isalnum() for ch in word) for word in words) < 3


def _clause(text: str, sent_start: int, sent_end: int, date_start: int, date_end: int) -> tuple[int, int]:
    """The date's clause: the sentence cut at the clause breaks around it, except breaks inside a quotation
    ("the essay “Harbours: A Short History”") or a bracket ("a “wall of [their] silence”")."""
    clause_start, clause_end = sent_start, sent_end
    quoting = "“" in text[sent_start:sent_end]
    for m in _CLAUSE_BREAK.finditer(text, sent_start, sent_end):
        if (quoting and "(" not in m.group() and ")" not in m.group()
                and text.count("“", sent_start, m.start()) > text.count("”", sent_start, m.start())):
            continue
        if m.end() <= date_start:
            clause_start = m.end()
        elif m.start() >= date_end:
            clause_end = m.start()
            break
    return clause_start, clause_end


def _drop_date(left: str, date: str, right: str) -> tuple[str, str] | None:
    """The clause's text before and after the date with the date taken out, or None where it must stay."""
    if (left and (left[-1].isalnum() or left[-1] in "-‐")) or _GLUED_AFTER.match(right):
        return None  # glued into a word: "post-1990", "1990-era"
    possessive = _POSSESSIVE.match(right)
    if possessive:  # ``after today’s meeting``: the date names the meeting, which stays (``after the meeting``)
        return left, " the" + right[possessive.end() :]
    tail = left[-_TAIL:]  # the patterns below look only at the words right before the date
    if _ADVERBIAL_DATE.search(date) and (pair := _COUNT_PAIR_BEFORE.search(tail)):  # "about five or six years ago"
        left, tail = left[: len(left) - len(tail) + pair.start()], tail[: pair.start()]
    if _PAIR_BEFORE.search(tail):
        return None  # one end of a range or a pair: "between 2005 and 2014", "from now to 2050"
    prep = _LEADING_PREP.search(tail)
    if prep:
        head = left[: len(left) - len(tail) + prep.start()]
        if prep.group("prep").lower() in _KEPT_PREPS or _COPULA.search(head[-_TAIL:]):
            return None  # "the aftermath of 1945", "may not open until 2031" (without it: "may not open")
        if _COORDINATED_BEFORE.search(head[-_TAIL:]) or _COORDINATED_AFTER.match(right):
            return None  # "in the 1970s and again in the 2000s": a pair of adverbials stays whole
        if prep.group("article"):
            return None  # "in a 2015 study", "falls on a Sunday": the date is in a noun phrase
        if _OFFSET_WITH_OBJECT.search(date) and _WORD_NEXT.match(right):
            return None  # "through the months after the storm": the offset's object stays with it
        if _YEAR.match(date) and _modifies_noun(right):
            return None  # "from 1990 levels": the year is part of the noun phrase
        left = head
        if (starting := _STARTING.search(left)) is not None:
            left = left[: starting.start()]  # "would end the expansion starting in 2021": the participle goes too
    elif not _ADVERBIAL_DATE.search(date) or _ARTICLE_BEFORE.search(tail):
        return None  # an absolute date with no preposition, or one after an article, names something
    elif not left.strip() and _SUBJECT_VERB.match(right):
        return None  # "This year marks …": the date is the subject
    elif _OFFSET_WITH_OBJECT.search(date) and _WORD_NEXT.match(right):
        comma = right.find(",")
        if left.strip() or comma < 0 or len(right[:comma].split()) > 8:
            return None  # "90 days after he took office": the offset's object stays with it
        right = right[comma:]  # "Hours before the vote, the senator changed": the whole opener goes
    else:
        quantity = (_UNIT_FIRST.match(date) and _QUANTITY_BEFORE.search(tail)) or _APPROXIMATION_BEFORE.search(tail)
        left = left[: len(left) - len(tail) + quantity.start()]  # type: ignore[union-attr]  # the latter matches empty
    left_trim, right_trim = left.rstrip(), right.lstrip()
    lone = _LONE_WORD.search(left_trim[-_TAIL:])
    if lone and right_trim.startswith(","):  # "X, established in the 1970s, did": the participle goes with its date
        left_trim = left = left_trim[: len(left_trim) - len(left_trim[-_TAIL:]) + lone.start()]
        right = right_trim = right_trim[1:].lstrip()
    if right_trim.startswith(","):
        if left_trim.endswith(","):  # "that, in 1990, passed"
            right, left = right_trim[1:], left_trim[:-1]
        elif not left_trim.strip(STRIP_CHARS) or left_trim[-1] in "—–([“‘\"" or _OPENS_CLAUSE.search(left_trim[-_TAIL:]) \
                or _PREPOSITION_NEXT.match(right_trim, 1):
            right = right_trim[1:]  # "In 2007, the court held", "shows that in 2022, the tax", "dated from 2011, from
            # the weeks after": the comma closed the date or set off a phrase that restates it
    elif not right_trim and left_trim.endswith(","):
        left = left_trim[:-1]
    return left.rstrip() + " ", right.lstrip()


def _good_start(tokens: list[str], a: int) -> bool:
    if a == 0:
        return True
    before, word = read_word(tokens[a - 1]), read_word(tokens[a])
    if before.clause_mark:
        return True
    if word.relative and not (word.bare == "that" and a + 1 < len(tokens)
                              and _LEADING_THAT.match(f"that {tokens[a + 1]}")):
        return False
    if word.phrase_opener:
        return before.bare not in DETERMINERS and not before.possessive
    return word.capital and not before.capital and before.bare not in DETERMINERS and not before.possessive \
        and before.bare not in PREPOSITIONS


def _soft_start(tokens: list[str], a: int) -> bool:
    """A start inside a clause after a word that can end a phrase and does not modify this one ("…carries
    profound dangers" after "government"): a last resort, scored below the phrase starts."""
    return a > 0 and read_word(tokens[a - 1]).can_end and not _waits_for_noun(tokens, a) \
        and read_word(tokens[a]).bare not in NEVER_END


def _good_end(tokens: list[str], b: int, hole: int | None) -> bool:
    last = read_word(tokens[b - 1])
    if b == len(tokens):  # the clause's own end: a stranded preposition ("what it was about") ends it too
        return last.can_end or last.bare in PREPOSITIONS
    if not last.can_end:
        return False
    if last.clause_mark or b == hole or last.closes:
        return True
    word = read_word(tokens[b]).bare
    if word not in _BREAK_BEFORE:
        return False
    name_inside = (word in {"of", "for", "de", "and"} and last.capital
                   and b + 1 < len(tokens) and read_word(tokens[b + 1]).capital)
    return not name_inside


def _window(tokens: list[str], lo: int, hi: int, hole: int | None = None, cut_left: bool = True,
            date_tokens: range = range(0), widen: bool = False, anywhere: bool = False) -> tuple[str, bool]:
    """The best run of at most ``DESCRIPTION_WORDS`` tokens holding tokens ``lo:hi`` (the date, or its hole),
    from a phrase start to a phrase end, as text, and whether it is a stump (``date_tokens`` left out). With
    ``widen`` the best run that is not a stump (with ``anywhere`` too, one that does not hold the date), or ("",
    True) if there is none."""
    n = len(tokens)
    if n == 0:
        return "", True
    if widen:
        return _widest_saying(tokens, lo, hi, hole, cut_left, date_tokens, anywhere)
    if n <= DESCRIPTION_WORDS and _good_end(tokens, n, hole):
        return _render(tokens, 0, n, cut_left), _stump_between(tokens, 0, n, date_tokens)
    best: tuple[float, int, int] | None = None
    first_end = max(hi, 1)
    ends = [_good_end(tokens, b, hole) for b in range(first_end, min(n, lo + DESCRIPTION_WORDS + 1) + 1)]
    for a in range(max(0, hi - DESCRIPTION_WORDS - 1), min(lo, n - 1) + 1):
        good = _good_start(tokens, a)
        if not good and not _soft_start(tokens, a):
            continue
        drop = _dropped_opener(tokens, a)
        for b in range(min(n, a + DESCRIPTION_WORDS + drop), max(hi, a + 1) - 1, -1):
            if ends[b - first_end]:
                score = _score(tokens, a, b, drop, good, hole)
                if best is None or score > best[0]:
                    best = (score, a, b)
                break  # the longest good end for this start
    if best is None:
        a, b = _hard_window(tokens, lo, hi)
    else:
        a, b = best[1], best[2]
    return _render(tokens, a, b, cut_left), _stump_between(tokens, a, b, date_tokens)


def _dropped_opener(tokens: list[str], a: int) -> int:
    """1 where the window's first word is a connective or a "that" the rendering drops."""
    nxt = tokens[a + 1] if a + 1 < len(tokens) else ""
    return 1 if _LEADING_CONNECTIVE.match(tokens[a] + " ") or _LEADING_THAT.match(tokens[a] + " " + nxt) else 0


def _score(tokens: list[str], a: int, b: int, drop: int, good: bool, hole: int | None) -> float:
    """Longer is better; the clause's own start and end, a start after a comma, and words on both sides of a
    dropped date score more; a soft start scores less."""
    n = len(tokens)
    return (b - a - drop) + 2 * (a == 0) + 2 * (b == n) + (a > 0 and tokens[a - 1][-1] in ",;:") \
        - SOFT_START_COST * (not good) + BOTH_SIDES * (hole is not None and a + 2 <= hole <= b - 2)


def _stump_between(tokens: list[str], a: int, b: int, date_tokens: range) -> bool:
    return is_stump(tokens, a, b, date_tokens)


def _widest_saying(tokens: list[str], lo: int, hi: int, hole: int | None, cut_left: bool,
                   date_tokens: range, anywhere: bool) -> tuple[str, bool]:
    """The best window of ``tokens`` that holds the date (or, with ``anywhere``, any window) and is not a stump,
    by the usual score, every good end of every start tried."""
    n = len(tokens)
    candidates: list[tuple[float, int, int]] = []
    starts = range(n) if anywhere else range(max(0, hi - DESCRIPTION_WORDS - 1), min(lo, n - 1) + 1)
    last = n if anywhere else min(n, lo + DESCRIPTION_WORDS + 1)
    first = 1 if anywhere else max(hi, 1)
    ends = [b == n or (first <= b <= last and _good_end(tokens, b, hole)) for b in range(n + 1)]
    for a in starts:
        good = _good_start(tokens, a) or a == hole  # where a date went, a new phrase starts ("…ago[ today], on May 2")
        if not good and not _soft_start(tokens, a):
            continue
        drop = _dropped_opener(tokens, a)
        for b in range(min(n, a + DESCRIPTION_WORDS + drop), max(a, hi if not anywhere else a), -1):
            if ends[b]:
                holds = a <= lo and hi <= b
                candidates.append((_score(tokens, a, b, drop, good, hole) + HOLDS_DATE * holds, a, b))
    for _, a, b in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if not _stump_between(tokens, a, b, date_tokens):
            return _render(tokens, a, b, cut_left), False
    return "", True


def _hard_window(tokens: list[str], lo: int, hi: int) -> tuple[int, int]:
    """No phrase boundaries in reach: the words around the date, backed off from a word that waits for more."""
    n = len(tokens)
    a = max(0, min(lo, hi - DESCRIPTION_WORDS // 2))
    b = min(n, a + DESCRIPTION_WORDS)
    while b > max(hi, a + 1) and b < n and (not may_end(tokens[b - 1]) or _waits_for_noun(tokens, b)):
        b -= 1
    return a, b


def _waits_for_noun(tokens: list[str], b: int) -> bool:
    """The last kept word modifies the next one: a lower-case adjective-like word, a number, or a name that goes
    on ("northern [Ontario]", "2,000 [workers]", "Anna [Berg]")."""
    last, nxt = tokens[b - 1], tokens[b]
    if last[-1] in ",;:”)]":
        return False
    word = read_word(last)
    if last.strip(STRIP_CHARS)[:1].isupper() and read_word(nxt).capital:
        return True
    return word.modifier_like and nxt[:1].islower() and nxt.strip(STRIP_CHARS).isalpha()


def _render(tokens: list[str], a: int, b: int, cut_left: bool = True) -> str:
    n = len(tokens)
    words = tokens[a:b]
    while words and _LEADING_CONNECTIVE.match(words[0] + " "):
        words.pop(0)
    if words and _LEADING_THAT.match(" ".join(words[:2]) + " "):
        words.pop(0)
    if not words:
        return ""
    phrase = " ".join(words).replace(" ,", ",")
    phrase = _LEADING_MARKS.sub("", phrase).rstrip(" ,;:-—–")
    if phrase.endswith(".") and not _ABBREVIATION_END.search(phrase[-12:]):  # the full stop, not an abbreviation's
        phrase = phrase[:-1]
    phrase = _STOP_IN_QUOTE.sub("", phrase)  # "cooperation.”" → "cooperation”"
    phrase = phrase.replace(",,", ",").replace(" )", ")")  # "(as he did [last year])"
    return _balance(phrase, cut_left and a > 0, b < n)


def _balance(phrase: str, cut_left: bool, cut_right: bool) -> str:
    """Mark the cut sides with "…" and close (or open) a quote mark or bracket the cut left unbalanced."""
    opened: list[str] = []
    unopened: list[str] = []
    if not _BALANCED_CHARS.search(phrase):
        return ("…" if cut_left else "") + phrase + ("…" if cut_right else "")
    for i, ch in enumerate(phrase):
        if ch in _OPENERS and not (ch == "‘" and i > 0 and phrase[i - 1].isalnum()):
            opened.append(ch)
        elif ch in _CLOSERS:
            if ch == "’" and (i + 1 < len(phrase) and phrase[i + 1].isalpha() or "‘" not in opened and i > 0
                              and phrase[i - 1] in "sz"):
                continue  # an apostrophe: won’t, Norway’s, farmers’
            if _CLOSERS[ch] in opened:
                del opened[len(opened) - 1 - opened[::-1].index(_CLOSERS[ch])]
            else:
                unopened.append(ch)
    straight = [i for i, ch in enumerate(phrase) if ch == '"']
    straight_tail = straight_head = ""
    if len(straight) % 2:  # a lone straight quote: a closing one follows a word, an opening one precedes one
        first = straight[0]
        closes = first > 0 and not phrase[first - 1].isspace() and (first + 1 == len(phrase) or not phrase[first + 1].isalnum())
        straight_head, straight_tail = ('"', "") if closes else ("", '"')
    tail = "".join(_OPENERS[o] for o in reversed(opened)) + straight_tail
    head = straight_head + "".join(_CLOSERS[c] for c in reversed(unopened))
    if cut_left or head:
        phrase = head + "…" + phrase
    if cut_right or tail:
        phrase = phrase + "…" + tail
    return phrase


# ----------------------------------------------------------------------------- the checker


def description_flaws(description: str) -> list[str]:
    """What a reader would call broken in a description: ``function word end`` (it ends on a preposition,
    article, conjunction, determiner, modal or possessive), ``unbalanced quote`` (a quote mark or bracket opened
    and not closed, or closed and not opened), ``leading stray mark`` (it opens with a comma, a stop, a dash, a
    closing bracket or a closing quote mark: ", she received"), ``hole in a quotation`` (a quotation that lost words
    at its edge or all of them: "NBC’s “” show"), ``stray comma`` (a comma right after a conjunction, a
    complementiser or an article, with nothing to set off: "shows that, the tax"), ``stump`` (no finite verb, or
    fewer than ``STUMP_WORDS`` words that say something besides the date: "on Tuesday", "until 2020", "it just
    happens that 2015"), ``dangling hyphen`` (a word cut at its hyphen: "post- security")."""
    flaws = []
    words = [w for w in description.replace("…", " ").split() if any(ch.isalnum() for ch in w)]
    if words and not may_end(words[-1]):
        flaws.append("function word end")
    if _unbalanced(description):
        flaws.append("unbalanced quote")
    if re.search(r"(?:\w-(?=\s|$|[,.;:])|(?:^|\s)-\w)", description):
        flaws.append("dangling hyphen")
    if _LEADING_STRAY.match(description):
        flaws.append("leading stray mark")
    if _QUOTE_HOLE.search(description):
        flaws.append("hole in a quotation")
    if _STRAY_COMMA.search(description):
        flaws.append("stray comma")
    if is_stump(_without_dates(description), cut_end=description.rstrip("”’\"'").endswith("…")):
        flaws.append("stump")
    return flaws


def _without_dates(description: str) -> list[str]:
    """The description's tokens without the dates in it (a stump is judged on what the description says besides
    its date)."""
    text = description.replace("…", " ").rstrip()
    for expr in reversed(find_date_expressions(text)):
        text = text[: expr.start] + " " + text[expr.end :]
    return text.split()


#: a description that opens with a mark that belongs to the words before it (after any "…")
_LEADING_STRAY = re.compile(r"^[…\s]*(?:[,;:.!?)\]”’—–-]|[\"'](?=[\s,.;:]|$))")
#: quote marks around nothing, or with a space inside next to the mark: the date was taken out of the quotation
_QUOTE_HOLE = re.compile(r"“\s*”|‘\s*’|“\s|\s”(?!\w)|\"\"")
#: a comma right after a word that opens a clause or a noun phrase and waits for it ("that, the tax", "the, "), or
#: right after a dash or an opening mark ("— , the board")
_STRAY_COMMA = re.compile(
    r"(?<!\bof )(?<!\bafter )(?<!\bbefore )(?<!\bdo )(?<!\bdid )(?<!\bdoes )(?<!\bsince )(?<!\blike )"
    r"\b(?:that|because|if|whether|unless|whereas|the|a|an)\s*,(?![^,]*,)|[—–(\[“‘]\s*,", re.I)


def _unbalanced(text: str) -> bool:
    depth = {"“": 0, "(": 0, "[": 0}
    for ch in text:
        if ch in depth:
            depth[ch] += 1
        elif ch in ("”", ")", "]"):
            opener = _CLOSERS[ch]
            if depth[opener] == 0:
                return True
            depth[opener] -= 1
    return any(depth.values()) or text.count('"') % 2 == 1
