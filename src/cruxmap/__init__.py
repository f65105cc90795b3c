"""cruxmap: an evidence-backed map of a contested question from the articles that argue it."""

__version__ = "0.1.0"
