"""Chroma (embedded or server), the bm25s lexical index and the manifest that ties them together.

The manifest is the commit point: it lists, per document, the chunk ids that are live. It is
written atomically last, so a run killed part-way leaves the previous manifest in force; chunks
a killed run added are invisible (retrieval keeps only manifest ids) and removed by the next run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from askbrenda.chunking import Chunk, search_text
from askbrenda.config import Settings
from askbrenda.errors import StoreError

MANIFEST = "manifest.json"
T = TypeVar("T")
log = logging.getLogger("askbrenda.store")


@dataclass
class DocEntry:
    """What the index holds for one knowledge file."""

    hash: str
    title: str
    chunk_ids: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    """The committed state of the index."""

    generation: int = 0
    model: str = ""
    # The Chroma collection holding the vectors ("" in manifests from before per-model
    # collections: the configured name).
    collection: str = ""
    pipeline: str = ""
    lexical: str = ""
    # The folder indexed (absolute); ask/eval/calibrate read its glossary and contacts by default.
    knowledge: str = ""
    docs: dict[str, DocEntry] = field(default_factory=dict)

    def chunk_ids(self) -> list[str]:
        """Every live chunk id, in a stable order."""
        return [cid for src in sorted(self.docs) for cid in self.docs[src].chunk_ids]


def write_json_atomic(path: Path, data: Any) -> None:
    """Write, flush to disk, then rename: readers see the old file or the new, never half."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_manifest(store: Path) -> Manifest:
    """The committed manifest, or an empty one for a new store."""
    path = store / MANIFEST
    if not path.exists():
        return Manifest()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        docs = {src: DocEntry(**entry) for src, entry in raw.pop("docs", {}).items()}
        return Manifest(docs=docs, **raw)
    except (ValueError, TypeError) as exc:
        raise StoreError(
            f"The index manifest {path} is unreadable ({exc}). Delete the store folder and "
            "run `askbrenda ingest` again to rebuild it."
        ) from exc


def save_manifest(store: Path, manifest: Manifest) -> None:
    """Commit ``manifest`` atomically."""
    write_json_atomic(store / MANIFEST, asdict(manifest))


@contextmanager
def ingest_lock(store: Path) -> Iterator[None]:
    """One ingest at a time per store; a second one fails fast with a clear message."""
    store.mkdir(parents=True, exist_ok=True)
    with (store / ".ingest.lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(
                f"Another ingest is already running on {store}. Wait for it to finish."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "localhost", port=url.port or 8000,
            ssl=url.scheme == "https", settings=chroma_settings,
        )
    path = settings.store_path / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def open_collection(settings: Settings, name: str = "") -> Any:
    """A Chroma collection (embedded in the store folder, or on a `chroma run` server): by
    default the one the committed manifest names, so retrieval reads the vectors it lists."""
    name = name or load_manifest(settings.store_path).collection or settings.collection
    try:
        # embedding_function=None: we always pass our own vectors; Chroma must never fetch a model.
        return _client(settings).get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None,
        )
    except Exception as exc:  # chromadb raises many types; the user needs one message
        where = settings.chroma_url or str(settings.store_path / "chroma")
        raise StoreError(
            f"Cannot open the Chroma index at {where}: {exc}. Check ASKBRENDA_STORE_DIR "
            "(or that the server at ASKBRENDA_CHROMA_URL is running)."
        ) from exc


def drop_collection(settings: Settings, name: str) -> None:
    """Delete a collection no manifest uses any more (after a commit: failure only wastes space)."""
    try:
        _client(settings).delete_collection(name)
    except Exception as exc:  # absent (never created, or dropped already) or unreachable
        log.debug("Collection %s not dropped: %s", name, exc)


def mark_writing(marker: Path, collection: str) -> set[str]:
    """Note in ``marker`` that this run writes to ``collection``; the collections earlier runs
    noted. A killed run leaves the marker, so the next run cleans up even if nothing changed,
    and drops a collection the killed run started for another model."""
    written = set(marker.read_text(encoding="utf-8").split()) if marker.exists() else set()
    marker.write_text("\n".join(sorted(written | {collection})), encoding="utf-8")
    return written


def collection_for(settings: Settings, old: Manifest, model: str) -> str:
    """The collection an ingest with embedding model ``model`` writes to.

    Each model's vectors live in a collection named after it: vectors of two models never mix
    (chunk ids and the text-hash vector cache do not depend on the model, and the sizes may
    differ), and the old model's collection stays searchable until the new manifest commits.
    An index keeps its collection while the model stays the same (manifests from before
    per-model collections used the configured name).
    """
    fresh = f"{settings.collection}-{hashlib.sha256(model.encode()).hexdigest()[:12]}"
    live = old.collection or settings.collection
    return live if old.model == model and live in (settings.collection, fresh) else fresh


def max_batch(collection: Any) -> int:
    """How many records one Chroma call may take (5461 embedded): it rejects larger batches."""
    try:
        size = int(collection._client.get_max_batch_size())
    except Exception:  # a client without the call, or a server that did not say
        size = 0
    return size if size > 0 else 1000


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def stored(collection: Any, ids: list[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(id, text, metadata) of the stored chunks among ``ids``."""
    for part in batches(ids, max_batch(collection)):
        got = collection.get(ids=list(part), include=["documents", "metadatas"])
        yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)


def read_chunks(collection: Any, ids: list[str]) -> list[Chunk]:
    """Chunks as stored (text and metadata), to embed them again with another model."""
    return [Chunk(id=cid, text=text, source=meta["source"], title=meta["title"],
                  section=meta.get("section", ""), page=meta.get("page") or None,
                  owner=meta.get("owner", ""), review_by=meta.get("review_by", ""))
            for cid, text, meta in stored(collection, ids)]


def build_lexical(collection: Any, live: list[str]) -> LexicalIndex:
    """The bm25s index of the ``live`` chunks, read back from Chroma."""
    texts = {cid: search_text(meta.get("title", ""), meta.get("section", ""), text)
             for cid, text, meta in stored(collection, live)}
    missing = [cid for cid in live if cid not in texts]
    if missing:
        raise StoreError(
            f"{len(missing)} passages listed in the index are missing from Chroma. "
            "Delete the store folder and run `askbrenda ingest` again to rebuild it."
        )
    return LexicalIndex.build(live, [texts[cid] for cid in live])


def _quiet_bm25s() -> None:
    # bm25s sets its own logger to DEBUG; its messages are not for our users.
    logging.getLogger("bm25s").setLevel(logging.WARNING)


_TOKENS: dict[str, tuple[str, ...]] = {}
_CACHED_BATCH = 256
_CACHE_SIZE = 200_000


def _tokenize(texts: list[str]) -> list[list[str]]:
    """bm25s's tokens (English stop words out, Snowball stems) of each text.

    Answering tokenizes the same passage sentences for question after question, each call with
    a fixed cost of its own (a new stemmer, progress bars), so small batches are remembered.
    """
    if len(texts) > _CACHED_BATCH:  # indexing: one pass, nothing to reuse
        return _bm25s_tokens(texts)
    missing = [t for t in dict.fromkeys(texts) if t not in _TOKENS]
    if missing:
        if len(_TOKENS) > _CACHE_SIZE:
            _TOKENS.clear()
        _TOKENS.update(zip(missing, map(tuple, _bm25s_tokens(missing)), strict=True))
    return [list(_TOKENS[t]) for t in texts]


def _bm25s_tokens(texts: list[str]) -> list[list[str]]:
    import bm25s
    import Stemmer

    return bm25s.tokenize(
        texts, stopwords="en", stemmer=Stemmer.Stemmer("english"),
        return_ids=False, show_progress=False,
    )


class LexicalIndex:
    """bm25s over the same chunks as Chroma, addressed by chunk id."""

    def __init__(self, ids: list[str], retriever: Any) -> None:
        self.ids = ids
        self.retriever = retriever

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> LexicalIndex:
        """Index ``texts`` (aligned with ``ids``)."""
        import bm25s

        _quiet_bm25s()
        retriever = bm25s.BM25()
        if texts:
            retriever.index(_tokenize(texts), show_progress=False)
        return cls(list(ids), retriever)

    def save(self, folder: Path) -> None:
        """Write to ``folder`` (replaced whole)."""
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        if self.ids:
            self.retriever.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read an index written by :meth:`save`."""
        import bm25s

        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        retriever = bm25s.BM25.load(str(folder), show_progress=False) if ids else bm25s.BM25()
        return cls(ids, retriever)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (aligned with ``self.ids``)."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        tokens = _tokenize([query])[0]
        vocab = self.retriever.vocab_dict
        tokens = [t for t in tokens if t in vocab]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)
