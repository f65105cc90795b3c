"""A description as a speaker (``the Illinois lawmaker said``): credited to the one person named earlier whom the
text described with those words, left as written when none or several fit. Every sentence is invented."""

from __future__ import annotations

import re

from test_quotes import build, direct

from cruxmap.model import Entity
from cruxmap.nlp.described_speakers import described_person, features, fits


def _doc(text: str, people: tuple[str, ...] = (), places: tuple[str, ...] = ()):
    doc = build(text, people=people)
    for place in places:  # the tagger's places (``Illinois``, ``Texas``) before a role noun
        for m in re.finditer(re.escape(place), text):
            doc.entities.append(Entity(source_id="d", start=m.start(), end=m.end(), text=place, label="GPE",
                                       canonical=place))
    doc.entities.sort(key=lambda e: e.start)
    return doc


def _speakers(doc):
    return [(q.speaker, q.speaker_role, q.speaker_type) for q in direct(doc)]


def test_a_description_that_fits_one_earlier_person_is_that_person():
    doc = _doc("Sen. Ana Ruiz (D-Ill.) spoke first. Rep. Ivo Kern (R-Texas) spoke next. \"The border needs judges,\" "
               "the Illinois lawmaker said.", people=("Ana Ruiz", "Ivo Kern"), places=("Texas", "Illinois"))
    assert _speakers(doc) == [("Ana Ruiz", "the Illinois lawmaker", "person")]
    doc = _doc("Ana Ruiz, a Republican from Texas, and Ivo Kern, a Democrat from Ohio, met. The Texas Republican said "
               "\"we need more judges.\"", people=("Ana Ruiz", "Ivo Kern"), places=("Texas", "Ohio"))
    assert _speakers(doc) == [("Ana Ruiz", "The Texas Republican", "person")]
    # a place before the role is no speaker of its own (it was read as an organisation)
    doc = _doc("Sen. Ana Ruiz of Vermont spoke. The Vermont senator called the plan \"a disgrace\" and left.",
               people=("Ana Ruiz",), places=("Vermont",))
    assert _speakers(doc) == [("Ana Ruiz", "The Vermont senator", "person")]


def test_a_description_that_fits_two_people_stays_as_written():
    doc = _doc("Sen. Ana Ruiz (D-Ill.) spoke first. Rep. Ivo Kern (D-Ill.) spoke next. \"The border needs judges,\" "
               "the Illinois lawmaker said.", people=("Ana Ruiz", "Ivo Kern"), places=("Illinois",))
    assert _speakers(doc) == [("the Illinois lawmaker", None, "person")]


def test_a_description_that_fits_nobody_stays_as_written():
    doc = _doc("Sen. Ana Ruiz (D-Ill.) spoke first. \"The border needs judges,\" the Texas lawmaker said.",
               people=("Ana Ruiz",), places=("Texas",))
    assert _speakers(doc) == [("the Texas lawmaker", None, "person")]
    # ``former`` must have been said of the person
    doc = _doc("Sen. Ana Ruiz of Vermont spoke. \"It is a disgrace,\" the former senator said.", people=("Ana Ruiz",))
    assert _speakers(doc) == [("the former senator", None, "person")]


def test_a_description_before_any_name_stays_as_written():
    doc = _doc("\"The border needs judges,\" the Illinois lawmaker said. Sen. Ana Ruiz (D-Ill.) spoke later.",
               people=("Ana Ruiz",), places=("Illinois",))
    assert _speakers(doc) == [("the Illinois lawmaker", None, "person")]


def test_the_head_must_be_a_title_the_person_holds():
    chief = features(["the chief of harbour operations at the agency"])
    commissioner = features(["Harbour Toll Commissioner"])
    people = {"Ivo Kern": chief, "Ana Ruiz": commissioner}
    assert described_person(["the", "commissioner"], people) == "Ana Ruiz"
    assert described_person(["the", "chief"], people) == "Ivo Kern"
    assert described_person(["the", "agency"], people) is None  # a word of the complement is no title
    # a vice-president is no president; the Senate's leader is a senator
    assert not fits(["president"], features(["Vice President"]))
    assert fits(["vice-president"], features(["Vice President"]))
    assert fits(["New", "York", "senator"], features(["the Senate minority leader", "of New York"]))
    # a state abbreviation needs its dot or a code: ``Ill.`` is Illinois, ``ill`` a word
    assert fits(["Illinois", "senator"], features(["Sen."], [("D", "Ill.")]))
    assert not fits(["Illinois", "senator"], features(["the ill senator"]))


def test_a_party_or_place_before_a_verb_is_no_description():
    doc = _doc("Republicans ran against the toll in May, and the mayor won after labeling it a \"fiasco\" to be "
               "ended.")
    doc.entities.append(Entity(source_id="d", start=0, end=11, text="Republicans", label="NORP",
                               canonical="Republicans"))
    doc.entities.sort(key=lambda e: e.start)
    speakers = [q.speaker for q in direct(doc)]
    assert speakers and not any(" ran" in (speaker or "") for speaker in speakers)
