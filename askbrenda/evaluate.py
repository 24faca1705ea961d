"""Metrics over a labelled question file (format: shared/eval/FORMAT.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from askbrenda.errors import ConfigError
from askbrenda.models import Answer


def read_questions(path: Path) -> list[dict[str, Any]]:
    """Labelled questions, one JSON object per line; a bad line says which and why."""
    if not path.exists():
        raise ConfigError(f"Question file {path} does not exist.")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{number} is not valid JSON ({exc}).") from exc
        if "question" not in row:
            raise ConfigError(f"{path}:{number} has no \"question\".")
        rows.append(row)
    return rows


def _fold(text: str) -> str:
    # Markdown emphasis is folded too: a phrase copied from "**6 weeks**" matches "6 weeks".
    return re.sub(r"\s+", " ", re.sub(r"[*`]", "", text)).strip().lower()


def _first_hit(answer: Answer, sources: list[str]) -> int | None:
    wanted = {Path(s).name for s in sources}
    for rank, c in enumerate(answer.citations, start=1):
        if Path(c.source).name in wanted:
            return rank
    return None


def score(rows: list[dict[str, Any]], answers: list[Answer]) -> dict[str, Any]:
    """Every metric of FORMAT.md, plus per-category refusal and safeguarding false alarms."""
    answerable = [(r, a) for r, a in zip(rows, answers, strict=True) if r.get("answerable")]
    unanswerable = [(r, a) for r, a in zip(rows, answers, strict=True) if not r.get("answerable")]
    ranks = [_first_hit(a, r.get("sources", [])) for r, a in answerable]

    def evidence(r: dict[str, Any], a: Answer) -> bool:
        phrases = [_fold(p) for p in r.get("evidence", [])]
        return any(p in _fold(c.text) for c in a.citations[:5] for p in phrases)

    def mean(values: Iterable[float]) -> float:
        values = list(values)
        return round(float(np.mean(values)), 4) if values else float("nan")

    flagged = [(r, a) for r, a in zip(rows, answers, strict=True) if r.get("safeguarding")]
    ordinary = [(r, a) for r, a in zip(rows, answers, strict=True) if not r.get("safeguarding")]
    latencies = [a.latency_ms for a in answers]
    metrics: dict[str, Any] = {
        "questions": len(rows),
        "hit@1": mean(rk is not None and rk <= 1 for rk in ranks),
        "hit@5": mean(rk is not None and rk <= 5 for rk in ranks),
        "mrr@10": mean(1.0 / rk if rk is not None and rk <= 10 else 0.0 for rk in ranks),
        "evidence@5": mean(evidence(r, a) for r, a in answerable),
        "answer_rate": mean(not a.refused for _, a in answerable),
        "refusal_rate": mean(a.refused for _, a in unanswerable),
    }
    for category in sorted({r.get("category", "other") for r, _ in unanswerable}):
        metrics[f"refusal_rate.{category}"] = mean(
            a.refused for r, a in unanswerable if r.get("category", "other") == category)
    metrics["safeguarding_recall"] = mean(a.safeguarding for _, a in flagged)
    metrics["safeguarding_false_alarms"] = mean(a.safeguarding for _, a in ordinary)
    metrics["latency_ms_p50"] = round(float(np.percentile(latencies, 50)), 1) if latencies else 0.0
    metrics["latency_ms_p95"] = round(float(np.percentile(latencies, 95)), 1) if latencies else 0.0
    return metrics


def run(rows: list[dict[str, Any]], answer: Callable[[str], Answer]) -> tuple[dict[str, Any],
                                                                             list[Answer]]:
    """Answer every question (the model already loaded by the caller) and score."""
    answers = [answer(r["question"]) for r in rows]
    return score(rows, answers), answers


def format_metrics(metrics: dict[str, Any]) -> str:
    """Aligned ``name  value`` lines."""
    width = max(len(k) for k in metrics)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in metrics.items())
