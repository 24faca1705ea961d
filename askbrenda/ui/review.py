"""The Log page, for team leads: recent exchanges (redacted), flags, open hand-offs.

Read-only tables (shown as text by st.dataframe) and a few buttons that write review state.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import streamlit as st

from askbrenda.ui import resources

logger = logging.getLogger("askbrenda.ui")

SHOW = {"All": {}, "Not answered (refused)": {"refused": True}, "Flagged": {"flagged": True}}


def _local(ts: Any) -> str:
    if not isinstance(ts, dt.datetime):
        return str(ts or "")
    try:
        from zoneinfo import ZoneInfo

        ts = ts.astimezone(ZoneInfo("Europe/London"))
    except Exception:  # noqa: BLE001 - no tz database: show UTC
        pass
    return ts.strftime("%d %b %H:%M")


def page() -> None:
    """The Log page."""
    st.subheader("Log")
    st.caption("Questions are stored with names, addresses and other identifiers removed.")
    log = resources.qalog()
    if log is None:
        st.error("The team's log cannot be opened right now. Ask your administrator to check "
                 "the database.", icon=":material/error:")
        return
    try:
        _handoffs(log)
        _exchanges(log)
    except Exception as exc:  # noqa: BLE001 - a message, not a traceback
        logger.exception("Log page failed")
        st.error(f"The log could not be read ({exc.__class__.__name__}). Try again; if it keeps "
                 "happening, ask your administrator.", icon=":material/error:")


def _handoffs(log: Any) -> None:
    st.markdown("#### Open hand-offs")
    rows = log.open_handoffs()
    if not rows:
        st.caption("No one is waiting for a specialist.")
        return
    st.dataframe([{"Hand-off": r["id"], "Exchange": r["exchange_id"],
                   "When": _local(r["created_at"]), "Who": r["user_id"],
                   "Question": r["question"], "Note": r["note"]} for r in rows],
                 hide_index=True)
    options = {f"#{r['id']}: {r['question'][:60]}": r["id"] for r in rows}
    choice = st.selectbox("Hand-off", list(options), key="handoff-choice")
    if st.button("Mark answered", key="resolve-handoff") and choice:
        try:
            log.resolve_handoff(options[choice])
        except Exception as exc:  # noqa: BLE001
            st.error(f"Could not update the hand-off: {exc.__class__.__name__}.")
        else:
            st.rerun()


def _exchanges(log: Any) -> None:
    st.markdown("#### Recent questions")
    show = st.radio("Show", list(SHOW), horizontal=True, key="log-filter")
    rows = log.exchanges(limit=100, **SHOW[show])
    if not rows:
        st.caption("Nothing here yet.")
        return
    st.dataframe([{
        "#": r["id"], "When": _local(r["created_at"]), "Who": r["user_id"], "Role": r["role"],
        "Question": r["question"], "Answer": r["answer"][:300],
        "Refused": r["refused"], "Safeguarding": r["safeguarding"],
        "Confidence": round(float(r["confidence"]), 2),
        "Helpful": r["helpful"], "Not helpful": r["not_helpful"], "Review": r["review_status"],
        "Sources": ", ".join(f"[{c['n']}] {c['source']}" for c in r["citations"]),
    } for r in rows], hide_index=True)
    options = {f"#{r['id']}: {r['question'][:60]}": r["id"] for r in rows}
    choice = st.selectbox("Exchange", list(options), key="review-choice")
    note = st.text_input("Note (optional)", key="review-note", max_chars=500)
    row = st.container(horizontal=True)
    for label, status in (("Flag", "flagged"), ("Mark OK", "ok")):
        if row.button(label, key=f"review-{status}") and choice:
            try:
                log.set_review(options[choice], status, note)
            except Exception as exc:  # noqa: BLE001
                st.error(f"Could not save the review: {exc.__class__.__name__}.")
            else:
                st.rerun()
