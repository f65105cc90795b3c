"""Each committed weight file is named, with its real SHA-256, by the training record beside it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "src" / "cruxmap" / "resources"

#: weight file → the keys leading to its entry in ``training_record.json`` in the same folder
RECORDED = {
    "claims/claims_head.npz": (),
    "claims/prefilter.npz": ("prefilter",),
    "keypoints/head.npz": (),
    "keypoints/cross_encoder.npz": ("cross_encoder",),
    "stance/stance_head.npz": (),
    "stance/cross_encoder.npz": ("cross_encoder",),
}


def test_every_weight_file_has_a_record_entry():
    found = {p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*.npz")}
    assert found == set(RECORDED), "add the new weight file, and its training record's entry, to RECORDED"


@pytest.mark.parametrize("weights", sorted(RECORDED))
def test_the_training_record_names_the_weight_files_real_hash(weights):
    path = RESOURCES / weights
    entry = json.loads((path.parent / "training_record.json").read_text(encoding="utf-8"))
    for key in RECORDED[weights]:
        entry = entry[key]
    if "weights_file" in entry:
        assert entry["weights_file"] == path.name
    assert entry["weights_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
