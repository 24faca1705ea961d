"""The command line: documented, logs redacted exchanges, purges old ones, reads the knowledge
folder it indexed, and turns bad input and settings into plain messages."""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

import pytest

from askbrenda.cli import build_parser, main
from askbrenda.config import Settings
from askbrenda.errors import ConfigError
from askbrenda.retrieve import Index
from askbrenda.store import MANIFEST, Manifest, load_manifest, save_manifest
from tests.conftest import REPO, md

IDENTIFIERS = ["Ada", "Price", "943 476 5919", "9434765919", "LS6 2AB", "07700 900123",
               "ada.price@example.com"]
QUESTION = ("Mrs Ada Price, NHS 943 476 5919, lives at LS6 2AB, daughter on 07700 900123, "
            "ada.price@example.com, cant get in the bath what can i order")


@pytest.fixture(autouse=True)
def _empty_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI refuses an ASKBRENDA_CONFIG that does not exist: point it at an empty file."""
    (tmp_path / "empty.toml").write_text("")
    monkeypatch.setenv("ASKBRENDA_CONFIG", str(tmp_path / "empty.toml"))


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


@pytest.mark.parametrize("name, value, expected", [
    ("ASKBRENDA_TOP_K", "50", "ASKBRENDA_TOP_K (or top_k in"),
    ("ASKBRENDA_TOP_K", "50", "Allowed: 1 to 20."),
    ("ASKBRENDA_REFUSAL_THRESHOLD", "high", "Allowed: 0.0 to 1.0."),
    ("ASKBRENDA_CONFIG", "/no/such/askbrenda.toml", "ASKBRENDA_CONFIG names /no/such/askbrenda"),
])
def test_a_bad_setting_is_a_plain_message(name: str, value: str, expected: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(name, value)
    assert main(["ask", "how long for a dfg", "--no-log", "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("askbrenda: ") and expected in err and "Traceback" not in err


def test_an_empty_setting_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBRENDA_REFUSAL_THRESHOLD", "")  # as docker-compose passes `VAR:`
    monkeypatch.setenv("ASKBRENDA_TOP_K", "")
    settings = Settings()
    assert settings.refusal_threshold is None and settings.top_k == 5


@pytest.mark.parametrize("content", [b'{"question": null}\n', b'{"question": 5}\n',
                                     b'"any question"\n', b'{"question": "caf\xe9"}\n'])
def test_ask_jsonl_bad_file_names_it(content: bytes, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    assert main(["ask", "--jsonl", str(path), "--no-log", "--store", str(tmp_path / "s")]) == 2
    assert f"askbrenda: {path}:1 " in capsys.readouterr().err


def _folder(path: Path, hub: str) -> Path:
    """A small guidance folder whose contacts.yaml names ``hub`` for safeguarding."""
    path.mkdir()
    (path / "safeguarding.md").write_text(md("Safeguarding adults", (
        "If you think an adult is being abused or neglected, for example a carer taking their "
        "money, make sure they are safe and report it to the safeguarding team the same day.")))
    (path / "contacts.yaml").write_text(
        f"contacts:\n  - name: {hub}\n    phone: \"01632 960201\"\n    topics: [safeguarding]\n")
    return path


@pytest.mark.slow
def test_ask_reads_contacts_from_the_folder_it_indexed(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    kb, other = _folder(tmp_path / "kb", "Kb Hub"), _folder(tmp_path / "other", "Other Hub")
    store = tmp_path / "store"
    monkeypatch.chdir(tmp_path)  # ./knowledge, the old default, does not exist here
    assert main(["ingest", "--knowledge", "kb", "--store", str(store), "-q"]) == 0
    assert load_manifest(store).knowledge == str(kb.resolve())

    def contacts(*extra: str) -> list[str]:
        capsys.readouterr()
        assert main(["ask", "--store", str(store), "--json", "--no-log", *extra,
                     "i think a carer is stealing from my client"]) == 0
        answer = json.loads(capsys.readouterr().out)
        assert answer["safeguarding"]
        return [c["name"] for c in answer["contacts"]]

    assert contacts() == ["Kb Hub"]
    assert contacts("--knowledge", str(other)) == ["Other Hub"]  # the option wins
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", str(other))  # and so does the variable
    assert contacts() == ["Other Hub"]
    monkeypatch.delenv("ASKBRENDA_KNOWLEDGE_DIR")

    # A store indexed before the folder was recorded: an unchanged re-ingest records it.
    raw = json.loads((store / MANIFEST).read_text())
    del raw["knowledge"]
    (store / MANIFEST).write_text(json.dumps(raw))
    assert load_manifest(store).knowledge == ""  # old manifests still load
    assert main(["ingest", "--knowledge", str(kb), "--store", str(store), "-q"]) == 0
    assert load_manifest(store).knowledge == str(kb.resolve())


def test_serve_gives_the_app_the_indexed_folder(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    store.mkdir()
    save_manifest(store, Manifest(knowledge=str(tmp_path / "kb")))
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(store))
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", "")  # empty = unset; removed after the test
    seen: list[str | None] = []
    monkeypatch.setattr("askbrenda.serve.main",
                        lambda **_: seen.append(os.environ.get("ASKBRENDA_KNOWLEDGE_DIR")))
    assert main(["serve"]) == 0
    assert seen == [str(tmp_path / "kb")]


@pytest.mark.slow
def test_ask_with_undecodable_bytes_in_the_question(sample: tuple[Settings, Index],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = sample
    # $'bath board caf\xe9' in a UTF-8 terminal: Python keeps the byte as a lone surrogate.
    assert main(["ask", "bath board caf\udce9", "--json", "--no-log",
                 "--store", str(settings.store_path)]) == 0
    assert json.loads(capsys.readouterr().out)["question"] == "bath board caf\ufffd"


@pytest.mark.slow
def test_ask_says_when_an_answer_may_not_fit(sample: tuple[Settings, Index],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = sample
    assert main(["ask", "TUG cut off time", "--no-log", "--store", str(settings.store_path)]) == 0
    assert "Note: I'm not sure this answers exactly what you asked" in capsys.readouterr().out
    assert main(["ask", "hoist legs wont go under the bed", "--no-log",
                 "--store", str(settings.store_path)]) == 0
    assert "Note:" not in capsys.readouterr().out


def test_get_settings_names_a_bad_value_for_the_app_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from askbrenda.config import get_settings

    monkeypatch.setenv("ASKBRENDA_TOP_K", "50")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="ASKBRENDA_TOP_K .* Allowed: 1 to 20"):
        get_settings()
    get_settings.cache_clear()


@pytest.mark.slow
def test_an_index_built_by_an_earlier_version_is_reported_until_ingested(
        sample: tuple[Settings, Index], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    settings, _ = sample
    store = tmp_path / "store"
    shutil.copytree(settings.store_path, store)
    manifest = load_manifest(store)
    manifest.pipeline = "v1/size=1000/overlap=100"  # what an older release wrote
    save_manifest(store, manifest)
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(store))
    assert main(["ask", "bath lift max weight", "--json"]) == 0
    out = capsys.readouterr()
    assert "earlier version" in out.err and "askbrenda ingest" in out.err
    assert json.loads(out.out)["citations"]  # still answers meanwhile
    assert main(["ingest", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ask", "bath lift max weight", "--json"]) == 0
    assert "earlier version" not in capsys.readouterr().err

