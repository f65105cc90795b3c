"""Tests of the clean stage: removal rules, re-flow, glued sentences, offsets, and the seeds.

Every input here is invented for the test; the seeds test reads ../shared/corpus/seeds and
skips when it is absent.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from cruxmap.clean import CleanResult, build_source, clean_text
from cruxmap.clean.align import alignment_problems, clean_to_raw
from cruxmap.clean.glue import glue_points
from cruxmap.ingest.base import RawDocument

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"


def cleaned(raw: str, **kwargs) -> CleanResult:
    """Clean ``raw`` and assert the stage's promises about offsets and removals."""
    result = clean_text(raw, **kwargs)
    assert_sound(raw, result)
    return result


def assert_sound(raw: str, result: CleanResult) -> None:
    problems = alignment_problems(raw, result.text, result.alignment, result.removed)
    assert not problems, problems
    for seg in result.alignment:
        assert result.text[seg.clean_start : seg.clean_start + seg.length] == raw[seg.raw_start : seg.raw_start + seg.length]
    # apart from whitespace, the cleaned text is a subsequence of the raw text
    copied = "".join(raw[s.raw_start : s.raw_start + s.length] for s in result.alignment)
    assert re.sub(r"\s", "", copied) == re.sub(r"\s", "", result.text)


def reasons(result: CleanResult) -> list[str]:
    return [removal.reason for removal in result.removed]


BODY_A = "The harbour council voted on Tuesday to delay the new ferry timetable until the spring."
BODY_B = "Residents of the northern islands said the change would cut them off for most of the winter."
BODY_C = "A spokesperson for the ferry operator declined to say how many crossings would be lost."


# --------------------------------------------------------------------------- captions


@pytest.mark.parametrize(
    "caption",
    [
        "A ferry leaves the harbour at dawn, Monday, Jan. 6, 2025. (AP Photo/Jane Roe)",
        "Passengers wait on the quay in the rain. | Jane Roe/AFP/Getty Images",
        "The council chamber before the vote. Photo: Jane Roe/Reuters",
        "The mayor of the harbour town. (Jane Roe/The Island Courier)",
        "The harbour master. harbourcouncil.gov.uk",
        "Image copyright Getty Images Image caption The old ferry terminal",
        "Slideshow (4 Images)",
        "FILE - In this March 3, 2024, file photo, a ferry docks at the northern pier.",
    ],
)
def test_caption_lines_are_removed(caption):
    raw = f"{BODY_A}\n\n{caption}\n\n{BODY_B}"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert reasons(result) == ["caption"]
    assert result.removed[0].text == caption


def test_caption_repeated_twice_is_removed_with_both_copies():
    caption = "A ferry crew member ties up the boat at the pier. (Jane Roe/The Island Courier)"
    raw = f"{BODY_A}\n\n{caption}\n{caption}\n\n{BODY_B}"
    result = cleaned(raw)
    assert caption[:20] not in result.text
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert result.removed[0].reason == "caption"


def test_uncredited_caption_twice_side_by_side_is_removed():
    caption = "The mayor speaks to reporters outside the ferry terminal on Monday"
    result = cleaned(f"{caption}\n\n{caption}\n\n{BODY_A}")
    assert result.text == BODY_A


def test_repeated_body_paragraph_keeps_first_copy():
    raw = f"{BODY_A}\n\n{BODY_B}\n\n{BODY_C}\n\n{BODY_B}"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}\n\n{BODY_C}"
    assert reasons(result) == ["repeated"]


WRAPPED_BODY = (
    "The harbour council voted on Tuesday to delay the new ferry timetable until the\n"
    "spring, after residents of the northern islands said the change would cut them off\n"
    "for most of the winter and leave the school run without a morning crossing.\n"
)
WRAPPED_CAPTION = (
    "The old ferry terminal at low tide. The council plans to rebuild the quay before\n"
    "the summer timetable starts. (Photo: Jane Roe/The Island\n"
    "Courier)\n"
)


def test_hard_wrapped_caption_printed_twice_is_removed_whole():
    raw = f"{WRAPPED_BODY}\n{WRAPPED_CAPTION}{WRAPPED_CAPTION}\n{BODY_C}"
    result = cleaned(raw)
    assert "ferry terminal" not in result.text
    assert "Courier)" not in result.text  # no fragment of the wrapped credit is left behind
    assert set(reasons(result)) == {"caption"}
    assert result.text == " ".join(WRAPPED_BODY.split()) + "\n\n" + BODY_C


def test_hard_wrapped_caption_once_between_blank_lines_is_removed():
    raw = f"{WRAPPED_BODY}\n{WRAPPED_CAPTION}\n{BODY_C}"
    result = cleaned(raw)
    assert "ferry terminal" not in result.text and BODY_C in result.text
    assert reasons(result) == ["caption"]


def test_wrapped_body_paragraph_mentioning_a_photo_is_kept():
    # ends on a parenthesis that is not a credit, and starts mid-sentence after a short line
    raw = (
        f"{WRAPPED_BODY}\n"
        "A clerk at the ferry office said the new timetable was a mistake and showed a\n"
        "reporter the old one on the wall (including a photo of the first ferry)\n\n"
        f"{BODY_C}"
    )
    result = cleaned(raw)
    assert result.removed == []
    assert "including a photo of the first ferry" in result.text


def test_short_paragraphs_one_per_line_are_not_joined_into_a_caption():
    # one newline per paragraph: a short body sentence above a one-line caption must stay
    raw = (
        f"{BODY_A}\nThe council will meet again in March.\n"
        f"The quay at dusk. (Photo: Jane Roe/The Island Courier)\n{BODY_B}"
    )
    result = cleaned(raw)
    assert "The council will meet again in March." in result.text
    assert reasons(result) == ["caption"]


def test_paragraph_repeated_with_different_wrapping_is_removed():
    flat = " ".join(WRAPPED_BODY.split())
    raw = f"{WRAPPED_BODY}\n{BODY_C}\n\n{flat}\n\n{BODY_B}"
    result = cleaned(raw)
    assert result.text == f"{flat}\n\n{BODY_C}\n\n{BODY_B}"
    assert reasons(result) == ["repeated"]


def test_news_agency_attribution_is_not_a_caption():
    raw = f"{BODY_A} The operator confirmed the plan in a statement. (Reuters)\n\n{BODY_B}"
    result = cleaned(raw)
    assert result.removed == []
    assert "(Reuters)" in result.text


# --------------------------------------------------------------------------- links and promos


def test_url_list_is_removed_and_cut_paragraph_rejoined():
    raw = (
        "The council said the delay was needed because\n\n"
        "https://example.org/ferry/2025/01/timetable\nhttps://example.org/ferry/2025/01/timetable\n"
        "http://www.example.net/news/islands-winter\n\n\n"
        "the new boats have not yet passed their safety trials.\n\n" + BODY_B
    )
    result = cleaned(raw)
    assert result.text == (
        "The council said the delay was needed because the new boats have not yet passed their safety trials."
        "\n\n" + BODY_B
    )
    assert reasons(result) == ["url-list"]
    assert "example.net" in result.removed[0].text


@pytest.mark.parametrize(
    "promo",
    [
        "Related article: Island Schools Close Early as Storms Hit the Coast",
        "Read more: Why the ferry fleet is so old",
        "RELATED: Council approves harbour budget",
        "More: The ferry that never sailed",
        "SEE ALSO: Five things to know about the islands",
        "Full Coverage: Island Ferries",
        "Island fishermen count the cost of a stormy year Read more",
    ],
)
def test_promo_lines_are_removed(promo):
    result = cleaned(f"{BODY_A}\n\n{promo}\n\n{BODY_B}")
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert reasons(result) == ["promo"]


def test_read_more_link_after_a_body_sentence_cuts_only_the_link():
    raw = f"{BODY_A} Read more\n\n{BODY_B}"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert [(r.reason, r.text) for r in result.removed] == [("promo", "Read more")]


def test_promo_label_takes_its_headlines_but_not_the_body():
    raw = f"{BODY_A}\n\nRelated Stories\nIsland Schools Close Early\nHarbour Budget Approved\n{BODY_B}"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}"


def test_related_publications_block_is_removed():
    teasers = (
        "Related Publications\n\n"
        "Tides and Timetables: A Podcast\n\nTides and Timetables: A Podcast\n\n"
        "Tuesday, June 4, 2024\n\nBy: Ana Example, Ph.D.\n\n"
        "Our harbour expert explains why crossings depend on the moon as much as on the budget, and what the "
        "islands can do about it before next winter.\n\nType: Podcast\n\n"
        "What the Storm Season Means for Trade\n\nWhat the Storm Season Means for Trade\n\n"
        "Friday, May 31, 2024\n\nBy: Ben Sample;  Cara Example\n\n"
        "A short analysis of the freight numbers.\n\nType: Analysis\n\nView All Publications"
    )
    result = cleaned(f"{BODY_A}\n\n{BODY_B}\n\n{teasers}")
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert reasons(result) == ["related"]
    assert result.removed[0].text.endswith("View All Publications")


def test_more_from_heading_with_headlines_at_the_end_is_removed():
    raw = f"{BODY_A}\n\n{BODY_B}\n\nMore from the Courier\n\nHarbour budget approved\n\nIsland schools close early"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert reasons(result) == ["related"]


def test_related_heading_followed_by_body_text_keeps_the_body():
    raw = f"{BODY_A}\n\nMore from the Courier\n\n{BODY_B}\n\n{BODY_C}"
    result = cleaned(raw)
    assert BODY_B in result.text and BODY_C in result.text


def test_dated_bylined_body_paragraphs_are_not_teasers():
    raw = f"Monday, March 3, 2025\n\nBy Jane Roe\n\n{BODY_A}\n\n{BODY_B}\n\n{BODY_C}"
    result = cleaned(raw)
    assert BODY_A in result.text and BODY_C in result.text


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Sign up for our daily newsletter", "newsletter"),
        ("Get the best island stories delivered to your inbox every morning.", "newsletter"),
        ("Share this article", "share"),
        ("Facebook Twitter Email", "share"),
        ("Follow us on Twitter", "follow"),
        ("Follow @islandcourier", "follow"),
        ("Advertisement", "advertisement"),
        ("Story continues below", "advertisement"),
        ("CLICK HERE TO GET THE ISLAND NEWS APP", "app-promo"),
        ("Copyright © 2025 The Island Courier. All rights reserved.", "copyright"),
        ("***", "separator"),
        ("This article is more than 2 years old", "notice"),
        ("Get island news in your inbox every weekday", "newsletter"),
        ("Thank you for signing up.", "newsletter"),
        (
            ("Island Briefing newsletter Sign up today to get the morning ferry news Email Sign Up By signing up you "
            "agree to our privacy policy and to receive occasional offers from the Courier and its partners"),
            "newsletter",
        ),
        ("Support our independent island journalism", "appeal"),
        ("3 hours ago", "timestamp"),
        ("The Island Wire contributed to this report.", "credit-line"),
        ("[pullquote]", "markup"),
        ("Add Harbour Council as an interest to stay up to date", "follow"),
        ("JUST WATCHED Ferry strike explained Replay More Videos ... MUST WATCH Ferry strike explained 01:47", "video"),
        ("MUST WATCH Harbour council votes on the new timetable 1:02:37", "video"),
        ("The views expressed in this essay are her own.", "disclaimer"),
        (("The Courier answers the island's questions every day, free to every reader and without a paywall. "
          "Keeping it that way takes money, so please consider making a contribution to the Courier today. "
          "Your financial support keeps our two reporters on the ferry beat."), "appeal"),
        ("Write us a letter to the editor through the form on our site.", "letters"),
        ("Dr. Vale does not own shares in a firm, nor take funding from any company, that would benefit from this article.",
         "disclosure"),
        ("Download Harbour Tides on your iPhone or Android! Every sailing at your fingertips.", "app-promo"),
        ("Tired of waiting at the pier? Click here! https://ferries.example.org/alerts", "link-promo"),
        ("Join the Courier club for free tote bags and early tickets! http://courier.example.org/club", "link-promo"),
        ("Follow our harbour coverage at https://courier.example.org/harbour", "link-promo"),
        ("Harbour Plan: A Fair Deal Read more at: http://courier.example.org/opinion/4411/harbour-plan", "link-promo"),
        (("Ana Ruiz is a columnist for the Island Courier. Follow her on Twitter @anaruiz . "
         "The opinions expressed in this column are theirs."), "disclaimer"),
    ],
)
def test_page_furniture_is_removed(line, reason):
    result = cleaned(f"{BODY_A}\n\n{line}\n\n{BODY_B}")
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert reasons(result) == [reason]


@pytest.mark.parametrize("body", [
    "MUST WATCH: the ferry captain's account of the storm, which the council has refused to publish in full.",
    "The views expressed in this commentary are his own, the editor insisted, but the paper printed them anyway.",
    "Critics said the views expressed in this column are those of a minority, and the council agreed to listen.",
    # an embedded post is somebody's words, with its link: it stays for the quotes
    "Open the pier on Sundays. Listen to the fishermen. https://t.co/AbC123xyz — Mara Quell (@maraquell) May 2, 2024",
    "The mayor told the council to consider making a deal with the ferry company before the summer.",
    "Volunteers asked residents to make a donation to the lifeboat fund, and the appeal raised far more than expected.",
    "She once wrote a letter to the editor about the ferry fares, and the council answered it in public.",
    "The harbour master said the timetable is posted at www.example.org, but most passengers never check it.",
])
def test_body_sentences_like_video_labels_disclaimers_appeals_or_promotions_stay(body):
    result = cleaned(f"{body}\n\n{BODY_B}")
    assert result.removed == []


def test_body_sentences_that_mention_newsletters_or_sharing_stay():
    body = (
        "The council said it would share the new timetable with every household and would ask residents to "
        "sign up for text alerts about cancelled crossings, a plan that critics called too little too late."
    )
    result = cleaned(f"{body}\n\n{BODY_B}")
    assert result.removed == []
    assert result.text == f"{body}\n\n{BODY_B}"


def test_trailing_titles_glued_to_the_last_sentence_are_removed():
    raw = f"{BODY_A}\n\n{BODY_B} The vote is final.Why Island Ferries Keep BreakingThe Harbour That Time Forgot"
    result = cleaned(raw)
    assert result.text.endswith("The vote is final.")
    assert reasons(result) == ["trailing-titles"]
    assert result.removed[0].text == "Why Island Ferries Keep BreakingThe Harbour That Time Forgot"


def test_trailing_title_lines_after_the_body_are_removed():
    raw = f"{BODY_A}\n\n{BODY_B}\n\nIsland Schools Close Early As Storms Hit\n\nHarbour Budget Approved After Long Debate"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}"


def test_a_glued_final_sentence_that_is_not_a_title_stays():
    raw = f"{BODY_A}\n\nThe vote is final.the operator said it would appeal"
    result = cleaned(raw)
    assert "the operator said it would appeal" in result.text


def test_title_line_and_pre_removed_spans_become_removals():
    front = "---\ntitle: Ferry delay\n---\n"
    raw = f"{front}Ferry Delay Angers Islanders\n\n{BODY_A}"
    result = cleaned(raw, title="Ferry delay angers islanders", pre_removed=[(0, len(front), "front-matter")])
    assert result.text == BODY_A
    assert reasons(result) == ["front-matter", "title"]
    assert result.removed[0].text == front


# --------------------------------------------------------------------------- re-flow


def test_hard_wrapped_paragraphs_are_reflowed():
    raw = (
        " The harbour council voted on Tuesday to delay the new ferry timetable until the\n"
        "spring, after residents of the northern islands said the change would cut them off\n"
        "for most of the winter. A spokesperson for the operator declined to say how many\n"
        "crossings would be lost.\n"
        "\n"
        "The islands have asked for a second boat for years. Their request was turned down\n"
        " again in the autumn because the council could not find the money for the crew.\n"
        "\n"
        "A second boat would have cost about 40\n"
        "million, the council said.\n"
    )
    result = cleaned(raw)
    paragraphs = result.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[2] == "A second boat would have cost about 40 million, the council said."
    assert all("\n" not in p for p in paragraphs)
    assert paragraphs[0].startswith("The harbour council voted") and paragraphs[0].endswith("would be lost.")
    assert "until the spring, after" in paragraphs[0]
    assert "turned down again in the autumn" in paragraphs[1]


def test_one_newline_per_paragraph_is_kept_as_paragraph_breaks():
    raw = f"{BODY_A}\n{BODY_B}\n{BODY_C}"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}\n\n{BODY_C}"


def test_headings_stay_their_own_paragraph():
    raw = f"{BODY_A}\n\nWhy the Ferries Matter\n\n{BODY_B}\nWhat Comes Next\n{BODY_C}"
    result = cleaned(raw)
    assert result.text.split("\n\n") == [BODY_A, "Why the Ferries Matter", BODY_B, "What Comes Next", BODY_C]


@pytest.mark.parametrize("raw", ["", "   \n\n \t", "\u200b\ufeff\n"])
def test_empty_and_blank_texts_clean_to_nothing(raw):
    result = cleaned(raw)
    assert result.text == "" and result.removed == [] and result.alignment == []


def test_windows_line_endings_are_whitespace():
    raw = f"{BODY_A}\r\n\r\nAdvertisement\r\n\r\n{BODY_B}\r\n"
    result = cleaned(raw)
    assert result.text == f"{BODY_A}\n\n{BODY_B}"
    assert reasons(result) == ["advertisement"]


def test_whitespace_runs_collapse_and_offsets_still_map():
    raw = "The  harbour\u00a0council\tvoted.\n\n\n\nIt   was late."
    result = cleaned(raw)
    assert result.text == "The harbour council voted.\n\nIt was late."
    offset = result.text.index("council")
    assert clean_to_raw(result.alignment, offset) == raw.index("council")
    assert clean_to_raw(result.alignment, result.text.index(" ")) is None  # an inserted space


# --------------------------------------------------------------------------- glued sentences


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The vote was close.Nobody expected it.", "The vote was close. Nobody expected it."),
        ("The mayor said “we will appeal.”The council disagreed.", "The mayor said “we will appeal.” The council disagreed."),
        ('He said "no."Then he left.', 'He said "no." Then he left.'),
        ("It was about the IMF.IMF loans are slow.", "It was about the IMF. IMF loans are slow."),
        ("Why now?Islanders asked.", "Why now? Islanders asked."),
        ("What a night!Everyone stayed.", "What a night! Everyone stayed."),
        ("Turnout rose in 2024.The council noticed.", "Turnout rose in 2024. The council noticed."),
        ("The boat sank.“Nobody was hurt,” he said.", "The boat sank. “Nobody was hurt,” he said."),
    ],
)
def test_glued_sentences_get_one_space(raw, expected):
    assert cleaned(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "The U.S. and the U.K. signed it.",
        "Aid from U.S./European donors arrived.",
        "It met on Feb. 3 and again on Sept.14 with Dr. Example and Gov. Sample.",
        "Mr.Example and Dr.Sample spoke.",
        "Inflation was 3.5 percent, or 3.25.",
        "The novel by J.R.R.Tolkien was read aloud.",
        "See www.Example.org or mail desk@Example.com for updates.",
        "The site example.com/Ferry.Timetable lists it.",
        "Ana Example, Ph.D., spoke at 7 p.m.Eastern time.",
        "It lives in St.Louis and Mt.Rainier.",
        "The shares (EXAMPLE.MX) fell.",
    ],
)
def test_abbreviations_decimals_initials_and_urls_are_not_split(raw):
    result = cleaned(raw)
    assert result.text == raw
    assert glue_points(raw) == []


def test_a_very_long_word_is_read_once_not_once_per_letter():
    """The abbreviation check walks back a few letters; a regex anchored at the dot was quadratic in the
    word's length (a 20,000-letter word took 97 s)."""
    text = "It began. " + "x" * 20000 + ".Then it ended.And again."
    points = glue_points(text)
    assert points == [10 + 20000 + 1, text.index("And")]
    assert glue_points("The U.S.Senate met.") == []  # initials are still abbreviations


# --------------------------------------------------------------------------- source


def test_build_source_copies_metadata_and_records_removals():
    raw_text = f"{BODY_A}\n\nRelated article: Another Story Entirely\n\n{BODY_B}"
    raw = RawDocument(
        path="island.txt",
        format="txt",
        sha256="ab" * 32,
        raw_text=raw_text,
        title="Ferry delay",
        author="Jane Roe",
        outlet="Island Courier",
        published="2025-01-07",
        url="https://example.org/ferry",
        metadata_origin={"title": "front matter"},
        pre_removed=[],
    )
    source = build_source(raw)
    assert source.id == "src-" + "ab" * 6
    assert (source.title, source.author, source.outlet, source.published, source.url) == (
        "Ferry delay", "Jane Roe", "Island Courier", "2025-01-07", "https://example.org/ferry",
    )
    assert source.metadata_origin == {"title": "front matter"}
    assert source.text == f"{BODY_A}\n\n{BODY_B}"
    assert [r.reason for r in source.removed] == ["promo"]
    assert not alignment_problems(raw_text, source.text, source.alignment, source.removed)


# --------------------------------------------------------------------------- property: never lose a body word

_WORDS = "harbour ferry council island winter crossing boat timetable vote storm pier crew budget tide".split()
_JUNK = [
    "Advertisement",
    "Related article: Some Other Story",
    "https://example.org/a/b",
    "Share this",
    "Photo: Jane Roe/Getty Images",
    "Sign up for our newsletter",
    "***",
]


def _random_sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 14))]
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice([".", ".", ".", "?", "!"])


def _random_document(rng: random.Random) -> tuple[str, list[str]]:
    """A random page: body paragraphs (possibly glued or hard-wrapped) mixed with junk lines."""
    parts: list[str] = []
    body: list[str] = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.3:
            parts.append(rng.choice(_JUNK))
        sentences = [_random_sentence(rng) for _ in range(rng.randint(1, 4))]
        body.extend(sentences)
        joiner = rng.choice([" ", "", "  ", "\u00a0"])
        paragraph = joiner.join(sentences)
        if rng.random() < 0.3:  # hard-wrap it
            words = paragraph.split(" ")
            lines, line = [], ""
            for word in words:
                if len(line) + len(word) > 50:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            lines.append(line)
            paragraph = "\n".join(lines)
        parts.append(paragraph)
    separator = rng.choice(["\n\n", "\n", "\n\n\n", "\n \n"])
    return separator.join(parts), body


@pytest.mark.parametrize("seed", range(200))
def test_random_pages_never_lose_a_body_word(seed):
    rng = random.Random(seed)
    raw, body = _random_document(rng)
    result = cleaned(raw)
    expected_words = " ".join(body).replace(".", " ").replace("?", " ").replace("!", " ").split()
    got_words = result.text.replace(".", " ").replace("?", " ").replace("!", " ").split()
    assert got_words == expected_words
    for paragraph in result.text.split("\n\n"):
        assert paragraph and "\n" not in paragraph and paragraph == paragraph.strip()


# --------------------------------------------------------------------------- the seed corpus

_GLUE = re.compile(r"([A-Za-z]+)[.?!][”\"’)]?[A-Z“]")
_ALLOWED_BEFORE_GLUE = re.compile(r"^(?:[A-Z]|[A-Z][a-z]?|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Feb|Jan|Aug|Sept|Oct|Nov|Dec)$")
_CREDIT = re.compile(r"\([A-Z][\w.' ]+/[\w .']+\)\s*$")


def _seed_files() -> list[Path]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS} (needs ../shared next to the repo)")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed articles in {SEEDS}")
    return files


@pytest.mark.shared
def test_seeds_are_clean_and_keep_every_body_sentence():
    for path in _seed_files():
        raw = path.read_text(encoding="utf-8")
        result = cleaned(raw)
        text = result.text
        where = path.name
        assert text, where
        for paragraph in text.split("\n\n"):
            assert paragraph and "\n" not in paragraph, (where, paragraph[:80])
            assert not paragraph[0].islower(), ("a sentence cut across paragraphs", where, paragraph[:80])
            assert not re.fullmatch(r"(?:https?://|www\.)\S+", paragraph), where
        assert not re.search(r"https?://", text), where
        assert "Related article" not in text and "Related Publications" not in text, where
        assert not re.search(r"^(?:Type|By):", text, re.M), where
        assert "View All" not in text, where
        for match in _GLUE.finditer(text):
            assert _ALLOWED_BEFORE_GLUE.match(match.group(1)), (where, text[match.start() - 20 : match.end() + 20])
        for removal in result.removed:
            assert removal.reason and removal.text == raw[removal.start : removal.end]
        removed_text = {reason: " ".join(r.text for r in result.removed if r.reason == reason) for reason in reasons(result)}
        for line in raw.splitlines():
            if re.fullmatch(r"\s*https?://\S+\s*", line):
                assert line.strip() in removed_text.get("url-list", "") + removed_text.get("url", ""), where
            if line.startswith("Related article:"):
                assert line.strip() in removed_text.get("promo", ""), where
        # captions with a credit are gone, and so is their second copy
        for line in raw.splitlines():
            if _CREDIT.search(line):
                assert line.strip() not in text, where
        # every long prose line before a related-content heading survives word for word
        for line in raw.split("\n"):
            if re.match(r"^\s*Related\b", line):
                break
            words = line.split()
            if len(words) >= 25 and not _CREDIT.search(line) and raw.count(line) == 1:
                squeezed = " ".join(words)
                assert squeezed[:60] in " ".join(text.split()), (where, squeezed[:60])


@pytest.mark.shared
def test_cleaning_seeds_is_idempotent():
    for path in _seed_files():
        once = clean_text(path.read_text(encoding="utf-8")).text
        assert clean_text(once).text == once, path.name


def test_the_rules_fingerprint_follows_the_ingest_and_clean_code(tmp_path):
    import shutil

    from cruxmap.clean.base import PACKAGE, rules_fingerprint

    for part in ("ingest", "clean"):
        shutil.copytree(PACKAGE / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    before = rules_fingerprint(tmp_path)
    assert before == rules_fingerprint(PACKAGE) and len(before) == 12
    rules = tmp_path / "clean" / "boilerplate.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# a changed rule\n", encoding="utf-8")
    assert rules_fingerprint.__wrapped__(tmp_path) != before
