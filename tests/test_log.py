"""The Q&A log on a real SQLite file, and on PostgreSQL when ASKBRENDA_TEST_PG_URL is set.

``bash scripts/with_postgres.sh .venv/bin/python -m pytest tests/test_log.py`` runs both.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from askbrenda import schema
from askbrenda.config import Settings
from askbrenda.errors import LogError
from askbrenda.log import QALog, parse_age
from askbrenda.models import Answer, Citation
from askbrenda.schema import MIGRATIONS, make_engine, migrate

PG_URL = os.environ.get("ASKBRENDA_TEST_PG_URL", "")
LAST = MIGRATIONS[-1].__name__

# Seeded identifiers; the NHS number passes the mod-11 check. Each must never reach the database.
QUESTION = ("Mrs Ada Price, NHS 943 476 5919, LS6 2AB, 07700 900123, keeps falling at home. "
            "What should I do?")
IDENTIFIERS = ["Ada", "Price", "943 476 5919", "9434765919", "LS6 2AB", "LS62AB",
               "07700 900123", "07700900123"]


@pytest.fixture(params=[
    "sqlite",
    pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(
        not PG_URL, reason="set ASKBRENDA_TEST_PG_URL (or use scripts/with_postgres.sh)")]),
])
def log_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or a fresh PostgreSQL schema per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'log.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    # search_path puts every table the log creates into this test's own schema.
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def qalog(log_url: str) -> Iterator[QALog]:
    log = QALog(log_url)
    yield log
    log.close()


def make_answer(question: str = "How do I arrange respite?", refused: bool = False,
                n_citations: int = 2) -> Answer:
    citations = [Citation(n=i, source=f"guide{i}.md", title="Guide", section=f"Section {i}",
                          page=i if i % 2 else None, text="passage", score=0.9 - i / 10)
                 for i in range(1, n_citations + 1)]
    return Answer(question=question, answer="See the guide [1].", refused=refused,
                  confidence=0.8, safeguarding=False, citations=citations, latency_ms=123.4)


def count(log: QALog, table: str, **where: object) -> int:
    t = log.t[table]
    query = sa.select(sa.func.count()).select_from(t)
    for column, value in where.items():
        query = query.where(t.c[column] == value)
    with log.engine.connect() as conn:
        return conn.scalar(query) or 0


def all_text(log: QALog) -> str:
    """Every text value in every table, joined: what a database dump would show."""
    parts = []
    with log.engine.connect() as conn:
        for table in log.t.values():
            columns = [c for c in table.c if isinstance(c.type, sa.String)]
            for row in conn.execute(sa.select(*columns)) if columns else []:
                parts += [str(v) for v in row]
    return "\n".join(parts)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- migrations ---------------------------------------------------------------------------------

def test_fresh_database_gets_every_migration(qalog: QALog, log_url: str) -> None:
    assert [m.__name__ for m in MIGRATIONS][:3] == [
        "m001_initial", "m002_feedback_handoffs", "m003_review_state"]
    columns = {c["name"] for c in sa.inspect(qalog.engine).get_columns("exchanges")}
    assert "tentative" in columns  # m004
    assert qalog.schema_version() == LAST
    assert set(sa.inspect(qalog.engine).get_table_names()) >= {
        "migrations", "exchanges", "citations", "feedback", "handoffs"}
    assert count(qalog, "migrations") == len(MIGRATIONS)
    # Opening again applies nothing and records nothing twice.
    assert migrate(qalog.engine) == []
    QALog(log_url).close()
    assert count(qalog, "migrations") == len(MIGRATIONS)


def test_upgrade_from_first_version_keeps_data(log_url: str) -> None:
    engine = make_engine(log_url)
    assert migrate(engine, upto="m001_initial") == ["m001_initial"]
    columns = {c["name"] for c in sa.inspect(engine).get_columns("exchanges")}
    assert "review_status" not in columns
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO exchanges (created_at, user_id, role, conversation_id, channel, question,"
            " answer, refused, confidence, safeguarding, latency_ms, mode) VALUES (:t, 'u1', "
            "'sw', 'c1', 'cli', 'old question', 'old answer', :f, 0.5, :f, 10, 'extractive')"),
            {"t": datetime.now(UTC), "f": False})
    engine.dispose()

    log = QALog(log_url)
    try:
        assert log.schema_version() == LAST
        [old] = log.exchanges()
        assert (old["question"], old["channel"], old["review_status"]) == (
            "old question", "cli", "new")
        log.add_feedback(old["id"], helpful=True)  # the new tables work with the old row
        log.hand_off(old["id"], note="please check")
        assert log.exchanges()[0]["helpful"] == 1
        assert len(log.open_handoffs()) == 1
    finally:
        log.close()


def test_failed_migration_leaves_no_trace(log_url: str, monkeypatch) -> None:
    def m002_broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (id INTEGER)"))
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "MIGRATIONS", [MIGRATIONS[0], m002_broken])
    engine = make_engine(log_url)
    try:
        with pytest.raises(RuntimeError):
            migrate(engine)
        # The DDL and the record were one transaction: both rolled back.
        assert "half_done" not in sa.inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.scalars(sa.text("SELECT name FROM migrations")).all() == ["m001_initial"]
        with pytest.raises(ValueError, match="Unknown migration"):
            migrate(engine, upto="m999_nope")
    finally:
        engine.dispose()


def test_processes_starting_together_migrate_once(log_url: str) -> None:
    # Several app workers may open a fresh database at the same moment.
    engines = [make_engine(log_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(len(engines)) as pool:
            applied = list(pool.map(migrate, engines))
        assert sorted(name for names in applied for name in names) == sorted(
            m.__name__ for m in MIGRATIONS)
    finally:
        for engine in engines:
            engine.dispose()


def test_concurrent_writers_all_succeed(qalog: QALog) -> None:
    exchange_id = qalog.record(make_answer())
    assert exchange_id is not None

    def write(i: int) -> int | None:
        qalog.add_feedback(exchange_id, helpful=bool(i % 2))  # read-then-write transaction
        return qalog.record(make_answer(f"question {i}"))

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(write, range(40)))
    assert None not in ids
    assert count(qalog, "exchanges") == 41
    assert count(qalog, "feedback") == 40


# --- recording ----------------------------------------------------------------------------------

def test_record_stores_exchange_with_its_citations(qalog: QALog) -> None:
    exchange_id = qalog.record(make_answer(), user_id="u1", role="social worker",
                               conversation_id="c1", channel="cli")
    assert isinstance(exchange_id, int)
    [row] = qalog.exchanges()
    assert row["id"] == exchange_id
    assert row["question"] == "How do I arrange respite?"
    assert (row["user_id"], row["role"], row["conversation_id"], row["channel"]) == (
        "u1", "social worker", "c1", "cli")
    assert (row["refused"], row["safeguarding"], row["latency_ms"], row["mode"]) == (
        False, False, 123, "extractive")
    assert row["confidence"] == pytest.approx(0.8)
    assert row["review_status"] == "new"
    assert row["created_at"].tzinfo is not None
    assert abs(datetime.now(UTC) - row["created_at"]) < timedelta(minutes=1)
    assert [(c["n"], c["source"], c["section"], c["page"]) for c in row["citations"]] == [
        (1, "guide1.md", "Section 1", 1), (2, "guide2.md", "Section 2", None)]
    assert row["citations"][0]["score"] == pytest.approx(0.8)
    assert count(qalog, "citations", exchange_id=exchange_id) == 2


def test_nothing_identifying_is_stored(qalog: QALog) -> None:
    exchange_id = qalog.record(make_answer(question=QUESTION))
    assert exchange_id is not None
    qalog.add_feedback(exchange_id, helpful=False, reason=f"Wrong for {QUESTION}")
    qalog.hand_off(exchange_id, note=f"Call back about {QUESTION}")
    qalog.set_review(exchange_id, "flagged", note=QUESTION)
    stored = all_text(qalog)
    assert "[NHS_NUMBER]" in stored and "[POSTCODE]" in stored
    for identifier in IDENTIFIERS:
        assert identifier not in stored


def test_sqlite_file_holds_no_identifiers(tmp_path) -> None:
    path = tmp_path / "log.db"
    log = QALog(f"sqlite:///{path}")
    exchange_id = log.record(make_answer(question=QUESTION))
    assert exchange_id is not None
    log.add_feedback(exchange_id, helpful=False, reason=QUESTION)
    log.hand_off(exchange_id, note=QUESTION)
    log.set_review(exchange_id, "flagged", note=QUESTION)
    log.close()
    # Read the raw bytes (including any journal left beside it), not what SQL returns.
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("log.db"))
    assert b"[NHS_NUMBER]" in raw
    for identifier in IDENTIFIERS:
        assert identifier.encode() not in raw


def test_feedback_and_handoffs_are_stored_redacted(qalog: QALog) -> None:
    exchange_id = qalog.record(make_answer())
    assert exchange_id is not None
    qalog.add_feedback(exchange_id, helpful=True, user_id="u1")
    qalog.add_feedback(exchange_id, helpful=False, reason="Mrs Ada Price is in Wales", user_id="u2")
    qalog.hand_off(exchange_id, note="Ring 07700 900123 please", user_id="u2")
    [row] = qalog.exchanges()
    assert (row["helpful"], row["not_helpful"]) == (1, 1)
    with qalog.engine.connect() as conn:
        reasons = conn.scalars(sa.select(qalog.t["feedback"].c.reason)).all()
    assert sorted(reasons) == ["", "Mrs [NAME] is in Wales"]
    [handoff] = qalog.open_handoffs()
    assert (handoff["exchange_id"], handoff["note"], handoff["user_id"], handoff["status"]) == (
        exchange_id, "Ring [PHONE] please", "u2", "open")
    assert handoff["question"] == "How do I arrange respite?"
    qalog.resolve_handoff(handoff["id"])
    assert qalog.open_handoffs() == []
    with pytest.raises(LogError, match="no exchange 999"):
        qalog.add_feedback(999, helpful=True)
    with pytest.raises(LogError, match="no exchange 999"):
        qalog.hand_off(999)
    with pytest.raises(LogError, match="no hand-off 999"):
        qalog.resolve_handoff(999)


def test_exchanges_newest_first_and_filtered(qalog: QALog) -> None:
    first = qalog.record(make_answer("first"))
    second = qalog.record(make_answer("second", refused=True, n_citations=0))
    third = qalog.record(make_answer("third"))
    assert [r["id"] for r in qalog.exchanges()] == [third, second, first]
    assert [r["id"] for r in qalog.exchanges(limit=2)] == [third, second]
    assert [r["id"] for r in qalog.exchanges(refused=True)] == [second]
    assert [r["id"] for r in qalog.exchanges(refused=False)] == [third, first]
    assert qalog.exchanges(refused=True)[0]["citations"] == []

    assert first is not None
    qalog.set_review(first, "flagged", note="quotes the wrong guide")
    [flagged] = qalog.exchanges(flagged=True)
    assert (flagged["id"], flagged["review_status"], flagged["review_note"]) == (
        first, "flagged", "quotes the wrong guide")
    assert [r["id"] for r in qalog.exchanges(flagged=False)] == [third, second]
    with pytest.raises(ValueError, match="new, flagged, ok"):
        qalog.set_review(first, "bad")
    with pytest.raises(LogError):
        qalog.set_review(999, "ok")

    # What Brenda answered but was not sure of, for the team lead beside what she refused.
    unsure = make_answer("fourth")
    unsure.tentative = True
    fourth = qalog.record(unsure)
    assert [r["id"] for r in qalog.exchanges(tentative=True)] == [fourth]
    assert qalog.exchanges()[0]["tentative"] and not qalog.exchanges()[1]["tentative"]


# --- retention ----------------------------------------------------------------------------------

def test_purge_removes_old_exchanges_and_everything_linked(qalog: QALog) -> None:
    old, recent = qalog.record(make_answer("old")), qalog.record(make_answer("recent"))
    for exchange_id in (old, recent):
        assert exchange_id is not None
        qalog.add_feedback(exchange_id, helpful=False, reason="x")
        qalog.hand_off(exchange_id, note="y")
    ex = qalog.t["exchanges"]
    with qalog.engine.begin() as conn:
        conn.execute(ex.update().where(ex.c.id == old).values(
            created_at=datetime.now(UTC) - timedelta(days=400)))

    assert qalog.purge(365) == 1
    assert [r["id"] for r in qalog.exchanges()] == [recent]
    for table in ("citations", "feedback", "handoffs"):
        assert count(qalog, table, exchange_id=old) == 0
        assert count(qalog, table, exchange_id=recent) > 0
    assert qalog.purge(365) == 0
    with pytest.raises(ValueError):
        qalog.purge(-1)


# --- failures never cost an answer --------------------------------------------------------------

def test_record_failure_returns_none_and_logs(qalog: QALog, caplog) -> None:
    with qalog.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE citations"))
    start = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="askbrenda.log"):
        assert qalog.record(make_answer()) is None
    assert time.monotonic() - start < 5
    [message] = [r for r in caplog.records if r.name == "askbrenda.log"]
    assert message.levelno == logging.ERROR
    assert "ASKBRENDA_DB_URL" in message.getMessage()
    assert "respite" not in message.getMessage()  # values are kept out of the log
    assert count(qalog, "exchanges") == 0  # exchange and citations are one transaction


def test_record_when_the_sqlite_folder_vanishes(tmp_path, caplog) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    log = QALog(f"sqlite:///{folder / 'log.db'}")
    log.close()  # drop pooled connections so the next write must open the file again
    shutil.rmtree(folder)
    start = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="askbrenda.log"):
        assert log.record(make_answer()) is None
    assert time.monotonic() - start < 5
    assert any(r.levelno == logging.ERROR and "Check" in r.getMessage() for r in caplog.records)


def test_unreachable_postgres_fails_fast_with_a_helpful_error() -> None:
    url = f"postgresql+psycopg://brenda:secret@127.0.0.1:{closed_port()}/askbrenda"
    start = time.monotonic()
    with pytest.raises(LogError, match="ASKBRENDA_DB_URL") as info:
        QALog(url)
    assert time.monotonic() - start < 5
    assert "secret" not in str(info.value)


def test_from_settings_creates_the_data_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASKBRENDA_DB_URL", raising=False)
    settings = Settings(data_dir=tmp_path / "new" / "data")
    log = QALog.from_settings(settings)
    try:
        assert (tmp_path / "new" / "data" / "askbrenda.db").is_file()
        assert log.schema_version() == LAST
    finally:
        log.close()


# --- parse_age ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "days"), [
    ("365d", 365), ("12w", 84), ("6m", 180), ("1y", 365), ("2Y", 730), ("30", 30), (" 7 d ", 7)])
def test_parse_age(text: str, days: int) -> None:
    assert parse_age(text) == days


@pytest.mark.parametrize("text", ["", "d", "1.5y", "-3d", "10x", "0d", "a year"])
def test_parse_age_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="age"):
        parse_age(text)
