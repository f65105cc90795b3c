"""The roles a text gives its persons: title words before a name (``Chinese President``, ``USIP’s``), an
appositive after it (``Putin, the Russian president,``), and the first role each person was given, which a
later bare mention or pronoun inherits. :class:`~.speakers.SpeakerFinder` reads roles through this base."""

from __future__ import annotations

import bisect
import re

from ..model import Entity
from .entities import TITLES
from .speaker_roles import clean_role, looks_like_role
from .speaker_words import CLAUSE_STOPS, DETERMINERS, PRONOUNS, ROLE_NOUNS

#: how far before a name ``role_before`` looks for its title words (six words and a possessive fit easily)
ROLE_WINDOW = 240
HONORIFIC_ONLY = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Prof|Gen|Lt|Col|Sgt|Capt)\.?\s*)+")
_ROLE_WORD = re.compile(r"[A-Z][\w.\-]*[’']s(?=\s)|[\w.\-]+")


class RoleReader:
    """Roles of the persons of one text (``text``, its speaker ``entities`` sorted by start, and the
    ``excluded`` spans inside quotations, whose names give no roles)."""

    text: str
    entities: list[Entity]
    excluded: list[tuple[int, int]]
    roles: dict[str, list[str]]

    def _inside_quote(self, ent: Entity) -> bool:
        i = bisect.bisect_right(self.excluded, (ent.start, float("inf"))) - 1
        return i >= 0 and self.excluded[i][0] <= ent.start < self.excluded[i][1]

    def role_before(self, ent: Entity, lo: int) -> str | None:
        """Title words or a possessive organisation right before a name, e.g. ``Chinese President``."""
        line_start = max(self.text.rfind("\n", 0, ent.start) + 1, lo)
        if ent.start - line_start > ROLE_WINDOW:  # a role is a few words: look no further back (reading
            cut = ent.start - ROLE_WINDOW         # a whole long line for each name would be quadratic)
            space = self.text.find(" ", cut, ent.start)
            line_start = space + 1 if space >= 0 else cut
        prefix = self.text[line_start : ent.start]
        possessive = re.search(r"([A-Z][\w.&\- ]{0,40}?)[’']s\s+$", prefix)
        if possessive and not re.search(r"[,;:]", possessive.group(1)):
            return possessive.group(1).strip()
        words = list(_ROLE_WORD.finditer(self.text, line_start, ent.start))
        kept: list[re.Match] = []
        for word in reversed(words):
            if self.text[word.end() : (kept[0].start() if kept else ent.start)].strip():
                break
            token = word.group(0)
            lower = token.lower().rstrip(".")
            if lower in ("of", "for", "and") and kept and kept[0].group(0)[:1].isupper():
                kept.insert(0, word)  # ``Secretary of State``
                continue
            if re.search(r"[’']s$", token) and kept:
                kept.insert(0, word)  # ``Russia’s Deputy Foreign Minister``
                break
            if lower in DETERMINERS:
                break
            if (
                lower in TITLES
                or lower in ROLE_NOUNS
                or (token[:1].isupper() and lower not in CLAUSE_STOPS and lower not in DETERMINERS)
            ):
                kept.insert(0, word)
                if len(kept) >= 6:
                    break
            else:
                break
        while kept and kept[0].group(0).lower() in {
            "but",
            "and",
            "when",
            "after",
            "as",
            "if",
            "in",
            "of",
            "for",
        }:
            kept.pop(0)
        if not kept or not any(w.group(0).lower().rstrip(".") in TITLES | ROLE_NOUNS for w in kept):
            return None
        return self.text[kept[0].start() : ent.start].strip() or None

    def role_after(self, ent: Entity) -> str | None:
        """An appositive right after a name: ``Putin, the Russian president,``."""
        match = re.match(r",\s+([^,;.()“”\"]{3,120}?)\s*(?:,|\.|;|$)", self.text[ent.end : ent.end + 160])
        if not match:
            return None
        phrase = match.group(1)
        return clean_role(phrase) if looks_like_role(phrase, capitalised=False) else None

    def _is_role_prefix(self, prefix: str) -> bool:
        """Words that can stand before a name as its description: titles, role nouns, capitalised
        words, or a short run of plain words (``head veterinarian``, ``longtime pollster``)."""
        words = prefix.split()
        known = 0 < len(words) <= 6 and all(
            w[:1].isupper()
            or w in ("’s", "'s")
            or w.lower().rstrip(".") in TITLES | ROLE_NOUNS
            or w.lower() in ("the", "a", "an")
            for w in words
        )
        plain = [(w.isalpha() and w.islower() or bool(re.fullmatch(r"\d[\d/]*", w)))  # (``9/11 widow``)
                 and w not in CLAUSE_STOPS and w not in DETERMINERS and w not in PRONOUNS for w in words]  # (``it attacked Trump``: a pronoun and its verb are no description)
        # a short run of plain words, or a longer one ending in a role (``veteran late night radio host``)
        return known or (0 < len(words) <= 3 and all(plain)) or (
            len(words) <= 5 and all(plain) and words[-1] in ROLE_NOUNS | TITLES)

    def first_role(self, name: str | None) -> str | None:
        """The first role the text gave the person called ``name`` (None if none, or no name)."""
        roles = self.roles.get(name) if name else None
        return roles[0] if roles else None

    def _collect_roles(self) -> dict[str, list[str]]:
        roles: dict[str, list[str]] = {}
        for ent in self.entities:
            if ent.label != "PERSON" or self._inside_quote(ent):
                continue
            role = self.role_before(ent, 0)
            if not role or HONORIFIC_ONLY.fullmatch(role):
                role = self.role_after(ent) or role
            if role:
                roles.setdefault(ent.canonical, [])
                if role not in roles[ent.canonical]:
                    roles[ent.canonical].append(role)
        return roles

