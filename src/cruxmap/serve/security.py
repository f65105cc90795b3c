"""What keeps the web app safe with untrusted articles: headers, name checks, same-origin posts.

Every response carries a Content-Security-Policy that allows only this origin (no remote
hosts, no inline script), ``X-Content-Type-Options: nosniff`` and no framing. Run ids and
upload file names are checked against a strict pattern instead of being cleaned up, so a
``../`` can never reach the file system. State-changing requests from another origin are
refused (a web page elsewhere cannot post uploads to a server on localhost).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The app's own pages: scripts, styles and requests from this origin only.
DEFAULT_CSP = "; ".join([  # noqa: FLY002 (one directive an item)
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
])
EXTRA_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

RUN_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
JOB_ID = re.compile(r"job-[0-9a-f]{12}")
#: search filters (query parameters, checked by FastAPI): a year, and an item's position within one run
YEAR = r"^[0-9]{4}$"
POSITION = r"^[A-Za-z0-9_.-]{1,40}:(support|oppose|mixed)$"
ITEM = r"^[A-Za-z0-9_.-]{1,40}$"
UPLOAD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()-]{0,119}")
UPLOAD_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf")


def check_run_id(run_id: str) -> str:
    """``run_id`` if it is a plausible run id (or prefix); 404 otherwise, before any lookup."""
    if not RUN_ID.fullmatch(run_id or ""):
        raise HTTPException(status_code=404, detail="no such run: run ids are letters, digits, '-' and '_'")
    return run_id


def check_upload_name(name: str | None) -> str:
    """A file name that is safe to create inside the upload folder, or a 400 naming the rule broken.

    Names are refused, never rewritten: no folders (``/``, ``\\``), no ``..``, no hidden files, only
    letters, digits, space and ``._()-``, and one of ``UPLOAD_EXTENSIONS``.
    """
    name = name or ""
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise HTTPException(status_code=400, detail=f"{name!r}: file names may not contain folders or '..'")
    if not UPLOAD_NAME.fullmatch(name):
        raise HTTPException(status_code=400, detail=f"{name!r}: use a plain file name (letters, digits, "
                                                    "space, '._()-', at most 120 characters)")
    if not name.lower().endswith(UPLOAD_EXTENSIONS):
        raise HTTPException(status_code=400, detail=f"{name!r}: only {', '.join(UPLOAD_EXTENSIONS)} files "
                                                    "can be uploaded")
    return name


def csp_from_meta(html: str) -> str | None:
    """The Content-Security-Policy a page declares in its ``<meta http-equiv>`` (the report has one)."""
    match = re.search(r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"', html, re.I)
    return match.group(1).replace("&#39;", "'").replace("&amp;", "&") if match else None


class SecurityHeaders:
    """ASGI middleware: adds the security headers, and the default CSP unless a route set its own."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not _same_origin(scope):
            await _refuse(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in headers}
                if "content-security-policy" not in present:
                    headers.append((b"content-security-policy", DEFAULT_CSP.encode()))
                for key, value in EXTRA_HEADERS.items():
                    if key not in present:
                        headers.append((key.encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _same_origin(scope: Scope) -> bool:
    """True unless the request names an Origin (or Referer) whose host differs from the Host header."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    origin = headers.get("origin") or headers.get("referer")
    if not origin:
        return True  # not sent by a browser page (curl, scripts, the test client)
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


async def _refuse(send: Send) -> None:
    body = b'{"detail":"cross-origin request refused: post from the cruxmap page itself"}'
    await send({"type": "http.response.start", "status": 403, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", DEFAULT_CSP.encode()),
        *[(k.encode(), v.encode()) for k, v in EXTRA_HEADERS.items()]]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse a request body larger than ``max_bytes`` before the server keeps it: by its
    Content-Length up front (413 at once), and, for a body sent without one, by counting while it
    streams — past the limit the body is cut off and the request fails, so at most ``max_bytes`` ever
    reach the multipart parser's spool file (which otherwise writes the whole upload to disk before
    the upload handler can look at it)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await _json(send, 413, f"request body of {int(length) / 1e6:g} MB is over the "
                                   f"{self.max_bytes / 1e6:g} MB limit of one request")
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    return {"type": "http.disconnect"}  # stop reading: the parser gives up on this request
            return message

        await self.app(scope, counted, send)


async def _json(send: Send, status: int, detail: str) -> None:
    import json

    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", DEFAULT_CSP.encode()),
        *[(k.encode(), v.encode()) for k, v in EXTRA_HEADERS.items()]]})
    await send({"type": "http.response.body", "body": body})


#: the cookie a browser keeps after signing in (HttpOnly, SameSite=Strict)
SESSION_COOKIE = "cruxmap_session"
#: paths open without a token: the sign-in page and the page assets it needs
OPEN_PATHS = ("/login", "/static/")


def session_value(token: str) -> str:
    """What the session cookie holds: an HMAC of the token, never the token itself."""
    import hashlib
    import hmac

    return hmac.new(token.encode(), b"cruxmap-session-v1", hashlib.sha256).hexdigest()


class TokenAuth:
    """ASGI middleware for a shared server: every request needs the team's token, as
    ``Authorization: Bearer TOKEN`` (scripts, the API) or the session cookie that ``/login`` sets
    (browsers). A page request without it is sent to ``/login``; an API request gets 401."""

    def __init__(self, app: ASGIApp, token: str):
        self.app, self.token, self.session = app, token, session_value(token)

    def allowed(self, scope: Scope) -> bool:
        import hmac

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        bearer = headers.get("authorization", "")
        # header bytes as sent (latin-1 round-trips them) against the token's UTF-8 bytes, in constant time
        if bearer.lower().startswith("bearer ") and hmac.compare_digest(bearer[7:].strip().encode("latin-1"),
                                                                         self.token.encode("utf-8")):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == SESSION_COOKIE and hmac.compare_digest(value, self.session):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(OPEN_PATHS) or self.allowed(scope):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            await _json(send, 401, "this server needs its token: send 'Authorization: Bearer TOKEN'")
            return
        from urllib.parse import quote

        await send({"type": "http.response.start", "status": 303, "headers": [
            (b"location", f"/login?next={quote(path, safe='/')}".encode()), (b"content-length", b"0"),
            (b"content-security-policy", DEFAULT_CSP.encode()),
            *[(k.encode(), v.encode()) for k, v in EXTRA_HEADERS.items()]]})
        await send({"type": "http.response.body", "body": b""})
