"""Shapes a ninth labelled dev set showed: a party and a state before a title and a name after the words, a surname the
tagger missed after the cue, a clause's subject before a participle that follows its object's appositive, a long
speaker mention between the words and the cue, an irregular past after the words, a second verb or chant joined by
``and``. Every sentence is invented.
"""

from __future__ import annotations

import re

from test_quotes import build, direct, direct_pairs

from cruxmap.model import Document, Entity, Source
from cruxmap.nlp.entities import canonicalize_corpus
from cruxmap.nlp.sentences import make_sentences, repair_boundaries


def _tagged(text: str, **labelled: tuple[str, ...]) -> Document:
    """A document whose entities are every occurrence of the given names under each label (PERSON, NORP, GPE …)."""
    doc = Document(source=Source(id="d", path="d", sha256="x", text=text))
    starts = [m.end() for m in re.finditer(r"[.!?][”\"’]?\s+", text)]
    doc.sentences = make_sentences("d", text, repair_boundaries(text, starts))
    doc.entities = sorted((Entity(source_id="d", start=m.start(), end=m.end(), text=name, label=label, canonical=name)
                           for label, names in labelled.items() for name in names
                           for m in re.finditer(re.escape(name), text)), key=lambda e: e.start)
    canonicalize_corpus([doc])
    return doc


def test_a_party_and_a_state_before_a_title_only_say_whose_title_it_is():
    doc = _tagged("“We will open the locks at dawn,” said Liberal Ostland Governor Mira Holm to reporters on Friday.",
                  NORP=("Liberal",), GPE=("Ostland",), PERSON=("Mira Holm",))
    assert direct_pairs(doc) == [("We will open the locks at dawn", "Mira Holm")]


def test_a_surname_the_tagger_missed_after_the_cue_is_the_texts_one_person_of_that_name():
    doc = _tagged("Mayor Ivo Brandt closed the pier on Monday.\n\n“The pier is not safe for anyone,” said Brandt during "
                  "the briefing, according to Dock Radio.", PERSON=("Ivo Brandt",), ORG=("Dock Radio",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Brandt"]


def test_a_participle_after_an_object_with_an_appositive_is_the_clause_subjects():
    doc = build("Lena Hartwig avoided any swipe at Tomas Ek, Davies' rival, writing, “Both of us want a cleaner "
                "harbour and a busier quay.”", people=("Lena Hartwig", "Tomas Ek", "Davies"))
    assert [q.speaker for q in direct(doc)] == ["Lena Hartwig"]


def test_a_long_speaker_mention_between_short_words_and_the_cue_keeps_them_speech():
    doc = build("The trustees met on Friday.\n\n“It’s Harbour Rules 101,” one of Tomas Ek’s senior aides said. “You "
                "learn the tides first.”", people=("Tomas Ek",))
    assert [q.text for q in direct(doc)] == ["It’s Harbour Rules 101", "You learn the tides first."]
    assert {q.speaker for q in direct(doc)} == {"one of Tomas Ek’s senior aides"}


def test_an_irregular_past_after_the_words_reports_them():
    doc = build("Tomas Ek spoke last. “The reason the ferry stops is the fog, not the money,” he began.",
                people=("Tomas Ek",))
    assert direct_pairs(doc) == [("The reason the ferry stops is the fog, not the money", "Tomas Ek")]


def test_a_verb_joined_by_and_with_no_subject_of_its_own_reports_for_the_clause_before():
    doc = build("In her letter, Lena Hartwig called the levy “a fair price for calm water,” and with a wry smile, "
                "called the pier “our oldest friend.”", people=("Lena Hartwig",))
    assert direct_pairs(doc) == [("a fair price for calm water", "Lena Hartwig"),
                                 ("our oldest friend.", "Lena Hartwig")]


def test_a_second_chant_joined_by_and_is_the_same_crowds():
    doc = build("Near the quay, a crowd of dockers blocked the gates, chanting “Our port, our jobs!” and “Not for "
                "sale.”")
    assert [q.text for q in direct(doc)] == ["Our port, our jobs!", "Not for sale."]
    assert len({q.speaker for q in direct(doc)}) == 1 and direct(doc)[0].speaker is not None


def test_a_document_that_cites_praises_or_accuses_owns_the_phrase():
    doc = build("The audit cited the pier as “a danger to walkers.”")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the audit", "document")]
    doc = build("The report accused the mayor of “wasting a good harbour.”")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the report", "document")]
    # a comment that, as the judging verb's subject, described something is its maker's, whom the clause does not name
    doc = build("That prompted his wife to make a careless comment that plainly described all young sailors as “old "
                "anchors.”")
    assert [q.speaker for q in direct(doc)] == []


def test_a_document_named_with_its_maker_finds():
    doc = build("A survey by the Port Institute found that most sailors were “tired of waiting.”",
                orgs=("Port Institute",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a survey by the Port Institute", "document")]


def test_a_body_named_by_its_noun_accuses():
    doc = build("Most recently, the center accused Ivo Kern of waging “a quiet war on the fishermen.”",
                people=("Ivo Kern",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the center", "organisation")]


def test_the_words_of_a_message_sent_out_are_the_senders_not_the_outlet_that_reports_it():
    doc = build("The union, which has backed the ferry since 2001, posted a long tweet hinting at “troubling "
                "echoes” between the mayor and the old harbour boss, the Dock Gazette reports.", orgs=("Dock Gazette",))
    assert [q.speaker for q in direct(doc)] == ["The union"]


def test_leading_someone_to_announce_that_gives_them_the_words():
    doc = build("The court struck down the levy, leading Mayor Ana Ruiz to announce that “the pier will reopen "
                "within the week.”", people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]


def test_a_pronoun_after_a_sentence_whose_subject_is_described_not_named_means_that_person():
    doc = build("“The shops were packed,” store historian Ivo Kern told a radio show. Even a sales manager at the corner "
                "store back in 1975 recalled the crowds on that day. “The drivers hated it,” she told the Gazette.",
                people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern", "a sales manager"]
    # a head of the other gender is not the one the pronoun means
    doc = build("Ivo Kern ran the quay for years. A spokesman for the port later recalled the storm. “We lost two "
                "cranes,” she said.", people=("Ivo Kern",))
    assert [q.speaker for q in direct(doc)] != ["a spokesman"]


def test_a_pronoun_the_text_ties_to_a_name_says_that_persons_gender():
    # ``found herself``: a reflexive can only mean the subject, so the text says she is a woman; ``he`` later means
    # the man named before her
    doc = build("Ivo Kern ran the quay for years. Lena Hartwig found herself at the quay in May. “We lost two cranes,” "
                "he said.", people=("Ivo Kern", "Lena Hartwig"))
    assert [q.speaker for q in direct(doc)] == ["Ivo Kern"]
    # ``said he``: the reported clause's subject right after the verb is the speaker himself
    doc = build("Lena Hartwig ran the quay for years. Ivo Kern said he would stay on the board. Mira Holm chairs it "
                "now. “We lost two cranes,” she said.", people=("Ivo Kern", "Lena Hartwig", "Mira Holm"))
    assert [q.speaker for q in direct(doc)] == ["Mira Holm"]
    doc = build("Mira Holm chairs the board. Ivo Kern said he would stay on it. “We lost two cranes,” she said.",
                people=("Ivo Kern", "Mira Holm"))
    assert [q.speaker for q in direct(doc)] == ["Mira Holm"]


def test_a_relative_clause_on_a_name_and_other_members_of_a_group_gives_them_the_words():
    doc = build("The posts were condemned by Hartwig and other port leaders who said: “Kern is wrong about the fishermen "
                "and the quay.”", people=("Hartwig", "Kern"))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("Hartwig and other port leaders", "group")]
