"""Train the safeguarding classifier (embedding and words): ``python scripts/train_safeguarding.py``.

Training data: tests/data/safeguarding_cases.jsonl (labelled concerns and ordinary questions),
scripts/safeguarding_extra.jsonl (more of both across benefits, housing, children, employment and
health, the ordinary ones sharing the concerns' words: "hit by the benefit cap", appointees,
bruising after a fall), scripts/safeguarding_more.jsonl (life events in benefits, employment,
education and childcare: sanctions, bereavement, kinship care, a parent in prison),
scripts/safeguarding_broad.jsonl (20 areas of adult social care, from hospital discharge to
direct payments and Blue Badges, with hard negatives: family disagreements, refused services,
a tired carer, a misused parking badge), scripts/safeguarding_hard.jsonl (ordinary needs in
the words of a concern: a fall, a bath, a sore, a tired carer, staff leave, charging; and the
same needs with a risk in them: unexplained bruises, a carer who withholds care, a taken bank
card) plus every line of tests/data/guard_cases.jsonl
(practice, off-topic and injection texts).
The eval question sets are never used, so they can measure it.
"""

from __future__ import annotations

import json
from pathlib import Path

from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

from askbrenda.embeddings import get_embedder
from askbrenda.safeguarding_model import BUILTIN, MODEL_FILE, vectorizer

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 0.5  # balanced classes, so 0.5 is the even-odds point; recall comes from OR-ing
# Chosen by 5-fold cross-validation on the training cases (the eval sets unseen; figures over
# the cases before safeguarding_hard.jsonl, which trains in every fold): with the
# word features beside the embedding, concerns the phrase rules miss are caught as often
# (recall 0.937 -> 0.950 with the rules) and ordinary questions are flagged half as often
# (false alarms 0.128 -> 0.056). Word features weigh twice the embedding's; C as below.
WORD_WEIGHT = 2.0
C = 3.0
FILES = ("tests/data/safeguarding_cases.jsonl", "scripts/safeguarding_extra.jsonl",
         "scripts/safeguarding_more.jsonl", "scripts/safeguarding_broad.jsonl",
         "scripts/safeguarding_hard.jsonl")


def main() -> None:
    cases = [json.loads(line) for name in FILES for line in (ROOT / name).open()]
    guard = [json.loads(line) for line in (ROOT / "tests/data/guard_cases.jsonl").open()]
    # Off-topic requests and injection attempts are negatives too: without them, anything
    # unlike a practice question drifts to the concern side.
    texts = [c["text"] for c in cases] + [g["text"] for g in guard]
    labels = [bool(c["concern"]) for c in cases] + [False] * (len(texts) - len(cases))
    vectors = get_embedder().encode(texts)
    words = vectorizer().fit(texts)
    features = hstack([csr_matrix(vectors), WORD_WEIGHT * words.transform(texts)]).tocsr()
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(features, labels)
    coef = model.coef_[0]
    dims = vectors.shape[1]
    vocabulary = sorted(words.vocabulary_, key=words.vocabulary_.__getitem__)
    MODEL_FILE.write_text(json.dumps({
        "model": BUILTIN, "coef": [round(float(w), 6) for w in coef[:dims]],
        "vocabulary": vocabulary, "idf": [round(float(w), 6) for w in words.idf_],
        "word_coef": [round(float(w) * WORD_WEIGHT, 6) for w in coef[dims:]],
        "intercept": float(model.intercept_[0]), "threshold": THRESHOLD,
        "trained_on": {"examples": len(texts), "concerns": sum(labels)},
    }), encoding="utf-8")
    print(f"Wrote {MODEL_FILE} from {len(texts)} examples ({sum(labels)} concerns, "
          f"{len(vocabulary)} words and word pairs).")


if __name__ == "__main__":
    main()
