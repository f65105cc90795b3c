"""What the scripted OpenAI-compatible servers of the tests share: answering a chat completion."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler


def send_chat(handler: BaseHTTPRequestHandler, content: str, status: int = 200,
              headers: dict[str, str] | None = None) -> None:
    """Answer ``handler``'s request with one assistant message (the envelope of /v1/chat/completions)."""
    body = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
    handler.send_response(status)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
