"""The MiniLM stance cross-encoder: text and hypothesis read together, four classes.

The bundled all-MiniLM-L6-v2 is the base. ``scripts/train_cross_encoder.py`` fine-tunes its six
transformer layers with a mean-pooled linear head over support, oppose, discuss and unrelated;
the committed file (``resources/stance/cross_encoder.npz``, plain arrays, no pickle: matrices
int8 with a scale per row, the rest float16/float32, ~11 MB) holds only those layers and the head. The token embeddings are never trained and are
loaded from the installed model package, whose weight hash ``minilm.verify_weights`` checks.
Torch is imported only when a ``CrossEncoder`` is built.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ...errors import CruxmapError

HEAD_CLASSES = ("support", "oppose", "discuss", "unrelated")
RESOURCE_DIR = Path(__file__).resolve().parents[2] / "resources" / "stance"
CROSS_FILE = "cross_encoder.npz"
MAX_TOKENS = 128  # text + hypothesis; longer texts are cut from the end of the text
BATCH = 64
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

    def __init__(self, weights: str | Path | None = CROSS_FILE, threads: int = 2, precision: str = "auto",
                 classes: tuple[str, ...] = HEAD_CLASSES, resource_dir: Path = RESOURCE_DIR):
        from ..minilm import bf16_supported, minilm_model_dir, shared_embeddings, verify_weights

        model_dir = minilm_model_dir()
        verify_weights(model_dir)
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
        self.dropout = torch.nn.Dropout(0.1)
        if weights is not None:
            path = Path(weights)
            if not path.is_absolute() and not path.is_file():
                path = resource_dir / path
            if not path.is_file():
                raise CrossEncoderMissing("stance cross-encoder weights not found", path=str(path),
                                          fix="reinstall cruxmap or run: python scripts/train_cross_encoder.py")
            with np.load(path, allow_pickle=False) as data:
                state = {k: torch.from_numpy(v) for k, v in load_state(data).items()}
            missing = {n for n, p in self.net.named_parameters() if p.requires_grad} - set(state)
            if missing:
                raise CrossEncoderMissing(f"weight file lacks {len(missing)} trained arrays", path=str(path),
                                          fix="retrain with scripts/train_cross_encoder.py")
            self.net.load_state_dict(state, strict=False)
            self.net.eval()
            # for inference the frozen token embeddings are shared with the embedder (one table);
            # a model being trained keeps its own, since training mode would switch on their dropout
            encoder.embeddings = shared_embeddings(model_dir, encoder.embeddings.eval())
        if precision == "auto":
            precision = "bf16" if bf16_supported() else "fp32"
        self.precision = precision

    def logits(self, texts: list[str], hypotheses: list[str], train: bool = False):
        torch = self._torch
        encoded = self.tokenizer(texts, hypotheses, padding=True, truncation="only_first", max_length=MAX_TOKENS,
                                 return_tensors="pt")
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            tokens = self.net["encoder"](**encoded).last_hidden_state
        tokens = tokens.float()
        mask = encoded["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        if train:
            pooled = self.dropout(pooled)
        return self.net["head"](pooled)

    def probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Class probabilities per (text, hypothesis), batched by character length."""
        torch = self._torch
        out = np.zeros((len(pairs), self.net["head"].out_features), dtype=np.float32)
        if not pairs:
            return out
        order = np.argsort([len(t) + len(h) for t, h in pairs], kind="stable")
        with torch.inference_mode():
            for start in range(0, len(order), BATCH):
                idx = order[start:start + BATCH]
                logits = self.logits([pairs[i][0] for i in idx], [pairs[i][1] for i in idx])
                out[idx] = torch.softmax(logits, dim=1).numpy()
        return out
