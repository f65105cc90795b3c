"""Render a DebateMap as one self-contained HTML file (``render_report``, ``write_report``).

The page inlines its CSS and JS, makes no request to any host, and carries a
Content-Security-Policy that allows only the inline script and style whose sha256 hashes it
lists (no remote hosts, no inline event handlers, no ``style=`` attributes). Text the template
prints goes through Jinja2 autoescaping; the long lists (sources, quotes, events) travel as a JSON
block the script draws a page at a time (``lists.py``). Both JSON blocks are escaped so that
``</script>`` and U+2028/2029 inside them stay inert.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import __version__
from ..atomic import write_text_atomic
from ..errors import InputError
from ..model import DebateMap
from .lists import list_data
from .views import build_views

ASSETS = Path(__file__).with_name("assets")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v: f"{100 * float(v):.0f}%"
    return env


@cache
def _asset(name: str) -> str:
    text = (ASSETS / name).read_text(encoding="utf-8")
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower():  # would end the inline element early
        raise ValueError(f"report asset {name} must not contain {closing}")
    return text


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def script_safe_json(data: object) -> str:
    """JSON that cannot end or break out of a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _connect_src(api_base: str | None) -> str:
    """CSP connect-src: nothing offline; same origin (and the API's origin) when served."""
    if api_base is None:
        return "'none'"
    parts = urlsplit(api_base)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"'self' {parts.scheme}://{parts.netloc}"
    if api_base.startswith("/") and not api_base.startswith("//"):
        return "'self'"
    raise ValueError(f"api_base must be a same-origin path ('/api/...') or an http(s) URL, not {api_base!r}")


def content_security_policy(script: str, style: str, api_base: str | None = None) -> str:
    return "; ".join([
        "default-src 'none'", f"script-src {_csp_hash(script)}", f"style-src {_csp_hash(style)}",
        "img-src data:", f"connect-src {_connect_src(api_base)}", "base-uri 'none'", "form-action 'none'",
    ])


def render_report(debate_map: DebateMap, *, api_base: str | None = None) -> str:
    """The report as a complete HTML document.

    With ``api_base`` None the page is fully offline. With an API base (a same-origin path
    such as ``/api/runs/RUN`` or an http(s) URL) the CSP also allows requests to it and the
    script exposes it as ``window.cruxmap.apiBase``; the page still works from its embedded
    data alone.
    """
    script, style = _asset("lists.js") + _asset("ach.js") + _asset("report.js"), _asset("report.css")
    views = build_views(debate_map)
    page_data = {"apiBase": api_base, "options": views["options"], "version": __version__,
                 "correction": views["correction"], "ach": views["ach"]["data"]}
    html = _environment().get_template("report.html.j2").render(
        **views, csp=content_security_policy(script, style, api_base),
        script=Markup(script), style=Markup(style), page_json=Markup(script_safe_json(page_data)),
        lists_json=Markup(script_safe_json(list_data(views))),
        version=__version__, api_base=api_base,
        # served by ``cruxmap serve``: the page links back to the runs, search and the run's uploads
        server_run=debate_map.run.id if api_base and api_base.startswith("/api/runs/") and debate_map.run else None,
    )
    return html


def write_report(debate_map: DebateMap, path: str | Path) -> Path:
    """Write the offline report to ``path`` (a file, or a folder that gets ``report.html``)."""
    target = Path(path)
    if target.is_dir():
        target = target / "report.html"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, render_report(debate_map))
    except OSError as err:
        raise InputError(f"cannot write the report: {err.strerror}", path=str(target),
                         fix="choose an output path you can write to") from err
    return target
