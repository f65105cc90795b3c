"""How the timeline's descriptions read words: word classes, one token's reading (``read_word``), finite verbs found
without a tagger (``_verb_at``), words that say something, and stumps (``is_stump``).

``event_phrase`` chooses a description's window with these, and its checker (``description_flaws``) judges one with
them; neither needs a tagger, so both run in the annotate stage and in ``scripts/event_descriptions.py`` alike.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .dates import NUMBER_WORDS

PREPOSITIONS = frozenset(
    "about above across after against along amid among around as at before behind below beneath beside besides "
    "between beyond by despite down during except for from in inside into like near of off on onto out outside "
    "over past per since than through throughout till to toward towards under underneath unlike until up upon via "
    "with within without including".split()
)
DETERMINERS = frozenset(
    "a an the this that these those my your his her its our their some any each every no another such whose which "
    "what all both either neither few many much more most several other".split()
)
CONJUNCTIONS = frozenset(
    "and or but nor so yet because although though while whereas if unless whether when where once that who whom "
    "whose which than".split()
)
MODIFIERS = frozenset("very too quite rather not will would can could should must may might shall".split())
#: words a description never ends on: each waits for what follows it
NEVER_END = PREPOSITIONS | DETERMINERS | CONJUNCTIONS | MODIFIERS
_PRONOUNS = frozenset("he she they we i it you there".split())
#: relative pronouns: the clause they open hangs on the noun before them, so a description does not start there
_RELATIVES = frozenset("which who whom whose that".split())
STRIP_CHARS = "\"“”‘’'()[],.;:!?"
_STRIP_NOT_APOSTROPHE = STRIP_CHARS.replace("'", "").replace("’", "")
#: the word-final letters of adjectives and numbers that wait for a noun ("northern", "Flemish", "armed", "2,000")
_MODIFIER_SUFFIX = re.compile(r"(?:al|ic|ive|ous|ern|ian|ese|ish|ful|less|able|ible|ary|ed|[0-9]th|[0-9])$")
#: words that make a clause finite: auxiliaries, modals and the commonest irregular verbs (the regular ones are told
#: by their ending, see ``_verb_at``)
_FINITE = frozenset(
    "is are was were am be been being has have had do does did will would can could shall should may might must "
    "said says told tells went goes came comes took takes made makes gave gives got gets saw sees knew knows "
    "thought thinks found finds became becomes began begins held holds kept keeps led leads met meets paid pays "
    "ran runs sent sends spent spends stood stands won wins wrote writes lost loses brought brings bought buys "
    "built builds fell falls felt feels fought heard hears meant means sold sells spoke speaks struck threw "
    "understood drew drove flew grew grows shot rose seems wants needs remains includes left leaves put set cut hit "
    "ca wo won’t can’t don’t doesn’t didn’t isn’t wasn’t aren’t weren’t won't can't don't doesn't didn't isn't "
    "wasn't aren't weren't".split())
#: words that follow a verb in "-s" and hardly ever a plural noun ("the study shows that", "Obamacare represents the")
_AFTER_PRESENT_VERB = frozenset("the a an that to his her its their this these those no it him them us".split())
#: pronouns that count as a verb's subject or object in a description; "it" and "there" do not (often expletive:
#: "it just happens that")
_PERSONAL = frozenset("he she they we i you him her them us me".split())
#: adverbs that carry nothing on their own
_LIGHT = frozenset("just also only even still then now here there again already yet ever indeed really".split())
#: a description needs a verb and at least this many words that say something (nouns, verbs, adjectives, names,
#: personal pronouns; not function words, auxiliaries, light adverbs or the date itself): "he resigned" passes,
#: "it just happens that [2015]", "on [Tuesday]", "until [2020]", "that will be decided" do not
STUMP_WORDS = 2
_CONTRACTED_VERB = re.compile(r"[’'](?:s|re|ll|ve|d|m)$|n[’']t$", re.I)


@lru_cache(maxsize=16384)
def _bare(word: str) -> str:
    return word.strip(STRIP_CHARS).lower()


@lru_cache(maxsize=16384)
def _possessive(word: str) -> bool:
    return word.rstrip(_STRIP_NOT_APOSTROPHE).endswith(("’s", "'s"))


_AUXILIARIES = frozenset("is are was were am be been being has have had do does did ca wo".split()) | MODIFIERS
#: determiners that open a noun phrase (not "that", "which", "what", which may open a clause)
_NOUN_DETERMINERS = DETERMINERS - {"that", "which", "what", "whose"}
_PLURAL_SUBJECTS = frozenset("they we i you".split())
_SUBJECT_BEFORE_VERB = frozenset("he she it who which that this".split())
_CONTRACTED_HEADS = frozenset("that it he she there what who here where let".split())


@lru_cache(maxsize=32768)
def _head(word: str) -> tuple[str, bool]:
    """A token's bare word without a verb contraction, and whether it carried one ("that’s" → ("that", True);
    "Norway’s" is a possessive and keeps its "’s")."""
    bare = _bare(word)
    m = _CONTRACTED_VERB.search(bare)
    if m is None:
        return bare, False
    head = bare[: m.start()]
    if m.group().lower()[1:] == "s" and head not in _CONTRACTED_HEADS:
        return bare, False
    return head, True


def _verb_at(tokens: list[str], i: int, cut_after: bool = False) -> bool:
    """A finite verb, read from the word and its neighbours (no tagger): an auxiliary, a modal or a common irregular
    form; a contraction ("it’s", "didn’t"); a lower-case word in "-ed" not after a determiner ("the council voted",
    not "the armed forces", "seven elected members"); a lower-case word in "-s" after a subject pronoun, or before an article, a possessive or
    "that" ("the study shows that", "Obamacare represents the"), or before the cut of a checked description
    (``cut_after``: "the study shows…")."""
    token = tokens[i]
    word, contracted = _head(token)
    if contracted:
        return True
    if word in _FINITE:
        return not (word in {"may", "will", "won"} and i > 0 and token.strip(STRIP_CHARS)[:1].isupper())
    stripped = token.strip(STRIP_CHARS)
    if not stripped[:1].islower() or not stripped.isalpha():
        return False
    before = read_word(tokens[i - 1]) if i > 0 else None
    if before is not None and before.capital and i + 1 < len(tokens) and read_word(tokens[i + 1]).capital \
            and word not in NEVER_END and before.bare not in NEVER_END and tokens[i - 1][-1:].isalpha():
        return True  # between two names: "Obama beat Romney"
    if before is not None and before.bare in _PLURAL_SUBJECTS and word not in NEVER_END and word not in _LIGHT \
            and not word.endswith("ly"):
        return True  # "they take", "we learn"
    if word.endswith("ed") and len(word) >= 4:
        return before is None or (before.bare not in _NOUN_DETERMINERS and not before.possessive
                                  and before.bare not in NUMBER_WORDS and not before.bare[:1].isdigit())
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")) and len(word) >= 4:
        if before is not None and before.bare in _SUBJECT_BEFORE_VERB:
            return True
        after = _bare(tokens[i + 1]) if i + 1 < len(tokens) else ""
        return (after in _AFTER_PRESENT_VERB or cut_after) and before is not None and not before.possessive \
            and before.bare not in _NOUN_DETERMINERS and before.bare not in PREPOSITIONS \
            and before.bare not in NUMBER_WORDS and not before.bare[:1].isdigit()
    return False


@lru_cache(maxsize=32768)
def says_something(token: str) -> bool:
    """A word that carries content: not a function word, an auxiliary, a light adverb or an impersonal pronoun."""
    word, _ = _head(token)
    if not word or not any(ch.isalnum() for ch in word):
        return False
    if word in _PERSONAL:
        return True
    return word not in NEVER_END and word not in _AUXILIARIES and word not in _LIGHT and word not in _PRONOUNS \
        and word not in {"its", "itself"}


def is_stump(tokens: list[str], a: int = 0, b: int | None = None, skip: range = range(0), cut_end: bool = False) -> bool:
    """``tokens[a:b]`` has no finite verb, or fewer than ``STUMP_WORDS`` words that say something, leaving out the
    tokens in ``skip`` (the date, where it stays). A verb is read with its neighbours, also those outside the run
    ("…the study demonstrates" before "that")."""
    verb = False
    content = 0
    end = len(tokens) if b is None else b
    for i in range(a, end):
        if i in skip:
            continue
        content += says_something(tokens[i])
        verb = verb or _verb_at(tokens, i, cut_end and i == end - 1)
        if verb and content >= STUMP_WORDS:
            return False
    return True


class WordReading(NamedTuple):
    """What the window rules read of one token, computed once per distinct token."""
    bare: str  # lower case, without quote marks and punctuation
    capital: bool  # its first letter (after an opening quote) is a capital
    phrase_opener: bool  # a determiner, conjunction or subject pronoun
    relative: bool  # which, who, whom, whose, that
    possessive: bool
    can_end: bool
    modifier_like: bool  # its ending is an adjective's or a number's
    clause_mark: bool  # it ends with , ; or :
    closes: bool  # it ends with a closing mark or bracket (", ), ], ” before a full stop)


@lru_cache(maxsize=32768)
def read_word(token: str) -> WordReading:
    bare = _bare(token)
    stripped = token.strip(STRIP_CHARS)
    return WordReading(
        bare=bare,
        capital=token.lstrip(STRIP_CHARS)[:1].isupper(),
        phrase_opener=bare in DETERMINERS or bare in CONJUNCTIONS or bare in _PRONOUNS,
        relative=bare in _RELATIVES,
        possessive=_possessive(token),
        can_end=may_end(token),
        modifier_like=bool(_MODIFIER_SUFFIX.search(stripped.lower())),
        clause_mark=token[-1] in ",;:",
        closes=token.rstrip(".!?")[-1:] in ("”", ")", "]", '"'),
    )


@lru_cache(maxsize=16384)
def may_end(word: str) -> bool:
    bare = _bare(word)
    if bare in MODIFIERS and word.strip(STRIP_CHARS)[:1].isupper():
        return True  # "May", "Will": a month or a name, not a modal
    return bool(bare) and bare not in NEVER_END and not _possessive(word)
