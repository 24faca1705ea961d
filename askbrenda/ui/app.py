"""Entry point of the Streamlit app: page config, who is asking, role-based navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from askbrenda.ui import render

ROLES = ("Practitioner", "Team lead")
PAGES = Path(__file__).resolve().parent / "pages"


def main() -> None:
    # No page_icon (nor st.Page icons, which become the favicon): a :material/: or emoji favicon
    # is fetched from a CDN; the default one is bundled.
    st.set_page_config(page_title="Ask Brenda", layout="centered",
                       initial_sidebar_state="collapsed")
    st.html(render.CSS)
    user = st.session_state.get("user")
    if not user:
        sign_in()
        return
    pages = [st.Page(PAGES / "chat_page.py", title="Chat",
                     url_path="chat", default=True)]
    if user["role"] == "Team lead":
        pages.append(st.Page(PAGES / "log_page.py", title="Log",
                             url_path="log"))
    with st.sidebar:
        st.caption(f"Signed in as {render.md_escape(user['id'])} ({user['role']})")
        st.button("Switch user", on_click=sign_out, key="sign-out")
    st.navigation(pages, position="top" if len(pages) > 1 else "hidden").run()


def sign_in() -> None:
    """Who is asking: a name or staff ID and a role, kept for this browser session."""
    st.title("Ask Brenda")
    st.markdown("Practice guidance for the team, quoted with its sources.")
    with st.form("who"):
        name = st.text_input("Your name or staff ID", max_chars=100)
        role = st.radio("Your role", ROLES, horizontal=True)
        go = st.form_submit_button("Start", type="primary", use_container_width=True)
    st.caption("There is no password: this is not a security check. Your name only labels your "
               "questions in the team's log so your team lead can follow up.")
    if go:
        if not name.strip():
            st.error("Enter your name or staff ID.")
            return
        st.session_state.user = {"id": name.strip(), "role": role or ROLES[0]}
        st.rerun()


def sign_out() -> None:
    for key in ("user", "messages", "conversation_id", "log_notice_shown"):
        st.session_state.pop(key, None)
