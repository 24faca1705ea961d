"""The command line: documented, logs redacted exchanges, purges old ones."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from askbrenda.cli import build_parser, main
from askbrenda.config import Settings
from askbrenda.retrieve import Index
from tests.conftest import REPO

IDENTIFIERS = ["Ada", "Price", "943 476 5919", "9434765919", "LS6 2AB", "07700 900123",
               "ada.price@example.com"]
QUESTION = ("Mrs Ada Price, NHS 943 476 5919, lives at LS6 2AB, daughter on 07700 900123, "
            "ada.price@example.com, cant get in the bath what can i order")


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name in sub.choices:
        assert f"askbrenda {name}" in readme, name


@pytest.mark.slow
def test_cli_ask_logs_only_redacted_text(sample: tuple[Settings, Index], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = sample
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(settings.store_path))
    assert main(["ask", QUESTION, "--json"]) == 0
    assert '"citations"' in capsys.readouterr().out
    db = tmp_path / "data" / "askbrenda.db"  # ASKBRENDA_DATA_DIR from the autouse fixture
    raw = b"".join(p.read_bytes() for p in db.parent.glob("askbrenda.db*"))
    assert b"bath" in raw  # the exchange is there...
    for value in IDENTIFIERS:  # ...and none of the identifiers
        assert value.encode() not in raw, value

    from askbrenda.log import QALog

    log = QALog(f"sqlite:///{db}")
    [row] = log.exchanges()
    assert row["channel"] == "cli" and "[NHS_NUMBER]" in row["question"]
    assert main(["log", "purge", "--older-than", "1d"]) == 0
    assert len(log.exchanges()) == 1  # today's exchange is kept
    assert main(["log", "purge", "--older-than", "soon"]) == 2  # a clear error, exit 2


def test_no_log_writes_nothing(sample: tuple[Settings, Index], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = sample
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(settings.store_path))
    assert main(["ask", QUESTION, "--no-log"]) == 0
    assert not (tmp_path / "data" / "askbrenda.db").exists()


def test_ask_without_an_index_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(tmp_path / "nothing"))
    assert main(["ask", "how long for a dfg", "--no-log"]) == 2
    assert "Run `askbrenda ingest`" in capsys.readouterr().err
