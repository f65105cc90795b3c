"""The HTML pages: runs list, a run's map (the report, served with the API), run management, search.

Pages are Jinja2 templates with autoescaping on; the only script is ``/static/app.js`` (upload
and job polling through the same JSON API). A run's map is ``cruxmap.report.render_report``
served with the report's own hash-based CSP as the response header.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import __version__
from ..errors import StoreError
from .cache import OnceCache
from .catalog import Catalog
from .jobs import JobRunner
from .security import ITEM, POSITION, UPLOAD_EXTENSIONS, YEAR, check_run_id, csp_from_meta
from .uploads import Uploads

HERE = Path(__file__).parent
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["snippet_marks"] = snippet_marks
    env.filters["mark_words"] = mark_words
    return env


def snippet_marks(snippet: str) -> Markup:
    """A store snippet with its ``[hit]`` markers as ``<mark>``; every piece of text escaped."""
    parts = re.split(r"\[([^\[\]]*)\]", snippet)
    return Markup("").join(Markup("<mark>{}</mark>").format(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def mark_words(text: str, query: str) -> Markup:
    """``text`` escaped, with each word that shares a stem with a query word wrapped in ``<mark>``."""
    from .catalog import stem, stems

    wanted = stems(query)
    if not wanted:
        return escape(text)
    parts = re.split(r"(\w+)", text)
    return Markup("").join(Markup("<mark>{}</mark>").format(p) if i % 2 and stem(p) in wanted else escape(p)
                           for i, p in enumerate(parts))


def _page(name: str, status: int = 200, **context) -> HTMLResponse:
    html = _templates().get_template(name).render(version=__version__, **context)
    return HTMLResponse(html, status_code=status)


#: rendered run pages kept in memory (a run's map never changes under its id and creation time)
RENDERED_PAGES = 8


def page_router(catalog: Catalog, uploads: Uploads, jobs: JobRunner, corrector=None) -> APIRouter:
    pages = APIRouter(include_in_schema=False)
    rendered: OnceCache[tuple[str, bytes, str]] = OnceCache(RENDERED_PAGES)  # (id, created) → etag, html, csp
    tables: OnceCache[dict] = OnceCache(RENDERED_PAGES)  # (id, created) → the Correct page's fixed parts

    @pages.get("/", response_class=HTMLResponse)
    def runs_page() -> HTMLResponse:
        runs = [catalog.run_summary(run) for run in catalog.runs()]
        return _page("runs.html", runs=runs, active_jobs=[j for j in jobs.list() if j.state in ("queued", "running")])

    @pages.get("/search", response_class=HTMLResponse)
    def search_page(q: str = Query("", max_length=200), run: str | None = None,
                    source: str | None = Query(None, max_length=64), year: str | None = Query(None, pattern=YEAR),
                    position: str | None = Query(None, pattern=POSITION),
                    about: str | None = Query(None, pattern=ITEM)) -> HTMLResponse:
        results = (catalog.search(q, limit=50, run_id=check_run_id(run) if run else None, source_id=source,
                                  year=year, position=position, about=about) if q.strip() else None)
        return _page("search.html", q=q, run=run, source=source, year=year, position=position, about=about,
                     results=results)

    @pages.get("/runs/{run_id}", response_class=HTMLResponse)
    def run_page(run_id: str, request: Request) -> Response:
        """The run's report, rendered once and then served from memory with an ETag: rendering a large
        report on every request would cost seconds of CPU each time (``docs/performance.md``)."""
        debate_map = _map_or_page(catalog, run_id)
        if isinstance(debate_map, Response):
            return debate_map
        try:
            from ..report import render_report
        except ImportError:  # the report module is optional for the server
            return _page("run_plain.html", m=debate_map)

        def render() -> tuple[str, bytes, str]:
            html = render_report(debate_map, api_base=f"/api/runs/{debate_map.run.id}")
            csp = csp_from_meta(html)
            if csp is None:
                raise HTTPException(status_code=500, detail="the report page declares no Content-Security-Policy")
            body = html.encode("utf-8")  # kept encoded: a 200-article page is megabytes, not re-encoded per reader
            return '"' + hashlib.sha256(body).hexdigest()[:32] + '"', body, csp

        # readers arriving together wait for one rendering instead of each rendering the page
        etag, body, csp = rendered.get((debate_map.run.id, debate_map.run.created), render)
        headers = {"content-security-policy": csp + "; frame-ancestors 'none'", "etag": etag,
                   "cache-control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return streamed(body, "text/html; charset=utf-8", headers)

    @pages.get("/runs/{run_id}/manage", response_class=HTMLResponse)
    def manage_page(run_id: str) -> Response:
        debate_map = _map_or_page(catalog, run_id)
        if isinstance(debate_map, Response):
            return debate_map
        run = debate_map.run
        return _page("manage.html", run=catalog.run_summary(run, debate_map), uploads=uploads.files(run.id),
                     limits=uploads.limits, extensions=", ".join(UPLOAD_EXTENSIONS),
                     jobs=[j for j in jobs.list() if j.run_id == run.id])

    @pages.get("/runs/{run_id}/correct", response_class=HTMLResponse)
    def correct_page(run_id: str) -> Response:
        debate_map = _map_or_page(catalog, run_id)
        if isinstance(debate_map, Response):
            return debate_map
        from ..corrections import KIND_NAMES, POSITION_LABELS

        run = debate_map.run
        # the map never changes under its id: the table and the reading list are built once
        fixed = tables.get((run.id, run.created), lambda: _correct_tables(debate_map))
        hyps, rows, first = fixed["hyps"], fixed["rows"], fixed["first"]
        store = corrector.store if corrector is not None else catalog.store
        source_ids = {s.id for s in debate_map.sources}
        return _page("correct.html", run=catalog.run_summary(run, debate_map), parent=run.parent,
                     hypotheses=hyps, rows=rows, labels=POSITION_LABELS, first=first,
                     other_kinds=[k for k in KIND_NAMES if "_" not in k and k != "position"],
                     lineage=_lineage(catalog.runs(), run.id),
                     corrections=[c for c in store.list_corrections() if c.source_id in source_ids])

    @pages.get("/runs/{run_id}/diff/{other_id}", response_class=HTMLResponse)
    def diff_page(run_id: str, other_id: str) -> Response:
        from ..api import map_changes

        before, after = _map_or_page(catalog, run_id), _map_or_page(catalog, other_id)
        for found in (before, after):
            if isinstance(found, Response):
                return found
        return _page("diff.html", before=before.run.id, after=after.run.id, changes=map_changes(before, after))

    @pages.get("/login", response_class=HTMLResponse)
    def login_page(next: str = Query("/", max_length=500)) -> HTMLResponse:
        return _page("login.html", next=_local(next), wrong=False)

    @pages.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        """Trade the token for a session cookie (HttpOnly, SameSite=Strict) and go where the reader was going."""
        import hmac

        from .security import SESSION_COOKIE, session_value

        form = await request.form()
        token, target = str(form.get("token", "")), _local(str(form.get("next", "/")))
        expected = getattr(request.app.state, "token", None)
        if not expected or not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
            return _page("login.html", status=401, next=target, wrong=bool(expected))
        response = Response(status_code=303, headers={"location": target})
        response.set_cookie(SESSION_COOKIE, session_value(expected), httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
        return response

    @pages.get("/docs", response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        """The API reference, rendered here from the OpenAPI description (Swagger UI would load remote scripts)."""
        return _page("api_docs.html", operations=_operations(request.app.openapi()))

    @pages.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in STATIC:  # a fixed list: no directory listing, no paths
            raise HTTPException(status_code=404, detail="not found")
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name],
                        headers={"cache-control": "no-cache"})

    return pages


def _ref_name(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_ref_name(schema.get('items', {}))}"
    return schema.get("type", "any")


def _operations(spec: dict) -> list[dict]:
    """The OpenAPI operations as the docs page lists them: method, path, summary, parameters, answers."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {})
            body_schema = next(iter(body.values())).get("schema") if body else None
            responses = []
            for status, answer in sorted(op.get("responses", {}).items()):
                content = answer.get("content", {}).get("application/json", {}).get("schema")
                what = _ref_name(content) if content else answer.get("description", "")
                responses.append({"status": status, "what": what})
            out.append({"id": op.get("operationId", f"{method}-{path}"), "method": method.upper(), "path": path,
                        "summary": op.get("summary", ""), "body": _ref_name(body_schema) if body_schema else None,
                        "params": [{"name": p["name"], "where": p["in"], "required": p.get("required", False)}
                                   for p in op.get("parameters", [])],
                        "responses": responses})
    return out


#: big answers (a run's page, its map.json) go out in pieces of this size, as the reader takes them
CHUNK = 256 * 1024


def streamed(body: bytes, media_type: str, headers: dict | None = None) -> Response:
    """``body`` sent in pieces as the connection drains: many readers at once do not each hold a copy of a
    page of several megabytes in the server's send buffers."""
    from fastapi.responses import StreamingResponse

    view = memoryview(body)

    async def pieces():
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])

    return StreamingResponse(pieces(), media_type=media_type,
                             headers={**(headers or {}), "content-length": str(len(body))})


def _correct_tables(debate_map) -> dict:
    """The Correct page's parts that depend on the map alone: the items, the source × item table, and the
    ten cells most worth reading (``corrections.review_order``) with the sentences that argue them."""
    from ..api import map_hypotheses
    from ..corrections import POSITION_LABELS, review_order
    from ..report.index import span_href

    run = debate_map.run
    hyps = map_hypotheses(debate_map)
    cells = {(s.target_id, s.hypothesis_id): s for s in debate_map.stances if s.target == "source"}
    rows = []
    for src in debate_map.sources:
        row_cells = []
        for h in hyps:
            st = cells.get((src.id, h.id))
            row_cells.append({"hypothesis": h.id, "label": st.label if st and st.label in POSITION_LABELS else "none",
                              "analyst": bool(st and st.analyst), "machine_label": st.machine_label if st else None,
                              "note": st.note if st else None})
        rows.append({"id": src.id, "name": Path(src.path).name, "title": src.title or Path(src.path).name,
                     "cells": row_cells})
    claims = {c.id: c for c in debate_map.claims}
    names = {r["id"]: r["title"] for r in rows}
    first = [{"source": names.get(c.source_id, c.source_id), "hypothesis": c.hypothesis_id, "label": c.label,
              "claims": [{"text": claims[i].text, "href": f"/runs/{run.id}{span_href(c.source_id, claims[i].start, claims[i].end)}"}
                         for i in c.claim_ids if i in claims]}
             for c in review_order(debate_map)
             if not cells.get((c.source_id, c.hypothesis_id)) or not cells[(c.source_id, c.hypothesis_id)].analyst][:10]
    return {"hyps": hyps, "rows": rows, "first": first}


def _local(target: str) -> str:
    """A same-site path to go to after signing in (never another host: ``//evil`` or ``http://…`` → ``/``)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _lineage(runs: list, run_id: str) -> list:
    """The run's ancestors (oldest first), the run, then the runs made from it, newest last."""
    by_id = {r.id: r for r in runs}
    chain: list = []
    at = by_id.get(run_id)
    while at is not None and at not in chain:
        chain.insert(0, at)
        at = by_id.get(at.parent) if at.parent else None
    children = sorted((r for r in runs if r.parent == run_id), key=lambda r: r.created)
    return chain + children


def _map_or_page(catalog: Catalog, run_id: str):
    """The run's map, or an HTML 404 page that names the run and links back (never the store's path)."""
    try:
        return catalog.map(check_run_id(run_id))
    except HTTPException as err:
        return _page("not_found.html", status=404, run_id=run_id, reason=str(err.detail))
    except StoreError as err:
        reason = ("no recorded run has this id" if getattr(err, "code", "") == "unknown-run" else
                  "more than one run starts with this id; give more of it" if getattr(err, "code", "") ==
                  "ambiguous-run" else "the run could not be read")
        return _page("not_found.html", status=404, run_id=run_id, reason=reason)


def _map_or_404(catalog: Catalog, run_id: str):
    try:
        return catalog.map(check_run_id(run_id))
    except StoreError as err:
        raise HTTPException(status_code=404, detail=str(err)) from err
