"""bench cluster: claim-like sentences from a corpus, clustering time per size, n log n ratio."""

from __future__ import annotations

import json

from test_map_support import HashingEmbedder

from cruxmap.bench.cluster_speed import corpus_sentences, measure_cluster_scaling

TOPICS = ["the city council voted to expand the tram network next spring",
          "farmers worry that the dry summer will ruin the wheat harvest",
          "the new stadium will cost taxpayers far more than promised",
          "teachers demand smaller classes and better pay this year"]


def _corpus(tmp_path, articles: int = 30):
    path = tmp_path / "news.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for a in range(articles):
            sentences = [f"Report {a}.{i}: {TOPICS[(a + i) % 4]}, officials said on day {a * 7 + i}." for i in range(5)]
            handle.write(json.dumps({"content_original": " ".join(sentences) + " Short one."}) + "\n")
    return path


def test_corpus_sentences_are_distinct_claim_length_and_in_order(tmp_path):
    sentences = corpus_sentences(_corpus(tmp_path), 12)
    assert len(sentences) == 12 == len(set(sentences))
    assert sentences[0].startswith("Report 0.0:") and all(len(s) >= 40 for s in sentences)


def test_rows_per_size_with_cost_normalised_to_the_smallest(tmp_path):
    rows = measure_cluster_scaling(HashingEmbedder(), _corpus(tmp_path), [100, 50, 140], bertopic=False)
    assert [r["claims"] for r in rows] == [50, 100, 140]
    assert rows[0]["cost_per_nlogn_vs_smallest"] == 1.0
    assert all(r["seconds"] > 0 and 1 <= r["clusters"] <= r["claims"] for r in rows)
    assert all(r["bertopic_seconds"] is None for r in rows)
    # sizes beyond what the corpus holds (150 sentences here) are left out, not padded
    assert len(measure_cluster_scaling(HashingEmbedder(), _corpus(tmp_path), [50, 1000], bertopic=False)) == 1
