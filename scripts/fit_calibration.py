"""Fit the shipped calibration (askbrenda/calibration.json) on our two labelled training sets:

    .venv/bin/python scripts/fit_calibration.py

- tests/eval/questions.jsonl over the sample knowledge/ (Northmoor practice guidance), and
- bench/eval/govuk-a.jsonl over GOV.UK pages (built by bench/govuk.py from ../shared/eval).

Two folders written by different people keep the weights from fitting one folder's wording:
the shipped calibration is what every folder without its own `askbrenda calibrate` uses.
tests/eval/heldout.jsonl, bench/eval/govuk-b.jsonl and govuk-c.jsonl are never used here, so
they measure it (bench/bench_eval.py). Safeguarding and off-topic questions are left out
(calibration.training_rows).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from govuk import build  # noqa: E402  (bench/ is not a package)

from askbrenda import calibration, evaluate, ingest  # noqa: E402
from askbrenda.config import Settings  # noqa: E402
from askbrenda.retrieve import Index  # noqa: E402

TRAINING = [
    (ROOT / "knowledge", ROOT / "data" / "calibration" / "sample", ROOT / "tests/eval/questions.jsonl"),
    (ROOT / "data/govuk/knowledge", ROOT / "data" / "calibration" / "govuk",
     ROOT / "bench/eval/govuk-a.jsonl"),
]


def main() -> None:
    features, labels = [], []
    for knowledge, store, questions in TRAINING:
        if "govuk" in str(knowledge):
            build(knowledge)
        settings = Settings(knowledge_dir=knowledge, store_dir=store, data_dir=store / "data")
        ingest.run(settings, progress=False)
        index = Index(settings)
        rows = calibration.training_rows(evaluate.read_questions(questions))
        features += [index.search(r["question"]).features for r in rows]
        labels += [bool(r.get("answerable")) for r in rows]
        print(f"{questions.name}: {len(rows)} questions", file=sys.stderr)
    fitted = calibration.fit(features, labels, source="questions.jsonl + govuk-a.jsonl")
    fitted.save(calibration.SHIPPED)
    print(f"Threshold {fitted.threshold:.3f}; answer rate {fitted.metrics['answer_rate']:.3f}, "
          f"refusal rate {fitted.metrics['refusal_rate']:.3f} on {len(labels)} questions; "
          f"weights {fitted.weights}. Saved to {calibration.SHIPPED}.")


if __name__ == "__main__":
    main()
