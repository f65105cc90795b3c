"""The map stage: key points, camps, contradictions, ACH matrix and cruxes for a whole corpus.

``build_map`` runs after the per-document stages on the gathered ``DebateMap`` and fills
``key_points``, ``camps``, ``contradictions``, ``ach`` and ``cruxes``; every other part is left
as it was (stale ACH overrides are added to ``failures``). Same input → byte-identical parts:
inputs are sorted, clustering is deterministic and every list is emitted in a fixed order.
``map_tables`` turns a finished map into the rows ``cruxmap map`` prints.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import ConfigDict

from ..memory import phase, release_free_memory
from ..model import AchMatrix, Claim, DebateMap, Failure, Hypothesis, KeyPoint, RunInfo
from ..nlp.parse import DEFAULT_MODEL
from ..registry import full_name
from ..settings import ArgKPOptions, MapSettings, backend_options
from ..weights import hashed
from .ach import build_ach
from .camps import build_camps
from .contradictions import ContradictionReader, default_reader, find_contradictions
from .cruxes import find_cruxes
from .keypoints import build_key_points, independent_count, independent_sources
from .matcher import KeyPointMatcher, default_matcher
from .overrides import load_overrides


class MapOptions(MapSettings):
    """The map stage's knobs as one run uses them: the ``map`` section of the settings (declared there once)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def from_settings(cls, settings: object | None) -> MapOptions:
        """Accept MapOptions, a dict, the settings tree (its ``map`` section) or any object with matching
        attributes; names that are no map setting are left out."""
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        names = cls.model_fields
        if isinstance(settings, dict):
            values = {k: v for k, v in settings.items() if k in names}
        else:
            source = getattr(settings, "map", settings)
            values = {n: getattr(source, n) for n in names if hasattr(source, n)}
        return cls(**values)


def _spacy_model(settings: object | None) -> str:
    """The spaCy pipeline the settings name (``annotate.spacy.model``) for the key-point label clauses."""
    spacy = getattr(getattr(settings, "annotate", None), "spacy", None)
    return getattr(spacy, "model", None) or DEFAULT_MODEL


def matcher_of(settings: object | None) -> KeyPointMatcher:
    """The key-point matcher the map settings name (``map.matcher``) with its options (``map.argkp``)."""
    options = MapOptions.from_settings(settings)
    return default_matcher(options.matcher, **backend_options(options, options.matcher))


def _reads_cross(options: MapOptions) -> bool:
    """Whether the key-point matcher reads pairs again with its cross-encoder (``map.argkp.cross``)."""
    return options.matcher.split(".")[0] != "argkp" or options.argkp.cross


def map_weights(settings: object | None = None) -> dict[str, str]:
    """The weight files the map stage reads with ``settings`` (its ``map`` section) → their SHA-256: the key-point
    matcher's head and cross-encoder (unless ``map.argkp.cross`` is off), and the contradictions' pair reader
    (the stance cross-encoder); a file that is absent is left out."""
    from ..argue.stance.offline import CROSS_FILE as STANCE_CROSS
    from ..argue.stance.offline import RESOURCE_DIR as STANCE_DIR
    from .matcher import CROSS_FILE, HEAD_FILE

    cross = HEAD_FILE.with_name(CROSS_FILE) if _reads_cross(MapOptions.from_settings(settings)) else None
    return hashed(HEAD_FILE, cross, STANCE_DIR / STANCE_CROSS)


def map_version(settings: object | None = None) -> str:
    """The map stage's identity for the run record: its key-point matcher's registry name, the hashes of the
    weights it reads (``map_weights``) and the matcher's options where they are not the defaults
    (``keypoints-cross:off``, ``:top5``)."""
    options = MapOptions.from_settings(settings)
    weights = map_weights(options)
    parts = [f"{label}:{weights[name][:12] if name in weights else 'absent'}" for label, name in (
        ("keypoints-head", "keypoints/head.npz"), ("keypoints-cross", "keypoints/cross_encoder.npz"),
        ("contradictions", "stance/cross_encoder.npz"))]
    if not _reads_cross(options):
        parts[1] = "keypoints-cross:off"
    elif options.argkp.cross_top != ArgKPOptions().cross_top:
        parts[1] += f":top{options.argkp.cross_top}"
    return ":".join(["map", full_name("matcher", options.matcher), *parts])


def hypotheses_of(debate_map: DebateMap) -> list[Hypothesis]:
    """The map's hypotheses (``hypotheses``, else the question file's), in the given order."""
    return list(debate_map.hypotheses or debate_map.question.hypotheses)


def reads_direction(debate_map: DebateMap) -> bool:
    """Whether the run's stance backend can tell which way a sentence leans. The offline one cannot on
    real opinion writing (``docs/positions.md``), so its claim stances rate no ACH cell on their own."""
    return run_reads_direction(debate_map.run)


def run_reads_direction(run: RunInfo | None) -> bool:
    """``reads_direction`` from the run record alone (its stance backend). Where it is False the map reads
    the claim stances only where they lean (support, oppose): the ACH cells, the camps' and the cruxes'
    leanings all skip the others, and the key points and contradictions read source rows only."""
    backend = (run.backends if run else {}).get("stance", "")
    return "stance.offline." not in backend


def build_map(debate_map: DebateMap, embedder, *, overrides_path: str | Path | None = None,
              settings: object | None = None, matcher: KeyPointMatcher | None = None,
              contradiction_reader: ContradictionReader | None = None) -> DebateMap:
    """Fill the corpus-level parts of ``debate_map`` (in place) and return it. The pair reader of
    the factual contradictions defaults to the installed one (``default_reader``)."""
    options = MapOptions.from_settings(settings)
    hypotheses = hypotheses_of(debate_map)
    hyp_ids = [h.id for h in hypotheses]
    claims, stances = debate_map.claims, debate_map.stances

    with phase("map: key points"):
        result = build_key_points(claims, stances, hyp_ids, embedder, threshold=options.cluster_threshold,
                                  max_key_points=options.max_key_points, min_key_points=options.min_key_points,
                                  matcher=matcher or matcher_of(options), attach_min=options.attach_min,
                                  topic=debate_map.question.question, sources=debate_map.sources,
                                  spacy_model=_spacy_model(settings))
    debate_map.key_points = result.key_points
    release_free_memory()  # the matcher's cross-encoder and the clustering's blocks, before the later steps

    source_ids = [s.id for s in debate_map.sources] or sorted({c.source_id for c in claims})
    with phase("map: camps"):
        debate_map.camps = build_camps(source_ids, result.key_points, claims, stances, hyp_ids)
    with phase("map: contradictions"):
        debate_map.contradictions = find_contradictions(result.claims, result.vectors, result.clustering.labels,
                                                        stances, hyp_ids, debate_map.events,
                                                        limit=options.max_contradictions, sources=debate_map.sources,
                                                        reader=contradiction_reader or default_reader())

    overrides = load_overrides(overrides_path) if overrides_path else []
    with phase("map: ach"):
        debate_map.ach, stale = build_ach(claims, debate_map.quotes, debate_map.events, stances, hypotheses, overrides,
                                          positions_only=not reads_direction(debate_map))
    debate_map.failures = [f for f in debate_map.failures if not (f.stage == "map" and f.error == "stale-override")]
    for override in stale:
        debate_map.failures.append(Failure(
            path=str(overrides_path), stage="map", error="stale-override",
            message=(f"{overrides_path}: override of {override.evidence_id} × {override.hypothesis_id} matches no "
                     "evidence or hypothesis in this map — update the ids or delete the entry")))
    with phase("map: cruxes"):
        row_vectors, key_point_vectors = crux_vectors(debate_map.ach, result.key_points, result.claims, result.vectors,
                                                         embedder)
        debate_map.cruxes = find_cruxes(hypotheses, result.key_points, claims, stances, debate_map.ach,
                                        n_sources=len(source_ids), limit=options.max_cruxes,
                                        row_vectors=row_vectors, key_point_vectors=key_point_vectors)
    return debate_map


def crux_vectors(ach: AchMatrix, key_points: list[KeyPoint], claims: list[Claim], claim_vectors: np.ndarray,
                 embedder) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Vectors of the ACH rows (claims re-use the key-point stage's ``claim_vectors``, one row per claim of
    ``claims``; quotes and events are
    embedded, cached) and unit centroids of the key points, for the cruxes' diagnostic rows.
    Row vectors are views into those arrays, not normalised copies (``key_point_rows`` divides by
    the norm); on the whole news corpus this did not lower the run's peak beyond noise."""
    if not ach.rows or not key_points or embedder is None:
        return {}, {}
    claim_row = {c.id: i for i, c in enumerate(claims)}
    vectors = np.asarray(claim_vectors, dtype=np.float32)
    missing = [r for r in ach.rows if r.evidence_id not in claim_row]
    embedded = np.asarray(embedder.embed([r.text for r in missing]), dtype=np.float32) if missing else None
    row_vectors = {r.evidence_id: vectors[claim_row[r.evidence_id]] for r in ach.rows if r.evidence_id in claim_row}
    row_vectors.update(zip((r.evidence_id for r in missing), embedded if embedded is not None else []))
    key_point_vectors = {}
    for kp in key_points:
        members = [vectors[claim_row[c]] for c in kp.claim_ids if c in claim_row]
        if members:
            centroid = np.mean(members, axis=0)
            key_point_vectors[kp.id] = centroid / max(float(np.linalg.norm(centroid)), 1e-9)
    return row_vectors, key_point_vectors


def _split_text(split: dict[str, dict[str, int]]) -> str:
    """``H1: +2/−1`` per answer some of the point's sources take a side on (as the report shows it)."""
    sided = [(h, c) for h, c in sorted(split.items()) if c.get("support") or c.get("oppose")]
    return "; ".join(f"{h}: +{c.get('support', 0)}/−{c.get('oppose', 0)}" for h, c in sided) or "no source takes a side"


def map_tables(debate_map: DebateMap) -> dict[str, list[dict]]:
    """Rows for ``cruxmap map``: key points, camps, cruxes and the ACH ranking."""
    statements = {h.id: h.statement for h in hypotheses_of(debate_map)}
    canonical = independent_sources(debate_map.sources)
    return {
        # sources: independent ones (a syndicated copy counts with its original, as the report counts them)
        "key_points": [{"id": k.id, "sources": (n := independent_count(k.source_ids, canonical)),
                        "copies": len(k.source_ids) - n, "claims": len(k.claim_ids), "label": k.label,
                        "split": _split_text(k.stance_split)} for k in debate_map.key_points],
        "camps": [{"id": c.id, "sources": ", ".join(c.source_ids), "positions": ", ".join(c.positions),
                   "stability": "" if c.stability is None else f"{c.stability:.2f}",
                   "note": c.note or ""} for c in debate_map.camps],
        "cruxes": [{"id": c.id, "score": c.score, "kind": c.kind, "hypothesis": c.hypothesis_id or "",
                    "statement": c.statement,
                    "sides": " vs ".join(f"{side}: {len(ids)}" for side, ids in c.sides.items()),
                    "diagnostic": ", ".join(c.diagnostic_evidence)} for c in debate_map.cruxes],
        "ach_ranking": [{"rank": int(r["rank"]), "hypothesis": r["hypothesis_id"],
                         "statement": statements.get(str(r["hypothesis_id"]), ""),
                         "inconsistency": round(float(r["inconsistency"])),
                         "consistency": round(float(r["consistency"]))}
                        for r in debate_map.ach.ranking],
    }
