"""The web app and JSON API (FastAPI TestClient): runs, maps, search, uploads, re-analysis, security.

Re-analysis runs through an injected ``analyze`` that uses the real ingest and clean stages
and stores the run, without the model stages, so these tests stay fast and hermetic.
"""

from __future__ import annotations

import csv
import hashlib
import inspect
import io
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from report_fixture import INJECTIONS, MALICIOUS_SOURCE_ID, QUESTION, report_map

from cruxmap.model import Claim, DebateMap, Failure, RunInfo
from cruxmap.serve import DEFAULT_CSP, UploadLimits, create_app, serve
from cruxmap.serve.security import csp_from_meta
from cruxmap.store import open_store

FIXTURE_RUN = "run-fixture0001"
ARTICLE = ("The harbour tunnel should stay free of tolls. Tolls would push lorries onto the coast road, "
           "where the noise already keeps residents awake. The council has no plan for that traffic.\n")
MALICIOUS = ("<script>window.__pwned=1</script> Tolls on the harbour tunnel would fund the ferry. "
             '<img src=x onerror="window.__pwned=2"> A ferry every ten minutes would empty the coast road.\n')


def ingest_only_analyze(paths, *, settings, question=None, progress=None):
    """Stand-in for api.analyze: real ingest + clean, one claim per source, stored as a run."""
    from cruxmap.clean import build_source
    from cruxmap.ingest import IngestOptions, iter_inputs

    sources, failures = [], []
    for item in iter_inputs([str(p) for p in paths], IngestOptions()):
        if isinstance(item, Failure):
            failures.append(item)
        else:
            sources.append(build_source(item))
    claims = [Claim(id=f"{s.id}-c0", source_id=s.id, start=0, end=len(s.text.rstrip()), sentence_id=f"{s.id}-s0",
                    text=s.text.rstrip(), score=0.9) for s in sources]
    digest = hashlib.sha256("".join(sorted(s.sha256 for s in sources)).encode()).hexdigest()[:12]
    run = RunInfo(id=f"run-{digest}", created=datetime.now(UTC).isoformat(timespec="seconds"),
                  cruxmap_version="test", options={"paths": [str(p) for p in paths], "question": question})
    debate_map = DebateMap(sources=sources, claims=claims, failures=failures, run=run)
    if progress:
        progress("analyse", len(sources), 0)
    with open_store(settings.db) as store:
        store.save_run(run, debate_map)
    return debate_map


@pytest.fixture
def store(settings):
    with open_store(settings.db) as opened:
        yield opened


@pytest.fixture
def app(settings, store, tmp_path):
    fixture_map = report_map(malicious=True)
    store.save_run(RunInfo(id=FIXTURE_RUN, created="2026-01-02T10:00:00+00:00", cruxmap_version="test"), fixture_map)
    return create_app(settings, store, analyze=ingest_only_analyze, upload_dir=tmp_path / "uploads",
                      limits=UploadLimits(max_bytes=2_000, max_files_per_request=3, max_files_per_run=4))


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def article_run(settings, tmp_path) -> str:
    """A run analysed from a folder on disk, so it can be re-analysed."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "tunnel.txt").write_text(ARTICLE, encoding="utf-8")
    return ingest_only_analyze([folder], settings=settings).run.id


def _upload(client, run_id, *files):
    return client.post(f"/api/runs/{run_id}/uploads", files=[("files", f) for f in files])


# ----------------------------------------------------------------- runs and maps


def test_an_empty_store_shows_a_command_that_runs(settings, tmp_path):
    """Global options come before the command: `cruxmap analyze X --db …` is refused by the CLI."""
    with open_store(settings.db) as empty, TestClient(create_app(settings, empty, upload_dir=tmp_path / "u")) as c:
        page = c.get("/").text
    assert "No runs yet" in page and "<code>cruxmap --db … analyze ARTICLES</code>" in page


def test_runs_list_api_and_page(client):
    runs = client.get("/api/runs").json()
    assert [r["id"] for r in runs] == [FIXTURE_RUN]
    fixture = report_map(malicious=True)
    assert runs[0]["question"] == QUESTION
    assert (runs[0]["sources"], runs[0]["claims"]) == (len(fixture.sources), len(fixture.claims))
    page = client.get("/")
    assert page.status_code == 200 and QUESTION in page.text and f'href="/runs/{FIXTURE_RUN}"' in page.text


def test_map_json_and_prefix_lookup(client, settings):
    stored = DebateMap.model_validate(client.get(f"/api/runs/{FIXTURE_RUN}/map").json())
    assert stored.claims == report_map(malicious=True).claims
    assert client.get("/api/runs/run-fixture/map").status_code == 200  # unique prefix
    missing = client.get("/api/runs/run-nothere/map")
    assert missing.status_code == 404 and "no run" in missing.json()["detail"]
    assert settings.db not in missing.text and "--db" not in missing.text  # the server's path is not the client's


def test_run_page_is_the_report_with_its_own_csp_and_escaped_article(client):
    page = client.get(f"/runs/{FIXTURE_RUN}")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith(csp_from_meta(page.text))
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for injection in INJECTIONS:
        assert injection not in page.text
    assert MALICIOUS_SOURCE_ID in page.text
    assert f"/api/runs/{FIXTURE_RUN}" in page.text  # the report knows its API base


def test_exports_through_the_api(client):
    response = client.get(f"/api/runs/{FIXTURE_RUN}/export", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert f'filename="{FIXTURE_RUN}.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    fixture = report_map(malicious=True)
    assert len(rows) == len(fixture.claims) * len(fixture.hypotheses)
    assert client.get(f"/api/runs/{FIXTURE_RUN}/export", params={"format": "aif"}).json()["nodes"]
    assert client.get(f"/api/runs/{FIXTURE_RUN}/export", params={"format": "xml"}).status_code == 422


# ----------------------------------------------------------------- search


def test_search_finds_sources_and_claims(client):
    fixture = report_map(malicious=True)
    word = "Stockholm"
    expected_sources = {s.id for s in fixture.sources if word.lower() in s.text.lower()}
    expected_claims = {c.id for c in fixture.claims if word.lower() in c.text.lower()}
    assert expected_sources and expected_claims
    found = client.get("/api/search", params={"q": word}).json()
    assert {hit["source_id"] for hit in found["sources"]} == expected_sources
    assert {hit["claim_id"] for hit in found["claims"]} == expected_claims
    assert all(hit["runs"] == [FIXTURE_RUN] for hit in found["sources"])
    none = client.get("/api/search", params={"q": "zeppelinxyz"}).json()
    assert none["sources"] == [] and none["claims"] == []
    # FTS syntax and quotes in the query are words, not operators
    assert client.get("/api/search", params={"q": 'charge" OR NEAR(*'}).status_code == 200
    page = client.get("/search", params={"q": word})
    assert page.status_code == 200 and f"{len(expected_claims)} claim" in page.text


def test_search_matches_any_form_of_a_word_in_sources_claims_quotes_and_speakers(client):
    fixture = report_map(malicious=True)
    # "introducing" shares its stem with "introduced"; exact-token search found nothing
    found = client.get("/api/search", params={"q": "introducing"}).json()
    assert {h["claim_id"] for h in found["claims"]} == {c.id for c in fixture.claims if "introduced" in c.text}
    assert {h["source_id"] for h in found["sources"]} >= {c.source_id for c in fixture.claims if "introduced" in c.text}
    by_speaker = client.get("/api/search", params={"q": "Brooks"}).json()
    assert {h["quote_id"] for h in by_speaker["quotes"]} == {q.id for q in fixture.quotes if q.speaker == "Alan Brooks"}
    assert all(h["speaker"] == "Alan Brooks" for h in by_speaker["quotes"])
    buses = client.get("/api/search", params={"q": "charging"}).json()  # "charge", "charges"
    facets = {f["source_id"]: f["hits"] for f in buses["facets"]["sources"]}
    assert sum(facets.values()) == len(buses["claims"]) + len(buses["quotes"]) and len(facets) > 1
    one = next(iter(facets))
    narrowed = client.get("/api/search", params={"q": "charging", "source": one}).json()
    assert narrowed["claims"] and {h["source_id"] for h in narrowed["claims"] + narrowed["quotes"]} == {one}
    page = client.get("/search", params={"q": "charging"}).text
    assert "By source:" in page and 'id="quote-results"' in page and "<mark>charge</mark>" in page


@pytest.mark.models
def test_search_lists_the_claims_closest_in_meaning_that_hold_none_of_the_words(client):
    """Word search misses a claim that says the same thing in other words; the meaning list finds it."""
    from cruxmap.serve.catalog import RELATED_MIN

    found = client.get("/api/search", params={"q": "road toll reduces congestion"}).json()
    assert found["claims"] == []  # no claim holds every word
    related = found["related"]
    assert related and related[0]["text"].startswith("For them a congestion charge")
    sims = [hit["similarity"] for hit in related]
    assert sims == sorted(sims, reverse=True) and min(sims) >= RELATED_MIN and len(related) <= 10
    # a claim the words found is not listed again as close in meaning
    by_word = client.get("/api/search", params={"q": "Stockholm cordon"}).json()
    assert by_word["claims"] and not ({h["claim_id"] for h in by_word["claims"]}
                                      & {h["claim_id"] for h in by_word["related"]})
    page = client.get("/search", params={"q": "road toll reduces congestion"}).text
    assert "Close in meaning" in page and "For them a congestion charge" in page and "similarity 0." in page


def test_search_narrows_by_the_year_published_and_by_the_sources_position(client, article_run):
    """Facets by year across runs, and by position within one run; each filter keeps only its sources' hits."""
    fixture = report_map(malicious=True)
    everywhere = client.get("/api/search", params={"q": "traffic"}).json()
    years = {f["year"]: f["hits"] for f in everywhere["facets"]["years"]}
    assert set(years) == {"2023", "2024"}
    assert everywhere["facets"]["positions"] == []  # two runs: H1 of one question is not H1 of another
    in_2023 = client.get("/api/search", params={"q": "traffic", "year": "2023"}).json()
    old = {s.id for s in fixture.sources if s.published.startswith("2023")}
    assert in_2023["claims"] and {h["source_id"] for h in in_2023["claims"] + in_2023["quotes"]} <= old
    assert {h["source_id"] for h in in_2023["sources"]} <= old
    in_run = client.get("/api/search", params={"q": "charge", "run": FIXTURE_RUN}).json()
    positions = {f["position"]: f for f in in_run["facets"]["positions"]}
    assert positions["H2:support"]["statement"].startswith("A charge would hurt")
    against = client.get("/api/search", params={"q": "charge", "run": FIXTURE_RUN, "position": "H1:oppose"}).json()
    opposing = {st.target_id for st in fixture.stances if st.target == "source" and st.hypothesis_id == "H1"
                and st.label == "oppose"}
    hits = against["claims"] + against["quotes"] + against["related"]
    assert hits and {h["source_id"] for h in hits} <= opposing
    assert against["facets"]["positions"] and all(f["hits"] <= positions[f["position"]]["hits"]
                                                  for f in against["facets"]["positions"])
    assert client.get("/api/search", params={"q": "charge", "position": "H1:maybe"}).status_code == 422
    assert client.get("/api/search", params={"q": "charge", "year": "20x4"}).status_code == 422
    page = client.get("/search", params={"q": "charge", "run": FIXTURE_RUN, "position": "H1:oppose"}).text
    assert "By the source&#39;s position" in page or "By the source's position" in page
    assert "sources that oppose H1" in page and "Remove these filters" in page


@pytest.mark.models
def test_search_narrows_to_the_claims_about_one_item(client):
    """Within one run, claims are counted and filtered by the item of the question they are closest to."""
    found = client.get("/api/search", params={"q": "charge", "run": FIXTURE_RUN}).json()
    items = {f["item"]: f["hits"] for f in found["facets"]["items"]}
    assert set(items) >= {"H1", "H2", "P1"} and sum(items.values()) >= len(found["claims"])
    about = client.get("/api/search", params={"q": "charge", "run": FIXTURE_RUN, "about": "H2"}).json()
    texts = {h["text"] for h in about["claims"]}
    assert "A charge would push shoppers to the retail park outside the ring road." in texts
    assert not any(t.startswith("Stockholm introduced") for t in texts)  # about the other cities (P1)
    assert about["quotes"] == [] and len(about["claims"]) == items["H2"]
    assert client.get("/api/search", params={"q": "charge", "about": "H2;drop"}).status_code == 422
    page = client.get("/search", params={"q": "charge", "run": FIXTURE_RUN, "about": "H2"}).text
    assert "By the item a claim is about" in page and "claims about H2 (quotes left out)" in page


def test_meaning_search_can_be_left_out_of_the_server(client, settings, store):
    """serve.search_meaning = false keeps MiniLM (about 0.5 GB) out of the server; word search stays."""
    from cruxmap.serve.catalog import Catalog

    catalog = Catalog(store, settings.updated(**{"serve.search_meaning": False}))
    found = catalog.search("road toll reduces congestion")
    assert found["related"] == [] and catalog._embedder is None
    assert catalog.search("Stockholm")["claims"]


def test_search_results_escape_article_text(client):
    page = client.get("/search", params={"q": "pwned"})
    assert page.status_code == 200
    assert "<script>window.__pwned" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in page.text or "&lt;img" in page.text


# ----------------------------------------------------------------- uploads


def test_upload_saves_files_into_the_runs_folder(client, tmp_path):
    response = _upload(client, FIXTURE_RUN, ("extra article.txt", ARTICLE.encode(), "text/plain"))
    assert response.status_code == 201, response.text
    assert response.json()["saved"] == [{"name": "extra article.txt", "bytes": len(ARTICLE.encode())}]
    assert (tmp_path / "uploads" / FIXTURE_RUN / "extra article.txt").read_text(encoding="utf-8") == ARTICLE
    assert client.get(f"/api/runs/{FIXTURE_RUN}/uploads").json() == [{"name": "extra article.txt",
                                                                      "bytes": len(ARTICLE.encode())}]


@pytest.mark.parametrize("name", ["../evil.txt", "..\\evil.txt", "/etc/evil.txt", "sub/evil.txt", ".hidden.txt",
                                  "..", "a..b.txt", "evil.txt\x00.png", "<script>.txt"])
def test_upload_refuses_path_traversal_and_odd_names(client, tmp_path, name):
    response = _upload(client, FIXTURE_RUN, (name, ARTICLE.encode(), "text/plain"))
    assert response.status_code in (400, 422), response.text
    written = [p for p in tmp_path.rglob("*evil*")] + [p for p in tmp_path.rglob(".hidden*")]
    assert written == []
    # the refusal is JSON (never a page that could run the name as markup) and says what is wrong
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"] and "Traceback" not in response.text


def test_upload_limits(client, tmp_path):
    too_big = _upload(client, FIXTURE_RUN, ("big.txt", b"word " * 1_000, "text/plain"))
    assert too_big.status_code == 413 and "limit" in too_big.json()["detail"]
    bad_ext = _upload(client, FIXTURE_RUN, ("tool.exe", b"MZ", "application/octet-stream"))
    assert bad_ext.status_code == 400 and ".txt" in bad_ext.json()["detail"]
    fake_pdf = _upload(client, FIXTURE_RUN, ("paper.pdf", b"not really", "application/pdf"))
    assert fake_pdf.status_code == 422
    empty = _upload(client, FIXTURE_RUN, ("empty.txt", b"", "text/plain"))
    assert empty.status_code == 422
    many = _upload(client, FIXTURE_RUN, *[(f"a{i}.txt", ARTICLE.encode(), "text/plain") for i in range(4)])
    assert many.status_code == 413
    # one refused file means none of the batch is written
    mixed = _upload(client, FIXTURE_RUN, ("good.txt", ARTICLE.encode(), "text/plain"), ("bad.sh", b"x", "text/x"))
    assert mixed.status_code == 400
    assert not (tmp_path / "uploads" / FIXTURE_RUN).exists()
    for i in range(4):
        assert _upload(client, FIXTURE_RUN, (f"ok{i}.txt", ARTICLE.encode(), "text/plain")).status_code == 201
    full = _upload(client, FIXTURE_RUN, ("one-more.txt", ARTICLE.encode(), "text/plain"))
    assert full.status_code == 413 and "at most 4" in full.json()["detail"]


def test_an_upload_over_the_request_limit_is_refused_by_its_length_before_the_body_is_kept(client, tmp_path):
    """The multipart parser used to spool the whole body to disk before the handler could refuse it
    (a 200 MB upload wrote 198 MB): the length is checked first now, and a body streamed without one
    is cut off at the limit."""
    limit = 2_000 * 3 + 65_536
    big = client.post(f"/api/runs/{FIXTURE_RUN}/uploads", files=[("files", ("big.txt", b"x" * (limit + 10), "text/plain"))])
    assert big.status_code == 413 and "limit of one request" in big.json()["detail"]
    assert not (tmp_path / "uploads" / FIXTURE_RUN).exists()

    def chunks():
        yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n"
        for _ in range(100):
            yield b"y" * 10_000

    streamed = client.post(f"/api/runs/{FIXTURE_RUN}/uploads", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=b"})
    assert streamed.status_code >= 400 and not (tmp_path / "uploads" / FIXTURE_RUN).exists()


@pytest.mark.parametrize("path", ["/api/runs/..%2F..%2Fetc/map", "/api/runs/%2e%2e/uploads", "/runs/..%2Fsecret",
                                  "/api/runs/run%00x/map", "/static/..%2Fapp.py", "/static/", "/static/templates"])
def test_no_traversal_or_listing_through_urls(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "app.py" not in response.text and "import" not in response.text


def test_upload_into_traversal_run_id_is_refused(client, tmp_path):
    response = client.post("/api/runs/..%2F..%2Ftmp/uploads", files=[("files", ("x.txt", ARTICLE.encode()))])
    assert response.status_code == 404
    assert list((tmp_path / "uploads").rglob("x.txt")) == []


# ----------------------------------------------------------------- re-analysis


def test_reanalysis_adds_uploads_and_escapes_a_malicious_article(client, app, article_run):
    assert _upload(client, article_run, ("evil.txt", MALICIOUS.encode(), "text/plain")).status_code == 201
    started = client.post(f"/api/runs/{article_run}/reanalyze")
    assert started.status_code == 202 and started.json()["state"] in ("queued", "running", "done")
    job = app.state.jobs.wait(started.json()["id"], timeout=60)
    status = client.get(f"/api/jobs/{job.id}").json()
    assert status["state"] == "done", status
    assert status["sources"] == 2 and status["new_run_id"] != article_run
    new_map = DebateMap.model_validate(client.get(f"/api/runs/{status['new_run_id']}/map").json())
    assert any("<script>window.__pwned=1</script>" in s.text for s in new_map.sources)  # kept as text
    page = client.get(f"/runs/{status['new_run_id']}")
    assert page.status_code == 200 and "ferry" in page.text
    assert "<script>window.__pwned" not in page.text and '<img src=x onerror' not in page.text
    assert status["new_run_id"] in {r["id"] for r in client.get("/api/runs").json()}


def test_reanalysis_without_inputs_says_what_to_do(client):
    response = client.post(f"/api/runs/{FIXTURE_RUN}/reanalyze")  # the fixture run has no input paths
    assert response.status_code == 409 and "upload" in response.json()["detail"]


def test_failed_job_reports_its_error(settings, store, tmp_path, article_run):
    def broken(paths, **kwargs):
        raise RuntimeError("model directory missing")

    app = create_app(settings, store, analyze=broken, upload_dir=tmp_path / "up")
    with TestClient(app) as client:
        job_id = client.post(f"/api/runs/{article_run}/reanalyze").json()["id"]
        app.state.jobs.wait(job_id, timeout=10)
        status = client.get(f"/api/jobs/{job_id}").json()
    assert status["state"] == "failed" and status["error"] == "model directory missing"


def test_unknown_jobs(client):
    assert client.get("/api/jobs/job-000000000000").status_code == 404
    assert client.get("/api/jobs/..%2F..%2Fetc").status_code == 404


# ----------------------------------------------------------------- security headers and defaults


@pytest.mark.parametrize("path", ["/", "/api/runs", "/search?q=tolls", f"/runs/{FIXTURE_RUN}/manage",
                                  "/api/openapi.json", "/static/app.js", "/static/app.css", "/nowhere",
                                  "/api/runs/run-nothere"])
def test_every_response_has_csp_and_nosniff(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src" in csp and "http" not in csp  # no remote hosts allowed
    assert response.headers["x-content-type-options"] == "nosniff"
    if not path.startswith("/runs/run-fixture0001"):
        assert csp == DEFAULT_CSP


def test_openapi_spec_lists_the_api_and_no_remote_docs(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/runs", "/api/runs/{run_id}/map", "/api/search", "/api/runs/{run_id}/uploads",
            "/api/runs/{run_id}/reanalyze", "/api/jobs/{job_id}"} <= set(spec["paths"])
    assert client.get("/api/docs").status_code == 404 and client.get("/redoc").status_code == 404
    docs = client.get("/docs")  # our own page, rendered from the spec: no remote Swagger UI scripts
    assert docs.status_code == 200 and "cdn" not in docs.text.lower() and "swagger-ui" not in docs.text.lower()


def test_cross_origin_posts_are_refused(client, tmp_path):
    response = client.post(f"/api/runs/{FIXTURE_RUN}/uploads", headers={"origin": "http://evil.example"},
                           files=[("files", ("x.txt", ARTICLE.encode(), "text/plain"))])
    assert response.status_code == 403
    assert not (tmp_path / "uploads").exists()
    same = client.post(f"/api/runs/{FIXTURE_RUN}/uploads", headers={"origin": "http://testserver"},
                       files=[("files", ("x.txt", ARTICLE.encode(), "text/plain"))])
    assert same.status_code == 201


def test_serve_binds_to_loopback_by_default():
    from cruxmap.serve.app import is_loopback

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")


def test_app_factory_keeps_no_global_state(settings, tmp_path):
    with open_store(str(tmp_path / "a.db")) as a, open_store(str(tmp_path / "b.db")) as b:
        a.save_run(RunInfo(id="run-a", created="2026-01-01T00:00:00+00:00", cruxmap_version="t"), report_map())
        first = TestClient(create_app(settings, a, upload_dir=tmp_path / "ua"))
        second = TestClient(create_app(settings, b, upload_dir=tmp_path / "ub"))
        assert [r["id"] for r in first.get("/api/runs").json()] == ["run-a"]
        assert second.get("/api/runs").json() == []


def test_search_highlighting_escapes_before_marking():
    from cruxmap.serve.pages import mark_words, snippet_marks

    assert str(snippet_marks("a <b> [hit] & [<img src=x>]")) == \
        "a &lt;b&gt; <mark>hit</mark> &amp; <mark>&lt;img src=x&gt;</mark>"
    assert str(mark_words("The <i>toll</i> tolls Toll tollgate", "toll")) == \
        "The &lt;i&gt;<mark>toll</mark>&lt;/i&gt; <mark>tolls</mark> <mark>Toll</mark> tollgate"  # by stem, whole words


def test_allowed_hosts_refuse_a_rebound_host_name(settings, store, tmp_path):
    from cruxmap.serve.app import LOOPBACK_HOSTS

    app = create_app(settings, store, upload_dir=tmp_path / "u", allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/runs").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as rebound:
        response = rebound.get("/api/runs")
        assert response.status_code == 400
        assert response.headers["content-security-policy"] == DEFAULT_CSP


@pytest.mark.models
def test_reanalysis_with_the_real_pipeline(settings, tmp_path):
    """Upload + re-analysis through cruxmap.api.analyze itself (real offline models)."""
    from cruxmap import api

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "tunnel-free.txt").write_text(ARTICLE * 3, encoding="utf-8")
    (folder / "tunnel-toll.txt").write_text(
        "A toll on the harbour tunnel is the fairest way to pay for its repairs. Drivers who use the tunnel "
        "every day should carry its cost, not the pensioners who never drive. Other ports charge tolls and "
        "their tunnels are in far better shape.\n" * 2, encoding="utf-8")
    first = api.analyze([folder], settings=settings)
    with open_store(settings.db) as store:
        app = create_app(settings, store, upload_dir=tmp_path / "uploads")
        with TestClient(app) as client:
            assert _upload(client, first.run.id, ("ferry.txt", (MALICIOUS * 3).encode(), "text/plain")).status_code == 201
            job_id = client.post(f"/api/runs/{first.run.id}/reanalyze").json()["id"]
            job = app.state.jobs.wait(job_id, timeout=300)
            assert job.state == "done", job.error
            new_map = DebateMap.model_validate(client.get(f"/api/runs/{job.new_run_id}/map").json())
            assert len(new_map.sources) == 3 and new_map.claims
            assert any("ferry" in s.text for s in new_map.sources)
            page = client.get(f"/runs/{job.new_run_id}")
            assert page.status_code == 200 and "<script>window.__pwned" not in page.text


def test_a_run_page_links_back_is_rendered_once_and_revalidates_by_etag(client, monkeypatch):
    from cruxmap import report

    first = client.get(f"/runs/{FIXTURE_RUN}")
    assert first.status_code == 200 and 'href="/">All runs</a>' in first.text
    assert f'href="/runs/{FIXTURE_RUN}/manage"' in first.text and first.headers["etag"]
    monkeypatch.setattr(report, "render_report", lambda *a, **k: (_ for _ in ()).throw(AssertionError("re-rendered")))
    again = client.get(f"/runs/{FIXTURE_RUN}")
    assert again.text == first.text
    unchanged = client.get(f"/runs/{FIXTURE_RUN}", headers={"if-none-match": first.headers["etag"]})
    assert unchanged.status_code == 304 and not unchanged.content


def test_an_unknown_run_is_an_html_page_that_links_back_and_never_shows_the_store_path(client, settings):
    response = client.get("/runs/run-000000000000")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert 'href="/">All runs</a>' in response.text and "no recorded run" in response.text
    assert settings.db not in response.text and ".db" not in response.text


# ----------------------------------------------------------------- corrections and lineage


def test_a_correction_through_the_api_makes_a_child_run_and_shows_on_its_pages(client):
    page = client.get(f"/runs/{FIXTURE_RUN}/correct")
    assert page.status_code == 200 and 'data-correct="position"' in page.text
    assert "Read these first" in page.text
    # each sentence to read links to its characters in the map, as the report's own links do (the section's
    # anchor is src- and the source id, itself src-…: a link without the prefix opened nothing)
    from cruxmap.report.index import span_href
    links = {f'href="/runs/{FIXTURE_RUN}{span_href(c.source_id, c.start, c.end)}"' for c in report_map(malicious=True).claims}
    read_first = page.text.split("Read these first", 1)[1].split("</details>", 1)[0]
    assert read_first.count('href="') >= 2 and read_first.count('href="') == sum(read_first.count(x) for x in links)
    answer = client.post(f"/api/runs/{FIXTURE_RUN}/corrections", json={
        "kind": "position", "source": "src-c9d0e1f2", "hypothesis": "H2", "value": "oppose", "who": "ana",
        "why": "<b>its last line</b>"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["parent"] == FIXTURE_RUN and body["run_id"] != FIXTURE_RUN
    assert "src-c9d0e1f2.txt: H2 mixed → oppose (analyst)" in body["changes"]
    child = DebateMap.model_validate(client.get(f"/api/runs/{body['run_id']}/map").json())
    st = next(s for s in child.stances if s.target == "source" and s.target_id == "src-c9d0e1f2" and s.hypothesis_id == "H2")
    assert (st.label, st.analyst, st.machine_label) == ("oppose", True, "mixed")
    report = client.get(f"/runs/{body['run_id']}").text
    assert "set by an analyst" in report and f'/runs/{body["run_id"]}/correct' in report
    correct = client.get(f"/runs/{body['run_id']}/correct").text
    assert "analyst · machine: mixed" in correct and FIXTURE_RUN in correct  # the history names the parent
    assert "<b>its last line</b>" not in correct and "&lt;b&gt;its last line&lt;/b&gt;" in correct
    diff = client.get(f"/runs/{FIXTURE_RUN}/diff/{body['run_id']}")
    assert diff.status_code == 200 and "H2 mixed → oppose (analyst)" in diff.text
    assert client.get(f"/api/runs/{FIXTURE_RUN}/diff/{body['run_id']}").json()["changes"]
    exported = client.get(f"/api/runs/{body['run_id']}/export", params={"format": "corrections"})
    assert exported.status_code == 200 and '"label": "oppose"' in exported.text
    listed = client.get("/api/corrections").json()
    assert [c["id"] for c in listed] == [body["correction"]["id"]]
    assert client.delete(f"/api/corrections/{listed[0]['id']}").status_code == 200
    assert client.delete(f"/api/corrections/{listed[0]['id']}").status_code == 404
    assert client.delete("/api/corrections/..%2Fetc").status_code == 404


def test_a_bad_correction_is_refused_with_the_fix(client):
    answer = client.post(f"/api/runs/{FIXTURE_RUN}/corrections",
                         json={"kind": "position", "source": "src-c9d0e1f2", "hypothesis": "H9", "value": "oppose"})
    assert answer.status_code >= 400 and "H9" in answer.text
    assert client.get("/api/corrections").json() == []


def test_a_reanalysis_names_the_run_it_was_made_from(client, app, article_run):
    assert _upload(client, article_run, ("more.txt", ARTICLE.replace("tunnel", "bridge").encode(), "text/plain")).status_code == 201
    job = app.state.jobs.wait(client.post(f"/api/runs/{article_run}/reanalyze").json()["id"], timeout=60)
    assert job.state == "done" and job.new_run_id != article_run
    new = client.get(f"/api/runs/{job.new_run_id}/map").json()
    assert new["run"]["parent"] == article_run
    history = client.get(f"/runs/{job.new_run_id}/correct").text
    assert article_run in history and f"/runs/{article_run}/diff/{job.new_run_id}" in history
    assert "new source more.txt" in client.get(f"/runs/{article_run}/diff/{job.new_run_id}").text


def test_the_api_is_typed_and_documented_offline(client):
    spec = client.get("/api/openapi.json").json()
    untyped = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok = op["responses"].get("200") or op["responses"].get("201") or op["responses"].get("202")
            schema = (ok or {}).get("content", {}).get("application/json", {}).get("schema")
            if path != "/api/runs/{run_id}/export" and (not schema or schema == {}):
                untyped.append(f"{method} {path}")
            if "{run_id}" in path:
                assert "404" in op["responses"], f"{method} {path} documents no 404"
    assert not untyped, untyped
    docs = client.get("/docs")
    assert docs.status_code == 200 and "POST /api/runs/{run_id}/corrections" in docs.text
    assert "<script src=\"http" not in docs.text and "SearchResult" in docs.text


# ----------------------------------------------------------------- a shared server: the team token


@pytest.fixture
def shared(settings, store, tmp_path):
    store.save_run(RunInfo(id=FIXTURE_RUN, created="2026-01-02T10:00:00+00:00", cruxmap_version="test"),
                   report_map(malicious=True))
    app = create_app(settings, store, analyze=ingest_only_analyze, upload_dir=tmp_path / "uploads", token="t0ken-Ä")
    with TestClient(app) as test_client:
        yield test_client


def test_a_shared_server_needs_the_token_for_every_page_and_answer(shared):
    assert shared.get("/api/runs").status_code == 401
    assert "Bearer" in shared.get("/api/runs").json()["detail"]
    assert shared.get("/api/runs", headers={"authorization": "Bearer wrong"}).status_code == 401
    utf8 = "Bearer t0ken-Ä".encode()  # a header carries bytes: the token in UTF-8
    assert shared.get("/api/runs", headers={"authorization": utf8}).status_code == 200
    page = shared.get(f"/runs/{FIXTURE_RUN}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=/runs/{FIXTURE_RUN}"
    assert shared.get("/static/app.css").status_code == 200  # the sign-in page can be styled
    assert shared.post(f"/api/runs/{FIXTURE_RUN}/corrections", json={}).status_code == 401


def test_signing_in_sets_a_session_cookie_and_returns_to_the_page(shared):
    wrong = shared.post("/login", data={"token": "nope", "next": "/"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not this server" in wrong.text
    assert shared.get("/api/runs").status_code == 401
    done = shared.post("/login", data={"token": "t0ken-Ä", "next": f"/runs/{FIXTURE_RUN}"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/runs/{FIXTURE_RUN}"
    cookie = done.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower() and "t0ken" not in cookie
    assert shared.get("/api/runs").status_code == 200 and shared.get(f"/runs/{FIXTURE_RUN}").status_code == 200
    elsewhere = shared.post("/login", data={"token": "t0ken-Ä", "next": "//evil.example/x"}, follow_redirects=False)
    assert elsewhere.headers["location"] == "/"  # never sent to another host


def test_a_script_uses_the_token_as_a_bearer(settings, store, tmp_path):
    app = create_app(settings, store, upload_dir=tmp_path / "u", token="plain-token")
    with TestClient(app) as client:
        assert client.get("/api/runs", headers={"authorization": "Bearer plain-token"}).status_code == 200


def test_serving_a_shared_address_without_a_token_is_refused(settings, monkeypatch):
    from cruxmap.errors import ConfigError
    from cruxmap.serve import serve

    monkeypatch.delenv("CRUXMAP_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="anyone who can reach it") as info:
        serve(settings, host="0.0.0.0", port=1)
    assert "CRUXMAP_TOKEN" in info.value.fix and "--no-login" in info.value.fix


def test_stemming_is_safe_from_many_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    from cruxmap.serve.catalog import stem, stems

    words = [f"{w}{n}ing" for n in range(400) for w in ("charg", "enlarg", "neutraliz")]
    stem.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda w: stems(w + " " + w + "s"), words))
    assert len(found) == len(words) and all(found)
