"""Server mode: ingest and answer through a real `chroma run` server (HttpClient)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from askbrenda import ingest
from askbrenda.answer import ask
from askbrenda.config import Settings
from askbrenda.retrieve import Index
from askbrenda.store import open_collection
from tests.conftest import md

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--host",
                             "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_answer_through_a_chroma_server(settings: Settings, chroma_url: str) -> None:
    settings = settings.model_copy(update={"chroma_url": chroma_url})
    (settings.knowledge_dir / "lifts.md").write_text(md(
        "Bath lifts", "## Weight\n\nThe bath lift maximum user weight is 140 kg.\n\n"
        "## Charging\n\nCharge the handset battery overnight after each use.\n"))
    report = ingest.run(settings, progress=False)
    assert report.chunks_total == 2
    assert not (settings.store_path / "chroma").exists()  # nothing embedded locally
    assert open_collection(settings).count() == 2
    answer = ask("bath lift max weight", settings=settings, index=Index(settings))
    assert answer.citations[0].source == "lifts.md"
    assert "140 kg" in answer.citations[0].text
