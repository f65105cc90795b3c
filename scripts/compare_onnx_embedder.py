"""Compare ONNX Runtime with torch for the offline embedder (all-MiniLM-L6-v2) on this CPU.

cruxmap embeds with torch (bf16 autocast where the CPU supports it). This script answers
whether ONNX Runtime would be faster: it exports the bundled model to ONNX, makes a dynamic
int8 copy, embeds the same news sentences with each runtime at 1 and 2 threads (batches of 64,
sorted by length, as the pipeline does; the first distinct sentences of the corpus, as
``bench cluster`` takes them) and prints sentences/s and the cosine of each vector to
the fp32 torch vector of the same sentence embedded alone (no padding).

Needs the extras ``pip install onnxruntime onnx`` (not dependencies of cruxmap).

Usage:
  python scripts/compare_onnx_embedder.py [--sentences 2000] [--corpus PATH] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cruxmap.argue.minilm import MAX_TOKENS, MiniLMEmbedder, bf16_supported, minilm_model_dir
from cruxmap.bench.cluster_speed import corpus_sentences

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news_article_bias" / "articles_subset.jsonl"
BATCH = 64


def export_onnx(folder: Path) -> tuple[Path, Path]:
    """The model as ONNX (fp32) and a dynamically quantised int8 copy."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    model_dir = minilm_model_dir()
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()  # not the embedder's copy
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = AutoTokenizer.from_pretrained(str(model_dir))(["a short one", "and a longer sentence"], padding=True,
                                                          return_tensors="pt")
    fp32 = folder / "minilm.onnx"
    torch.onnx.export(LastHiddenState(model), tuple(sample[n] for n in names), str(fp32), input_names=names,
                      output_names=["tokens"], dynamic_axes={n: {0: "batch", 1: "length"} for n in [*names, "tokens"]},
                      opset_version=17, dynamo=False)
    int8 = folder / "minilm.int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def torch_runner(embedder: MiniLMEmbedder, precision: str, threads: int):
    def run(batch: list[str]) -> np.ndarray:
        embedder._torch.set_num_threads(threads)
        embedder.precision = precision
        return embedder.embed_batch(batch)
    return run


def onnx_runner(path: Path, tokenizer, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(batch: list[str]) -> np.ndarray:
        encoded = tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np")
        (tokens,) = session.run(None, {k: encoded[k] for k in ("input_ids", "attention_mask", "token_type_ids")})
        mask = encoded["attention_mask"][..., None].astype(np.float32)
        pooled = (tokens * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return run


def timed(run, batches: list[list[str]]) -> tuple[float, np.ndarray]:
    run(batches[0])  # warm-up
    started = time.perf_counter()
    vectors = np.concatenate([run(b) for b in batches])
    return time.perf_counter() - started, vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    texts = corpus_sentences(args.corpus, args.sentences)
    texts.sort(key=len)
    batches = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    embedder = MiniLMEmbedder(precision="fp32", threads=2)
    reference = np.concatenate([embedder.embed_batch([t]) for t in texts])  # each alone: no padding
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = export_onnx(Path(tmp))
        for threads in (1, 2):
            runners = {"torch fp32": torch_runner(embedder, "fp32", threads),
                       "onnxruntime fp32": onnx_runner(fp32, embedder.tokenizer, threads),
                       "onnxruntime int8 (dynamic)": onnx_runner(int8, embedder.tokenizer, threads)}
            if bf16_supported():
                runners["torch bf16 (cruxmap's default here)"] = torch_runner(embedder, "bf16", threads)
            for name, run in runners.items():
                seconds, vectors = timed(run, batches)
                cosine = (vectors * reference).sum(1)
                rows.append({"runtime": name, "threads": threads, "sentences_per_s": round(len(texts) / seconds, 1),
                             "cosine_min": round(float(cosine.min()), 4), "cosine_mean": round(float(cosine.mean()), 5)})
                print(json.dumps(rows[-1]), flush=True)
    print(f"\n{len(texts)} news sentences\n| runtime | threads | sentences/s | cosine to fp32, mean (min) |\n|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['runtime']} | {r['threads']} | {r['sentences_per_s']} | {r['cosine_mean']} ({r['cosine_min']}) |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
