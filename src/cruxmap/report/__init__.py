"""report stage: the map as one self-contained, offline, interactive HTML file.

Entry points: ``render_report(debate_map, *, api_base=None) -> str`` and
``write_report(debate_map, path) -> Path``. Needs only Jinja2; imports no model code.
"""

from .render import content_security_policy, render_report, script_safe_json, write_report

__all__ = ["content_security_policy", "render_report", "script_safe_json", "write_report"]
