"""The Q&A log's schema: append-only migrations (``@migration def m00N_...``), each applied
together with its record in one transaction, and the engine they run on. Never edit a released
migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

TABLES = ("migrations", "exchanges", "citations", "feedback", "handoffs")

Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration; its name is its record in the ``migrations`` table."""
    MIGRATIONS.append(fn)
    return fn


# Each migration declares its tables in its own MetaData: they describe the schema as it was then.
@migration
def m001_initial(conn: Connection) -> None:
    md = sa.MetaData()
    sa.Table(
        "exchanges", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("role", sa.String(100), nullable=False),
        sa.Column("conversation_id", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("question", sa.Text, nullable=False),  # redacted
        sa.Column("answer", sa.Text, nullable=False),  # redacted
        sa.Column("refused", sa.Boolean, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("safeguarding", sa.Boolean, nullable=False),
        sa.Column("latency_ms", sa.Integer, nullable=False),
        sa.Column("mode", sa.String(40), nullable=False),
    )
    sa.Table(
        "citations", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("exchange_id", sa.Integer,
                  sa.ForeignKey("exchanges.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("page", sa.Integer, nullable=True),
        sa.Column("score", sa.Float, nullable=False),
    )
    md.create_all(conn)


@migration
def m002_feedback_handoffs(conn: Connection) -> None:
    md = sa.MetaData()
    sa.Table("exchanges", md, sa.Column("id", sa.Integer, primary_key=True))  # FK target only

    def linked(name: str, *columns: sa.Column[Any]) -> sa.Table:
        return sa.Table(
            name, md,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("exchange_id", sa.Integer, sa.ForeignKey("exchanges.id", ondelete="CASCADE"),
                      nullable=False, index=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("user_id", sa.String(200), nullable=False),
            *columns,
        )

    feedback = linked("feedback", sa.Column("helpful", sa.Boolean, nullable=False),
                      sa.Column("reason", sa.Text, nullable=False))  # redacted
    handoffs = linked("handoffs", sa.Column("note", sa.Text, nullable=False),  # redacted
                      sa.Column("status", sa.String(20), nullable=False))  # open / answered
    md.create_all(conn, tables=[feedback, handoffs])


@migration
def m003_review_state(conn: Connection) -> None:
    # Plain ALTER TABLE ... ADD COLUMN with a default: the same SQL works on SQLite and PostgreSQL.
    conn.execute(sa.text(
        "ALTER TABLE exchanges ADD COLUMN review_status VARCHAR(20) DEFAULT 'new' NOT NULL"))
    conn.execute(sa.text("ALTER TABLE exchanges ADD COLUMN review_note TEXT DEFAULT '' NOT NULL"))


@migration
def m004_tentative(conn: Connection) -> None:
    # An answer close to the refusal threshold (answer.TENTATIVE_NOTE): the team lead's list of
    # what Brenda was unsure of, beside what she refused.
    conn.execute(sa.text(
        "ALTER TABLE exchanges ADD COLUMN tentative BOOLEAN DEFAULT FALSE NOT NULL"))


_migrations_table = sa.Table(
    "migrations", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def migrate(engine: Engine, upto: str | None = None) -> list[str]:
    """Apply pending migrations in order, stopping after ``upto`` if given; return those applied."""
    names = [m.__name__ for m in MIGRATIONS]
    if upto is not None and upto not in names:
        raise ValueError(f"Unknown migration {upto!r}; known: {', '.join(names)}")
    m, applied = _migrations_table, []
    with _begin_write(engine, migrating=True) as conn:
        m.create(conn, checkfirst=True)
    for fn in MIGRATIONS:
        # The migration and its record commit (or fail) together. Checking inside the locked
        # transaction lets several processes start at once: one migrates, the others skip.
        with _begin_write(engine, migrating=True) as conn:
            if conn.scalar(sa.select(m.c.id).where(m.c.name == fn.__name__)) is None:
                fn(conn)
                conn.execute(m.insert().values(name=fn.__name__, applied_at=_now()))
                applied.append(fn.__name__)
        if fn.__name__ == upto:
            break
    return applied


@contextmanager
def _begin_write(engine: Engine, migrating: bool = False) -> Iterator[Connection]:
    """A write transaction: SQLite takes its write lock at BEGIN (see make_engine); migrations on
    PostgreSQL take an advisory lock, so concurrent migrators queue instead of colliding."""
    with engine.execution_options(write=True).begin() as conn:
        if migrating and conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7474)"))  # released at commit
        yield conn


def make_engine(url: str) -> Engine:
    """An engine that fails fast on an unreachable server and keeps values out of error messages."""
    backend = sa.make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(url, hide_parameters=True, connect_args={"timeout": 5})

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # pysqlite commits DDL outside transactions by default; take over BEGIN so a migration
            # and its record are truly atomic, and switch on foreign keys (for ON DELETE CASCADE).
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA foreign_keys = ON")

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Writers lock at BEGIN IMMEDIATE: a deferred read-then-write transaction can deadlock
            # with another writer and fail at once instead of waiting for the busy timeout.
            write = conn.get_execution_options().get("write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    connect_args = {"connect_timeout": 3} if backend == "postgresql" else {}
    return sa.create_engine(
        url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args)


def _now() -> datetime:
    return datetime.now(UTC)

