"""Shapes a third labelled dev set showed: a programme named in quote marks after ``told``, a speaker described by
a place, a question ``posed``, a document released by a body, an abbreviation in brackets, a finite verb read as a
participle, and a curly quotation nested in a straight one. Every sentence is invented.
"""

from __future__ import annotations

from test_quotes import build, direct, direct_pairs

from cruxmap.model import Entity
from cruxmap.nlp.entities import canonicalize_corpus
from cruxmap.nlp.quote_marks import find_quoted_pieces
from cruxmap.nlp.quotes import extract_quotes


def test_a_programme_in_quote_marks_after_told_is_the_listener():
    doc = build("“We will not move on the tolls,” Ivo Kern told “Harbour Nightly.”", people=("Ivo Kern",))
    assert direct_pairs(doc) == [("We will not move on the tolls", "Ivo Kern")]
    # a sentence after ``told`` is still words of its own, not a programme
    doc = build("“We will not move,” Ivo Kern told “the crowd at the dock that the levy is unfair.”",
                people=("Ivo Kern",))
    assert [text for text, _ in direct_pairs(doc)] == ["the crowd at the dock that the levy is unfair."]


def _with_place(text: str, person: str, place: str):
    doc = build(text, people=(person,))
    at = text.index(place)
    doc.entities = sorted(doc.entities + [Entity(source_id="d", start=at, end=at + len(place), text=place,
                                                 label="GPE", canonical=place)], key=lambda e: e.start)
    canonicalize_corpus([doc])
    return doc


def test_a_place_after_of_describes_the_speaker_before_it():
    doc = _with_place("Sen. Ivo Kern of Ohio said Tuesday that the mayor is being “reckless” on the tolls.",
                      "Ivo Kern", "Ohio")
    assert direct_pairs(doc) == [("reckless", "Ivo Kern")]


def test_posed_reports_a_question_after_it_but_poses_no_words_before_it():
    doc = build("Ivo Kern spoke at the dock. “Is it fair to anyone?” Kern posed. “Who pays for it?”", people=("Ivo Kern",))
    assert direct_pairs(doc) == [("Is it fair to anyone?", "Ivo Kern"), ("Who pays for it?", "Ivo Kern")]
    doc = build("Ivo Kern said the levy posed a “serious and lasting risk to the ferry” in winter.", people=("Ivo Kern",))
    assert direct_pairs(doc) == [("serious and lasting risk to the ferry", "Ivo Kern")]


def test_a_document_released_by_a_body_speaks_itself():
    doc = build("The audit released by the ministry noted that the firm had used “unlicensed brokers” for years.")
    (quote,) = direct(doc)
    assert (quote.speaker, quote.speaker_type) == ("the audit", "document")
    doc = build("The legal opinion drafted by Harbour Watch on Monday found the levy “plainly unlawful.”",
                orgs=("Harbour Watch",))
    (quote,) = direct(doc)
    assert (quote.speaker, quote.speaker_type) == ("the legal opinion", "document")


def test_an_abbreviation_in_brackets_does_not_hide_the_speaker():
    doc = build("The port inspector Ivo Kern [PI] believed the leak constituted a potential “grave hazard” to ships.",
                people=("Ivo Kern",))
    assert direct_pairs(doc) == [("grave hazard", "Ivo Kern")]


def test_a_verb_with_its_object_after_the_cue_is_not_a_speaker():
    doc = build("The port inspector [named by the board in its letter of May] believed the whistleblower "
                "constituted a potential “grave hazard” to ships.")
    assert all(q.speaker is None or "constituted" not in q.speaker for q in extract_quotes(doc))
    doc = build("“The cranes are safe,” said a spokesman reached by phone.")
    assert [q.speaker for q in direct(doc)] == ["a spokesman"]


def test_a_curly_quotation_nested_in_a_straight_one_stays_inside_it():
    text = '“The leak is small,” the audit said. "In its view, the leak is an “urgent hazard” for the harbour."'
    assert [text[p.start : p.end] for p in find_quoted_pieces(text)] == [
        "The leak is small", "In its view, the leak is an “urgent hazard” for the harbour."]
    assert [q.speaker for q in direct(build(text))] == ["the audit", "the audit"]
    # a straight quotation left open (a block quoted over paragraphs) keeps its curly quotations apart
    block = '"The board met twice. It called the plan a “rough draft,” and a clerk wrote “denied.”\n\nThe vote came later.'
    assert [block[p.start : p.end] for p in find_quoted_pieces(block)][-1] == "denied."


def test_an_opening_adjunct_of_saying_belongs_to_the_main_clause_subject():
    doc = build("Maria Lopez ran the port. After saying the bridge was “far too old to repair,” she was taken to the "
                "port office.", people=("Maria Lopez",))
    assert direct_pairs(doc) == [("far too old to repair", "Maria Lopez")]
    doc = build("Maria Lopez ran the port. In the film “Old Bridges,” she is shown at work.", people=("Maria Lopez",))
    assert direct_pairs(doc) == []


def test_an_opening_mark_ending_the_paragraph_closes_the_quotation_announced_by_a_colon():
    text = "Maria Lopez made the following comment:\n\n“The ferry is late again. The levy is too high.“\n\nThe vote came later."
    assert [text[p.start : p.end] for p in find_quoted_pieces(text)] == ["The ferry is late again. The levy is too high."]
    assert [q.speaker for q in direct(build(text, people=("Maria Lopez",)))] == ["Maria Lopez"]


def test_a_long_according_to_opening_the_sentence_attributes_its_quoted_words():
    doc = build("According to a 12-count complaint filed by the port authority and a second complaint by the ferry "
                "union, the company ran a “reckless and unlawful scheme” for years.")
    (quote,) = direct(doc)
    assert (quote.speaker, quote.speaker_type) == ("a 12-count complaint", "document")


def test_a_document_and_where_it_is_found_speak_together():
    text = "A memo on the port authority’s website states that ferries run only if the weather is “calm and clear.”"
    (quote,) = direct(build(text))
    assert (quote.speaker, quote.speaker_type) == ("a memo", "document")
    assert text[quote.speaker_start : quote.speaker_end] == "A memo on the port authority’s website"


def test_the_subject_of_heard_or_caught_saying_says_the_words():
    doc = build("On the ferry levy — a sore point since the strike — Maria Lopez can be heard on the recording saying, "
                "“We lost the vote, and we will lose again.”", people=("Maria Lopez",))
    assert [q.speaker for q in direct(doc)] == ["Maria Lopez"]
    doc = build("On the levy, the mayor was caught on camera saying, “We lost the vote, and we will lose it again.”")
    assert [q.speaker for q in direct(doc)] == ["the mayor"]


def test_told_a_listener_then_a_clause_reports_the_words_in_it():
    doc = build("After the vote on the levy, Maria Lopez told reporters a date would be set for the ferry talks but for "
                "the time being, “the plan is on hold.”", people=("Maria Lopez",))
    assert direct_pairs(doc) == [("the plan is on hold.", "Maria Lopez")]


def test_a_party_and_state_in_brackets_do_not_hide_the_name_before_an_appositive():
    doc = build("“If the port wanted any other ferry, they’d just go get it,” John Carter (R-Ohio), a harbour panel "
                "member, said by telephone on Friday. “Every other town is offered a better price.”", people=("John Carter",))
    assert [q.speaker for q in direct(doc)] == ["John Carter", "John Carter"]


def test_a_share_of_those_polled_says_what_it_answered():
    doc = build("Only 52 percent of voters agreed. However, 63 percent said the mayor was “justified” in keeping the "
                "report private.")
    (quote,) = direct(doc)
    assert (quote.speaker, quote.speaker_role, quote.speaker_type) == ("63 percent", None, "group")
    doc = build("Prices rose 5 percent, the ministry said, calling the rise “a passing blip in a hard winter.”")
    assert [q.speaker for q in direct(doc)] == ["the ministry"]


def test_it_opening_the_sentence_owns_what_it_calls_something():
    text = "The ferry company is defending the levy. It’s attacking what it calls “a smear campaign without equal in the port’s past.”"
    (quote,) = direct(build(text))
    assert text[quote.speaker_start : quote.speaker_end] == "It"
    assert quote.speaker_start == text.index("It’s")


def test_a_pronoun_subject_after_opening_clauses_says_the_words_of_and_said():
    text = "Once, when my mother mentioned the ferry, I shrugged and said, “Nobody trusts that old ferry.”"
    (quote,) = direct(build(text))
    assert text[quote.speaker_start : quote.speaker_end] == "I"
    doc = build("Maria Lopez took the stage. After the vote, when the hall went quiet, she smiled and said, “We won the "
                "levy fight.”", people=("Maria Lopez",))
    assert [q.speaker for q in direct(doc)] == ["Maria Lopez"]


def test_ask_is_a_cue_like_asks_and_asked_and_now_or_a_modal_stands_between_it_and_its_subject():
    text = "If we lived in calmer times, a reader would now ask: “Why is the ferry run from abroad?”"
    (quote,) = direct(build(text))
    assert text[quote.speaker_start : quote.speaker_end] == "a reader"
    doc = build("The harbour clerks ask to be paid on time, and the board calls the delay “regrettable.”")
    assert [q.speaker for q in direct(doc)] == ["the board"]


def test_a_quotation_after_a_named_subjects_report_is_theirs():
    doc = build("His partner at the yard, Lena Ortiz, called him a master of the harbour trade. “He showed again and "
                "again that he could land a deal.”", people=("Lena Ortiz",))
    assert [q.speaker for q in direct(doc)] == ["Lena Ortiz"]
    # an unnamed subject, or a sentence that is not a report, gives the next words to no one
    doc = build("The yard called him a master of the harbour trade. “He showed again and again that he could land a "
                "deal.”")
    assert [q.speaker for q in direct(doc)] == [None]
    doc = build("Lena Ortiz ran the yard for a decade. “He showed again and again that he could land a deal.”",
                people=("Lena Ortiz",))
    assert [q.speaker for q in direct(doc)] == [None]
