"""The web app in a real headless Chromium: runs list, a run's map, search, upload + re-analysis, safety.

The app runs under uvicorn on 127.0.0.1 (a free port) in a thread. Needs Debian's ``chromium`` and
``chromium-driver`` and the ``selenium`` package; skipped otherwise. The driver path is given
explicitly so Selenium Manager never downloads anything. The README's screenshots are refreshed by
``scripts/screenshots.py``, never by a test.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from chromium import LocalServer as _Server
from chromium import launch
from report_fixture import (
    ASTRAL_SOURCE_ID,
    MALICIOUS_SOURCE_ID,
    astral_report_map,
    long_report_map,
    report_map,
)
from test_serve import ARTICLE, MALICIOUS, ingest_only_analyze

from cruxmap.model import RunInfo
from cruxmap.serve import UploadLimits, create_app
from cruxmap.settings import Settings
from cruxmap.store import open_store

pytestmark = pytest.mark.browser

FIXTURE_RUN = "run-fixture0001"


def _launch(user_dir: Path, width: int = 1280, height: int = 720):
    return launch(user_dir, width, height)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    settings = Settings.load(db=str(root / "ui.db"))
    articles = root / "articles"
    articles.mkdir()
    (articles / "tunnel.txt").write_text(ARTICLE, encoding="utf-8")
    with open_store(settings.db) as store:
        store.save_run(RunInfo(id=FIXTURE_RUN, created="2026-01-02T10:00:00+00:00", cruxmap_version="test"),
                       report_map(malicious=True))
        article_run = ingest_only_analyze([articles], settings=settings).run.id
        app = create_app(settings, store, analyze=ingest_only_analyze, upload_dir=root / "uploads",
                         limits=UploadLimits(max_bytes=20_000))
        with _Server(app) as base:
            yield {"base": base, "article_run": article_run, "root": root, "app": app}


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = _launch(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _wait(browser, script: str, timeout: float = 20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = browser.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}")


def _not_pwned(browser) -> None:
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.title != "pwned"


def test_runs_list_renders_and_opens_a_map(browser, site):
    browser.get(site["base"] + "/")
    rows = browser.execute_script("return [...document.querySelectorAll('#runs tbody tr')].map(r => r.innerText)")
    assert len(rows) == 2 and any(FIXTURE_RUN in r for r in rows) and any(site["article_run"] in r for r in rows)
    browser.execute_script("document.querySelector(`a.open-map[href='/runs/${arguments[0]}']`).click()", FIXTURE_RUN)
    _wait(browser, "return location.pathname.startsWith('/runs/') && document.readyState === 'complete'")
    m = report_map(malicious=True)
    assert browser.execute_script("return document.querySelector('#sources [data-count]').textContent") == \
        str(len(m.sources))
    assert browser.execute_script("return window.cruxmap && window.cruxmap.apiBase") == f"/api/runs/{FIXTURE_RUN}"
    assert browser.execute_script("return document.getElementById(arguments[0]) !== null",
                                  f"src-{MALICIOUS_SOURCE_ID}")
    _not_pwned(browser)
    csp_errors = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert csp_errors == []  # the header CSP lets the report's own script and style run
    assert browser.execute_script("return getComputedStyle(document.body).fontFamily") != "Times New Roman"


def test_search_filters_results(browser, site):
    browser.get(site["base"] + "/")
    box = browser.find_element("css selector", "form.search input[name=q]")
    box.send_keys("Stockholm")
    box.submit()
    _wait(browser, "return document.getElementById('claim-results') !== null")
    claims = browser.execute_script("return [...document.querySelectorAll('#claim-results li')].map(l => l.innerText)")
    expected = [c for c in report_map(malicious=True).claims if "stockholm" in c.text.lower()]
    assert len(claims) == len(expected) and all("Stockholm" in c for c in claims)
    # a word that is in no article leaves both lists empty
    browser.get(site["base"] + "/search?q=zeppelinxyz")
    assert "No claim matches" in browser.find_element("id", "claim-results").text
    browser.get(site["base"] + "/search?q=pwned")
    _not_pwned(browser)


def test_upload_and_reanalysis_of_a_malicious_article_stay_inert(browser, site):
    run_id = site["article_run"]
    evil = site["root"] / "evil.txt"
    evil.write_text(MALICIOUS, encoding="utf-8")
    browser.get(f"{site['base']}/runs/{run_id}/manage")
    browser.find_element("id", "files").send_keys(str(evil))
    browser.find_element("css selector", "#upload-form button").click()
    _wait(browser, "return document.getElementById('upload-status').textContent.startsWith('Saved')")
    assert "evil.txt" in browser.find_element("id", "uploads").text
    browser.find_element("css selector", "#reanalyze-form button").click()
    link = _wait(browser, "const a = document.querySelector('#job-status a'); return a && a.getAttribute('href')")
    browser.get(site["base"] + link)
    _wait(browser, "return document.readyState === 'complete'")
    browser.execute_script("document.querySelectorAll('details.source').forEach(d => d.open = true)")
    _wait(browser, "return document.querySelectorAll('[data-source-text]').length === "
                   "document.querySelectorAll('details.source').length")  # a source's text is drawn on opening
    shown = browser.execute_script("return document.body.textContent")
    assert "ferry" in shown and "<script>window.__pwned=1</script>" in shown  # the markup is text, not markup
    # the article's text is in the page's JSON data block (never run), and in no script that runs
    assert browser.execute_script("return [...document.scripts].filter(s => s.type !== 'application/json' && "
                                  "s.text.includes('__pwned')).length") == 0
    assert browser.execute_script("return document.querySelectorAll('[onerror], img[src=x]').length") == 0
    _not_pwned(browser)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert errors == []


def test_a_too_large_upload_shows_the_reason(browser, site, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 5_000, encoding="utf-8")
    browser.get(f"{site['base']}/runs/{site['article_run']}/manage")
    browser.find_element("id", "files").send_keys(str(big))
    browser.find_element("css selector", "#upload-form button").click()
    text = _wait(browser, "const o = document.getElementById('upload-status');"
                          "return o.classList.contains('error') && o.textContent")
    assert "upload limit" in text


@pytest.mark.parametrize("width", [390, 768])
def test_the_web_pages_fit_a_phone_and_a_tablet(browser, site, width):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        for path in ("/", "/search?q=tunnel", f"/runs/{FIXTURE_RUN}", f"/runs/{FIXTURE_RUN}/manage",
                     f"/runs/{FIXTURE_RUN}/correct", "/docs", "/runs/run-000000000000"):
            browser.get(site["base"] + path)
            _wait(browser, "return document.readyState === 'complete'")
            wide = browser.execute_script("return document.documentElement.scrollWidth")
            assert wide <= width, f"{path}: {wide} px wide on a {width} px screen"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.models
def test_a_correction_in_the_browser_recomputes_the_map_and_survives_a_reanalysis(browser, tmp_path):
    """The analyst's loop with the real models: correct a cell on the Correct page, see the child run, re-analyse
    the articles through the UI, and find the correction applied to the new run."""
    from test_corrections_e2e import FAN, QUESTION, SCEPTIC

    from cruxmap import api

    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "sceptic.txt").write_text(SCEPTIC, encoding="utf-8")
    (articles / "fan.txt").write_text(FAN, encoding="utf-8")
    (tmp_path / "question.yaml").write_text(QUESTION, encoding="utf-8")
    settings = Settings.load(db=str(tmp_path / "loop.db"))
    first = api.analyze([articles], settings=settings, question=tmp_path / "question.yaml")
    fan = next(s for s in first.sources if s.path.endswith("fan.txt"))
    machine = next(s.label for s in first.stances if s.target == "source" and s.target_id == fan.id
                   and s.hypothesis_id == "H2")
    wanted = "oppose" if machine != "oppose" else "mixed"
    with open_store(settings.db) as store:
        app = create_app(settings, store, upload_dir=tmp_path / "uploads")
        with _Server(app) as base:
            browser.get(f"{base}/runs/{first.run.id}/correct")
            browser.find_element("id", "why").send_keys("the piece argues the fees pay their way")
            started = time.time()
            browser.execute_script(
                "const s = document.querySelector(`select[data-source='${arguments[0]}'][data-hypothesis='H2']`);"
                "s.value = arguments[1]; s.dispatchEvent(new Event('change'));", fan.id, wanted)
            _wait(browser, "return location.pathname.endsWith('/correct') && "
                           f"!location.pathname.includes('{first.run.id}') && document.readyState === 'complete'")
            assert time.time() - started < 5.0
            child = browser.execute_script("return location.pathname.split('/')[2]")
            cell = browser.execute_script(
                "const s = document.querySelector(`select[data-source='${arguments[0]}'][data-hypothesis='H2']`);"
                "return [s.value, s.closest('td').innerText]", fan.id)
            assert cell[0] == wanted and f"machine: {machine}" in cell[1]
            browser.get(f"{base}/runs/{child}")
            titles = browser.execute_script("return [...document.querySelectorAll('td.cell.analyst')].map(t => t.title)")
            assert len(titles) == 1 and "the piece argues the fees pay their way" in titles[0]
            browser.get(f"{base}/runs/{child}/manage")  # the articles analysed again: the correction is kept
            browser.find_element("css selector", "#reanalyze-form button").click()
            link = _wait(browser, "const a = document.querySelector('#job-status a'); return a && a.getAttribute('href')",
                         timeout=120)
            browser.get(base + link + "/correct")
            again = browser.execute_script(
                "const s = document.querySelector(`select[data-source='${arguments[0]}'][data-hypothesis='H2']`);"
                "return [s.value, s.closest('td').innerText]", fan.id)
            assert again[0] == wanted and "analyst" in again[1]


def test_a_served_long_run_draws_a_late_source_on_a_link_under_the_header_csp(browser, tmp_path):
    """The run page's lists are drawn by its own hashed script from its JSON block: the server's CSP header
    lets that run, and a link to a source beyond the first page draws and highlights it."""
    m = long_report_map()
    late = next(q for q in m.quotes if q.id == "src-copy052-desk")
    settings = Settings.load(db=str(tmp_path / "long.db"))
    with open_store(settings.db) as store:
        store.save_run(RunInfo(id="run-long0001", created="2026-01-03T10:00:00+00:00", cruxmap_version="test"), m)
        with _Server(create_app(settings, store, upload_dir=tmp_path / "uploads")) as base:
            browser.get_log("browser")
            browser.get(f"{base}/runs/run-long0001")
            _wait(browser, "return document.readyState === 'complete'")
            assert browser.execute_script("return document.querySelectorAll('details.source').length") == 50
            browser.execute_script("location.hash = arguments[0]", f"#src-{late.source_id}@{late.start}-{late.end}")
            marked = _wait(browser, "return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')")
            assert marked == late.text
            assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_the_web_pages_links_to_characters_after_emoji_highlight_exactly_them(browser, tmp_path):
    """The correct page's "read these first" sentences and the search's hits link into the run's map by
    code-point offsets (map.json's); the map highlights exactly those characters, emoji before them or not."""
    m = astral_report_map()
    source = next(s for s in m.sources if s.id == ASTRAL_SOURCE_ID)
    closing = next(c for c in m.claims if c.source_id == source.id and c.text.startswith("The council should back"))
    settings = Settings.load(db=str(tmp_path / "astral.db"))
    with open_store(settings.db) as store:
        store.save_run(RunInfo(id="run-astral0001", created="2026-01-04T10:00:00+00:00", cruxmap_version="test"), m)
        with _Server(create_app(settings, store, upload_dir=tmp_path / "uploads")) as base:
            browser.get(f"{base}/runs/run-astral0001/correct")
            first = browser.execute_script(
                "return [...document.querySelectorAll('.read-first li li a')].map(a => [a.href, a.textContent])")
            buses = next(c for c in m.claims if c.source_id == source.id and c.text.startswith("Buses crossed"))
            assert buses.text in [text for _, text in first]  # its source's P1 cell is among the first to read
            for href, text in first:
                browser.get(href)
                marked = _wait(browser, "return [...document.querySelectorAll('mark.hl')].map(m => m.textContent)"
                                        ".join('')", timeout=5)
                assert marked == text
            browser.get(f"{base}/search?q=protected+bike+lanes")
            hits = browser.execute_script("return [...document.querySelectorAll('#claim-results li a')].map(a => a.href)")
            assert len(hits) == 1
            browser.get(hits[0])
            marked = _wait(browser, "return [...document.querySelectorAll('mark.hl')].map(m => m.textContent).join('')",
                           timeout=5)
            assert marked == closing.text
