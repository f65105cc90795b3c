"""Partial quotations: a speaker's own word or phrase in quote marks inside the author's sentence.

The words belong to someone only when the sentence attributes them (a reporting verb, a noun of
speech with its owner, reported speech around them); scare quotes have none of these and stay out.
Documents are built by hand as in ``test_quotes.py``.
"""

from __future__ import annotations

from test_quotes import build, direct, indirect


def test_a_quoted_phrase_that_ends_the_reported_sentence_is_the_reporters_source_s():
    doc = build("According to Mira Holt, the ferry towns now favour local control over “remote management.”",
                people=("Mira Holt",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("remote management.", "Mira Holt")]


def test_a_name_that_modifies_a_document_noun_is_the_document():
    doc = build("According to a Varga poll of 900 anglers, most want the weir removed by “next summer at the latest.”",
                people=("Varga",))
    assert [(q.speaker, q.speaker_type) for q in direct(doc)] == [("a Varga poll", "document")]
    doc = build("Most anglers want the weir removed, according to the Varga survey.", people=("Varga",))
    [reported] = indirect(doc)
    assert reported.speaker == "the Varga survey" and reported.speaker_type == "document"


def test_a_possessed_noun_of_speech_owns_the_quoted_words_about_which_it_speaks():
    doc = build("The ministry’s complaint about “foreign meddling” was read out in parliament on Tuesday. "
                "Lisbon’s demand for “binding guarantees” went unanswered. "
                "Critics laughed at the council’s “vision” for the harbour.",
                orgs=("Lisbon",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("foreign meddling", "The ministry"), ("binding guarantees", "Lisbon")]


def test_a_possessed_claim_inside_anothers_ruling_is_the_rulers_and_does_not_run_on():
    doc = build("The auditor Vera Lind ruled that the mayor’s claim about “record savings” at the depot was “false.”",
                people=("Vera Lind",))
    assert {q.speaker for q in direct(doc)} <= {"Vera Lind"}
    doc = build("Jon Berg’s boast about “record savings” at the depot is “misleading,” the auditors found.",
                people=("Jon Berg",))
    found = [(q.text, q.speaker) for q in direct(doc)]
    assert ("record savings", "Jon Berg") in found and ("misleading", "Jon Berg") not in found


def test_an_owning_verb_after_a_possessive_or_article_is_a_noun_and_liken_owns_the_comparison():
    doc = build("At the hearing, Rosa Quist likened the levy to “a tax on rain” and walked out.",
                people=("Rosa Quist",))
    assert [(q.speaker, q.cue) for q in direct(doc)] == [("Rosa Quist", "likened")]
    doc = build("Ivo Kern’s call for calm did little to cool the “hot” mood in the square.", people=("Ivo Kern",))
    assert direct(doc) == []  # ``call`` is a noun here, and the scare quote stays out


def test_a_past_tense_owning_verb_after_a_long_opening_phrase_takes_the_subject_next_to_it():
    doc = build("In a long statement on Friday in reply to questions about its budget, the Portmere council vowed "
                "to keep its “open door” policy. On the quay, in a crate labeled “fragile” for the ferry, "
                "nothing moved.")
    assert [(q.text, q.speaker) for q in direct(doc)] == [("open door", "the Portmere council")]


def test_a_longer_plain_description_ending_in_a_role_stands_before_the_name():
    doc = build("According to veteran late night radio host Ines Daly, the ferry plan smells of “panic” and haste.",
                people=("Ines Daly",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [("panic", "Ines Daly")]


def test_a_subject_that_voices_a_claim_owns_the_quoted_words_of_the_claim():
    doc = build("Before the vote -- harbour officials had provided guidance that small boats would be "
                "“waved through” at the lock. The audit also included, without checking them, claims that the "
                "lock keeper kept “two sets of books.” The board reviewed rumours that the lock was “haunted.”")
    assert [(q.text, q.speaker, q.speaker_type) for q in direct(doc)] == [
        ("waved through", "harbour officials", "group"), ("two sets of books.", "the audit", "document")]


def test_a_subject_that_casts_an_object_as_the_quoted_words_owns_them():
    doc = build("Ivo Kern openly admires the old ferry master as a “true guardian of the strait.” "
                "The Harbour Board rated most of the repair bills as “unproven” last spring. "
                "Local aides quietly cast the levy as a “river tax” for the south.", people=("Ivo Kern",),
                orgs=("Harbour Board",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("true guardian of the strait.", "Ivo Kern"), ("unproven", "Harbour Board"), ("river tax", "local aides")]
    doc = build("The mill was long seen as a “lifeline” by the valley. It served for decades as a “school of trades.”")
    assert direct(doc) == []


def test_a_participle_after_an_auxiliary_is_a_finite_verb_whose_subject_speaks():
    doc = build("Ivo Kern spoke for an hour at the depot. He’s claiming that the bridge toll is “a tax on the poor.” "
                "Local officials were warning that the repairs are “overdue by a decade” in letters to the board.",
                people=("Ivo Kern",))
    assert [(q.text, q.speaker) for q in direct(doc)] == [
        ("a tax on the poor.", "Ivo Kern"), ("overdue by a decade", "local officials")]


def test_a_subject_that_attacks_or_advocates_the_quoted_words_owns_them():
    doc = build("In a long speech on Friday, Nora Lind attacked “the quiet sale of the harbour to outsiders.” "
                "The Tenants Union advocates “rent caps tied to local wages” for every district.",
                people=("Nora Lind",), orgs=("Tenants Union",))
    assert [(q.speaker, q.cue) for q in direct(doc)] == [("Nora Lind", "attacked"), ("Tenants Union", "advocates")]
