"""Stance of a text toward a hypothesis: support / oppose / neutral with a score."""

from .base import StanceClassifier, StanceResult, get_stance_classifier

__all__ = ["StanceClassifier", "StanceResult", "get_stance_classifier"]
