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

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with each lone surrogate (a JSON ``"\\ud83d"``, undecodable bytes on the command
    line) replaced by U+FFFD, so it can be tokenized, encoded and logged."""
    return _SURROGATE.sub("\ufffd", text)


def read_questions(path: Path) -> list[dict[str, Any]]:
    """Labelled questions, one JSON object per line; a bad line says which and why."""
    if not path.exists():
        raise ConfigError(f"Question file {path} does not exist.")
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")  # a byte order mark (Windows editors) is fine
    except UnicodeDecodeError as exc:
        bad_line = data[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{bad_line} is not UTF-8 text ({exc.reason}). Save the file as "
                          "UTF-8 and try again.") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot read the question file {path} ({exc}).") from exc
    rows = []
    # split("\n"), not splitlines(): a U+2028 inside a question is not the end of its line.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ConfigError(f"{path}:{number} is not valid JSON ({exc}).") from exc
        question = row.get("question") if isinstance(row, dict) else None
        if not isinstance(question, str) or not question.strip():
            raise ConfigError(f"{path}:{number} must be a JSON object with a \"question\" that "
                              'is some text, like {"id": "q1", "question": "how long for a dfg"}.')
        row["question"] = clean_text(question)
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

    def mean(values: Iterable[float]) -> float | None:  # None (JSON null): nothing to average
        values = list(values)
        return round(float(np.mean(values)), 4) if values else None

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
    """Aligned ``name  value`` lines; "n/a" for a metric with no questions to measure it on."""
    width = max(len(k) for k in metrics)
    return "\n".join(f"{k:<{width}}  {'n/a' if v is None else v}" for k, v in metrics.items())
