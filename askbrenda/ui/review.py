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

SHOW = {"All": {}, "Not answered (refused)": {"refused": True},
        "Answered, not sure": {"tentative": True}, "Flagged": {"flagged": True}}
# How answer.safeguarding_text() starts the escalation block put before a safeguarding answer.
SAFEGUARDING_HEADER = "POSSIBLE SAFEGUARDING CONCERN"
STEPS_ONLY = "(safeguarding steps only)"


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


def _answer_text(row: dict[str, Any]) -> str:
    """The logged answer without the safeguarding steps put before it, cut to 300 characters.

    The log keeps only the whole (redacted) text: the steps block of ``safeguarding_text()``,
    a blank line, then the answer. The block ends with its "Who to call:" list when it has one
    (the quoted steps above it may hold blank lines), else at its first blank line.
    """
    text = row.get("answer") or ""
    if row.get("safeguarding") and text.startswith(SAFEGUARDING_HEADER):
        who = text.find("\nWho to call:\n")
        end = text.find("\n\n", max(who, 0))
        text = text[end:].strip() if end >= 0 else ""
        if not text:
            return STEPS_ONLY
    return text[:300]


def _save_review(log: Any, options: dict[str, int], status: str) -> None:
    """Button callback: save the review, then clear the note so it is not reused for the next one.

    It runs before the page is drawn again, so the note's widget may still be reset; an error is
    kept for the page to show under the buttons.
    """
    choice = st.session_state.get("review-choice")
    if choice not in options:
        return
    try:
        log.set_review(options[choice], status, st.session_state.get("review-note", ""))
    except Exception as exc:  # noqa: BLE001
        logger.warning("Could not save the review", exc_info=True)
        st.session_state["review-error"] = f"Could not save the review: {exc.__class__.__name__}."
    else:
        st.session_state["review-note"] = ""


def _exchanges(log: Any) -> None:
    st.markdown("#### Recent questions")
    show = st.radio("Show", list(SHOW), horizontal=True, key="log-filter")
    rows = log.exchanges(limit=100, **SHOW[show])
    error = st.session_state.pop("review-error", None)  # set by _save_review before this run
    if not rows:
        st.caption("Nothing here yet.")
        if error:
            st.error(error)
        return
    st.dataframe([{
        "#": r["id"], "When": _local(r["created_at"]), "Who": r["user_id"], "Role": r["role"],
        "Question": r["question"], "Answer": _answer_text(r),
        "Refused": r["refused"], "Not sure": r["tentative"], "Safeguarding": r["safeguarding"],
        "Confidence": round(float(r["confidence"]), 2),
        "Helpful": r["helpful"], "Not helpful": r["not_helpful"], "Review": r["review_status"],
        "Note": r.get("review_note") or "",
        "Sources": ", ".join(f"[{c['n']}] {c['source']}" for c in r["citations"]),
    } for r in rows], hide_index=True)
    options = {f"#{r['id']}: {r['question'][:60]}": r["id"] for r in rows}
    st.selectbox("Exchange", list(options), key="review-choice")
    st.text_input("Note (optional)", key="review-note", max_chars=500)
    row = st.container(horizontal=True)
    for label, status in (("Flag", "flagged"), ("Mark OK", "ok")):
        row.button(label, key=f"review-{status}", on_click=_save_review,
                   args=(log, options, status))
    if error:
        st.error(error)
