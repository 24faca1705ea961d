"""The Q&A log: every exchange (redacted), the passages it cited, feedback, hand-offs, review state.

SQLite by default, PostgreSQL when ``ASKBRENDA_DB_URL`` says so. The schema is built by the
append-only migrations in :mod:`askbrenda.schema`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from askbrenda.errors import LogError
from askbrenda.models import Answer
from askbrenda.redact import redact
from askbrenda.schema import TABLES, _begin_write, _now, make_engine, migrate

logger = logging.getLogger("askbrenda.log")

REVIEW_STATUSES = ("new", "flagged", "ok")
def parse_age(text: str) -> int:
    """Days in an age: ``365d``, ``12w``, ``6m`` (30 days each), ``1y``; a bare number is days."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.lower())
    if not match:
        raise ValueError(f"Cannot read the age {text!r}: use a number and a unit, e.g. 365d, 12w, "
                         "6m or 1y (d = days, w = weeks, m = 30 days, y = 365 days).")
    days = int(match[1]) * {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}[match[2]]
    if days < 1:
        raise ValueError(f"The age {text!r} is zero: give at least 1 day.")
    return days


class QALog:
    """The Q&A log of one database."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self.where = sa.make_url(url).render_as_string(hide_password=True)
        try:
            migrate(self.engine)
            # The schema is what the migrations built; reflecting it avoids a second copy to drift.
            md = sa.MetaData()
            md.reflect(self.engine, only=list(TABLES))
        except Exception as e:
            self.engine.dispose()
            raise LogError(
                f"Cannot open the Q&A log at {self.where}: {e.__class__.__name__}: {e}. "
                "Check ASKBRENDA_DB_URL (or that the data folder is writable) and that the "
                "database server is running."
            ) from e
        self.t = md.tables

    @classmethod
    def from_settings(cls, settings: Any) -> QALog:
        """The log at ``settings.database_url``, creating the folder of a SQLite file if needed."""
        url = sa.make_url(settings.database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        return cls(settings.database_url)

    def close(self) -> None:
        self.engine.dispose()

    def schema_version(self) -> str:
        """Name of the last migration applied."""
        m = self.t["migrations"]
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(m.c.name).order_by(m.c.id.desc()).limit(1)) or ""

    def record(self, answer: Answer, *, user_id: str = "", role: str = "",
               conversation_id: str = "", channel: str = "app") -> int | None:
        """Store one exchange and its citations; return its id, or None if the log failed.

        Never raises: a broken log must not cost a practitioner their answer.
        """
        started = time.monotonic()
        try:
            ex, cit = self.t["exchanges"], self.t["citations"]
            row = {
                "created_at": _now(), "user_id": user_id, "role": role,
                "conversation_id": conversation_id, "channel": channel,
                # Redacted here, not by callers, so none can forget; the original is never kept.
                "question": redact(answer.question), "answer": redact(answer.answer),
                "refused": bool(answer.refused), "confidence": float(answer.confidence),
                "safeguarding": bool(answer.safeguarding), "tentative": bool(answer.tentative),
                "latency_ms": round(answer.latency_ms), "mode": answer.mode,
            }
            with _begin_write(self.engine) as conn:
                key = conn.execute(ex.insert().values(row)).inserted_primary_key
                exchange_id = key[0] if key else None
                if exchange_id is None:
                    raise LogError("The database did not return the new exchange's id.")
                if answer.citations:
                    conn.execute(cit.insert(), [
                        {"exchange_id": exchange_id, "n": c.n, "source": c.source,
                         "section": c.section, "page": c.page, "score": float(c.score)}
                        for c in answer.citations])
            return int(exchange_id)
        except Exception as e:  # noqa: BLE001 - by design: log and carry on
            logger.error(
                "Could not write to the Q&A log at %s after %.1fs (%s: %s). The answer was still "
                "given. Check ASKBRENDA_DB_URL and that the database is reachable and writable.",
                self.where, time.monotonic() - started, e.__class__.__name__, e)
            logger.debug("Q&A log write failure", exc_info=True)
            return None

    def add_feedback(self, exchange_id: int, helpful: bool, reason: str = "",
                     user_id: str = "") -> None:
        """Record a thumbs up or down on an exchange (the reason is redacted)."""
        with self._writing(exchange_id, "save the feedback") as conn:
            conn.execute(self.t["feedback"].insert().values(
                exchange_id=exchange_id, created_at=_now(), helpful=bool(helpful),
                reason=redact(reason), user_id=user_id))

    def hand_off(self, exchange_id: int, note: str = "", user_id: str = "") -> None:
        """Ask a person to answer this exchange (the note is redacted)."""
        with self._writing(exchange_id, "save the hand-off") as conn:
            conn.execute(self.t["handoffs"].insert().values(
                exchange_id=exchange_id, created_at=_now(), note=redact(note),
                user_id=user_id, status="open"))

    def resolve_handoff(self, handoff_id: int) -> None:
        """Mark a hand-off answered, so it leaves the open list."""
        h = self.t["handoffs"]
        with self._writing(None, "update the hand-off") as conn:
            if not conn.execute(h.update().where(h.c.id == handoff_id).values(
                    status="answered")).rowcount:
                raise LogError(f"There is no hand-off {handoff_id} in the Q&A log.")

    def set_review(self, exchange_id: int, status: str, note: str = "") -> None:
        """Set the team lead's review state of an exchange: new, flagged or ok."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"Review status must be one of {', '.join(REVIEW_STATUSES)}.")
        ex = self.t["exchanges"]
        with self._writing(exchange_id, "save the review") as conn:
            conn.execute(ex.update().where(ex.c.id == exchange_id).values(
                review_status=status, review_note=redact(note)))

    def purge(self, older_than_days: int) -> int:
        """Delete exchanges older than ``older_than_days`` and all linked rows; return how many."""
        if older_than_days < 0:
            raise ValueError("older_than_days cannot be negative.")
        ex = self.t["exchanges"]
        old = sa.select(ex.c.id).where(
            ex.c.created_at < _now() - timedelta(days=older_than_days))
        with self._writing(None, "purge old exchanges") as conn:
            # Explicit deletes, not only ON DELETE CASCADE, which SQLite enforces only when
            # foreign keys are switched on for the connection (make_engine does; others may not).
            for name in ("citations", "feedback", "handoffs"):
                t = self.t[name]
                conn.execute(t.delete().where(t.c.exchange_id.in_(old)))
            return conn.execute(ex.delete().where(ex.c.id.in_(old))).rowcount

    def exchanges(self, *, limit: int = 100, refused: bool | None = None,
                  flagged: bool | None = None, tentative: bool | None = None
                  ) -> list[dict[str, Any]]:
        """Newest exchanges first, each with its citations and feedback counts."""
        ex, cit, fb = self.t["exchanges"], self.t["citations"], self.t["feedback"]
        query = sa.select(ex).order_by(ex.c.created_at.desc(), ex.c.id.desc()).limit(limit)
        if refused is not None:
            query = query.where(ex.c.refused == refused)
        if tentative is not None:
            query = query.where(ex.c.tentative == tentative)
        if flagged is not None:
            is_flagged = ex.c.review_status == "flagged"
            query = query.where(is_flagged if flagged else ~is_flagged)
        with self.engine.connect() as conn:
            rows = [_row(r) for r in conn.execute(query).mappings()]
            ids = [r["id"] for r in rows]
            by_id = {r["id"]: r | {"citations": [], "helpful": 0, "not_helpful": 0} for r in rows}
            for c in conn.execute(sa.select(cit).where(cit.c.exchange_id.in_(ids))
                                  .order_by(cit.c.exchange_id, cit.c.n)).mappings():
                by_id[c["exchange_id"]]["citations"].append(
                    {k: v for k, v in c.items() if k not in ("id", "exchange_id")})
            for exchange_id, helpful, count in conn.execute(
                    sa.select(fb.c.exchange_id, fb.c.helpful, sa.func.count())
                    .where(fb.c.exchange_id.in_(ids)).group_by(fb.c.exchange_id, fb.c.helpful)):
                by_id[exchange_id]["helpful" if helpful else "not_helpful"] += count
        return list(by_id.values())

    def open_handoffs(self) -> list[dict[str, Any]]:
        """Hand-offs still waiting for a person, oldest first, with the exchange's question."""
        h, ex = self.t["handoffs"], self.t["exchanges"]
        query = (sa.select(h, ex.c.question, ex.c.answer)
                 .join(ex, ex.c.id == h.c.exchange_id)
                 .where(h.c.status == "open").order_by(h.c.created_at, h.c.id))
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query).mappings()]

    @contextmanager
    def _writing(self, exchange_id: int | None, what: str) -> Iterator[Connection]:
        """A transaction whose database errors become a LogError that says what to check."""
        try:
            with _begin_write(self.engine) as conn:
                if exchange_id is not None:
                    ex = self.t["exchanges"]
                    if conn.scalar(sa.select(ex.c.id).where(ex.c.id == exchange_id)) is None:
                        raise LogError(f"Cannot {what}: there is no exchange {exchange_id}.")
                yield conn
        except sa.exc.SQLAlchemyError as e:
            raise LogError(
                f"Cannot {what} in the Q&A log at {self.where} ({e.__class__.__name__}: {e}). "
                "Check ASKBRENDA_DB_URL and that the database is writable.") from e


def _row(mapping: Any) -> dict[str, Any]:
    """A result row as a dict; SQLite hands back naive datetimes, which we stored as UTC."""
    row = dict(mapping)
    for key, value in row.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            row[key] = value.replace(tzinfo=UTC)
    return row
