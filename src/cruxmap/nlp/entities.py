"""Named entities with one canonical name per real-world entity, within and across sources.

spaCy finds the mentions; ``canonicalize_corpus`` then gives every mention of the same
person one name: titles (President, Mr., Sen. …) and possessives are stripped, a surname-only
mention takes the full name seen in the same source (else in the corpus when only one full
name fits), and spelling variants of a name (Zelensky / Zelenskyy) are merged by normalised
edit distance. Each group is named by its most frequent full form.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Protocol

from ..model import Document, Entity

#: spaCy NER labels kept as entities (numbers, money and percentages are not entities here)
KEPT_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "NORP",
        "LOC",
        "FAC",
        "DATE",
        "TIME",
        "EVENT",
        "LAW",
        "WORK_OF_ART",
        "PRODUCT",
        "LANGUAGE",
    }
)
#: words that precede a name as a title; stripped before names are compared
TITLES = frozenset(
    """
president vice prime minister pm mr mrs ms miss mx dr prof professor sen senator rep representative
gov governor gen general adm admiral col colonel lt capt captain sgt maj major secretary chancellor
king queen prince princess pope judge justice chairman chairwoman chair ambassador mayor sir dame lord
lady rev reverend father sheikh ayatollah speaker leader commissioner director ceo premier marshal
foreign defense defence state former late then the gen. dr. mr. mrs. ms. sen. rep. gov. prof. st
congressman congresswoman councilman councilwoman president-elect candidate nominee
""".split()
)
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
#: a headline's verb the tagger ran into a name (``Obama Says …``, ``Ruiz Warns …``)
HEADLINE_VERBS = frozenset(
    "says said warns urges calls tells asks admits claims insists vows slams blasts denies defends praises "
    "rejects accuses demands pledges promises".split())
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$|['’]$")
_EDGE_JUNK = re.compile(r"^[^\w]+|[^\w.]+$")
#: largest normalised edit distance at which two surnames count as spelling variants
VARIANT_DISTANCE = 0.2
#: common English short forms of first names (``Chuck Schumer`` and ``Charles Schumer`` are one person)
NICKNAMES = {
    short: frozenset(full.split()) for short, full in (
        ("al", "albert alan allen alfred"), ("alex", "alexander alexandra"), ("andy", "andrew"),
        ("ben", "benjamin"), ("beth", "elizabeth"), ("bill", "william"), ("billy", "william"),
        ("bob", "robert"), ("bobby", "robert"), ("cathy", "catherine katherine"), ("charlie", "charles"),
        ("chris", "christopher christine christina"), ("chuck", "charles"), ("dan", "daniel"),
        ("danny", "daniel"), ("dave", "david"), ("dick", "richard"), ("don", "donald"), ("ed", "edward"),
        ("eddie", "edward"), ("fred", "frederick"), ("greg", "gregory"), ("hank", "henry"), ("jack", "john"),
        ("jeff", "jeffrey"), ("jim", "james"), ("jimmy", "james"), ("joe", "joseph"), ("jon", "jonathan"),
        ("kate", "katherine catherine kathleen"), ("katie", "katherine catherine kathleen"),
        ("ken", "kenneth"), ("larry", "lawrence"), ("liz", "elizabeth"), ("matt", "matthew"),
        ("mike", "michael"), ("mitch", "mitchell"), ("nick", "nicholas"), ("pat", "patrick patricia"),
        ("pete", "peter"), ("rick", "richard"), ("rob", "robert"), ("ron", "ronald"), ("sam", "samuel"),
        ("steve", "steven stephen"), ("ted", "edward theodore"), ("tim", "timothy"), ("tom", "thomas"),
        ("tony", "anthony"), ("will", "william"))
}


def entities_from_spacy(source_id: str, spacy_doc: Any) -> list[Entity]:
    """Entities of a spaCy ``Doc``; ``canonical`` is the normalised surface form until canonicalised."""
    out = []
    for ent in spacy_doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        text = spacy_doc.text[start:end]
        trimmed = text.rstrip()
        if _POSSESSIVE.search(trimmed) and ent.label_ != "DATE":
            trimmed = _POSSESSIVE.sub("", trimmed)
        end = start + len(trimmed)
        if end <= start:
            continue
        text = spacy_doc.text[start:end]
        out.append(
            Entity(
                source_id=source_id,
                start=start,
                end=end,
                text=text,
                label=ent.label_,
                canonical=normalize_name(text, ent.label_) or text,
            )
        )
    return out


def normalize_name(text: str, label: str = "PERSON") -> str:
    """The comparable form of a mention: no title, possessive, leading article or edge punctuation."""
    words = " ".join(text.split())
    words = _POSSESSIVE.sub("", words)
    tokens = [t for t in (_EDGE_JUNK.sub("", w) for w in words.split()) if t]
    if label == "PERSON":
        # "Gillespie's MS-13", "Ed Gillespie's campaign": the tagger ran past a possessive; the person is its owner
        owner = next((i for i, t in enumerate(tokens[:-1]) if _POSSESSIVE.search(t)), None)
        if owner is not None:
            tokens = tokens[:owner] + [_POSSESSIVE.sub("", tokens[owner])]
        while len(tokens) > 1 and tokens[0].lower().rstrip(".") in TITLES | {t.rstrip(".") for t in TITLES}:
            tokens = tokens[1:]
        while len(tokens) > 1 and tokens[-1].lower().rstrip(".").replace(",", "") in NAME_SUFFIXES | HEADLINE_VERBS:
            tokens = tokens[:-1]
        tokens = [t.rstrip(",") for t in tokens]
    elif tokens and tokens[0].lower() == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    return " ".join(tokens)


def fold(name: str) -> str:
    """Lowercase, accent-free, letters-only key for comparing names."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() or c == " ").lower().strip()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (small strings only: names)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@lru_cache(maxsize=1 << 16)
def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b or min(len(a), len(b)) < 4:
        return False
    longest = max(len(a), len(b))
    if abs(len(a) - len(b)) > VARIANT_DISTANCE * longest:  # the distance is at least the length gap
        return False
    return edit_distance(a, b) / longest <= VARIANT_DISTANCE


def canonicalize_document(doc: Document) -> None:
    """Resolve the entities of one document (surnames to full names seen in the same text)."""
    canonicalize_corpus([doc])


class EntityMention(Protocol):
    """An entity mention as canonicalising reads it (an ``Entity``, or a lighter stand-in)."""

    text: str
    label: str
    canonical: str


class _SourceRef(Protocol):
    @property
    def id(self) -> str: ...


class EntityDocument(Protocol):
    """A document as canonicalising reads it: ``source.id`` and the entity mentions (a ``Document``, or a view)."""

    @property
    def source(self) -> _SourceRef: ...

    @property
    def entities(self) -> Sequence[EntityMention]: ...


def canonicalize_corpus(docs: Sequence[EntityDocument]) -> PersonNames:
    """Rewrite ``Entity.canonical`` consistently over all documents (in place) and return the index of
    person names it used (``canonical_speakers`` gives quotes the same names). Reads only
    ``doc.source.id`` and each entity's ``text``, ``label`` and ``canonical``, so lighter views of
    the documents will do (``corpus.canonicalize_entities``)."""
    resolver = PersonNames(docs)
    for doc in docs:
        for ent in doc.entities:
            if ent.label == "PERSON":
                name = normalize_name(ent.text, "PERSON")
                ent.canonical = resolver.resolve(doc.source.id, name) or name or ent.text
                continue
            name = normalize_name(ent.text, ent.label) or ent.text
            # spaCy sometimes labels a known person ORG or GPE; give such mentions the person's name
            # … but not a place written in capitals (a dateline: ``WASHINGTON (Reuters)`` is no George Washington)
            shouted = ent.text.isupper() and len(ent.text) > 3
            as_person = None if shouted else resolver.resolve(doc.source.id, normalize_name(ent.text, "PERSON"),
                                                              known_only=True)
            ent.canonical = as_person if as_person and ent.label in MISLABELLED_PERSON else name
    return resolver


class SpokenQuote(Protocol):
    """A quote as ``canonical_speakers`` reads and rewrites it (a ``Quote``)."""

    speaker: str | None

    @property
    def speaker_type(self) -> str | None: ...


def canonical_speakers(names: PersonNames, source_id: str, quotes: Iterable[SpokenQuote]) -> dict[str, str]:
    """Give each person speaker of one source's quotes the corpus-wide name of that person (in place).

    A quote's speaker is named when its document is annotated, from that document alone: an article
    that only ever writes "Varga" credits "Varga", while the corpus knows her as "Ines Varga" from
    another source. The names are resolved as entity mentions are (``PersonNames.resolve``), so the
    quotes view, the exports and the entities agree on one name per person. Returns what changed,
    ``{name in the document: name in the corpus}``, to apply to the stored copy of the document."""
    changed: dict[str, str] = {}
    for quote in quotes:
        if quote.speaker_type != "person" or not quote.speaker:
            continue
        name = changed.get(quote.speaker) or names.resolve(source_id, quote.speaker) or quote.speaker
        if name != quote.speaker:
            changed[quote.speaker] = name
            quote.speaker = name
    return changed


#: labels under which spaCy's small model often puts a person's surname
MISLABELLED_PERSON = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LOC"})


class PersonNames:
    """Index of the person names of a corpus, resolving any mention to its canonical full name."""

    def __init__(self, docs: Sequence[EntityDocument]):
        mentions: list[tuple[str, str]] = []
        counts: Counter[str] = Counter()
        for doc in docs:
            for ent in doc.entities:
                if ent.label == "PERSON":
                    name = normalize_name(ent.text, "PERSON")
                    if name:
                        mentions.append((doc.source.id, name))
                        counts[name] += 1
        self.full_names = {name for _, name in mentions if len(name.split()) > 1}
        self.representative = _merge_variants(self.full_names, counts)
        self.by_fold = {fold(name): canon for name, canon in self.representative.items()}
        # surname and first-name index of full names, per source; surname index over the corpus
        self.local: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.corpus: dict[str, set[str]] = defaultdict(set)
        self._close: dict[str, list[str]] = {}
        for source_id, name in mentions:
            if name in self.full_names:
                parts = fold(name).split()
                canon = self.representative[name]
                for part in {parts[-1], parts[0]}:
                    self.local[(source_id, part)].add(canon)
                self.corpus[parts[-1]].add(canon)

    def _close_surnames(self, key: str) -> list[str]:
        """Corpus surnames that are spelling variants of ``key`` (memoised; same first letter only,
        which keeps a large corpus from comparing every mention with every surname)."""
        if key not in self._close:
            if not hasattr(self, "_by_initial"):
                self._by_initial: dict[str, list[str]] = defaultdict(list)
                for surname in self.corpus:
                    self._by_initial[surname[:1]].append(surname)
            self._close[key] = [s for s in self._by_initial.get(key[:1], ()) if _similar(key, s)]
        return self._close[key]

    def resolve(self, source_id: str, name: str, known_only: bool = False) -> str | None:
        """The canonical name for ``name`` as mentioned in ``source_id``; None if unknown or ambiguous."""
        key = fold(name)
        if not key:
            return None
        if key in self.by_fold:
            return self.by_fold[key]
        if len(key.split()) > 1:
            return None if known_only else name
        candidates = self.local.get((source_id, key)) or self.corpus.get(key)
        if not candidates:
            close = self._close_surnames(key)
            candidates = self.corpus[close[0]] if len(close) == 1 else None
        if candidates and len(candidates) == 1:
            return next(iter(candidates))
        return None if known_only else name


def _merge_variants(full_names: Iterable[str], counts: Counter[str]) -> dict[str, str]:
    """Full name → the representative of its spelling-variant group (most frequent, then longest).

    Each name joins the earliest group whose head has a similar surname and first name.
    Variants share the surname's first letter, and a surname can only be similar to one whose
    length is within ``VARIANT_DISTANCE`` of its own, so groups are indexed by (initial, surname
    length) instead of comparing each name with every group of the same initial.
    """
    names = sorted(full_names, key=lambda n: (-counts[n], -len(n), n))
    groups: list[list[str]] = []
    index: dict[tuple[str, int], list[tuple[int, str, str]]] = defaultdict(list)  # → (group no., surname, first)
    for name in names:
        parts = fold(name).split()
        surname, first = parts[-1], parts[0]
        found = None
        for length in _comparable_lengths(len(surname)):
            for number, head_surname, head_first in index.get((surname[:1], length), ()):
                if found is not None and number > found:
                    break
                if _similar(surname, head_surname) and _same_first_name(first, head_first):
                    found = number
                    break
        if found is None:
            index[(surname[:1], len(surname))].append((len(groups), surname, first))
            groups.append([name])
        else:
            groups[found].append(name)
    return {name: group[0] for group in groups for name in group}


def _same_first_name(a: str, b: str) -> bool:
    """Two folded first names of one person: spelling variants, or a short form and its full name."""
    return _similar(a, b) or b in NICKNAMES.get(a, ()) or a in NICKNAMES.get(b, ())


def _comparable_lengths(length: int) -> range:
    """Surname lengths that can be within ``VARIANT_DISTANCE`` of a surname of ``length`` (see ``_similar``)."""
    low = length
    while low > 1 and length - (low - 1) <= VARIANT_DISTANCE * length:
        low -= 1
    high = length
    while (high + 1) - length <= VARIANT_DISTANCE * (high + 1):
        high += 1
    return range(low, high + 1)
