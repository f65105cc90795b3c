"""Plumbing of the ``hf`` stance backend with a tiny random-weight NLI model built in the test."""

from __future__ import annotations

import hashlib
import json

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from cruxmap.argue.stance import get_stance_classifier
from cruxmap.argue.stance.hf import map_labels
from cruxmap.errors import ConfigError

CORPUS = [
    "the treaty failed because nobody trusted the other side",
    "the council should adopt the plan before winter",
    "prices rose sharply after the new tariff took effect",
    "the minister argued that neutrality keeps the country safe",
]


def build_model(directory, id2label):
    """Save a random 2-layer BERT classifier and a WordPiece tokenizer trained on CORPUS."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(CORPUS, trainers.WordPieceTrainer(
        vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    fast.save_pretrained(directory)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128,
                        id2label=id2label, label2id={v: k for k, v in id2label.items()})
    BertForSequenceClassification(config).eval().save_pretrained(directory)
    return fast


@pytest.fixture(scope="module")
def nli_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("nli3")
    build_model(directory, {0: "CONTRADICTION", 1: "Neutral", 2: "entailment"})
    return directory


def test_loads_maps_labels_from_config_and_keeps_order(nli_dir):
    clf = get_stance_classifier("hf", model_dir=str(nli_dir))
    assert clf.labels == {0: "oppose", 1: "neutral", 2: "support"}
    weights = sorted([*nli_dir.glob("*.safetensors"), *nli_dir.glob("*.bin")])
    assert weights and clf.weight_files() == {  # for the run record: the folder's weight files, hashed
        f"{nli_dir.name}/{w.name}": hashlib.sha256(w.read_bytes()).hexdigest() for w in weights}
    pairs = [(CORPUS[i % 4], CORPUS[(i + 1) % 4]) for i in range(7)]
    results = clf.classify(pairs)
    assert len(results) == 7
    # reference: run the same model directly; result i must belong to pair i
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    tok = AutoTokenizer.from_pretrained(nli_dir, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(nli_dir, local_files_only=True).eval()
    for (text, hyp), res in zip(pairs, results):
        with torch.inference_mode():
            probs = torch.softmax(model(**tok(text, hyp, return_tensors="pt")).logits, -1)[0].tolist()
        expected = {"oppose": probs[0], "neutral": probs[1], "support": probs[2]}
        assert res.label in ("support", "oppose", "neutral")
        assert res.probs == pytest.approx((expected["support"], expected["oppose"], expected["neutral"]), abs=1e-4)
        assert res.label == max(expected, key=expected.get)
        assert 0.0 <= res.score <= 1.0


def test_two_label_model(tmp_path):
    build_model(tmp_path, {0: "entailment", 1: "not_entailment"})
    clf = get_stance_classifier("hf.v1", model_dir=str(tmp_path))
    res = clf.classify([(CORPUS[0], CORPUS[1])])[0]
    assert res.label in ("support", "neutral")
    assert res.probs[1] == 0.0 and res.probs[0] + res.probs[2] == pytest.approx(1.0, abs=1e-5)


def test_unknown_label_mapping_is_a_config_error(tmp_path):
    build_model(tmp_path, {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(ConfigError, match="id2label"):
        get_stance_classifier("hf", model_dir=str(tmp_path))


def test_missing_or_bad_model_dir(tmp_path):
    with pytest.raises(ConfigError, match="stance.hf.model_dir"):
        get_stance_classifier("hf", model_dir=None)
    with pytest.raises(ConfigError, match="config.json"):
        get_stance_classifier("hf", model_dir=str(tmp_path))
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    with pytest.raises(ConfigError):
        get_stance_classifier("hf", model_dir=str(tmp_path))


def test_map_labels_rules():
    assert map_labels({"0": "Entailment", "1": "neutral", "2": "contradiction"}, "m") == {
        0: "support", 1: "neutral", 2: "oppose"}
    with pytest.raises(ConfigError):
        map_labels({0: "entailment", 1: "entailment"}, "m")
