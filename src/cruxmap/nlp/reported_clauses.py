"""What a reporting cue's clause holds: where its reported content starts, whether the speaker may follow
the cue, and the reporter of a nested report (``X said that Y once called it “…”``) or of a pronoun
(``the investigator said he told the panel: “…”``)."""

from __future__ import annotations

import re

from .quote_marks import word_count
from .speaker_mentions import Cue, Speaker, find_cues
from .speaker_words import PRONOUNS, TIME_PHRASE_START
from .speakers import SpeakerFinder

#: ``X said he …`` / ``X told reporters she …``: a reporting verb right before a subject pronoun
_SAID_PRONOUN = re.compile(r"\b(?P<cue>said|says|told|tells|added|adds|wrote|writes)\s+(?:\w+\s+)?(?:that\s+)?$")


def reporter_of_pronoun(finder: SpeakerFinder, text: str, lo: int, speaker: Speaker) -> Speaker:
    """``the investigator said he told the panel: “…”``: the reporter is who ``he`` is, whatever name an
    earlier sentence offers; the mention becomes the reporter's own."""
    if text[speaker.start : speaker.end].lower() not in ("he", "she"):
        return speaker
    said = _SAID_PRONOUN.search(text, lo, speaker.start)
    if said is None:
        return speaker
    reporter = finder.left_of(lo, Cue(said.group("cue"), said.start("cue"), said.end("cue")))
    if reporter is None or text[reporter.start : reporter.end].lower() in PRONOUNS:
        return speaker
    return reporter


#: reporting verbs whose reported clause may hold another's report
_OUTER_CUES = frozenset({"said", "says", "say", "acknowledged", "acknowledges", "admitted", "admits", "added", "adds",
                         "argued", "argues", "claimed", "claims", "insisted", "insists", "noted", "notes", "wrote",
                         "writes", "told", "tells", "testified", "recalled", "recalls"})


#: a clause or phrase of time, cause or concession inside a reported clause, ending where an inner report begins
_ADJUNCT = re.compile(r"\b(?:after|before|despite|until|since|because|while|when)\b(?!.*\b(?:said|says|that)\b)",
                      re.IGNORECASE)


def outer_report(finder: SpeakerFinder, text: str, lo: int, hi: int, speaker: Speaker, cue: Cue
                 ) -> tuple[Speaker, Cue] | None:
    """``X said that Y once described it as “…”`` / ``X acknowledged that a ledger suggested … “…”``: a quoted
    phrase inside a report nested in X's reported clause is given as X's (the outer report is what the
    article attributes); a quotation the inner verb introduces itself (``Y told him: “…”``) stays Y's."""
    if text[lo:hi].rstrip()[-1:] in (":", ","):
        return None
    for outer in find_cues(text, lo, min(speaker.start, cue.start)):
        if outer.text.lower() not in _OUTER_CUES:
            continue
        content = content_start(text, outer, hi)
        if content is None or content > min(speaker.start, cue.start):
            continue
        if ";" in text[content : min(speaker.start, cue.start)]:
            continue  # ``X claims …; and Y, who …, claims that …“…”``: a semicolon opened a clause of its own
        if _ADJUNCT.search(text, content, min(speaker.start, cue.start)):
            continue  # ``X said the board backed her after the mayor called her “…”``: the author's setting, Y's words
        found = finder.left_of(lo, outer)
        if found is not None:
            return found, outer
    return None


#: a sentence that opens with a subordinate clause (``When X says that …,``) …
SUBORDINATE_OPENING = re.compile(
    r"\s*(?:when|whenever|if|as|while|although|though|because|since|once|unless|after|before)\b", re.IGNORECASE)
#: … and the comma after which its main clause begins with a subject pronoun
MAIN_CLAUSE = re.compile(r",[”\"’]?\s+(?:he|she|it|they|we|I|you|there)\b")

#: cues that name or describe rather than report speech; they need a person right before them
NAMING_CUES = frozenset({"called", "calls", "described", "describes", "dubbed", "labeled", "labelled"})


def speaker_may_follow(cue: Cue) -> bool:
    """``said X`` names the speaker after the cue; ``told X`` / ``telling X`` names the listener."""
    word = cue.text.lower()
    return (
        not word.endswith("ing")
        and word not in NAMING_CUES
        and word not in ("told", "tell", "tells", "asked", "asks", "urged", "urges")
    )


def content_start(text: str, cue: Cue, hi: int) -> int | None:
    """Where the reported content begins after a cue: after ``that`` if it comes soon, else right away."""
    rest = text[cue.end : hi]
    that = re.search(r"\bthat\b", rest)
    if (that and word_count(rest[: that.start()]) <= 7 and "," not in rest[: that.start()].strip(" ,")
            and not _has_verb(rest[: that.start()])):  # ``said officials have video that shows``: a relative ``that``
        after = rest[that.end() :]
        if not rest[: that.start()].strip() and _THAT_OBJECT.match(after) and not _has_verb(" ".join(after.split()[:8])):
            return None  # ``answered that question with …``: ``that`` points at the object; no clause follows
        return cue.end + that.end() + len(after) - len(after.lstrip())
    stripped = rest.lstrip(" :")
    when = TIME_PHRASE_START.match(stripped)
    if when:
        stripped = stripped[when.end() :]
    if cue.text.lower() in ("told", "tells", "tell", "asked", "urged", "promised") or not stripped:
        return None
    if stripped.startswith(","):
        return None  # ``said Friday afternoon, as they …``: no reported clause follows
    say = cue.text.lower() in ("said", "says", "say")
    clause = CLAUSE_START.match(stripped) or (say and not _NOT_CLAUSE_START.match(stripped))
    head = " ".join(re.split(r"\s[-–—]\s|—", stripped, maxsplit=1)[0].split()[:8])  # an aside ends at its dash
    if not clause or not (_SUBJECT_PRONOUN.match(stripped) or _FINITE.search(head) or _PRESENT.search(head)
                          or _IRREGULAR.search(_COORDINATION.split(head, maxsplit=1)[0])):
        return None  # ``claimed responsibility for …``: an object, not a reported clause
    return cue.end + len(rest) - len(stripped)


#: ``that`` + one word + a preposition or the clause's end: a determiner and its noun (``answered that question with``)
_THAT_OBJECT = re.compile(r"\s+[a-z]+(?:\s+(?:with|by|in|on|at|for|from|before|after|during|without|through|over)\b|\s*[.,;:!?]|\s*$)")
#: common irregular past tenses (``said the ferry lost money``: the clause's verb is no ``-ed`` form); words that are
#: as often nouns or adjectives (``left``, ``set``, ``cut``, ``bound``) are left out
IRREGULAR_PAST = (
    "rose", "fell", "grew", "went", "came", "made", "took", "gave", "knew", "thought", "became", "began", "kept",
    "lost", "met", "paid", "ran", "sold", "told", "wrote", "said", "brought", "bought", "found", "held", "stood",
    "sent", "built", "broke", "chose", "drove", "threw", "flew", "drew", "spoke", "stole", "struck", "fought",
    "caught", "taught", "sought", "understood", "won", "withdrew", "forgot", "froze", "hid", "shook", "sank",
    "tore", "dealt", "fled", "got", "heard", "spent", "swept", "overcame", "undertook", "upheld", "withheld",
    "meant", "felt", "led", "sat", "slept", "spread", "stuck")
_NOT_CLAUSE_START = re.compile(
    r"(?:in|on|at|to|for|with|during|after|before|by|of|about|from|into|over|so|"
    r"yes|no|nothing|something|anything|goodbye|hello|thanks)\b|[^\w]",
    re.IGNORECASE,
)


#: a reported clause without ``that`` starts with a subject …
CLAUSE_START = re.compile(
    r"(?:(?:he|she|it|they|we|I|there|the|a|an|this|these|those|his|her|their|its|our|"
    r"no|some|many|most|all)\b|[A-Z])"
)
#: a subject pronoun right after the cue opens a reported clause (``said she plans to …``)
_SUBJECT_PRONOUN = re.compile(r"(?:he|she|they|we|I)\s+[a-z]")
#: a present-tense verb before a function word (``the party plans to``, ``the bill costs more``)
_PRESENT = re.compile(r"\b[a-z]{3,}s\s+(?:to|that|a|an|the|it|more|less|no|not|in|on|for|with|its|his|her|their)\b")
#: … and holds a finite verb
_FINITE = re.compile(
    r"\b(?:is|are|was|were|will|would|had|has|have|can|could|should|must|may|might|did|does|"
    r"do|wo|won’t|won't)\b|\b\w+ed\b|\b[a-z]+n[’']t\b"
)
#: an irregular past counts only before the first comma or coordination: in ``France announced the plan in 1974 and
#: built its fleet`` the ``built`` is the main clause's second verb, not a reported clause's
_IRREGULAR = re.compile(r"\b(?:" + "|".join(IRREGULAR_PAST) + r")\b")
_COORDINATION = re.compile(r",|\s(?:and|but|or)\s")


def _has_verb(words: str) -> bool:
    """Any sign of a finite verb: an auxiliary, an ``-ed`` past or a common irregular one."""
    return bool(_FINITE.search(words) or _IRREGULAR.search(words))

