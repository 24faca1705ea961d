"""Our labelled practice questions: `askbrenda eval` metrics beside a dense-only baseline.

    .venv/bin/python bench/bench_eval.py [--write]

Indexes knowledge/ into a temp store, then for tests/eval/questions.jsonl (the set the shipped
calibration was fitted on) and tests/eval/heldout.jsonl (never used for tuning) prints our
metrics and those of the baseline popular tools use by default: dense top-5 from Chroma,
answered when the top-1 cosine similarity reaches a fixed threshold (0.5).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402  (bench/ is not a package)

from askbrenda import evaluate, ingest  # noqa: E402
from askbrenda.answer import ask  # noqa: E402
from askbrenda.config import Settings  # noqa: E402
from askbrenda.models import Answer, Citation  # noqa: E402
from askbrenda.retrieve import Index  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
SETS = ["tests/eval/questions.jsonl", "tests/eval/heldout.jsonl"]
KEYS = ["hit@1", "hit@5", "evidence@5", "answer_rate", "refusal_rate.on-topic-missing",
        "refusal_rate.off-topic", "safeguarding_recall", "safeguarding_false_alarms",
        "latency_ms_p50", "latency_ms_p95"]


def dense_baseline(index: Index, question: str, threshold: float = 0.5) -> Answer:
    """Top-5 by cosine straight from Chroma; refuse below a fixed similarity."""
    import time

    started = time.perf_counter()
    vector = index.embedder.encode([question])[0]
    got = index.collection.query(query_embeddings=[vector], n_results=5,
                                 include=["distances", "documents", "metadatas"])
    cites = [Citation(i + 1, m["source"], m["title"], m.get("section", ""), m.get("page") or None,
                      d, 1 - dist)
             for i, (d, m, dist) in enumerate(zip(got["documents"][0], got["metadatas"][0],
                                                   got["distances"][0], strict=True))]
    top = cites[0].score if cites else 0.0
    return Answer(question, "", top < threshold, top, False, cites,
                  (time.perf_counter() - started) * 1000)


def run() -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp())
    settings = Settings(knowledge_dir=REPO / "knowledge", store_dir=tmp / "store",
                        data_dir=tmp / "data", top_k=10)
    ingest.run(settings, progress=False)
    index = Index(settings)
    ask("warm up", settings=settings, index=index)
    results: dict[str, Any] = {}
    for name in SETS:
        rows = evaluate.read_questions(REPO / name)
        ours, _ = evaluate.run(rows, lambda q: ask(q, settings=settings, index=index))
        base, _ = evaluate.run(rows, lambda q: dense_baseline(index, q))
        results[name] = {"ours": ours, "baseline": base}
    return {"sets": results, "machine": machine()}


def section(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = ["## Our practice questions (`askbrenda eval`)", "",
             "`bench/bench_eval.py`: the sample `knowledge/` indexed into a temp store; every "
             "question answered by `askbrenda.ask()` (extractive, top 10 passages ranked). The "
             "shipped calibration was fitted on `questions.jsonl`, so its figures are in-sample; "
             "`heldout.jsonl` was never used for tuning. Baseline: dense top 5 from Chroma, "
             "answered when the top-1 cosine reaches 0.5 (safeguarding is not detected at all).",
             "", "| Metric | Ours (questions) | Baseline | Ours (held-out) | Baseline |",
             "|---|---:|---:|---:|---:|"]
    a, b = (res["sets"][s] for s in SETS)
    for key in KEYS:
        lines.append(f"| {key} | {a['ours'].get(key)} | {a['baseline'].get(key)} | "
                     f"{b['ours'].get(key)} | {b['baseline'].get(key)} |")
    lines += ["", f"Questions: {a['ours']['questions']} and {b['ours']['questions']}. Machine: "
              f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, torch {m['torch']}; load "
              f"average {m['loadavg_at_end'][0]:.2f} at the end (latency from one pass)."]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    start, end = "<!-- eval:start -->", "<!-- eval:end -->"
    block = f"{start}\n{text}\n{end}"
    if start in doc:
        doc = doc[:doc.index(start)] + block + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(doc, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    res = run()
    print(json.dumps(res, indent=1) if args.json else section(res))
    if args.write:
        write_doc(section(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
