"""An ingest killed at any moment leaves the previous index whole, and the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from askbrenda import ingest
from askbrenda.config import Settings
from askbrenda.store import load_manifest
from tests.conftest import REPO, md
from tests.test_ingest import assert_consistent, state

pytestmark = pytest.mark.slow


def write_folder(folder: Path, n: int, version: str) -> None:
    for i in range(n):
        body = "\n\n".join(
            f"## Topic {j}\n\n" + f"Version {version}: guidance {i}.{j} on equipment. " * 12
            for j in range(4))
        (folder / f"guide{i:02d}.md").write_text(md(f"Guide {i}", body), encoding="utf-8")


def kill_during_embedding(settings: Settings, delay: float) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "askbrenda.cli", "ingest", "--knowledge",
         str(settings.knowledge_dir), "--store", str(settings.store_path)],
        cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 120
    while "Embedding:" not in seen and time.monotonic() < deadline:  # the bar, not a log line
        seen += proc.stderr.read(1)
        if proc.poll() is not None:
            break
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"


@pytest.mark.parametrize("delay", [0.0, 1.0, 2.5])
def test_killed_update_leaves_previous_index_then_completes(settings: Settings,
                                                             delay: float) -> None:
    k = settings.knowledge_dir
    write_folder(k, 20, "one")
    first = ingest.run(settings, progress=False)
    before = load_manifest(settings.store_path)

    write_folder(k, 40, "two")  # 20 changed, 20 new
    kill_during_embedding(settings, delay)

    chroma, lexical, live = state(settings)
    after_kill = load_manifest(settings.store_path)
    assert after_kill.docs == before.docs  # the old commit is still the one in force
    assert live <= chroma and lexical == live
    assert len(live) == first.chunks_total

    report = ingest.run(settings, progress=False)
    assert len(report.updated) == 20 and len(report.added) == 20
    assert report.chunks_total == 160
    assert_consistent(settings, 160)  # no leftovers, no duplicates


def test_killed_first_ingest_leaves_empty_index_then_completes(settings: Settings) -> None:
    write_folder(settings.knowledge_dir, 30, "one")
    kill_during_embedding(settings, 0.5)
    assert load_manifest(settings.store_path).docs == {}
    report = ingest.run(settings, progress=False)
    assert len(report.added) == 30
    assert_consistent(settings, 120)


def test_killed_run_is_cleaned_up_by_an_unchanged_rerun(settings: Settings) -> None:
    write_folder(settings.knowledge_dir, 20, "one")
    ingest.run(settings, progress=False)
    write_folder(settings.knowledge_dir, 30, "two")
    kill_during_embedding(settings, 1.0)
    write_folder(settings.knowledge_dir, 20, "one")  # the curator puts the old folder back
    for name in [f"guide{i:02d}.md" for i in range(20, 30)]:
        (settings.knowledge_dir / name).unlink()
    report = ingest.run(settings, progress=False)
    assert report.chunks_embedded == 0 and len(report.unchanged) == 20
    assert_consistent(settings, 80)  # what the killed run added is gone


def test_killed_model_change_leaves_the_old_models_index_then_completes(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    from askbrenda.embeddings import default_model_path

    write_folder(settings.knowledge_dir, 20, "one")
    ingest.run(settings, progress=False)
    before = load_manifest(settings.store_path)
    model = str(default_model_path())  # the built-in model under another model id
    monkeypatch.setenv("ASKBRENDA_EMBEDDING_MODEL", model)
    kill_during_embedding(settings, 0.5)
    assert load_manifest(settings.store_path) == before
    assert_consistent(settings, 80)  # the old model's vectors, still the ones searched

    other = settings.model_copy(update={"embedding_model": model})
    report = ingest.run(other, progress=False)
    assert report.chunks_total == 80 and len(report.updated) == 20
    assert_consistent(other, 80)
    manifest = load_manifest(settings.store_path)
    client = chromadb.PersistentClient(path=str(settings.store_path / "chroma"))
    assert [c.name for c in client.list_collections()] == [manifest.collection]
