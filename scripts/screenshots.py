"""Refresh the README's screenshots from a store, in Debian's headless Chromium.

    python scripts/screenshots.py --db cruxmap-demo/cruxmap.db [--query "new reactors cost"]

Writes ``docs/report.png`` and ``docs/report-source.png`` (the report of the store's newest analysis
run: its top, then a piece of evidence opened in its source), ``docs/ui.png`` (the web UI's runs
list), ``docs/ui-search.png`` (a search) and ``docs/ui-correct.png`` (the Correct page of the newest
corrections run, else of the newest run). The tests never write into ``docs/``: a screenshot changes
whenever the look does, and is refreshed on purpose. Needs ``chromium``, ``chromium-driver`` and
``selenium`` (the browser tests' own helper starts them; nothing is downloaded).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "tests"))


def shoot_report(debate_map, profile: Path) -> None:
    from chromium import launch

    from cruxmap.api import write_report

    page = write_report(debate_map, profile / "report.html")
    driver = launch(profile / "report-profile", 1440, 900)
    try:
        driver.get(page.as_uri())
        time.sleep(0.3)
        driver.save_screenshot(str(DOCS / "report.png"))
        links = (driver.find_elements("css selector", "#cruxes .side-oppose .ev a")
                 or driver.find_elements("css selector", "#key-points a.ev-text"))  # a map without cruxes
        if links:
            driver.execute_script("arguments[0].click()", links[0])  # a key point's claims may sit folded
            time.sleep(1.8)  # let the highlight flash settle
        driver.save_screenshot(str(DOCS / "report-source.png"))
    finally:
        driver.quit()


def shoot_ui(store, settings, query: str, profile: Path) -> None:
    from urllib.parse import quote

    from chromium import LocalServer, launch

    from cruxmap.serve import create_app

    runs = store.list_runs()
    app = create_app(settings, store, upload_dir=profile / "uploads")
    driver = launch(profile / "ui-profile", 1280, 640)
    try:
        with LocalServer(app) as base:
            driver.get(base + "/")
            driver.save_screenshot(str(DOCS / "ui.png"))
            driver.set_window_size(1280, 1500)  # the facets, the claims and those close in meaning
            driver.get(f"{base}/search?q={quote(query)}")
            driver.save_screenshot(str(DOCS / "ui-search.png"))
            corrected = next((r for r in runs if r.kind == "corrections"), runs[0])
            driver.set_window_size(1280, 760)
            driver.get(f"{base}/runs/{corrected.id}/correct")
            driver.save_screenshot(str(DOCS / "ui-correct.png"))
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="the store to show (for example one filled by `cruxmap demo`)")
    parser.add_argument("--query", default="new reactors cost", help="the search shown in docs/ui-search.png")
    args = parser.parse_args()

    from cruxmap.settings import Settings
    from cruxmap.store import open_store

    settings = Settings.load(db=args.db)
    DOCS.mkdir(exist_ok=True)
    with open_store(settings.db) as store, tempfile.TemporaryDirectory() as tmp:
        runs = store.list_runs()
        if not runs:
            raise SystemExit(f"{args.db}: no runs in this store — run `cruxmap demo` (or analyze) into it first")
        analysis = next((r for r in runs if r.kind != "corrections"), runs[0])
        shoot_report(store.load_map(analysis.id), Path(tmp))
        shoot_ui(store, settings, args.query, Path(tmp))
    for name in ("report.png", "report-source.png", "ui.png", "ui-search.png", "ui-correct.png"):
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
