"""The steps a run would take for given settings and question, read from their declarations.

Building the real stages loads the embedder (the claim and stance stages hold it), so this module
builds only the stages that load nothing (annotate, events, quotes) and reads the model-backed ones
from their classes and the registry: their backend is the versioned name the registry resolves the
setting to (``stance.offline.v2``), not the run-time version string, which also holds weight hashes
and the hypotheses. Cleaning and the corpus steps are listed too, in the order a run takes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import registry
from .model import Question
from .settings import Settings


@dataclass(frozen=True)
class StepInfo:
    """One step of a run: where it runs (``document`` or ``corpus``), its contract and its backend."""

    scope: str
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    backend: str
    version: str


def describe_steps(settings: Settings, question: Question) -> list[StepInfo]:
    """Every step of a run with ``settings`` on ``question``, in order, without loading a model.
    Refuses an order in which a step reads a layer no earlier step provides, as a run would."""
    from .clean.base import rules_fingerprint
    from .nlp.stages import annotate_stages
    from .pipeline import CLEAN, Declared
    from .run import CORPUS_STEPS, check_run_order

    # cleaning makes the text the stages read; it runs as each input is settled, before the stages
    steps = [StepInfo("document", CLEAN.name, CLEAN.requires, CLEAN.provides, "clean.rules",
                      f"clean:{rules_fingerprint()}")]
    annotate = annotate_stages(settings)  # none of these loads a model when built
    steps += [StepInfo("document", s.name, tuple(s.requires), tuple(s.provides), registry.name_of(s),
                      s.version()) for s in annotate]
    steps += _argue_steps(settings, question)
    check_run_order([Declared(s.name, s.requires, s.provides) for s in steps[1:]])
    stance = _stance_backend(settings)
    matcher = registry.full_name('matcher', settings.map.matcher)
    for step in CORPUS_STEPS:
        backend, version = _corpus_backend(step.name, settings, question, stance, matcher)
        steps.append(StepInfo("corpus", step.name, tuple(step.requires), tuple(step.provides), backend, version))
    return steps


def _argue_steps(settings: Settings, question: Question) -> list[StepInfo]:
    from .argue.stages import ClaimStage, StanceStage, claims_backend

    embedder = registry.full_name('embedder', settings.embedder)
    threshold = "its head's threshold" if settings.claims.threshold is None else f"t{settings.claims.threshold:.3f}"
    claims = registry.full_name('claims', claims_backend(settings))
    steps = [StepInfo("document", ClaimStage.name, ClaimStage.requires, ClaimStage.provides, claims,
                      f"{claims} on {embedder}, {threshold}")]
    if question.hypotheses:
        stance = _stance_backend(settings)
        steps.append(StepInfo("document", StanceStage.name, StanceStage.requires, StanceStage.provides, stance,
                              f"{stance} on {len(question.hypotheses)} hypotheses"))
    return steps


def backends(settings: Settings) -> dict[str, str]:
    """Each registry kind → the versioned backend name ``settings`` resolve to (``stance`` →
    ``stance.offline.v2``), for ``cruxmap config``. Loads nothing."""
    from .argue.stages import claims_backend

    chosen = {"annotate": settings.annotate.backend, "events": settings.annotate.events,
              "quotes": settings.annotate.quotes, "embedder": settings.embedder, "claims": claims_backend(settings),
              "stance": settings.stance.backend, "matcher": settings.map.matcher}
    return {kind: registry.full_name(kind, name) for kind, name in chosen.items()}


def _stance_backend(settings: Settings) -> str:
    return registry.full_name('stance', settings.stance.backend)


def _corpus_backend(name: str, settings: Settings, question: Question, stance: str, matcher: str) -> tuple[str, str]:
    if name == "map":
        from .map.build import map_version

        return f"map.build with {matcher}", map_version(settings)
    if name == "hypotheses":
        return ("question", "the question's hypotheses") if question.hypotheses else (
            "suggest", f"the most contested claims, stances by {stance}")
    from . import __version__

    return "built-in", f"cruxmap {__version__}"  # plain code of this release, no backend to choose
