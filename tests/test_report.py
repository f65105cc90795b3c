"""The offline HTML report: sections, exact source offsets, escaping, CSP, empty maps (no browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from report_fixture import INJECTIONS, MALICIOUS_SOURCE_ID, report_map

from cruxmap.model import DebateMap
from cruxmap.report import render_report, script_safe_json, write_report
from cruxmap.report.timeline import date_interval


class Page(HTMLParser):
    """Collects every tag with its attributes, inline script/style bodies and the long lists' data.

    The sources, quotes and events travel as the JSON block ``cruxmap-lists`` that the page's script
    draws (``lists``); ``source_texts`` is each source's text as the script lays it out, by element id.
    """

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self.json_blocks: dict[str, str] = {}
        self._raw: str | None = None
        self.feed(html)
        self.lists = json.loads(self.json_blocks["cruxmap-lists"])
        self.source_texts = {s["anchor"]: "".join(text for _, text in s["runs"]) for s in self.lists["sources"]}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("script", "style"):
            self._raw = tag
            self.inline[tag].append("")
            if a.get("type") == "application/json":
                self.json_blocks[a["id"]] = ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw = None

    def handle_data(self, data):
        if self._raw:
            self.inline[self._raw][-1] += data
            block = self.tags[-1][1].get("id")
            if block in self.json_blocks:
                self.json_blocks[block] += data


def _hrefs(page: Page) -> list[str]:
    """Every link of the long lists (drawn by the script)."""
    return [row["href"] for row in page.lists["quotes"]["rows"] + page.lists["events"]["rows"]]


@pytest.fixture(scope="module")
def fixture_map() -> DebateMap:
    return report_map()


@pytest.fixture(scope="module")
def html(fixture_map) -> str:
    return render_report(fixture_map)


def _count(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


def test_every_section_renders_its_items(html, fixture_map):
    m = fixture_map
    lists = Page(html).lists
    assert len(lists["sources"]) == len(m.sources) == 4
    assert _count(html, r'<article class="crux"') == len(m.cruxes) == 2
    assert _count(html, r'<details class="kp"') == len(m.key_points)
    assert _count(html, r'<article class="camp"') == len(m.camps)
    assert _count(html, r'<article class="contra"') == len(m.contradictions)
    assert len(lists["quotes"]["rows"]) == len(m.quotes)
    assert len([r for r in lists["events"]["rows"] if "mk" in r]) == len([e for e in m.events if e.date])
    ach = html[html.index('<table class="ach">'):]
    assert _count(ach[:ach.index("</table>")], r"<tr data-f") == len(m.ach.rows)
    heat = html[html.index('<table class="heat">'):]
    assert _count(heat[:heat.index("</table>")], r"<tr data-f") == len(m.sources)
    assert m.question.question.replace("'", "&#39;") in html
    assert "least contradicted" in html  # the ACH winner is named in the summary


def test_source_views_reproduce_the_cleaned_text_exactly(html, fixture_map):
    """The browser resolves #src-ID@start-end by counting characters, so the view must be the text itself."""
    page = Page(html)
    for s in fixture_map.sources:
        assert page.source_texts[f"src-{s.id}"] == s.text


def test_item_links_point_at_their_exact_characters(html, fixture_map):
    texts = {s.id: s.text for s in fixture_map.sources}
    spans = {(c.source_id, c.start, c.end): c.text for c in fixture_map.claims}
    spans.update({(q.source_id, q.start, q.end): q.text for q in fixture_map.quotes})
    page = Page(html)
    ids = {a.get("id") for _, a in page.tags} | set(page.source_texts)
    links = set(re.findall(r'href="#src-([^"@]+)@(\d+)-(\d+)"', html))
    links |= {re.fullmatch(r"#src-([^@]+)@(\d+)-(\d+)", href).groups() for href in _hrefs(page)}
    assert len(links) >= len(fixture_map.claims)
    for sid, start, end in links:
        assert f"src-{sid}" in ids
        start, end = int(start), int(end)
        assert 0 <= start < end <= len(texts[sid])
        if (sid, start, end) in spans:
            assert texts[sid][start:end] == spans[(sid, start, end)]


def test_heatmap_cells_carry_symbols_not_only_colour(html):
    heat = html[html.index('<table class="heat">'):]
    heat = heat[:heat.index("</table>")]
    assert "st-support" in heat and "st-oppose" in heat
    assert re.search(r"st-support[^>]*>(<a [^>]*>)?\+", heat) and re.search(r"st-oppose[^>]*>(<a [^>]*>)?−", heat)


def test_removed_boilerplate_is_listed(html):
    removed = [s["removed"] for s in Page(html).lists["sources"]]
    assert [len(r) for r in removed].count(2) == 1 and [] in removed
    assert "Photo: Traffic on the ring road at rush hour." in [r["text"] for rs in removed for r in rs]


def test_malicious_article_is_inert_text():
    page_html = render_report(report_map(malicious=True))
    page = Page(page_html)
    for injection in INJECTIONS:
        assert injection not in page_html
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs), "event handler attribute"
    assert not any("style" in attrs for _, attrs in page.tags), "inline style attribute"
    assert [t for t, _ in page.tags if t == "script"] == ["script"] * 3  # two JSON blocks and the app
    assert not any(t == "img" for t, _ in page.tags)
    hrefs = [a["href"] for _, a in page.tags if "href" in a]
    assert not any(h.strip().lower().startswith(("javascript:", "data:")) for h in hrefs)
    # the text is still shown (as data the script turns into text nodes) and the source view reproduces it exactly
    assert "&lt;script&gt;window.__pwned=1" in page_html  # the title, printed by the template
    evil = next(s for s in report_map(malicious=True).sources if s.id == MALICIOUS_SOURCE_ID)
    assert page.source_texts[f"src-{evil.id}"] == evil.text


def test_csp_allows_only_the_inline_script_and_style_it_hashes(html):
    page = Page(html)
    meta = next(a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    csp = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert csp["default-src"] == "'none'" and csp["connect-src"] == "'none'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    app_script = page.inline["script"][2]
    assert csp["script-src"] == digest(app_script)
    assert csp["style-src"] == digest(page.inline["style"][0])
    assert "http" not in csp["script-src"] + csp["style-src"] + csp.get("img-src", "")
    assert not any("src" in a for _, a in page.tags), "no element loads anything"
    assert not any(t in ("link", "iframe", "object", "embed", "img") for t, _ in page.tags)


def _csp(page_html: str) -> str:
    return next(a["content"] for t, a in Page(page_html).tags if a.get("http-equiv") == "Content-Security-Policy")


def test_api_base_opens_connect_src_to_the_api_only():
    m = report_map()
    same_origin = render_report(m, api_base="/api/runs/run-1")
    assert "connect-src 'self';" in _csp(same_origin) and '"apiBase":"/api/runs/run-1"' in same_origin
    remote = render_report(m, api_base="http://127.0.0.1:8000/api")
    assert "connect-src 'self' http://127.0.0.1:8000;" in _csp(remote)
    with pytest.raises(ValueError):
        render_report(m, api_base="javascript:alert(1)")


def test_script_safe_json_cannot_close_the_script_element():
    payload = {"t": "</script><script>alert(1)</script> & \u2028\u2029 <!--"}
    text = script_safe_json(payload)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == payload


def test_the_long_lists_data_cannot_leave_its_script_element():
    """Article text now travels inside a <script type="application/json">: markup in it must stay data."""
    evil = report_map(malicious=True)
    page_html = render_report(evil)
    page = Page(page_html)
    assert [t for t, _ in page.tags if t == "script"] == ["script"] * 3 and not any(t == "img" for t, _ in page.tags)
    block = page.json_blocks["cruxmap-lists"]
    assert "<" not in block and ">" not in block and "&" not in block  # so no </script> and no <!-- either
    for injection in INJECTIONS:
        assert injection not in page_html
        assert any(injection in text for text in page.source_texts.values())  # decoded, the text is intact


def test_small_and_large_maps_take_the_same_path(fixture_map):
    """No list is printed as HTML, however short; every row is in the data, the page size set once."""
    page = Page(render_report(fixture_map))
    assert page.lists["page"] == 50
    assert not any(a.get("class") in ("source", "ev ev-quote", "ev ev-event") for _, a in page.tags)


def test_empty_map_explains_each_empty_section():
    page_html = render_report(DebateMap())
    for phrase in ["No hypotheses", "No cruxes", "No ACH matrix", "No key points", "No camps",
                   "No contradictions found", "No quotations", "No dated events", "No sources in this map"]:
        assert phrase in page_html, phrase


def test_rendering_is_deterministic(fixture_map):
    assert render_report(fixture_map) == render_report(fixture_map)


def test_write_report_to_a_file_or_a_folder(tmp_path, fixture_map):
    file_target = write_report(fixture_map, tmp_path / "out" / "r.html")
    assert file_target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    folder_target = write_report(fixture_map, tmp_path)
    assert folder_target == tmp_path / "report.html" and folder_target.is_file()


@pytest.mark.parametrize("date,expected", [
    ("2022-02-21", (2022 + 1 / 12 + 20 / 28 / 12, 2022 + 1 / 12 + 20 / 28 / 12)),
    ("2022-03", (2022 + 2 / 12, 2022 + 3 / 12)),
    ("2006", (2006.0, 2007.0)),
    ("2021/2022-06", (2021.0, 2022.5)),
    ("sometime", None),
    (None, None),
])
def test_event_dates_keep_their_precision_on_the_time_axis(date, expected):
    got = date_interval(date)
    assert got == pytest.approx(expected) if expected else got is None


def test_dangling_ids_and_odd_dates_do_not_break_the_report(fixture_map):
    m = fixture_map.model_copy(deep=True)
    m.cruxes[0].evidence["support"].append("no-such-claim")
    m.cruxes[0].sides["undecided"] = ["no-such-source"]
    m.key_points[0].claim_ids.append("no-such-claim")
    m.contradictions.append(m.contradictions[0].model_copy(update={"a": "no-such-claim"}))
    m.events[0].date = None
    m.events[1].date = "2005/2007-06"
    m.events[2].date = "around then"
    m.ach.rows[0].evidence_id = "gone"
    page_html = render_report(m)
    assert "Undecided" in page_html and "no-such-source" in page_html
    assert _count(page_html, r'<article class="contra"') == len(fixture_map.contradictions)
    events = Page(page_html).lists["events"]["rows"]
    assert len([r for r in events if "mk" in r]) == len([e for e in m.events if e.date]) - 1
    assert [r["date"] for r in events].count(None) == 1 + len([e for e in fixture_map.events if not e.date])



def test_heatmap_groups_sources_by_camp_and_links_each_cell_to_why_it_says_so(html, fixture_map):
    heat = html[html.index('<table class="heat">'):]
    heat = heat[:heat.index("</table>")]
    order = re.findall(r'<th scope="row"><a href="#src-([^"]+)">', heat)
    camp_of = {s: i for i, c in enumerate(fixture_map.camps) for s in c.source_ids}
    assert [camp_of[s] for s in order] == sorted(camp_of[s] for s in order)
    assert heat.count("Camp 1") == 1 and heat.count("Camp 2") == 1
    # "The case for…" supports H1 through three claims; the cell links to why, which quotes the strongest first
    strongest = next(c for c in fixture_map.claims if c.text.startswith("A daily fee of four pounds"))
    first_row = heat[heat.index(f'href="#src-{strongest.source_id}"'):]
    first_row = first_row[:first_row.index("</tr>")]
    assert f'href="#why-{strongest.source_id}-H1"' in first_row
    assert "confidence" in re.search(r'<td class="cell st-support[^>]*title="([^"]*)"', first_row).group(1)
    why = html[html.index(f'id="why-{strongest.source_id}-H1"'):]
    why = why[:why.index("</li>\n")] if "</li>\n" in why else why
    links = re.findall(r'<a class="ev-text" href="#src-[^"@]+@(\d+)-(\d+)">', why)
    assert links[0] == (str(strongest.start), str(strongest.end))
    assert "confidence" in why


def test_an_offline_table_that_is_mostly_empty_says_why_and_what_to_do(fixture_map):
    from cruxmap.model import RunInfo

    quiet = fixture_map.model_copy(deep=True)
    quiet.stances = [s if s.target == "claim" else s.model_copy(update={"label": "none", "score": 0.0, "evidence": []})
                     for s in quiet.stances]
    quiet.run = RunInfo(id="r", created="2026-12-06", cruxmap_version="x", backends={"stance": "stance.offline.v2:x"})
    assert "Most cells are empty" in render_report(quiet) and "--stance llm" in render_report(quiet)
    quiet.run.backends["stance"] = "stance.llm.v2:reader-1:http://h/v1/chat/completions:m"
    assert "Most cells are empty" not in render_report(quiet)
    assert "Most cells are empty" not in render_report(fixture_map)


def test_claim_chips_of_an_offline_run_never_contradict_their_sources_position(fixture_map):
    from cruxmap.model import RunInfo
    from cruxmap.report.index import MapIndex

    offline = fixture_map.model_copy(deep=True)
    offline.run = RunInfo(id="r", created="2026-12-06", cruxmap_version="x", backends={"stance": "stance.offline.v2:x"})
    first = offline.sources[0].id  # its own positions read the other way than its claims lean
    flip = {"support": "oppose", "oppose": "support"}
    offline.stances = [st.model_copy(update={"label": flip.get(st.label, st.label)})
                       if st.target == "source" and st.target_id == first else st for st in offline.stances]
    idx, full = MapIndex(offline), MapIndex(fixture_map)
    source_of = {c.id: c.source_id for c in fixture_map.claims}
    shown = [(cid, st) for cid, sts in idx.claim_stances.items() for st in sts if st.label in ("support", "oppose")]
    assert shown and all(idx.source_stances[(source_of[cid], st.hypothesis_id)].label == st.label for cid, st in shown)
    hidden = sum(len(v) for v in full.claim_stances.values()) - sum(len(v) for v in idx.claim_stances.values())
    assert hidden > 0  # the fixture has claims that lean against their source's position: those chips go


def test_the_timeline_says_how_each_date_was_resolved(html, fixture_map):
    from cruxmap.report.timeline import resolved_how

    assert resolved_how("2014", None) == "as written · year"
    assert resolved_how("2018", "context: 2014-03-18 (char 25)", "four years later") == (
        "counted from context: 2014-03-18 (char 25) · offset +4 years · year")
    assert resolved_how(None, None) == "no date it could count from"
    anchored = [e for e in fixture_map.events if e.anchor]
    assert anchored and all(f"counted from {e.anchor}" in html for e in anchored if e.date)


def test_a_date_known_only_as_a_bound_says_so_and_stays_off_the_axis():
    from cruxmap.report.timeline import resolved_how

    anchor = "the writing time, 1992 or later (char 24, the year after 1991, a past year the article names)"
    assert resolved_how("[1992..]", anchor, "today") == (f"the article carries no date: “today” stays unresolved, only a bound "
                                                          f"(1992 or later) · counted from {anchor} · offset 0 days")
    assert date_interval("[1992..]") is None  # listed with its words, not drawn as if it were 1992


def test_without_readable_claim_directions_each_source_still_shows_its_most_argumentative_claim():
    from cruxmap.map.keypoints import label_worthy
    from cruxmap.report.index import MapIndex
    from cruxmap.report.views import _key_claim

    m = report_map()
    m.stances = [s for s in m.stances if s.target == "source"]  # no claim-level direction at all
    idx = MapIndex(m)
    for source in m.sources:
        claims = [c for c in m.claims if c.source_id == source.id]
        if not claims:
            continue
        worthy = [c for c in claims if label_worthy(c.text)]
        shown = _key_claim(idx, source.id)
        if not worthy:
            assert shown is None
            continue
        assert shown is not None and shown["text"] == max(worthy, key=lambda c: (c.score, -c.start)).text


def test_the_ach_weights_data_cannot_leave_its_script_element():
    """Each ACH row travels to the page with its characters (for the weight corrections it writes): a row
    cut from the injection article stays data, and decodes to the article's exact characters."""
    from cruxmap.corrections import apply_corrections, correction_for

    evil = report_map(malicious=True)
    quote = next(q for q in evil.quotes if q.source_id == MALICIOUS_SOURCE_ID)  # holds "</script><script>…"
    assert apply_corrections(evil, [correction_for(evil, "credibility", item=quote.id, value="low")]) == []
    page_html = render_report(evil)
    page = Page(page_html)
    assert [t for t, _ in page.tags if t == "script"] == ["script"] * 3 and not any(t == "img" for t, _ in page.tags)
    block = page.json_blocks["cruxmap-data"]
    assert "<" not in block and ">" not in block and "&" not in block
    row = next(r for r in json.loads(block)["ach"]["rows"] if r["id"] == quote.id)
    source = next(s for s in evil.sources if s.id == MALICIOUS_SOURCE_ID)
    assert INJECTIONS[2] in row["subject"]["text"] == source.text[row["subject"]["start"]:row["subject"]["end"]]
    assert row["credibility"] == "low"
    for injection in INJECTIONS:
        assert injection not in page_html


def test_each_ach_row_offers_its_two_weights_as_labelled_selects(fixture_map):
    from cruxmap.corrections import apply_corrections

    built = fixture_map.model_copy(deep=True)
    apply_corrections(built, [])
    page = Page(render_report(built))
    selects = [a for t, a in page.tags if t == "select" and "data-ach-weight" in a]
    assert len(selects) == 2 * len(built.ach.rows)
    assert {a["data-ach-weight"] for a in selects} == {"credibility", "relevance"}
    assert all(a["aria-label"].startswith(a["data-ach-weight"] + " of ") for a in selects)
    data = json.loads(page.json_blocks["cruxmap-data"])["ach"]
    assert [r["id"] for r in data["rows"]] == [r.evidence_id for r in built.ach.rows] and data["competing"] == ["H1", "H2"]


def test_the_served_run_page_keeps_the_weight_selects_and_their_download(fixture_map):
    """The served page has no positions form (the server's Correct page takes those), but the ACH weights
    re-rank and download there as in the file."""
    from cruxmap.corrections import apply_corrections

    built = fixture_map.model_copy(deep=True)
    apply_corrections(built, [])
    page_html = render_report(built, api_base=f"/api/runs/{built.run.id}")
    page = Page(page_html)
    assert 'id="c-add"' not in page_html and f'href="/runs/{built.run.id}/correct"' in page_html
    assert sum(1 for t, a in page.tags if t == "select" and "data-ach-weight" in a) == 2 * len(built.ach.rows)
    assert any(a.get("id") == "ach-download" for t, a in page.tags if t == "button")


def test_ach_evidence_read_on_one_answer_only_is_shown_without_a_ranking(fixture_map):
    from cruxmap.corrections import apply_corrections

    built = fixture_map.model_copy(deep=True)
    apply_corrections(built, [])
    assert built.ach.ranking and 'id="ach-unranked"' not in render_report(built)
    for row in built.ach.rows:  # every rating on H2 unread
        for cell in row.cells:
            if cell.hypothesis_id == "H2":
                cell.rating = "NA"
    built.ach.ranking, built.ach.sensitivity = [], []
    page = render_report(built)
    assert 'id="ach-unranked"' in page and "(H2: no item rated for or against)" in page
    assert 'id="ach-ranking"' not in page and "least contradicted</span>" not in page


def test_a_camp_shows_how_often_resampling_finds_it_again():
    debate_map = report_map()
    placed = [c for c in debate_map.camps if not c.unplaced]
    assert placed, "the fixture has a camp to show"
    placed[0].stability = 0.871
    page = render_report(debate_map)
    assert "found again in 87 % of resamples" in page
    placed[0].stability = None  # no grouping was made: nothing claimed
    assert "of resamples" not in render_report(debate_map)


def _speaker_groups(texts: dict[str, str], question: str) -> list[dict]:
    """The quotes view's groups for a map of these texts (source id → text), quotes extracted from each."""
    from test_quotes import build

    from cruxmap.model import Question, Source
    from cruxmap.nlp.quotes import extract_quotes
    from cruxmap.report.index import MapIndex
    from cruxmap.report.views import quotes_by_speaker

    m = DebateMap(question=Question(question=question, hypotheses=[]), hypotheses=[])
    for sid, text in texts.items():
        doc = build(text)
        doc.source.id = sid
        m.quotes += extract_quotes(doc)
        m.sources.append(Source(id=sid, path=sid, sha256=sid.ljust(64, "0"), text=text))
    return quotes_by_speaker(MapIndex(m))


def test_the_quotes_view_lists_one_group_across_sources_and_documents_as_speakers():
    texts = {"a": "Senior American officials said the crossing would reopen within days. The Harbour Charter states "
                  "that “every berth stays open to every flag at every hour of the year.”",
             "b": "Senior US officials said the inspections would go on all winter. Former Fed officials said the "
                  "rates would hold."}
    heads = {(g["speaker"], g["type"], g["sources"]) for g in _speaker_groups(texts, "Will the crossing reopen?")}
    assert heads == {("senior U.S. officials", "group", 2), ("former Fed officials", "group", 1),
                     ("the Harbour Charter", "document", 1)}


def test_key_points_count_independent_sources_and_mark_one_sources_points():
    from cruxmap.model import DuplicateOf

    m = report_map()
    kp1 = next(k for k in m.key_points if k.id == "kp-1")  # made by src-a1b2c3d4 and src-c9d0e1f2
    copy, original = (next(s for s in m.sources if s.id == sid) for sid in ("src-c9d0e1f2", "src-a1b2c3d4"))
    copy.duplicates = [DuplicateOf(source_id=original.id, similarity=0.97)]
    page = render_report(m)
    summary = page[page.index(f'<span class="kp-label">{kp1.label}'):]
    summary = summary[:summary.index("</summary>")]
    assert "1/3 sources" in summary and "+1 syndicated copy" in summary and "one source</span>" in summary
    # the shared points keep their place and carry no tag
    plain = render_report(report_map())
    first = plain[plain.index(f'<span class="kp-label">{kp1.label}'):]
    first = first[:first.index("</summary>")]
    assert "2/4 sources" in first and "one source</span>" not in first and "cop" not in first


def test_the_quotes_view_gives_a_group_one_heading_whatever_its_capital():
    texts = {"a": "Critics said the toll plan was “a wish list with a price tag.”",
             "b": "At the hearing, critics said the toll plan was “far too slow for the city.” Critics said it was "
                  "“a tax by another name.”"}
    heads = [(g["speaker"], g["type"], g["sources"], len(g["quotes"])) for g in _speaker_groups(texts, "Will the tolls pass?")]
    assert heads == [("critics", "group", 2, 3)]


def test_a_group_named_by_its_own_words_gets_no_role_repeating_its_name():
    texts = {"a": "NATO allies believe the crossing will reopen by spring.",
             "b": "Senior American officials said the crossing would reopen within days."}
    groups = {g["speaker"]: g["roles"] for g in _speaker_groups(texts, "Will the crossing reopen?")}
    assert groups["NATO allies"] == []  # not ["NATO allies"] a second time
    # a group's own words are no role either (the mention's offsets keep how the text wrote them)
    assert groups["senior U.S. officials"] == []
