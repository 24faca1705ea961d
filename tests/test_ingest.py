"""Incremental sync against real Chroma, the real model and the bm25s index."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from askbrenda import ingest
from askbrenda.config import Settings
from askbrenda.store import LexicalIndex, load_manifest, open_collection
from tests.conftest import make_docx, make_pdf, md

REPORT_KEYS = {"added", "updated", "removed", "unchanged", "skipped", "failed", "duplicates", "warnings",
               "chunks_embedded", "chunks_total", "seconds"}


def state(settings: Settings) -> tuple[set[str], set[str], set[str]]:
    """(Chroma ids, lexical ids, manifest ids) of a store."""
    manifest = load_manifest(settings.store_path)
    chroma = set(open_collection(settings).get(include=[])["ids"])
    lexical = set(LexicalIndex.load(settings.store_path / manifest.lexical).ids)
    return chroma, lexical, set(manifest.chunk_ids())


def assert_consistent(settings: Settings, expected: int) -> None:
    chroma, lexical, manifest = state(settings)
    assert len(manifest) == expected
    assert chroma == lexical == manifest


def write_docs(folder: Path, n: int, sections: int = 2) -> None:
    for i in range(n):
        body = "\n\n".join(f"## Part {j}\n\nDocument {i} part {j} says item {i * 10 + j}."
                           for j in range(sections))
        (folder / f"doc{i}.md").write_text(md(f"Doc {i}", body), encoding="utf-8")


def test_add_modify_delete_rename_cycle(settings: Settings) -> None:
    k = settings.knowledge_dir
    write_docs(k, 3)  # 3 docs x 2 sections
    report = ingest.run(settings, progress=False)
    assert sorted(report.added) == ["doc0.md", "doc1.md", "doc2.md"]
    assert report.chunks_embedded == 6 and report.chunks_total == 6
    assert_consistent(settings, 6)

    again = ingest.run(settings, progress=False)
    assert again.chunks_embedded == 0 and sorted(again.unchanged) == sorted(report.added)
    assert_consistent(settings, 6)

    # Modify one section of doc0: one new passage embedded, the other kept.
    text = (k / "doc0.md").read_text().replace("item 1.", "item one hundred.")
    (k / "doc0.md").write_text(text)
    changed = ingest.run(settings, progress=False)
    assert changed.updated == ["doc0.md"] and changed.chunks_embedded == 1
    assert_consistent(settings, 6)
    docs = open_collection(settings).get(include=["documents"])["documents"]
    assert any("item one hundred" in d for d in docs) and not any("item 1." in d for d in docs)

    (k / "doc1.md").unlink()
    deleted = ingest.run(settings, progress=False)
    assert deleted.removed == ["doc1.md"]
    assert_consistent(settings, 4)

    (k / "doc2.md").rename(k / "renamed.md")
    renamed = ingest.run(settings, progress=False)
    assert renamed.removed == ["doc2.md"] and renamed.added == ["renamed.md"]
    assert renamed.chunks_embedded == 0  # same text: vectors reused, not re-embedded
    assert_consistent(settings, 4)
    sources = {m["source"] for m in open_collection(settings).get(include=["metadatas"])["metadatas"]}
    assert sources == {"doc0.md", "renamed.md"}


def test_duplicates_indexed_once_per_file_and_reported(settings: Settings) -> None:
    k = settings.knowledge_dir
    write_docs(k, 1)
    shutil.copy(k / "doc0.md", k / "copy.md")
    report = ingest.run(settings, progress=False)
    assert report.duplicates == [{"path": "doc0.md", "same_as": "copy.md"}]
    assert report.chunks_total == 4 and report.chunks_embedded == 2
    assert_consistent(settings, 4)


def test_bad_files_reported_and_good_files_indexed(settings: Settings) -> None:
    k = settings.knowledge_dir
    write_docs(k, 2)
    make_pdf(k / "good.pdf", [("Slings", "Slings are checked."), ("Hoists", "Two carers.")])
    make_docx(k / "good.docx", "Grants", [("Eligibility", "Owners may apply.")])
    (k / "page.html").write_text("<h1>Telecare</h1><h2>Pendants</h2><p>Free for a year.</p>")
    (k / "notes.txt").write_text("KEY SAFES\n\nFitted within 5 days.\n")
    (k / "empty.md").write_text("")
    (k / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    make_pdf(k / "locked.pdf", [("A", "b")], encrypt="secret")
    (k / "fake.docx").write_bytes(b"not a zip")
    (k / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (k / "image.png").write_bytes(b"\x89PNG")
    report = ingest.run(settings, progress=False)
    reasons = {f["path"]: f["reason"] for f in report.failed}
    assert set(reasons) == {"empty.md", "broken.pdf", "locked.pdf", "fake.docx", "latin.txt"}
    assert reasons["locked.pdf"].startswith("PDF is encrypted")
    assert reasons["empty.md"] == "file is empty"
    assert report.skipped == ["image.png"]
    assert sorted(report.added) == sorted(["doc0.md", "doc1.md", "good.pdf", "good.docx",
                                           "page.html", "notes.txt"])
    assert report.exit_code == 1
    saved = json.loads((settings.store_path / "ingest-report.json").read_text())
    assert set(saved) == REPORT_KEYS
    assert saved["failed"] == report.failed
    assert_consistent(settings, report.chunks_total)
    again = ingest.run(settings, progress=False)
    assert again.chunks_embedded == 0 and len(again.unchanged) == 6
    assert len(again.failed) == 5  # still reported until someone fixes them


def test_file_that_breaks_keeps_its_last_good_version(settings: Settings) -> None:
    k = settings.knowledge_dir
    write_docs(k, 2)
    ingest.run(settings, progress=False)
    (k / "doc0.md").write_bytes(b"\xff\xfe\x00broken")
    report = ingest.run(settings, progress=False)
    assert [f["path"] for f in report.failed] == ["doc0.md"]
    assert report.removed == []
    assert_consistent(settings, 4)


def test_unchanged_rerun_never_loads_the_model(settings: Settings,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_docs(settings.knowledge_dir, 3)
    ingest.run(settings, progress=False)

    def refuse(*args: object) -> None:
        raise AssertionError("the model was loaded for an unchanged folder")

    monkeypatch.setattr("askbrenda.embeddings.get_embedder", refuse)
    report = ingest.run(settings, progress=False)
    assert report.chunks_embedded == 0 and len(report.unchanged) == 3


def test_bad_folder_and_store_inside_knowledge(settings: Settings) -> None:
    from askbrenda.cli import main

    assert main(["ingest", "--knowledge", str(settings.knowledge_dir / "missing"), "-q"]) == 2
    inside = str(settings.knowledge_dir / "store")
    assert main(["ingest", "--knowledge", str(settings.knowledge_dir), "--store", inside]) == 2


def test_review_dates_are_read_the_usual_ways_and_a_bad_one_is_reported(
        settings: Settings) -> None:
    (settings.knowledge_dir / "uk.md").write_text(md("UK date", "Text.", "31/03/2025"),
                                                  encoding="utf-8")
    (settings.knowledge_dir / "month.md").write_text(md("Month", "Text.", "March 2025"),
                                                     encoding="utf-8")
    (settings.knowledge_dir / "odd.md").write_text(md("Odd", "Text.", "next spring"),
                                                   encoding="utf-8")
    report = ingest.run(settings, progress=False)
    assert report.warnings == ['odd.md: review date "next spring" is not a date; write it as '
                               "YYYY-MM-DD so out-of-date guidance is flagged"]
    assert "warning: odd.md" in report.summary()
    got = open_collection(settings).get(include=["metadatas"])["metadatas"]
    dates = {m["source"]: m["review_by"] for m in got}
    assert dates == {"uk.md": "2025-03-31", "month.md": "2025-03-01", "odd.md": "next spring"}


def test_model_change_embeds_everything_again_and_keeps_the_old_index_until_the_commit(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    from askbrenda.embeddings import Embedder, default_model_path
    from askbrenda.retrieve import Index
    from askbrenda.store import save_manifest

    write_docs(settings.knowledge_dir, 3)
    ingest.run(settings, progress=False)
    before = load_manifest(settings.store_path)
    vectors = open_collection(settings).get(include=["embeddings"])
    # The built-in model's folder named as a model: another model id, as far as the index knows.
    other = settings.model_copy(update={"embedding_model": str(default_model_path())})
    encoded: list[str] = []
    encode = Embedder.encode

    def counted(self: Embedder, texts: list[str], *args: Any) -> Any:
        encoded.extend(texts)
        return encode(self, texts, *args)

    monkeypatch.setattr(Embedder, "encode", counted)

    def killed(*args: object) -> None:
        raise RuntimeError("killed at the commit point")

    monkeypatch.setattr(ingest, "save_manifest", killed)
    with pytest.raises(RuntimeError):
        ingest.run(other, progress=False)
    assert load_manifest(settings.store_path) == before  # the old model's index still in force
    assert_consistent(settings, 6)
    after = open_collection(settings).get(include=["embeddings"])
    assert after["ids"] == vectors["ids"]
    assert (after["embeddings"] == vectors["embeddings"]).all()

    monkeypatch.setattr(ingest, "save_manifest", save_manifest)
    report = ingest.run(other, progress=False)
    assert len(encoded) == 6 == report.chunks_total  # every passage, with the new model, once:
    assert report.chunks_embedded == 0  # the interrupted run's new vectors were kept
    manifest = load_manifest(settings.store_path)
    assert manifest.model == str(default_model_path()) and manifest.collection != before.collection
    assert_consistent(other, 6)
    client = chromadb.PersistentClient(path=str(settings.store_path / "chroma"))
    assert [c.name for c in client.list_collections()] == [manifest.collection]  # old one dropped
    index = Index(other)  # retrieval finds the new collection through the manifest
    assert len(index.records) == 6
    assert "item 21." in index.search("which document says item 21").passages[0].text


def test_changed_owner_and_review_date_go_live_only_at_the_commit(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    k = settings.knowledge_dir
    write_docs(k, 3)
    ingest.run(settings, progress=False)
    originals = {p.name: p.read_text() for p in k.iterdir()}

    def live_metadata() -> set[tuple[str, str]]:
        ids = load_manifest(settings.store_path).chunk_ids()
        metas = open_collection(settings).get(ids=ids, include=["metadatas"])["metadatas"]
        return {(m["owner"], m["review_by"]) for m in metas}

    assert live_metadata() == {("Test Owner, Senior OT", "2027-06-30")}
    for name, text in originals.items():
        (k / name).write_text(text.replace("Test Owner", "New Owner")
                              .replace("2027-06-30", "2028-01-31"))

    def killed(*args: object) -> None:
        raise RuntimeError("killed at the commit point")

    monkeypatch.setattr(ingest, "save_manifest", killed)
    with pytest.raises(RuntimeError):
        ingest.run(settings, progress=False)
    assert live_metadata() == {("Test Owner, Senior OT", "2027-06-30")}  # nothing users see moved

    monkeypatch.undo()
    for name, text in originals.items():  # the curator puts the old files back
        (k / name).write_text(text)
    reverted = ingest.run(settings, progress=False)
    assert len(reverted.unchanged) == 3
    assert live_metadata() == {("Test Owner, Senior OT", "2027-06-30")}
    assert_consistent(settings, 6)

    for name, text in originals.items():
        (k / name).write_text(text.replace("Test Owner", "New Owner"))
    changed = ingest.run(settings, progress=False)
    assert len(changed.updated) == 3 and changed.chunks_embedded == 0  # cached vectors reused
    assert live_metadata() == {("New Owner, Senior OT", "2027-06-30")}
    assert_consistent(settings, 6)


def test_every_chroma_call_is_batched_to_the_clients_limit(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from chromadb.api.client import Client
    from chromadb.api.models.Collection import Collection
    from chromadb.api.rust import RustBindingsAPI

    limit = 5
    for api in (Client, RustBindingsAPI):  # the client, and the embedded server behind it
        monkeypatch.setattr(api, "get_max_batch_size", lambda self: limit)

    def limited(call: Any) -> Any:
        def checked(self: Collection, *args: Any, **kwargs: Any) -> Any:
            ids = kwargs.get("ids", args[0] if args else None)
            if ids is not None and len(ids) > self._client.get_max_batch_size():
                raise ValueError(f"Batch size of {len(ids)} is greater than max batch size "
                                 f"of {limit}")  # as Chroma says it
            return call(self, *args, **kwargs)
        return checked

    for name in ("add", "upsert", "update", "delete", "get"):
        monkeypatch.setattr(Collection, name, limited(getattr(Collection, name)))
    k = settings.knowledge_dir
    write_docs(k, 4, sections=3)
    first = ingest.run(settings, progress=False)
    assert first.chunks_embedded == 12
    assert_consistent(settings, 12)
    (k / "moved").mkdir()  # a folder renamed: every chunk from the vector cache, 12 > 5
    for path in k.glob("*.md"):
        path.rename(k / "moved" / path.name)
    renamed = ingest.run(settings, progress=False)
    assert len(renamed.added) == 4 and len(renamed.removed) == 4
    assert renamed.chunks_embedded == 0
    assert_consistent(settings, 12)


def test_file_that_breaks_during_a_model_change_keeps_its_last_good_version(
        settings: Settings) -> None:
    from askbrenda.embeddings import default_model_path

    k = settings.knowledge_dir
    write_docs(k, 2)
    ingest.run(settings, progress=False)
    (k / "doc0.md").write_bytes(b"\xff\xfe\x00broken")
    other = settings.model_copy(update={"embedding_model": str(default_model_path())})
    report = ingest.run(other, progress=False)
    assert [f["path"] for f in report.failed] == ["doc0.md"] and report.removed == []
    assert report.chunks_embedded == 4  # its stored passages, embedded with the new model
    assert_consistent(other, 4)
    docs = open_collection(other).get(include=["documents"])["documents"]
    assert any("item 1." in d for d in docs)
