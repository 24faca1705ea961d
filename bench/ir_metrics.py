"""Ranking metrics for the retrieval benchmark, as BEIR computes them (pytrec_eval's definitions).

    .venv/bin/python bench/ir_metrics.py      # runs the hand-computed checks

* nDCG@k: DCG = sum over the top k of rel_i / log2(i + 1) (linear gain, i from 1), divided by the
  DCG of the ideal ranking built from the judged relevances; a query with no relevant document
  scores 0 (SciFact has none such).
* Recall@k: relevant documents (relevance > 0) in the top k over all relevant documents.
* Scores are averaged over every judged query: a query with an empty ranking counts as 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of ``gains`` in rank order (rank 1 first)."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_k(ranking: Sequence[str], qrels: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k of one ranked list of document ids against graded judgements (id -> relevance)."""
    ideal = dcg(sorted((r for r in qrels.values() if r > 0), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    seen: set[str] = set()
    gains = []
    for doc in ranking:
        if doc in seen:  # a document counts once, at its first (best) rank
            continue
        seen.add(doc)
        gains.append(float(qrels.get(doc, 0.0)))
        if len(gains) == k:
            break
    return dcg(gains) / ideal


def recall_at_k(ranking: Sequence[str], qrels: Mapping[str, float], k: int) -> float:
    """Share of the relevant documents found in the top k (distinct) documents."""
    relevant = {d for d, r in qrels.items() if r > 0}
    if not relevant:
        return 0.0
    top = list(dict.fromkeys(ranking))[:k]
    return len(relevant.intersection(top)) / len(relevant)


def mean_metric(rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, float]],
                fn: str, k: int) -> float:
    """``fn`` ("ndcg" or "recall") at ``k`` averaged over every query in ``qrels``."""
    metric = ndcg_at_k if fn == "ndcg" else recall_at_k
    values = [metric(rankings.get(q, []), judged, k) for q, judged in qrels.items()]
    return sum(values) / len(values) if values else 0.0


def self_check() -> None:
    """Hand-computed examples; raises AssertionError when an implementation detail drifts."""
    # Judged: a (2), b (1), c (0). Ranking b, x, a:
    #   DCG  = 1/log2(2) + 0/log2(3) + 2/log2(4) = 1 + 0 + 1 = 2
    #   IDCG = 2/log2(2) + 1/log2(3)             = 2 + 0.63093 = 2.63093
    #   nDCG@3 = 2 / 2.63093 = 0.76018;  nDCG@1 = 1/2 = 0.5 (ideal top-1 gain is 2)
    qrels = {"a": 2.0, "b": 1.0, "c": 0.0}
    assert abs(ndcg_at_k(["b", "x", "a"], qrels, 3) - 0.760185) < 1e-5
    assert abs(ndcg_at_k(["b", "x", "a"], qrels, 1) - 0.5) < 1e-9
    assert ndcg_at_k(["a", "b"], qrels, 10) == 1.0
    assert ndcg_at_k(["b", "b", "a"], qrels, 2) == ndcg_at_k(["b", "a"], qrels, 2)  # dedupe
    assert ndcg_at_k([], qrels, 10) == 0.0
    # Binary, one relevant doc at rank 3: 1/log2(4) = 0.5.
    assert abs(ndcg_at_k(["x", "y", "d"], {"d": 1}, 10) - 0.5) < 1e-12
    assert recall_at_k(["x", "a", "y"], qrels, 2) == 0.5  # c (relevance 0) is not relevant
    assert recall_at_k(["x", "a", "b"], qrels, 3) == 1.0
    assert mean_metric({"q1": ["d"]}, {"q1": {"d": 1}, "q2": {"e": 1}}, "ndcg", 10) == 0.5


if __name__ == "__main__":
    self_check()
    print("ir_metrics: hand-computed checks pass")
