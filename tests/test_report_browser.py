"""The report in a real headless Chromium, opened from disk: sections, jump-to-source, filters, safety.

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``)
and the ``selenium`` package; skipped otherwise. Selenium Manager is never used: the driver path
is given explicitly, so nothing is downloaded. The README's screenshots are refreshed by
``scripts/screenshots.py``, never by a test.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from pathlib import Path

import pytest
from chromium import launch
from report_fixture import (
    ASTRAL_SOURCE_ID,
    MALICIOUS_SOURCE_ID,
    astral_report_map,
    long_report_map,
    report_map,
)

from cruxmap.report import write_report

pytestmark = pytest.mark.browser



def _launch(user_dir: Path, width: int = 1440, height: int = 900):
    return launch(user_dir, width, height)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("report")
    return {"plain": write_report(report_map(), root / "report.html"),
            "malicious": write_report(report_map(malicious=True), root / "malicious.html")}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = _launch(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _open(browser, path: Path, fragment: str = "") -> None:
    browser.get(path.as_uri() + fragment)
    browser.get_log("performance")  # drop entries from earlier pages
    browser.execute_script("return document.readyState")


def _count(browser, section: str) -> str:
    return browser.execute_script(f"return document.querySelector('#{section} [data-count]').textContent")


def _visible(browser, selector: str) -> int:
    return browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])].filter(e => e.getClientRects().length > 0).length",
        selector)


def test_sections_render_with_the_expected_counts(browser, pages):
    m = report_map()
    _open(browser, pages["plain"])
    assert _count(browser, "stances") == str(len(m.sources))
    assert _count(browser, "cruxes") == str(len(m.cruxes))
    assert _count(browser, "ach") == str(len(m.ach.rows))
    assert _count(browser, "key-points") == str(len(m.key_points))
    assert _count(browser, "camps") == str(len(m.camps))
    assert _count(browser, "contradictions") == str(len(m.contradictions))
    assert _count(browser, "quotes") == str(len(m.quotes))
    assert _count(browser, "timeline") == str(len(m.events))
    assert _count(browser, "sources") == str(len(m.sources))
    assert _visible(browser, "#timeline svg .mk") == len(m.events)
    assert browser.get_log("browser") == [], "no script errors or CSP reports on load"


def test_clicking_crux_evidence_opens_the_source_scrolled_to_the_highlighted_characters(browser, pages):
    m = report_map()
    _open(browser, pages["plain"])
    first_evidence_id = m.cruxes[0].evidence["support"][0]
    claim = next(c for c in m.claims if c.id == first_evidence_id)
    link = browser.find_element("css selector", "#cruxes .side-support .ev a")
    assert link.text == claim.text
    link.click()
    time.sleep(0.3)
    state = browser.execute_script("""
        const marks = [...document.querySelectorAll('mark.hl')];
        const box = marks[0].getBoundingClientRect();
        return {text: marks.map(m => m.textContent).join(''), open: marks[0].closest('details.source').open,
                source: marks[0].closest('details.source').id, top: box.top, bottom: box.bottom,
                height: window.innerHeight, hash: location.hash};
    """)
    assert state["text"] == claim.text
    assert state["open"] and state["source"] == f"src-{claim.source_id}"
    assert 0 <= state["top"] and state["bottom"] <= state["height"], "highlight scrolled into view"
    assert state["hash"] == f"#src-{claim.source_id}@{claim.start}-{claim.end}"


def test_opening_a_span_link_directly_highlights_it(browser, pages):
    m = report_map()
    quote = m.quotes[-1]
    _open(browser, pages["plain"], f"#src-{quote.source_id}@{quote.start}-{quote.end}")
    text = browser.execute_script("return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')")
    assert text == quote.text


def test_search_and_filters_narrow_every_section(browser, pages):
    m = report_map()
    _open(browser, pages["plain"])
    search = browser.find_element("id", "q")
    search.send_keys("night buses")
    time.sleep(0.4)
    assert _count(browser, "contradictions") == f"1 of {len(m.contradictions)}"
    assert _count(browser, "quotes") == f"0 of {len(m.quotes)}"
    assert _visible(browser, "#quotes .filtered-empty") == 1
    browser.find_element("id", "f-clear").click()
    time.sleep(0.2)
    assert _count(browser, "quotes") == str(len(m.quotes))

    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "f-spk")).select_by_visible_text("Alan Brooks")
    brooks = [q for q in m.quotes if q.speaker == "Alan Brooks"]
    assert _count(browser, "quotes") == f"{len(brooks)} of {len(m.quotes)}"
    assert _count(browser, "sources") == f"{len({q.source_id for q in brooks})} of {len(m.sources)}"
    Select(browser.find_element("id", "f-spk")).select_by_index(0)

    Select(browser.find_element("id", "f-src")).select_by_visible_text("Shopkeepers fear the cordon")
    assert _count(browser, "stances") == f"1 of {len(m.sources)}"
    assert _count(browser, "ach") == f"2 of {len(m.ach.rows)}"
    Select(browser.find_element("id", "f-src")).select_by_index(0)

    Select(browser.find_element("id", "f-hyp")).select_by_index(3)  # P1
    p1_rows = [r for r in m.ach.rows if any(c.hypothesis_id == "P1" and c.rating != "N" for c in r.cells)]
    assert _count(browser, "ach") == f"{len(p1_rows)} of {len(m.ach.rows)}"
    browser.find_element("id", "f-clear").click()


def test_malicious_article_script_never_runs(browser, pages):
    _open(browser, pages["malicious"])
    # hover and click everything of the malicious source, so handlers would fire if they had been injected
    browser.execute_script("""
        document.querySelectorAll('details').forEach(d => d.open = true);
        document.querySelectorAll('#quotes *, #sources *').forEach(el => {
            el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        });
    """)
    time.sleep(0.3)
    assert browser.execute_script("return window.__pwned === undefined")
    assert "pwned" not in browser.title
    shown = browser.find_element("id", f"src-{MALICIOUS_SOURCE_ID}").text
    assert "<script>window.__pwned=1;document.title='pwned'</script>" in shown
    assert browser.execute_script("return document.querySelectorAll('img, iframe, a[href^=\"javascript\"]').length") == 0


def test_no_request_leaves_the_page_and_the_csp_blocks_remote_loads(browser, pages):
    _open(browser, pages["malicious"])
    time.sleep(0.3)
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    assert all(url.startswith(("file://", "data:")) for url in requests), requests
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    blocked = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        document.addEventListener('securitypolicyviolation', e => done(e.violatedDirective + ' ' + e.blockedURI));
        const img = document.createElement('img');
        img.src = 'https://example.invalid/pixel.png';
        document.body.appendChild(img);
        setTimeout(() => done('not blocked'), 2000);
    """)
    assert blocked.startswith("img-src") and "example.invalid" in blocked


def test_screenshots(tmp_path, pages):
    """The report can be photographed: its top and a highlighted source give real screenshots (the README's
    own are refreshed by ``scripts/screenshots.py``). ``CRUXMAP_SCREENSHOT_MAP=out/`` (an analyze folder or
    map.json) shoots that map instead of the fixture."""
    page = pages["plain"]
    if os.environ.get("CRUXMAP_SCREENSHOT_MAP"):
        from cruxmap.api import load_map

        page = write_report(load_map(os.environ["CRUXMAP_SCREENSHOT_MAP"]), tmp_path / "shot.html")
    driver = _launch(tmp_path / "profile", 1440, 900)
    try:
        driver.get(page.as_uri())
        time.sleep(0.3)
        top = tmp_path / "report.png"
        driver.save_screenshot(str(top))
        links = (driver.find_elements("css selector", "#cruxes .side-oppose .ev a")
                 or driver.find_elements("css selector", "#key-points a.ev-text"))  # a map without cruxes
        driver.execute_script("arguments[0].click()", links[0])  # a key point's claims may sit folded
        time.sleep(1.8)  # let the highlight flash settle
        detail = tmp_path / "report-source.png"
        driver.save_screenshot(str(detail))
    finally:
        driver.quit()
    for shot in (top, detail):
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_printing_shows_every_collapsed_source_and_hides_the_controls(browser, pages):
    pypdf = pytest.importorskip("pypdf")
    import base64
    import io

    m = report_map()
    _open(browser, pages["plain"])
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(base64.b64decode(pdf["data"]))).pages)
    flat = " ".join(unicodedata.normalize("NFKC", text).split())  # PDF text may carry ligatures
    shown_elsewhere = {c.sentence_id for c in m.claims} | {e.sentence_id for e in m.events}
    only_in_source = [s.text for s in m.sentences if s.id not in shown_elsewhere and '"' not in s.text]
    assert len(only_in_source) >= 3
    for sentence in only_in_source:  # every source is a closed <details> until printing opens it
        assert " ".join(sentence.split()[-4:]) in flat, sentence
    assert "All hypotheses" not in flat and "Clear" not in flat  # the filter bar is not printed
    assert browser.execute_script("return document.querySelectorAll('details.source[open]').length") == 0


def test_long_ach_matrix_folds_its_least_diagnostic_rows(browser, tmp_path):
    m = report_map()
    template = m.ach.rows[-1]
    m.ach.rows += [template.model_copy(update={"evidence_id": f"{template.evidence_id}-copy{i}", "diagnosticity": 0.0})
                   for i in range(40)]
    _open(browser, write_report(m, tmp_path / "long.html"))
    assert _visible(browser, "#ach tbody tr") == 30
    browser.find_element("css selector", "[data-show-all='ach']").click()
    assert _visible(browser, "#ach tbody tr") == len(m.ach.rows)
    assert _count(browser, "ach") == str(len(m.ach.rows))


def test_timeline_markers_and_heatmap_cells_link_to_their_characters(browser, pages):
    m = report_map()
    _open(browser, pages["plain"])
    marker = browser.find_element("css selector", "#timeline svg a.mk")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))", marker)
    time.sleep(0.3)
    marked = browser.execute_script("return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')")
    assert marked in {e.date_text for e in m.events}
    cell = browser.find_element("css selector", "#stances td.cell a")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)  # clear of the sticky bar
    cell.click()
    time.sleep(0.3)
    # the cell opens "why": its confidence and the passages that decided it, each linking to its characters
    why_id = cell.get_attribute("href").split("#", 1)[1]
    entry = browser.find_element("id", why_id)
    assert entry.is_displayed() and "confidence" in entry.text
    passage = entry.find_element("css selector", "a.ev-text")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", passage)
    passage.click()
    time.sleep(0.3)
    marked = browser.execute_script("return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')")
    assert marked in {c.text for c in m.claims}
    assert browser.execute_script("return document.querySelectorAll('mark.hl').length") >= 1


def _marked_after_click(browser, page: Path, href: str) -> str:
    """Open ``page``, click its link to ``href`` (an event, as a reader's click sends) and return the
    highlighted text."""
    _open(browser, page)
    link = browser.execute_script("return document.querySelector(`a[href='${arguments[0]}']`)", href)
    assert link is not None, f"the report links to {href}"
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))", link)
    time.sleep(0.3)
    return browser.execute_script("return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')")


def test_links_after_emoji_highlight_exactly_their_characters(browser, tmp_path):
    """map.json counts code points, JavaScript strings UTF-16 units: an emoji before a span must not shift
    its highlight (one unit early per emoji before the fix), nor one inside it cut it short."""
    from cruxmap.report.index import span_href
    from cruxmap.report.lists import truncate

    m = astral_report_map()
    source = next(s for s in m.sources if s.id == ASTRAL_SOURCE_ID)
    assert len(source.text.encode("utf-16-le")) // 2 > len(source.text) + 10  # many characters beyond the BMP
    page = write_report(m, tmp_path / "astral.html")
    browser.get_log("browser")  # drop what earlier pages logged
    closing = next(c for c in m.claims if c.source_id == source.id and c.text.startswith("The council should back"))
    quote = next(q for q in m.quotes if q.source_id == source.id)
    # a reader's click: a passage under "who stands where" and a row of the quotes list
    assert _marked_after_click(browser, page, span_href(source.id, closing.start, closing.end)) == closing.text
    assert _marked_after_click(browser, page, span_href(source.id, quote.start, quote.end)) == quote.text
    # every span of the article, through its hash link
    spans = [(x.start, x.end) for x in m.claims + m.quotes + m.events if x.source_id == source.id]
    assert len(spans) == 5
    _open(browser, page)
    for start, end in spans:
        browser.execute_script("location.hash = arguments[0]", span_href(source.id, start, end))
        time.sleep(0.2)
        marked = browser.execute_script("return [...document.querySelectorAll('mark.hl')].map(m => m.textContent)"
                                        ".join('')")
        assert marked == source.text[start:end]
    # the page's own shortening of the source's address counts characters as Python (and Jinja) do
    shown = browser.execute_script("return document.querySelector(`[id='src-${arguments[0]}'] .src-meta a`)"
                                   ".textContent", source.id)
    assert shown == truncate(source.url, 90)
    assert browser.get_log("browser") == []


@pytest.mark.parametrize("width", [390, 768, 1440])
def test_the_report_fits_a_phone_a_tablet_and_a_desktop_without_sideways_scrolling(browser, pages, width):
    """Wide tables scroll inside their own box; nothing else may widen the page (a phone showed 581 px,
    with screen-reader labels escaping the heatmap's scroll box)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 800})
    try:
        _open(browser, pages["plain"])
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        sticky = browser.execute_script("return getComputedStyle(document.querySelector('.top')).position")
        assert sticky == ("static" if width <= 600 else "sticky")  # on a phone the bar scrolls away
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_offline_report_writes_a_corrections_file_that_cruxmap_applies(browser, pages, tmp_path):
    from cruxmap.corrections import apply_corrections, read_corrections

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _open(browser, pages["plain"])
    m = report_map()
    source = m.sources[2]
    browser.execute_script("document.getElementById('correct-offline').open = true")
    browser.execute_script(
        "const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); };"
        "set('c-src', arguments[0]); set('c-hyp', 'H2'); set('c-label', 'oppose');"
        "document.getElementById('c-why').value = 'its <b>last</b> line';"
        "document.getElementById('c-who').value = 'ana';", source.id)
    assert "The machine read: mixed." == browser.find_element("id", "c-machine").text
    search = browser.find_element("id", "q")  # the search's timer once shared a variable with this list
    search.send_keys("x")
    search.clear()
    time.sleep(0.3)
    browser.find_element("id", "c-add").click()
    assert "H2: mixed → oppose" in browser.find_element("id", "c-list").text
    assert browser.execute_script("return document.querySelectorAll('#c-list b').length") == 0  # text, not markup
    browser.find_element("id", "c-download").click()
    deadline = time.time() + 10
    saved = downloads / "corrections.jsonl"
    while not (saved.exists() and saved.read_bytes().endswith(b"\n")) and time.time() < deadline:
        time.sleep(0.1)  # the file can exist before its line is written (once read empty on a busy machine)
    corrections = read_corrections(downloads / "corrections.jsonl")
    assert [(c.kind, c.source_id, c.hypothesis_id, c.value, c.who, c.why) for c in corrections] == [
        ("position", source.id, "H2", "oppose", "ana", "its <b>last</b> line")]
    assert apply_corrections(m, corrections) == []
    cell = next(s for s in m.stances if s.target == "source" and s.target_id == source.id and s.hypothesis_id == "H2")
    assert (cell.label, cell.analyst, cell.machine_label) == ("oppose", True, "mixed")


# ---------------------------------------------------------------------- long lists, drawn a page at a time

@pytest.fixture(scope="module")
def long_page(tmp_path_factory) -> Path:
    return write_report(long_report_map(), tmp_path_factory.mktemp("long") / "long.html")


def _drawn(browser, selector: str) -> int:
    return browser.execute_script("return document.querySelectorAll(arguments[0]).length", selector)


def test_long_lists_draw_their_first_page_and_more_on_request(browser, long_page):
    m = long_report_map()
    browser.get_log("browser")  # drop what earlier tests left
    _open(browser, long_page)
    assert len(m.sources) > 50 and len(m.quotes) > 50 and len(m.events) > 50
    assert _drawn(browser, "#sources details.source") == 50
    assert _drawn(browser, "#quotes li.ev-quote") == 50 and _drawn(browser, "#timeline li.ev-event") == 50
    assert _count(browser, "sources") == str(len(m.sources)) and _count(browser, "quotes") == str(len(m.quotes))
    more = browser.find_elements("css selector", "[data-more='sources'] button")
    assert [b.text for b in more] == [f"Show {len(m.sources) - 50} more", f"Show all {len(m.sources)}"]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", more[0])
    more[0].click()
    assert _drawn(browser, "#sources details.source") == len(m.sources)
    assert not browser.find_element("css selector", "[data-more='sources']").is_displayed()
    # the last source opens with its own text and the parts cleaning removed, drawn on opening
    last = browser.find_element("id", f"src-{m.sources[-1].id}")
    browser.execute_script("arguments[0].open = true", last)
    time.sleep(0.1)
    assert "kestrel-059" in last.find_element("css selector", "[data-source-text]").text
    all_quotes = browser.find_element("css selector", "[data-more='quotes'] button:nth-of-type(2)")
    browser.execute_script("arguments[0].click()", all_quotes)
    assert _drawn(browser, "#quotes li.ev-quote") == len(m.quotes)
    assert _drawn(browser, "#timeline svg a.mk") == len([e for e in m.events if e.date and
                                                         _lane(m, e.source_id) < 50])
    browser.execute_script("document.querySelector(\"[data-more='lanes'] button\").click()")
    assert _drawn(browser, "#timeline svg a.mk") == len([e for e in m.events if e.date])
    assert browser.get_log("browser") == []


def _lane(m, source_id: str) -> int:
    """The chart lane of a source: sources with a dated event, in map order."""
    dated = [s.id for s in m.sources if any(e.source_id == s.id and e.date for e in m.events)]
    return dated.index(source_id)


def test_a_link_to_a_source_not_drawn_yet_draws_it_and_highlights_its_characters(browser, long_page):
    m = long_report_map()
    late = next(q for q in m.quotes if q.id == "src-copy055-desk")
    assert [s.id for s in m.sources].index(late.source_id) >= 50  # beyond the first page
    _open(browser, long_page)
    assert browser.execute_script("return document.getElementById(arguments[0])", f"src-{late.source_id}") is None
    browser.execute_script("location.hash = arguments[0]", f"#src-{late.source_id}@{late.start}-{late.end}")
    time.sleep(0.3)
    state = browser.execute_script("""
        const marks = [...document.querySelectorAll('mark.hl')], box = marks[0].getBoundingClientRect();
        return {text: marks.map(m => m.textContent).join(''), source: marks[0].closest('details.source').id,
                open: marks[0].closest('details.source').open, top: box.top, bottom: box.bottom, height: innerHeight};
    """)
    assert state["text"] == late.text and state["source"] == f"src-{late.source_id}" and state["open"]
    assert 0 <= state["top"] and state["bottom"] <= state["height"], "highlight scrolled into view"
    # following a link from another section while a filter hides the source clears the filter first
    other = next(q for q in m.quotes if q.id == "src-copy051-desk")
    browser.find_element("id", "q").send_keys("kestrel-003")
    time.sleep(0.4)
    assert _count(browser, "sources") == f"1 of {len(m.sources)}"
    browser.execute_script("location.hash = arguments[0]", f"#src-{other.source_id}@{other.start}-{other.end}")
    time.sleep(0.3)
    assert browser.execute_script("return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')") \
        == other.text
    assert _count(browser, "sources") == str(len(m.sources))


def test_search_and_filters_reach_rows_beyond_the_first_page(browser, long_page):
    from selenium.webdriver.support.ui import Select

    m = long_report_map()
    _open(browser, long_page)
    browser.find_element("id", "q").send_keys("kestrel-058")  # only in the 62nd source's text and its quote
    time.sleep(0.4)
    assert _count(browser, "sources") == f"1 of {len(m.sources)}" and _count(browser, "quotes") == f"1 of {len(m.quotes)}"
    assert browser.execute_script("return [...document.querySelectorAll('#sources details.source')].map(d => d.id)") \
        == ["src-src-copy058"]
    assert "kestrel-058" in browser.find_element("css selector", "#quotes li.ev-quote").text
    browser.find_element("id", "f-clear").click()
    time.sleep(0.2)
    Select(browser.find_element("id", "f-spk")).select_by_visible_text("Archivist 057")
    assert _count(browser, "quotes") == f"1 of {len(m.quotes)}" and _count(browser, "sources") == f"1 of {len(m.sources)}"
    Select(browser.find_element("id", "f-spk")).select_by_index(0)
    Select(browser.find_element("id", "f-src")).select_by_visible_text("Copy 56: The case for a Northbridge congestion charge")
    mine = [e for e in m.events if e.source_id == "src-copy056"]
    assert _count(browser, "timeline") == f"{len(mine)} of {len(m.events)}"
    assert _drawn(browser, "#timeline li.ev-event") == len(mine) == _drawn(browser, "#timeline svg a.mk")
    browser.find_element("id", "f-clear").click()


def test_printing_a_long_report_draws_every_row(browser, long_page):
    m = long_report_map()
    _open(browser, long_page)
    assert _drawn(browser, "#sources details.source") == 50 and _drawn(browser, "[data-source-text]") == 0
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    assert _drawn(browser, "#sources details.source[open] [data-source-text]") == len(m.sources)
    assert _drawn(browser, "#quotes li.ev-quote") == len(m.quotes)
    assert _drawn(browser, "#timeline li.ev-event") == len(m.events)
    assert _drawn(browser, "#timeline svg a.mk") == len([e for e in m.events if e.date])
    browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
    assert _drawn(browser, "details.source[open]") == 0


# ---------------------------------------------------------------------- ACH weights changed in the page

@pytest.fixture(scope="module")
def ach_page(tmp_path_factory) -> Path:
    """The fixture's matrix made by map/ach.py (the hand-built one is not ranked by its rule)."""
    from cruxmap.corrections import apply_corrections

    built = report_map()
    assert apply_corrections(built, []) == []
    return write_report(built, tmp_path_factory.mktemp("ach") / "ach.html")


def _weight_select(browser, evidence_id: str, kind: str):
    return browser.execute_script(
        "const rows = window.cruxmap.data.ach.rows;"
        "return [...document.querySelectorAll('[data-ach-row]')]"
        ".find(p => rows[+p.dataset.achRow].id === arguments[0])"
        ".querySelector(`select[data-ach-weight='${arguments[1]}']`)", evidence_id, kind)


def _shown_ranking(browser) -> list[tuple[str, int, int]]:
    return [tuple(r) for r in browser.execute_script(
        "return [...document.querySelectorAll('#ach-ranking li:not([hidden])')].map(li => [li.dataset.achHyp,"
        " +li.querySelector('[data-ach-inc]').textContent, +li.querySelector('[data-ach-con]').textContent])")]


def _flagged(browser) -> set[str]:
    return set(browser.execute_script(
        "const rows = window.cruxmap.data.ach.rows;"
        "return [...document.querySelectorAll('[data-ach-row]')].filter(p => !p.closest('tr')"
        ".querySelector('[data-ach-flag]').hidden).map(p => rows[+p.dataset.achRow].id)"))


def _python_ranking(m) -> list[tuple[str, int, int]]:
    return [(r["hypothesis_id"], round(r["inconsistency"]), round(r["consistency"])) for r in m.ach.ranking]


def test_changing_an_ach_weight_reranks_the_page_and_downloads_a_correction_cruxmap_ranks_alike(browser, ach_page,
                                                                                                 tmp_path):
    """The analyst trusts the claim that is very inconsistent with H2 more, and an event less: the page
    ranks again at once; the corrections file it writes, applied by cruxmap, gives the ranking the page showed."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.select import Select

    from cruxmap.corrections import apply_corrections, read_corrections

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _open(browser, ach_page)
    plain = report_map()
    apply_corrections(plain, [])
    assert _shown_ranking(browser) == _python_ranking(plain) and plain.ach.ranking[0]["hypothesis_id"] == "H2"
    assert browser.find_element("id", "ach-download").get_attribute("disabled") is not None

    claim, event = "src-a1b2c3d4-c2", "src-a1b2c3d4-e2"  # II on H2; an event inside a claim CC on H1
    _weight_select(browser, claim, "credibility").send_keys(Keys.ARROW_UP)  # keyboard: medium -> high
    Select(_weight_select(browser, claim, "relevance")).select_by_value("high")
    Select(_weight_select(browser, event, "relevance")).select_by_value("low")
    shown = _shown_ranking(browser)
    assert [h for h, _, _ in shown] == ["H1", "H2"]  # H2 is now the more contradicted
    assert browser.execute_script("return document.querySelector('td[data-ach-rank=\"H1\"]').textContent") == (
        "1 least contradicted")
    assert not browser.find_element("id", "ach-reweighted").get_attribute("hidden")
    flagged = _flagged(browser)

    browser.find_element("id", "ach-download").click()
    saved = downloads / "corrections.jsonl"
    deadline = time.time() + 10
    while not (saved.exists() and saved.read_bytes().count(b"\n") == 3) and time.time() < deadline:
        time.sleep(0.1)
    corrections = read_corrections(saved)
    assert sorted((c.kind, c.value) for c in corrections) == [
        ("credibility", "high"), ("relevance", "high"), ("relevance", "low")]
    m = report_map()
    assert apply_corrections(m, corrections) == []
    assert _python_ranking(m) == shown
    assert set(m.ach.sensitivity) == flagged
    rows = {r.evidence_id: r for r in m.ach.rows}
    assert (rows[claim].credibility, rows[claim].relevance, rows[event].relevance) == ("high", "high", "low")
    assert browser.get_log("browser") == []


def test_the_pages_ach_ranking_is_map_ach_pys_for_any_weights(browser, ach_page):
    """The formula lives twice, in map/ach.py and ach.js: for weights drawn at random, both give the same
    order, totals and sensitivity list."""
    import random

    from cruxmap.corrections import apply_corrections, correction_for

    _open(browser, ach_page)
    base = report_map()
    apply_corrections(base, [])
    ids = [r.evidence_id for r in base.ach.rows]
    draw = random.Random(20)
    for _ in range(12):
        weights = {i: (draw.choice(["high", "medium", "low"]), draw.choice(["high", "medium", "low"])) for i in ids}
        page = browser.execute_script(
            "const d = window.cruxmap.data.ach, w = arguments[0];"
            "const rows = d.rows.map(r => Object.assign({}, r, {credibility: w[r.id][0], relevance: w[r.id][1]}));"
            "const out = window.cruxmapAch.rank(rows, d.competing);"
            "return [out.order, out.order.map(h => out.totals[h]), out.sensitive]", weights)
        m = report_map()
        corrections = [correction_for(m, kind, item=i, value=w[n]) for i, w in weights.items()
                       for n, kind in enumerate(("credibility", "relevance"))]
        assert apply_corrections(m, corrections) == []
        python = [[r["hypothesis_id"] for r in m.ach.ranking],
                  [[r["inconsistency"], r["consistency"]] for r in m.ach.ranking], m.ach.sensitivity]
        assert page == python, weights


def test_the_weights_work_from_the_keyboard_on_a_phone(browser, ach_page):
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        _open(browser, ach_page)
        select = _weight_select(browser, "src-e5f6a7b8-c3", "credibility")  # II on H1
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", select)
        select.send_keys(Keys.ARROW_DOWN)  # medium -> low
        assert select.get_attribute("value") == "low" and browser.switch_to.active_element == select
        assert "changed" in select.get_attribute("class")
        assert select.rect["width"] > 0 and browser.execute_script("return document.documentElement.scrollWidth") <= 390
        assert browser.execute_script("return window.cruxmap.pendingCorrections().map(c => [c.kind, c.value])") == [
            ["credibility", "low"]]
        select.send_keys(Keys.ARROW_UP)  # back to what the map holds: nothing to record
        assert browser.execute_script("return window.cruxmap.pendingCorrections().length") == 0
        assert browser.find_element("id", "ach-download").get_attribute("disabled") is not None
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
