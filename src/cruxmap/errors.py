"""Errors that tell the user what went wrong with which input, and what to do about it."""

from __future__ import annotations


class CruxmapError(Exception):
    """Base of every error cruxmap raises on purpose.

    ``code`` is a short stable slug (``empty-file``); ``str(err)`` is one line that names the
    input and the fix, printed without a traceback unless ``--debug``.
    """

    code = "error"

    def __init__(self, message: str, *, path: str | None = None, fix: str | None = None, code: str | None = None):
        self.path = path
        self.fix = fix
        if code:
            self.code = code
        self.detail = message
        super().__init__(self.line())

    def line(self) -> str:
        parts = [f"{self.path}: " if self.path else "", self.detail]
        if self.fix:
            parts.append(f" — {self.fix}")
        return "".join(parts)


class InputError(CruxmapError):
    """An input file that cannot be read or holds no usable article."""

    code = "bad-input"


class ConfigError(CruxmapError):
    """A setting, backend name or question file that is wrong."""

    code = "bad-config"


class NotInstalled(CruxmapError):
    """An optional dependency is missing; the message gives the pip line."""

    code = "not-installed"

    def __init__(self, package: str, extra: str, purpose: str):
        super().__init__(
            f"{purpose} needs the '{package}' package, which is not installed",
            fix=f"pip install 'cruxmap[{extra}]'",
        )


class StoreError(CruxmapError):
    """The database cannot be opened or written."""

    code = "store"


class TimeBudgetExceeded(CruxmapError):
    """One document spent longer in one stage than ``doc_time_budget`` allows."""

    code = "time-budget"
