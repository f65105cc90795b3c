"""serve stage: the web UI and JSON API over the store (FastAPI).

``create_app(settings, store)`` builds the app (tests pass their own store);
``serve(settings, host, port)`` runs it with uvicorn, on loopback by default.
"""

from .app import create_app, serve
from .security import DEFAULT_CSP
from .uploads import UploadLimits

__all__ = ["DEFAULT_CSP", "UploadLimits", "create_app", "serve"]
