"""The web app factory: ``create_app(settings, store)`` → FastAPI, and ``serve`` to run it.

The JSON API lives under ``/api/`` (OpenAPI spec at ``/api/openapi.json``); the HTML pages in
``pages.py`` read the same store through the same helpers. Nothing is created at import time:
tests build an app around their own store.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..errors import CruxmapError, StoreError
from ..model import Correction, DebateMap
from ..settings import Settings
from . import schemas
from .catalog import Catalog, loaded_run
from .jobs import AnalyzeFn, JobRunner
from .security import ITEM, JOB_ID, POSITION, YEAR, BodyLimit, SecurityHeaders, TokenAuth, check_run_id
from .uploads import UploadLimits, Uploads

log = logging.getLogger("cruxmap.serve")
CORRECTION_ID = re.compile(r"corr-[0-9a-f]{16}")

EXPORT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "positions": "text/csv; charset=utf-8",
                "argdown": "text/plain; charset=utf-8", "aif": "application/json",
                "corrections": "application/x-ndjson"}


def create_app(settings: Settings, store, *, analyze: AnalyzeFn | None = None,
               upload_dir: str | Path | None = None, limits: UploadLimits | None = None,
               allowed_hosts: list[str] | None = None, token: str | None = None) -> FastAPI:
    """A FastAPI app over ``store``.

    ``analyze`` runs re-analyses (default ``cruxmap.api.analyze``; it opens ``settings.db``, which
    must name the same store). Uploads go to ``upload_dir/<run id>/`` (default: ``uploads`` beside
    a SQLite file, else a temporary folder). ``allowed_hosts`` limits the Host header (``serve``
    sets the loopback names when bound to loopback, so a DNS-rebinding page cannot reach the app).
    ``token``: the team's shared secret; with it, every request must carry it (``security.TokenAuth``).
    """
    if analyze is None:
        from ..api import analyze as analyze_default

        analyze = analyze_default
    catalog = Catalog(store, settings)
    uploads = Uploads(Path(upload_dir) if upload_dir else _default_upload_dir(store), limits or _limits_from(settings))
    def finished(job) -> None:
        """A re-analysis is a new run made from the one it re-analysed. Where the stored corrections made a
        child of the new analysis, the analysis names the old run and the child keeps its own parent."""
        if job.new_run_id and job.new_run_id != job.run_id:
            try:
                runs = {r.id: r for r in store.list_runs()}
                new = runs.get(job.new_run_id)
                target = new.parent if new is not None and new.kind == "corrections" else job.new_run_id
                ancestors, at = set(), job.run_id
                while at in runs and at not in ancestors:  # the same inputs gave an earlier run again: no loop
                    ancestors.add(at)
                    at = runs[at].parent
                if target in runs and not runs[target].parent and target not in ancestors:
                    store.set_parent(target, job.run_id)
            except (StoreError, AttributeError):
                pass
        catalog.clear()

    jobs = JobRunner(analyze, settings, on_finish=finished)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        jobs.shutdown()

    app = FastAPI(title="cruxmap", summary="Evidence-backed maps of contested debates", lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)  # docs pages load remote JS
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    # one request carries at most the files an upload may hold, plus the multipart framing
    app.add_middleware(BodyLimit, max_bytes=uploads.limits.max_bytes * uploads.limits.max_files_per_request + 65_536)
    if token:
        app.add_middleware(TokenAuth, token=token)
    app.add_middleware(SecurityHeaders)  # added last = outermost: its headers go on every response
    app.state.catalog, app.state.uploads, app.state.jobs, app.state.settings = catalog, uploads, jobs, settings
    app.state.token = token

    @app.exception_handler(StoreError)
    async def store_error(request: Request, err: StoreError) -> JSONResponse:
        # the server's database path and CLI hints are for whoever runs the server, not for API clients
        if getattr(err, "code", "") in ("unknown-run", "ambiguous-run"):
            return JSONResponse({"detail": f"{err.detail} — GET /api/runs lists the recorded runs"}, status_code=404)
        log.error("store error on %s: %s", request.url.path, err)
        return JSONResponse({"detail": "the server's store could not be read; its log says why"}, status_code=500)

    @app.exception_handler(CruxmapError)
    async def cruxmap_error(request: Request, err: CruxmapError) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=400)

    corrector = Corrector(settings, store, catalog)
    app.state.corrector = corrector
    app.include_router(_api_router(catalog, uploads, jobs, corrector), prefix="/api")
    from .pages import page_router

    app.include_router(page_router(catalog, uploads, jobs, corrector))
    return app


class CorrectionIn(BaseModel):
    """One correction, named by the ids the report shows (``cruxmap.corrections.correction_for``)."""

    kind: str = Field(description="position, claim, not-claim, ach, credibility, relevance, drop-contradiction, "
                                  "merge or split")
    source: str | None = Field(default=None, description="position: the source's id or file name")
    item: str | None = Field(default=None, description="the claim (or ACH evidence) id")
    other: str | None = Field(default=None, description="drop-contradiction, merge: the other claim id")
    hypothesis: str | None = None
    value: str | None = Field(default=None, description="the label, rating or weight")
    evidence: str | None = Field(default=None, description="position: the claim id that shows it")
    who: str = Field(default="analyst", max_length=80)
    why: str | None = Field(default=None, max_length=2000)


class Corrector:
    """Applies corrections for the web app: one at a time, with one embedder that only looks vectors up."""

    def __init__(self, settings: Settings, store, catalog: Catalog):
        self.settings, self.store, self.catalog = settings, store, catalog
        self._lock = threading.Lock()

    def add(self, run_id: str, body: CorrectionIn) -> dict:
        from .. import api

        with self._lock:
            started = time.perf_counter()
            before = self.catalog.map(run_id)
            loaded_run(before)  # a map without its run record is refused as the other routes refuse it
            correction, run, after, stale = api.correct_in_store(
                self.store, before, body.kind, settings=self.settings, embedder=self.catalog.embedder(),
                source=body.source, item=body.item, other=body.other, hypothesis=body.hypothesis, value=body.value,
                evidence=body.evidence, who=body.who.strip() or "analyst", why=(body.why or "").strip() or None)
            self.catalog.clear()
            return {"run_id": run.id, "parent": run.parent, "correction": correction.model_dump(exclude_none=True),
                    "changes": api.map_changes(before, after), "stale": [c.id for c in stale],
                    "seconds": round(time.perf_counter() - started, 3)}

    def delete(self, correction_id: str) -> bool:
        with self._lock:
            return self.store.delete_correction(correction_id)


def _api_router(catalog: Catalog, uploads: Uploads, jobs: JobRunner, corrector: Corrector) -> APIRouter:
    api = APIRouter()

    @api.post("/runs/{run_id}/corrections", status_code=201, response_model=schemas.Corrected,
              responses=schemas.RUN_ERRORS,
              summary="Correct the run's map: a new run, child of this one, holds the corrected map")
    def add_correction(run_id: str, body: CorrectionIn) -> dict:
        return corrector.add(catalog.resolve(check_run_id(run_id)), body)

    @api.get("/corrections", response_model=list[Correction], summary="Every correction in the store, oldest first")
    def list_corrections() -> list[dict]:
        return [c.model_dump(exclude_none=True) for c in corrector.store.list_corrections()]

    @api.delete("/corrections/{correction_id}", response_model=schemas.Deleted,
                responses={404: {"model": schemas.Error}}, summary="Remove a correction (later runs stop applying it)")
    def delete_correction(correction_id: str) -> dict:
        if not CORRECTION_ID.fullmatch(correction_id) or not corrector.delete(correction_id):
            raise HTTPException(status_code=404, detail="no such correction")
        return {"deleted": correction_id}

    @api.get("/runs/{run_id}/diff/{other_id}", response_model=schemas.Diff, responses=schemas.RUN_ERRORS,
             summary="What changed from one run to another")
    def diff(run_id: str, other_id: str) -> dict:
        from ..api import map_changes

        before, after = catalog.map(check_run_id(run_id)), catalog.map(check_run_id(other_id))
        return {"from": loaded_run(before).id, "to": loaded_run(after).id, "changes": map_changes(before, after)}

    @api.get("/runs", response_model=list[schemas.RunSummary], summary="Every recorded run, newest first")
    def list_runs() -> list[dict]:
        return [catalog.run_summary(run) for run in catalog.runs()]

    @api.get("/runs/{run_id}", response_model=schemas.Run, responses=schemas.RUN_ERRORS,
             summary="One run: its record, counts and uploads")
    def get_run(run_id: str) -> dict:
        debate_map = catalog.map(check_run_id(run_id))
        run = loaded_run(debate_map)
        return {**catalog.run_summary(run, debate_map), "uploads": uploads.files(run.id)}

    @api.get("/runs/{run_id}/map", responses={200: {"model": DebateMap, "description": "map.json"},
                                               **schemas.RUN_ERRORS}, summary="The run's map (map.json)")
    def get_map(run_id: str) -> Response:
        from .pages import streamed

        return streamed(catalog.map_json(check_run_id(run_id)), "application/json")

    @api.get("/runs/{run_id}/export", responses=schemas.RUN_ERRORS,
             summary="The run's map as json, csv, positions, argdown, aif or corrections (a file download)")
    def export(run_id: str, format: str = Query("json", pattern="^(json|csv|positions|argdown|aif|corrections)$")) -> Response:
        from ..export import export_map

        debate_map = catalog.map(check_run_id(run_id))
        suffix = {"argdown": "argdown", "aif": "aif.json", "positions": "positions.csv",
                  "corrections": "corrections.jsonl"}.get(format, format)
        return Response(export_map(debate_map, format), media_type=EXPORT_TYPES[format], headers={
            "content-disposition": f'attachment; filename="{loaded_run(debate_map).id}.{suffix}"'})

    @api.get("/search", response_model=schemas.SearchResult,
             summary="Stemmed search over stored sources and the claims and quotes of recorded runs, and the claims "
                     "closest in meaning")
    def search(q: str = Query(..., min_length=1, max_length=200), limit: int = Query(20, ge=1, le=100),
               run: str | None = None, source: str | None = Query(None, max_length=64),
               year: str | None = Query(None, pattern=YEAR, description="sources published in this year"),
               position: str | None = Query(None, pattern=POSITION, description=(
                   "within one run: sources that take this position, ITEM:support|oppose|mixed")),
               about: str | None = Query(None, pattern=ITEM, description=(
                   "within one run: claims about this item (closest to it in meaning); quotes are left out"))) -> dict:
        return catalog.search(q, limit=limit, run_id=check_run_id(run) if run else None, source_id=source,
                              year=year, position=position, about=about)

    @api.get("/runs/{run_id}/uploads", response_model=list[schemas.Upload], responses=schemas.RUN_ERRORS,
             summary="Files uploaded into the run")
    def list_uploads(run_id: str) -> list[dict]:
        return uploads.files(catalog.resolve(check_run_id(run_id)))

    @api.post("/runs/{run_id}/uploads", status_code=201, response_model=schemas.Uploaded,
              responses={**schemas.RUN_ERRORS, 413: {"model": schemas.Error, "description": "over the upload limits"}},
              summary="Add article files to the run (multipart)")
    async def upload(run_id: str, files: list[UploadFile] = File(...)) -> dict:
        full_id = catalog.resolve(check_run_id(run_id))
        saved = await uploads.save(full_id, files)
        return {"run_id": full_id, "saved": saved, "uploads": uploads.files(full_id)}

    @api.post("/runs/{run_id}/reanalyze", status_code=202, response_model=schemas.Job,
              responses={**schemas.RUN_ERRORS, 409: {"model": schemas.Error, "description": "nothing to re-read"}},
              summary="Analyse the run's inputs and uploads again, in the background")
    def reanalyze(run_id: str) -> dict:
        debate_map = catalog.map(check_run_id(run_id))
        run = loaded_run(debate_map)
        recorded = run.options.get("paths")  # a list of strings in every run record
        paths = [str(p) for p in recorded if Path(str(p)).exists()] if isinstance(recorded, list) else []
        folder = uploads.folder(run.id)
        if uploads.files(run.id) and str(folder) not in paths:
            paths.append(str(folder))
        if not paths:
            raise HTTPException(status_code=409, detail=f"run {run.id}: its input files are no longer on disk "
                                                        "and nothing was uploaded; upload articles first")
        question = run.options.get("question")
        job = jobs.submit(run.id, paths, str(question) if question and Path(str(question)).is_file() else None)
        return job.public()

    @api.get("/jobs", response_model=list[schemas.Job], summary="Re-analysis jobs of this server, newest first")
    def list_jobs() -> list[dict]:
        return [job.public() for job in jobs.list()]

    @api.get("/jobs/{job_id}", response_model=schemas.Job, responses={404: {"model": schemas.Error}},
             summary="The status of one re-analysis job")
    def get_job(job_id: str) -> dict:
        job = jobs.get(job_id) if JOB_ID.fullmatch(job_id) else None
        if job is None:
            raise HTTPException(status_code=404, detail="no such job")
        return job.public()

    return api


def _limits_from(settings: Settings) -> UploadLimits:
    """Upload limits: ``serve.upload_max_mb`` when the settings declare it, else the 5 MB default."""
    max_mb = getattr(getattr(settings, "serve", None), "upload_max_mb", None)
    return UploadLimits(max_bytes=int(float(max_mb) * 1_000_000)) if max_mb else UploadLimits()


def _default_upload_dir(store) -> Path:
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return path.parent / "uploads"
    return Path(tempfile.mkdtemp(prefix="cruxmap-uploads-"))


LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, allow_no_login: bool = False) -> None:
    """Run the app with uvicorn until interrupted. On loopback it needs no login. Anywhere else it needs
    the team's token (the variable ``serve.token_env`` names) unless ``allow_no_login``; the Host header
    must then be one of ``serve.allowed_hosts`` when that is set."""
    import os

    import uvicorn

    from ..api import open_store
    from ..errors import ConfigError

    token = os.environ.get(settings.serve.token_env) or None
    loopback = is_loopback(host)
    if not loopback and not token and not allow_no_login:
        raise ConfigError(f"serving on {host} would let anyone who can reach it read every stored article and "
                          "change the runs", fix=f"set a team token in the variable {settings.serve.token_env} "
                          "(readers sign in with it), or pass --no-login if a proxy in front authenticates")
    named = [h.strip() for h in settings.serve.allowed_hosts.split(",") if h.strip()]
    allowed: list[str] | None
    if loopback:  # behind a reverse proxy on this machine, the proxy's public name is allowed too
        allowed = [*LOOPBACK_HOSTS, *named]
    else:
        allowed = named or None
    if not loopback and not token:
        log.warning("serving on %s without a login: the proxy in front must authenticate every request", host)
    with open_store(settings) as store:
        app = create_app(settings, store, allowed_hosts=allowed, token=token)
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
