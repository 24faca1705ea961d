"""The Chat page: the Streamlit chat idiom over :func:`askbrenda.answer.ask`.

Messages live in ``st.session_state.messages`` (this session only). Each assistant message keeps
the Answer and the id of its row in the Q&A log, so feedback and hand-offs link to it.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import streamlit as st

from askbrenda.answer import TENTATIVE_NOTE, ask
from askbrenda.models import Answer
from askbrenda.ui import render, resources

logger = logging.getLogger("askbrenda.ui")

PLACEHOLDER = "Ask about equipment, adaptations, procedures\u2026"
FEEDBACK_FAILED = "Your feedback could not be saved; tell your team lead."
LOG_DOWN = ("The team's log is not available right now, so this conversation is not being "
            "saved. Answers still work; please tell your team lead.")
ANSWER_FAILED = ("Something went wrong while answering. Try again; if it keeps happening, "
                 "tell your team lead.")


def _state() -> Any:
    ss = st.session_state
    if "messages" not in ss:
        ss.messages = []
    if "conversation_id" not in ss:
        ss.conversation_id = str(uuid.uuid4())
    return ss


def new_conversation() -> None:
    st.session_state.messages = []
    st.session_state.conversation_id = str(uuid.uuid4())


def page() -> None:
    """The Chat page."""
    ss = _state()
    top = st.container(horizontal=True, vertical_alignment="center")
    top.markdown("**Ask Brenda** \u00b7 answers quoted from the team's guidance")
    new_slot = top.empty()  # filled last, once this run's question is in the history

    ready = True
    try:
        with st.spinner("Loading the guidance (first time only)\u2026", show_time=True):
            index = resources.load_index()
    except Exception as exc:  # noqa: BLE001 - shown as a message that says what to do
        logger.error("Cannot load the index: %s", exc, exc_info=not hasattr(exc, "exit_code"))
        st.error(resources.index_error_message(exc), icon=":material/error:")
        ready, index = False, None

    if index is not None and index.stale:
        st.warning(resources.STALE_NOTICE, icon=":material/update:")
    if not ss.messages and ready:
        st.caption("Type a question as you would ask a colleague, e.g. \u201chow long for a "
                   "DFG?\u201d or \u201cmax weight for a bath lift\u201d. Please leave out names "
                   "and addresses.")

    for i, msg in enumerate(ss.messages):
        _show(i, msg)

    question = st.chat_input(PLACEHOLDER, disabled=not ready, max_chars=2000)
    if question and question.strip() and index is not None:
        _answer(question.strip(), index)
    new_slot.button("New conversation", icon=":material/add_comment:", on_click=new_conversation,
                    key="new-conversation", disabled=not ss.messages)


def _answer(question: str, index: Any) -> None:
    ss = st.session_state
    history = [m["content"] for m in ss.messages if m["role"] == "user"]
    ss.messages.append({"role": "user", "content": question})
    _show(len(ss.messages) - 1, ss.messages[-1])
    msg: dict[str, Any] = {"role": "assistant", "answer": None, "exchange_id": None}
    with st.chat_message("assistant"):
        with st.spinner("Looking in the guidance\u2026"):
            try:
                answer = ask(question, history=history, settings=resources.settings(),
                             index=index)
            except Exception:  # noqa: BLE001 - never a traceback in front of a practitioner
                logger.exception("ask() failed")
                msg["error"] = ANSWER_FAILED
            else:
                msg["answer"] = answer
                msg["exchange_id"] = _record(answer)
                if msg["exchange_id"] is None and not ss.get("log_notice_shown"):
                    ss.log_notice_shown = True
                    msg["notice"] = LOG_DOWN
        ss.messages.append(msg)
        _assistant(len(ss.messages) - 1, msg)


def _record(answer: Answer) -> int | None:
    log = resources.qalog()
    if log is None:
        return None
    user = st.session_state.get("user") or {}
    return log.record(answer, user_id=user.get("id", ""), role=user.get("role", ""),
                      conversation_id=st.session_state.conversation_id, channel="app")


def _show(i: int, msg: dict[str, Any]) -> None:
    if msg["role"] == "user":
        with st.chat_message("user"):
            st.html(f'<p class="ab-q">{render.e(msg["content"])}</p>')
    else:
        with st.chat_message("assistant"):
            _assistant(i, msg)


def _assistant(i: int, msg: dict[str, Any]) -> None:
    if msg.get("error"):
        st.error(msg["error"], icon=":material/error:")
        return
    show_answer(msg["answer"])
    if msg.get("notice"):
        st.caption(msg["notice"])
    _feedback(i, msg)


def show_answer(answer: Answer) -> None:
    """Safeguarding first; then the answer (or the not-covered card); warnings; sources."""
    if answer.safeguarding:
        st.html(render.safeguarding_html(answer))
    _, text = render.split_answer(answer)
    if answer.refused:
        st.html(render.refusal_html(answer))
    else:
        if text:
            st.html(render.answer_html(text))
        if answer.tentative:
            st.info(TENTATIVE_NOTE, icon=":material/help:")
        for w in answer.warnings:
            st.warning(render.review_text(w), icon=":material/event_busy:")
        quotes = render.quotes_by_citation(text)
        markers = render.markers(answer.answer)
        cited = [c for c in answer.citations if c.n in markers]
        others = [c for c in answer.citations if c.n not in markers]
        for c in cited:
            with st.expander(render.citation_label(c)):
                st.html(render.citation_html(c, quotes.get(c.n, [])))
        if others:
            st.caption("Other passages that may help" if cited else "Passages")
        for c in others:
            with st.expander(render.citation_label(c)):
                st.html(render.citation_html(c, []))
    st.caption(render.meta_caption(answer))


def _feedback(i: int, msg: dict[str, Any]) -> None:
    """Helpful / not helpful (with an optional reason) and "Ask a specialist"."""
    key = f"{st.session_state.conversation_id}-{i}"
    state, handoff = msg.get("feedback"), msg.get("handoff")
    if state is None or handoff is None:
        row = st.container(horizontal=True, gap="small")
        if state is None:
            row.button("Helpful", icon=":material/thumb_up:", key=f"up-{key}",
                       on_click=_save_feedback, args=(msg, True, None))
            row.button("Not helpful", icon=":material/thumb_down:", key=f"down-{key}",
                       on_click=_set, args=(msg, "feedback", "reason"))
        if handoff is None:
            row.button("Ask a specialist", icon=":material/support_agent:", key=f"ask-{key}",
                       on_click=_hand_off, args=(msg,))
    if state == "reason":
        st.text_input("What was wrong or missing? (optional)", key=f"reason-{key}",
                      max_chars=1000, placeholder="No names or addresses, please")
        st.button("Send feedback", key=f"send-{key}", type="primary",
                  on_click=_save_feedback, args=(msg, False, f"reason-{key}"))
    elif state == "saved":
        st.success("Thanks: your feedback was saved.", icon=":material/check_circle:")
    elif state == "failed":
        st.error(FEEDBACK_FAILED, icon=":material/error:")
    if handoff == "sent":
        st.success("Sent to a specialist: your team lead will see it in the log and follow up.",
                   icon=":material/check_circle:")
    elif handoff == "failed":
        st.error("Your request could not be saved; tell your team lead.", icon=":material/error:")


def _set(msg: dict[str, Any], field: str, value: str) -> None:
    msg[field] = value


def _user_id() -> str:
    return (st.session_state.get("user") or {}).get("id", "")


def _save_feedback(msg: dict[str, Any], helpful: bool, reason_key: str | None) -> None:
    reason = str(st.session_state.get(reason_key, "") or "") if reason_key else ""
    msg["feedback"] = "failed"
    log = resources.qalog()
    if log is None or msg.get("exchange_id") is None:
        return
    try:
        log.add_feedback(msg["exchange_id"], helpful, reason=reason.strip(), user_id=_user_id())
    except Exception as exc:  # noqa: BLE001 - never crash over feedback (LogError or worse)
        logger.error("Could not save feedback: %s", exc)
        return
    msg["feedback"] = "saved"


def _hand_off(msg: dict[str, Any]) -> None:
    msg["handoff"] = "failed"
    log = resources.qalog()
    if log is None or msg.get("exchange_id") is None:
        return
    try:
        log.hand_off(msg["exchange_id"], note="Asked from the chat", user_id=_user_id())
    except Exception as exc:  # noqa: BLE001 - never crash over a hand-off (LogError or worse)
        logger.error("Could not save the hand-off: %s", exc)
        return
    msg["handoff"] = "sent"
