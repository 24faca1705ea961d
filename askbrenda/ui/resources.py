"""The per-process things every session shares: the index and the Q&A log.

Neither loader takes user text, so nothing a user types can end up in a shared cache.
"""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from askbrenda.config import Settings, get_settings
from askbrenda.errors import AskBrendaError, StoreError
from askbrenda.log import QALog
from askbrenda.retrieve import Index, get_index
from askbrenda.store import load_manifest

logger = logging.getLogger("askbrenda.ui")

INDEX_MISSING = ("The guidance index is not built yet: ask your administrator to run "
                 "`python ingest.py`.")
STALE_NOTICE = ("The guidance index is out of date after an upgrade: answers may quote older "
                "text. Ask your administrator to run `python ingest.py`.")
RETRY_LOG_AFTER_S = 60.0


class IndexMissing(StoreError):
    """No index has been built at the configured store."""


def settings() -> Settings:
    return get_settings()


def load_index() -> Index:
    """The process-wide Index (``askbrenda.retrieve.get_index``), loading it on first use.

    ``get_index`` is already one Index per process, and it reloads after an ingest commits a new
    index; wrapping it in ``st.cache_resource`` as well would pin a stale one.
    """
    s = settings()
    if not load_manifest(s.store_path).docs:
        raise IndexMissing(INDEX_MISSING)
    return get_index(s)


def index_error_message(exc: Exception) -> str:
    """What to tell a practitioner when the guidance cannot be opened (Markdown)."""
    if isinstance(exc, IndexMissing):
        return INDEX_MISSING
    if isinstance(exc, AskBrendaError):
        return ("Ask Brenda cannot open the guidance right now. Tell your administrator: "
                + str(exc).replace("`", "'"))
    return ("Ask Brenda cannot open the guidance right now. Try again in a minute; if it keeps "
            "happening, tell your administrator.")


class LogHolder:
    """Opens the Q&A log lazily; after a failure, tries again at most once a minute."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self._settings = settings
        self._log: QALog | None = None
        self._failed_at: float | None = None
        self.error = ""
        self._lock = threading.Lock()

    def get(self) -> QALog | None:
        with self._lock:
            due = (self._failed_at is None
                   or time.monotonic() - self._failed_at >= RETRY_LOG_AFTER_S)
            if self._log is None and due:
                try:
                    self._log = QALog.from_settings(self._settings)
                    self.error = ""
                except Exception as exc:  # noqa: BLE001 - answers must go on without the log
                    self._failed_at = time.monotonic()
                    self.error = str(exc)
                    logger.error("Q&A log unavailable: %s", exc)
            return self._log


@st.cache_resource(show_spinner=False)
def _log_holder(url: str) -> LogHolder:
    return LogHolder(url, settings())


def log_holder() -> LogHolder:
    """The one LogHolder per process and database URL."""
    s = settings()
    return _log_holder(s.database_url)


def qalog() -> QALog | None:
    """The Q&A log, or None while it cannot be opened."""
    return log_holder().get()
