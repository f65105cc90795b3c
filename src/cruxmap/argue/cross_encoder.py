"""A MiniLM cross-encoder: two texts read together, a mean-pooled linear head over a few classes.

Two models in cruxmap are built this way from the bundled all-MiniLM-L6-v2: the stance
cross-encoder (``argue/stance/offline.py``, support / oppose / discuss / unrelated) and the key-point
matcher's (``map/matcher.py``, match / other). ``fine_tune`` trains the six transformer layers and
the head; ``scripts/train_cross_encoder.py`` and ``scripts/train_keypoint_cross.py`` call it. A
weight file (plain arrays, no pickle: matrices int8 with a scale per row, the rest float16/float32,
~11 MB) holds only those layers and the head. The token embeddings are never trained and are
loaded from the installed model package, whose weight hash ``minilm.verify_weights`` checks.
Torch is imported only when a ``CrossEncoder`` is built.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..errors import CruxmapError

MAX_TOKENS = 128  # both texts together; longer pairs are cut from the end of the longer text
#: pairs per forward pass at inference: as fast as 64 with less memory, faster than 16 (``docs/performance.md``)
BATCH = 32
HEAD_PREFIX = "head."


class CrossEncoderMissing(CruxmapError):
    code = "model-missing"


SCALE_SUFFIX = "::scale"


def quantize(array: np.ndarray) -> dict[str, np.ndarray]:
    """A weight matrix as int8 with one float32 scale per output row (symmetric, round to nearest)."""
    scale = np.maximum(np.abs(array).max(1, keepdims=True), 1e-12) / 127.0
    return {"": np.round(array / scale).astype(np.int8), SCALE_SUFFIX: scale.astype(np.float32)}


def trainable_state(net) -> dict[str, np.ndarray]:
    """Arrays of the trained parameters: layer matrices int8 + row scales (~10 MB for MiniLM's six
    layers instead of 43 MB in float32), vectors float16, the head float32."""
    out = {}
    for name, param in net.named_parameters():
        if not param.requires_grad:
            continue
        array = param.detach().float().numpy()
        if name.startswith(HEAD_PREFIX):
            out[name] = array.astype(np.float32)
        elif array.ndim == 2:
            out.update({name + suffix: part for suffix, part in quantize(array).items()})
        else:
            out[name] = array.astype(np.float16)
    return out


def load_state(data) -> dict[str, np.ndarray]:
    """float32 parameters from ``trainable_state``'s arrays (int8 matrices dequantised)."""
    out = {}
    for name in data.files:
        if name.endswith(SCALE_SUFFIX):
            continue
        array = data[name].astype(np.float32)
        if name + SCALE_SUFFIX in data.files:
            array = array * data[name + SCALE_SUFFIX]
        out[name] = array
    return out


class CrossEncoder:
    """all-MiniLM-L6-v2 layers + a linear head; ``probabilities(pairs)`` → (n, len(classes))."""

    def __init__(self, weights: str | Path | None, classes: Sequence[str], threads: int = 2,
                 precision: str = "auto", resource_dir: Path | None = None, train_script: str = "scripts/"):
        from .minilm import (
            bf16_supported,
            hold_layers_in_bf16,
            limit_kernel_caches,
            minilm_model_dir,
            shared_embeddings,
            verify_weights,
        )

        model_dir = minilm_model_dir()
        verify_weights(model_dir)
        limit_kernel_caches()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        torch.set_num_threads(threads)
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # the unused pooler's weights are reported as unexpected
        try:
            encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True, add_pooling_layer=False)
        finally:
            hf_logging.set_verbosity(verbosity)
        for param in encoder.embeddings.parameters():
            param.requires_grad_(False)
        self.net = torch.nn.ModuleDict({"encoder": encoder, "head": torch.nn.Linear(encoder.config.hidden_size,
                                                                                      len(classes))})
        self.classes = tuple(classes)
        self.dropout = torch.nn.Dropout(0.1)
        self.weights_path: Path | None = None
        if weights is not None:
            path = Path(weights)
            if resource_dir is not None and not path.is_absolute() and not path.is_file():
                path = resource_dir / path
            if not path.is_file():
                raise CrossEncoderMissing("cross-encoder weights not found", path=str(path),
                                          fix=f"reinstall cruxmap or run: python {train_script}")
            with np.load(path, allow_pickle=False) as data:
                state = {k: torch.from_numpy(v) for k, v in load_state(data).items()}
            missing = {n for n, p in self.net.named_parameters() if p.requires_grad} - set(state)
            if missing:
                raise CrossEncoderMissing(f"weight file lacks {len(missing)} trained arrays", path=str(path),
                                          fix=f"retrain with {train_script}")
            self.net.load_state_dict(state, strict=False)
            self.net.eval()
            self.weights_path = path.resolve()
            # for inference the frozen token embeddings are shared with the embedder (one table);
            # a model being trained keeps its own, since training mode would switch on their dropout
            encoder.embeddings = shared_embeddings(model_dir, encoder.embeddings.eval())
        if precision == "auto":
            precision = "bf16" if bf16_supported() else "fp32"
        self.precision = precision
        if precision == "bf16" and self.weights_path is not None:  # a model being trained keeps fp32 weights
            hold_layers_in_bf16(encoder)

    def logits(self, texts: list[str], hypotheses: list[str], train: bool = False):
        torch = self._torch
        # cut the longer of the two first: the same as cutting the text alone while the second is short (a
        # hypothesis), and no error when the second is itself long (two claims compared, e.g. suggestions)
        encoded = self.tokenizer(texts, hypotheses, padding=True, truncation="longest_first", max_length=MAX_TOKENS,
                                 return_tensors="pt")
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            tokens = self.net["encoder"](**encoded).last_hidden_state
        tokens = tokens.float()
        mask = encoded["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if train:
            pooled = self.dropout(pooled)
        return self.net["head"](pooled)

    def probabilities(self, pairs: list[tuple[str, str]], *, release: bool = False) -> np.ndarray:
        """Class probabilities per (text, hypothesis), batched by character length, the longest batch first:
        each later batch's activations then fit in the blocks an earlier one freed (shortest first, every batch
        asked for a little more than any freed block held and the heap grew with each). The batches, and so
        the probabilities, are the same in either order.

        ``release``: hand freed pages back to the system after each batch (``memory.release_free_memory``), for
        a caller whose reading sits on top of a run's largest holdings (the map steps hold the whole corpus's
        claim vectors); the cost and the saving: ``docs/performance.md``."""
        from ..memory import release_free_memory
        from .sharing import shared_batches

        out = np.zeros((len(pairs), len(self.classes)), dtype=np.float32)
        if not pairs:
            return out
        order = np.argsort([len(t) + len(h) for t, h in pairs], kind="stable")
        batches = [order[start:start + BATCH] for start in reversed(range(0, len(order), BATCH))]
        computed = shared_batches(self.sharing_spec(), self.batch_probabilities,
                                  [[pairs[i] for i in idx] for idx in batches])
        for idx, probabilities in zip(batches, computed):
            out[idx] = probabilities
            if release:
                release_free_memory()
        return out

    def batch_probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Class probabilities of one batch of (text, hypothesis) pairs, read together (padded to the longest)."""
        torch = self._torch
        with torch.inference_mode():
            logits = self.logits([t for t, _ in pairs], [h for _, h in pairs])
            return torch.softmax(logits, dim=1).numpy()

    def sharing_spec(self) -> tuple | None:
        """What the annotate worker needs to build this model and compute its batches bit for bit as this process
        does (``argue/sharing.py``); ``None`` for a model not loaded from a weight file (being trained)."""
        if self.weights_path is None:
            return None
        return ("cross", str(self.weights_path), self.classes, self.precision, self._torch.get_num_threads())


_LOADED: weakref.WeakValueDictionary[tuple, CrossEncoder] = weakref.WeakValueDictionary()


def shared_cross_encoder(weights: str | Path, classes: Sequence[str], threads: int = 2,
                         train_script: str = "scripts/") -> CrossEncoder:
    """A ``CrossEncoder`` for a weight file, shared by everyone who reads with the same file while one
    of them holds it: the stance reader and the contradiction reader use the same stance
    cross-encoder, which is then loaded once, not twice. Kept weakly: the model leaves memory with
    its last user."""
    path = Path(weights).resolve()
    stat = path.stat() if path.is_file() else None
    key = (str(path), stat.st_size if stat else None, stat.st_mtime_ns if stat else None, tuple(classes))
    model = _LOADED.get(key)
    if model is None:
        model = CrossEncoder(path, classes, threads=threads, train_script=train_script)
        _LOADED[key] = model
    else:
        model._torch.set_num_threads(threads)  # as a fresh one would
    return model


def batches_by_length(lengths: np.ndarray, batch: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar token length (less padding), in shuffled order."""
    order = rng.permutation(len(lengths))
    out = []
    for start in range(0, len(order), batch * 50):
        window = order[start:start + batch * 50]
        window = window[np.argsort(lengths[window], kind="stable")]
        out += [window[i:i + batch] for i in range(0, len(window), batch)]
    return [out[i] for i in rng.permutation(len(out))]


def fine_tune(model: CrossEncoder, rows: Sequence[tuple[str, str, int]], *, epochs: int, batch: int, lr: float,
              rng: np.random.Generator, by_length: bool = True,
              log: Callable[[str], None] = lambda line: print(line, flush=True)) -> dict:
    """Train ``model`` (built with ``weights=None``) on ``(text, other text, class index)`` rows in place:
    AdamW (weight decay 0.01), 6 % linear warm-up then linear decay, gradients clipped at 1,
    cross-entropy. ``by_length`` batches rows of similar token length (shuffled); otherwise each of an
    epoch's len(rows)/batch batches is drawn from a fresh permutation (how the shipped key-point
    model was trained; an epoch then covers about 63 % of the rows, some twice). Returns the training record (pairs, epochs, batch, lr, seconds)."""
    torch = model._torch
    if by_length:
        lengths = np.array([len(ids) for ids in model.tokenizer(
            [r[0] for r in rows], [r[1] for r in rows], truncation=True, max_length=MAX_TOKENS)["input_ids"]])
        plan = [b for _ in range(epochs) for b in batches_by_length(lengths, batch, rng)]
    else:
        plan = [rng.permutation(len(rows))[i:i + batch] for _ in range(epochs)
                for i in range(0, len(rows), batch)]
    net = model.net
    net.train()
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warmup = max(1, int(0.06 * len(plan)))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min((step + 1) / warmup, max(0.0, (len(plan) - step) / (len(plan) - warmup))))
    log(f"{len(rows)} pairs, {len(plan)} steps of {batch}")
    started = time.perf_counter()
    running = 0.0
    for step, idx in enumerate(plan):
        logits = model.logits([rows[i][0] for i in idx], [rows[i][1] for i in idx], train=True)
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor([rows[i][2] for i in idx]))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        value = loss.item()  # a plain number: the graph is not kept for the log
        running = 0.98 * running + 0.02 * value if step else value
        if step % 100 == 0 or step == len(plan) - 1:
            done = time.perf_counter() - started
            log(f"step {step}/{len(plan)} loss {running:.3f} {done:.0f}s "
                f"(~{done / (step + 1) * (len(plan) - step - 1) / 60:.0f} min left)")
    net.eval()
    return {"pairs": len(rows), "epochs": epochs, "batch": batch, "lr": lr,
            "seconds": round(time.perf_counter() - started)}
