"""A rule-based annotate stage's version holds a digest of the annotate code, so that a document stored before
a quote or date rule changed is annotated again instead of being re-used with its old quotes and dates."""

from __future__ import annotations

import shutil

from cruxmap.model import Question
from cruxmap.nlp.events import EventStage
from cruxmap.nlp.fingerprint import PACKAGE, rules_fingerprint
from cruxmap.nlp.stages import QuoteStage, SpacyStage
from cruxmap.run.setup import pipeline_key


def test_the_digest_changes_when_any_rule_module_changes(tmp_path):
    for name in ("quotes.py", "dates.py"):
        shutil.copy(PACKAGE / name, tmp_path / name)
    before = rules_fingerprint.__wrapped__(tmp_path)
    assert rules_fingerprint.__wrapped__(tmp_path) == before  # the same code, the same digest
    (tmp_path / "dates.py").write_text((tmp_path / "dates.py").read_text() + "\n# one rule more\n")
    assert rules_fingerprint.__wrapped__(tmp_path) != before


def test_every_rule_based_annotate_stage_carries_the_digest_in_its_version_and_so_in_the_pipeline_key(monkeypatch):
    stages = [SpacyStage(), EventStage(), QuoteStage()]
    digest = rules_fingerprint()
    assert all(stage.version().endswith(":" + digest) for stage in stages)
    question = Question(question="Should the port charge tolls?")
    key = pipeline_key(stages, question)
    import cruxmap.nlp.stages as nlp_stages
    from cruxmap.nlp import events

    monkeypatch.setattr(events, "rules_fingerprint", lambda: "a-rule-changed")
    monkeypatch.setattr(nlp_stages, "rules_fingerprint", lambda: "a-rule-changed")
    assert pipeline_key(stages, question) != key
