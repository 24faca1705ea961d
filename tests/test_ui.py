"""The Streamlit app, driven by AppTest over a temp index of the repo's knowledge/ folder."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from askbrenda.config import Settings, get_settings
from askbrenda.log import QALog
from askbrenda.models import Answer, Citation
from askbrenda.store import load_manifest, save_manifest
from askbrenda.ui import chat, render
from tests.conftest import REPO

APP = str(REPO / "app.py")
TIMEOUT = 60


@pytest.fixture(scope="session")
def ui_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's knowledge/ folder, ingested once into a temp store."""
    from askbrenda import ingest

    store = tmp_path_factory.mktemp("ui-store")
    settings = Settings(knowledge_dir=REPO / "knowledge", store_dir=store,
                        data_dir=tmp_path_factory.mktemp("ui-data"))
    report = ingest.run(settings, progress=False)
    assert not report.failed
    return store


@pytest.fixture
def env(ui_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the app at the temp store and a fresh Q&A log in tmp_path."""
    monkeypatch.setenv("ASKBRENDA_KNOWLEDGE_DIR", str(REPO / "knowledge"))
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(ui_store))
    monkeypatch.setenv("ASKBRENDA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    return get_settings()


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def signed_in(role: str = "Practitioner", name: str = "Sam OT") -> AppTest:
    at = app().run()
    at.text_input[0].input(name)
    at.radio[0].set_value(role)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["user"] == {"id": name, "role": role}
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def walk(node: Any) -> Iterator[Any]:
    """Every element and block under ``node``, in page order."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for _, child in sorted(children.items()):
            yield from walk(child)


def html_of(node: Any) -> list[str]:
    return [n.value for n in walk(node) if getattr(n, "type", "") == "html"]


def log_rows(settings: Settings) -> list[dict[str, Any]]:
    log = QALog.from_settings(settings)
    try:
        return log.exchanges()
    finally:
        log.close()


# ---- sign-in -------------------------------------------------------------------------------

def test_first_visit_asks_who_you_are(env: Settings) -> None:
    at = app().run()
    assert not at.exception
    assert not at.chat_input  # no chat before sign-in
    assert at.text_input[0].label == "Your name or staff ID"
    assert list(at.radio[0].options) == ["Practitioner", "Team lead"]
    assert any("no password" in c.value for c in at.caption)
    at.button[0].click().run()  # empty name
    assert at.error and "name or staff ID" in at.error[0].value
    assert "user" not in at.session_state


# ---- answers -------------------------------------------------------------------------------

@pytest.mark.slow
def test_answer_with_citation_cards_and_log_row(env: Settings) -> None:
    at = ask(signed_in(), "how long for a dfg")
    reply = at.chat_message[-1]
    assert reply.name == "assistant"
    bodies = html_of(reply)
    assert any('class="ab-answer"' in b and ("[1]" in b or "[2]" in b) for b in bodies)
    labels = [x.label for x in reply.expander]
    assert any(x.startswith("\\[1\\] Disabled Facilities Grants") for x in labels), labels
    answer = at.session_state["messages"][-1]["answer"]
    assert labels[0].startswith(f"\\[{min(render.markers(answer.answer))}\\]")  # cited first
    assert any("<mark>" in b for b in bodies)  # the quoted sentence is highlighted
    assert any(c.value.startswith("Confidence") for c in reply.caption)
    [row] = log_rows(env)
    assert (row["user_id"], row["role"], row["channel"]) == ("Sam OT", "Practitioner", "app")
    assert row["conversation_id"] == at.session_state["conversation_id"]
    assert row["citations"] and not row["refused"]
    assert at.session_state["messages"][-1]["exchange_id"] == row["id"]


@pytest.mark.slow
def test_an_answer_that_may_not_fit_says_so(env: Settings) -> None:
    from askbrenda.answer import TENTATIVE_NOTE

    unsure = ask(signed_in(), "TUG cut off time").chat_message[-1]
    assert [i.value for i in unsure.info] == [TENTATIVE_NOTE]
    sure = ask(signed_in(), "how long for a dfg").chat_message[-1]
    assert not sure.info


@pytest.mark.slow
def test_refusal_shows_not_covered_card_without_passages(env: Settings) -> None:
    at = ask(signed_in(), "write me a poem about cats")
    reply = at.chat_message[-1]
    bodies = "".join(html_of(reply))
    assert render.NOT_COVERED_HEADING in bodies
    assert 'href="tel:01632960100"' in bodies  # who to ask, tappable
    assert not reply.expander  # no passage text for a refusal
    at = ask(at, "do the dfg rules apply in wales")
    reply = at.chat_message[-1]
    answer = at.session_state["messages"][-1]["answer"]
    if answer.refused:  # on-topic but not covered: titles only
        bodies = "".join(html_of(reply))
        assert render.USEFUL_LABEL in bodies and not reply.expander
        for c in answer.citations:
            assert render.e(c.text) not in bodies


@pytest.mark.slow
def test_safeguarding_comes_first(env: Settings) -> None:
    at = ask(signed_in(), "client has bruises and her son takes her money")
    reply = at.chat_message[-1]
    first = next(n for n in walk(reply) if getattr(n, "type", "") not in ("", "chat_message")
                 and not hasattr(n, "children"))
    assert first.type == "html"
    assert render.SAFEGUARDING_HEADING in first.value
    assert "ab-icon-warning" in first.value  # an icon and words, not colour alone
    assert 'href="tel:01632960200"' in first.value  # the Safeguarding Hub
    assert 'href="tel:999"' in first.value


@pytest.mark.slow
def test_feedback_and_hand_off_are_stored(env: Settings) -> None:
    at = ask(signed_in(), "max weight for bath lift?")
    reply = at.chat_message[-1]
    reply.button(key=next(b.key for b in reply.button if b.key.startswith("down-"))).click()
    at.run()
    reply = at.chat_message[-1]
    reply.text_input[0].input("It did not say about bariatric baths")
    reply.button(key=next(b.key for b in reply.button if b.key.startswith("send-"))).click()
    at.run()
    reply = at.chat_message[-1]
    assert any("feedback was saved" in s.value for s in reply.success)
    reply.button(key=next(b.key for b in reply.button if b.key.startswith("ask-"))).click()
    at.run()
    reply = at.chat_message[-1]
    assert any("Sent to a specialist" in s.value for s in reply.success)
    assert not at.exception
    [row] = log_rows(env)
    assert row["not_helpful"] == 1 and row["helpful"] == 0
    log = QALog.from_settings(env)
    try:
        [handoff] = log.open_handoffs()
        assert handoff["exchange_id"] == row["id"] and handoff["user_id"] == "Sam OT"
    finally:
        log.close()
    db = sqlite3.connect(env.data_dir / "askbrenda.db")
    try:
        assert db.execute("SELECT reason FROM feedback").fetchall() == [
            ("It did not say about bariatric baths",)]
    finally:
        db.close()


@pytest.mark.slow
def test_follow_up_passes_earlier_questions(env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    real = chat.ask

    def spy(question: str, **kwargs: Any) -> Answer:
        seen.append(list(kwargs["history"]))
        return real(question, **kwargs)

    monkeypatch.setattr(chat, "ask", spy)
    at = ask(signed_in(), "who fixes a broken stairlift")
    at = ask(at, "what about stairlifts?")
    assert seen == [[], ["who fixes a broken stairlift"]]
    at.button(key="new-conversation").click().run()
    assert at.session_state["messages"] == []
    ask(at, "max weight for bath lift?")
    assert seen[-1] == []
    ids = {r["conversation_id"] for r in log_rows(env)}
    assert len(ids) == 2


@pytest.mark.slow
def test_logged_question_is_redacted(env: Settings) -> None:
    ask(signed_in(), "Mrs Ada Price at LS6 2AB needs a bath board")
    rows = log_rows(env)
    assert len(rows) == 1
    data = b"".join(p.read_bytes() for p in env.data_dir.glob("askbrenda.db*"))
    assert b"Ada" not in data and b"LS6 2AB" not in data and b"Price" not in data


@pytest.mark.slow
def test_log_down_still_answers(env: Settings, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    monkeypatch.setenv("ASKBRENDA_DB_URL", f"sqlite:///{blocker}/askbrenda.db")
    get_settings.cache_clear()
    at = ask(signed_in(), "max weight for bath lift?")
    reply = at.chat_message[-1]
    assert reply.expander  # answered
    assert any(c.value == chat.LOG_DOWN for c in reply.caption)
    reply.button(key=next(b.key for b in reply.button if b.key.startswith("up-"))).click()
    at.run()
    assert any(chat.FEEDBACK_FAILED in e.value for e in at.chat_message[-1].error)
    at = ask(at, "how long for a dfg")
    notices = [c for m in at.chat_message for c in m.caption if c.value == chat.LOG_DOWN]
    assert len(notices) == 1  # said once


def test_index_missing_says_what_to_do(env: Settings, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(tmp_path / "no-store"))
    get_settings.cache_clear()
    at = signed_in()
    assert not at.exception
    assert "python ingest.py" in at.error[0].value
    assert at.chat_input[0].disabled


def test_an_out_of_date_index_is_flagged(env: Settings, ui_store: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert not signed_in().warning  # the store as this version builds it
    store = tmp_path / "old-store"
    shutil.copytree(ui_store, store)
    manifest = load_manifest(store)
    manifest.pipeline = "v1/size=1000/overlap=100"  # what an older release wrote
    save_manifest(store, manifest)
    monkeypatch.setenv("ASKBRENDA_STORE_DIR", str(store))
    get_settings.cache_clear()
    at = signed_in()
    assert "python ingest.py" in at.warning[0].value
    assert not at.chat_input[0].disabled  # the old passages still answer


@pytest.mark.slow
def test_team_lead_log_page_lists_and_flags(env: Settings) -> None:
    at = ask(signed_in("Team lead", "TL 42"), "how long for a dfg")
    at.switch_page("askbrenda/ui/pages/log_page.py").run()
    assert not at.exception
    assert at.dataframe
    assert at.dataframe[-1].value["Question"].tolist() == ["how long for a dfg"]
    at.button(key="review-flagged").click().run()
    assert not at.exception
    [row] = log_rows(env)
    assert row["review_status"] == "flagged"


def test_practitioner_has_no_log_page(env: Settings) -> None:
    at = signed_in()
    with pytest.raises(ValueError):
        at.switch_page("askbrenda/ui/pages/log_page.py")


def seed_log(settings: Settings, *answers: Answer) -> list[int]:
    """Write exchanges straight to the Q&A log in tmp_path (no embedding model needed)."""
    log = QALog.from_settings(settings)
    try:
        ids = [log.record(a, user_id="Sam OT", role="Practitioner") for a in answers]
    finally:
        log.close()
    assert None not in ids
    return [i for i in ids if i is not None]


def log_page(settings: Settings) -> AppTest:
    at = signed_in("Team lead", "TL 42")
    at.switch_page("askbrenda/ui/pages/log_page.py").run()
    assert not at.exception, at.exception
    return at


def plain(question: str, answer: str = "An answer [1]", **kw: Any) -> Answer:
    return Answer(question=question, answer=answer, refused=False, confidence=0.8,
                  safeguarding=False, **kw)


def review_of(settings: Settings) -> dict[int, tuple[str, str]]:
    return {r["id"]: (r["review_status"], r["review_note"]) for r in log_rows(settings)}


def review(at: AppTest, exchange_id: int, status: str, note: str | None = None) -> AppTest:
    box = at.selectbox(key="review-choice")
    box.set_value(next(o for o in box.options if o.startswith(f"#{exchange_id}:"))).run()
    if note is not None:
        at.text_input(key="review-note").input(note).run()
    at.button(key=f"review-{status}").click().run()
    assert not at.exception, at.exception
    return at


def test_review_note_is_cleared_after_saving(env: Settings) -> None:
    one, two = seed_log(env, plain("how long for a dfg"), plain("what is a stairlift"))
    at = review(log_page(env), one, "flagged", "answer gave wrong number")
    assert not at.error
    assert at.text_input(key="review-note").value == ""  # not carried to the next exchange
    at = review(at, two, "ok")
    assert review_of(env) == {one: ("flagged", "answer gave wrong number"), two: ("ok", "")}


def test_the_team_lead_can_list_what_brenda_was_not_sure_of(env: Settings) -> None:
    sure, unsure = seed_log(env, plain("how long for a dfg"),
                            plain("toilet frame max user weight", tentative=True))
    at = log_page(env)
    at.radio(key="log-filter").set_value("Answered, not sure").run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert table["#"].tolist() == [unsure] and table["Not sure"].tolist() == [True]


def test_review_table_shows_the_saved_note(env: Settings) -> None:
    one, two = seed_log(env, plain("how long for a dfg"), plain("what is a stairlift"))
    at = review(log_page(env), one, "flagged", "answer gave wrong number")
    table = at.dataframe[-1].value.set_index("#")
    columns = list(table.columns)
    assert columns[columns.index("Review") + 1] == "Note"
    assert table.loc[one, "Note"] == "answer gave wrong number"
    assert table.loc[two, "Note"] == ""


def test_review_save_error_is_shown_and_note_kept(env: Settings) -> None:
    one, _ = seed_log(env, plain("how long for a dfg"), plain("what is a stairlift"))
    at = log_page(env)
    box = at.selectbox(key="review-choice")
    box.set_value(next(o for o in box.options if o.startswith(f"#{one}:"))).run()
    at.text_input(key="review-note").input("answer gave wrong number").run()
    with sqlite3.connect(env.data_dir / "askbrenda.db") as db:  # gone before the click
        db.execute("DELETE FROM exchanges WHERE id = ?", (one,))
    at.button(key="review-flagged").click().run()
    assert not at.exception, at.exception
    assert at.error and "Could not save the review: LogError." in at.error[0].value
    assert at.text_input(key="review-note").value == "answer gave wrong number"


def safeguarding_answer(question: str, text: str, *, contacts: bool = True) -> Answer:
    """As ask() writes it: the steps block, a blank line, the answer. The quoted steps hold a
    blank line when there are contacts to end the block; without, its first blank line does."""
    from askbrenda.answer import safeguarding_text
    from askbrenda.curator import Contact

    steps = Citation(n=1, source="safeguarding-adults.md", title="Safeguarding adults",
                     section="What to do straight away", page=None, score=1.0,
                     text="1. Make sure the person is safe.\n" + "\n" * contacts
                     + "2. Raise a concern today.")
    who = [Contact(name="Adult Safeguarding Hub", phone="01632 960200", role="Receives concerns",
                   topics=("safeguarding",))] if contacts else []
    block = safeguarding_text(steps, who)
    return Answer(question=question, answer=f"{block}\n\n{text}".strip(), refused=False,
                  confidence=0.8, safeguarding=True, safeguarding_steps=block)


def test_review_table_answer_leaves_out_safeguarding_steps(env: Settings) -> None:
    long = "\u201cRecord what you have seen, such as missing pension money.\u201d [2] " * 10
    ids = seed_log(env, safeguarding_answer("son takes her money", long),
                   safeguarding_answer("she is being hit", ""),
                   safeguarding_answer("no contacts here", "Tell your manager [2]", contacts=False),
                   plain("how long for a dfg", "x" * 400))
    table = log_page(env).dataframe[-1].value.set_index("#")
    answers = table["Answer"].to_dict()
    assert answers[ids[0]] == long.strip()[:300]
    assert answers[ids[1]] == "(safeguarding steps only)"
    assert answers[ids[2]] == "Tell your manager [2]"
    assert answers[ids[3]] == "x" * 300
    assert table["Safeguarding"].to_dict() == {ids[0]: True, ids[1]: True, ids[2]: True,
                                               ids[3]: False}


# ---- rendering safety ----------------------------------------------------------------------

EVIL = ("Before. <script>alert(1)</script> ![x](http://evil.example/x.png) "
        "<img src=http://evil.example/y.png onerror=alert(2)> :red[red] $x^2$ After.")


def evil_answer() -> Answer:
    cite = Citation(n=1, source="evil<b>.md", title="Evil ![t](http://evil.example/t.png) <i>",
                    section="[link](http://evil.example/) <script>", page=2, text=EVIL,
                    score=1.0, review_by="2020-01-01", owner="<b>Owner</b>")
    return Answer(question="q", answer=f"\u201c{EVIL}\u201d [1]", refused=False,
                  confidence=0.9, safeguarding=False, citations=[cite],
                  warnings=["\u201cEvil ![t](http://evil.example/t.png)\u201d was due for review "
                            "on 1 Jan 2020: check it is still current."],
                  contacts=[{"name": "<script>x</script>", "phone": "0\" onclick=\"x",
                             "email": "a@b.example", "hours": "", "role": ""}])


def assert_harmless(html: str) -> None:
    low = html.lower()
    assert "<script" not in low and "<img" not in low and "<i>" not in low and "<b>" not in low
    assert 'href="http' not in low


def test_render_escapes_document_text() -> None:
    answer = evil_answer()
    quotes = render.quotes_by_citation(answer.answer)
    card = render.citation_html(answer.citations[0], quotes[1])
    assert_harmless(card)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "![x](http://evil.example/x.png)" in card  # shown as the text it is
    assert card.count("<mark>") == 1
    for html in (render.answer_html(answer.answer), render.safeguarding_html(answer),
                 render.refusal_html(answer), render.contacts_html(answer.contacts)):
        assert_harmless(html)
    assert 'href="tel:0"' in render.contacts_html(answer.contacts)  # digits only
    label = render.citation_label(answer.citations[0])
    assert "![" not in label and "](" not in label and "\\!\\[t\\]" in label
    assert ":red[" not in render.md_escape(":red[x]")
    assert "$" not in render.md_escape("$x$").replace("\\$", "")


def test_app_renders_a_hostile_passage_as_text(env: Settings,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat, "ask", lambda question, **kw: evil_answer())
    at = ask(signed_in(), "anything")
    reply = at.chat_message[-1]
    for html in html_of(reply):
        assert_harmless(html)
    for el in walk(reply):
        value = getattr(el, "value", None)
        if getattr(el, "type", "") in ("markdown", "alert", "caption", "warning") and value:
            assert "](http" not in str(value), value
    assert "\\!\\[t\\]" in reply.expander[0].label
    assert "\\!\\[t\\]" in reply.warning[0].value
    # the user's own question is escaped too
    at = ask(at, "<img src=http://evil.example/q.png>")
    assert_harmless("".join(html_of(at.chat_message[-2])))


# ---- serving -------------------------------------------------------------------------------

def test_streamlit_config_is_for_practitioners() -> None:
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["headless"] is True
    assert "http" not in str(config.get("theme", {}))  # no font CDN


def test_serve_warms_then_runs_app_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config as st_config
    from streamlit.web import bootstrap

    from askbrenda import serve

    monkeypatch.setattr(st_config, "_main_script_path", st_config._main_script_path)
    calls: list[Any] = []
    monkeypatch.setattr(serve, "warm", lambda: calls.append("warm") or 0.0)
    monkeypatch.setattr(bootstrap, "load_config_options",
                        lambda flag_options: calls.append(("config", flag_options)))
    monkeypatch.setattr(bootstrap, "run", lambda *args: calls.append(("run", args)))
    serve.main(port=8642, address="0.0.0.0")
    assert calls[0] == "warm"
    _, (script, is_hello, args, flags) = calls[-1]
    assert script == APP and not is_hello and args == []
    assert flags["server_port"] == 8642 and flags["server_address"] == "0.0.0.0"
    assert flags["client_toolbarMode"] == "minimal"
    assert flags["browser_gatherUsageStats"] is False


def test_a_passage_cut_inside_a_table_is_not_given_a_wrong_header() -> None:
    from askbrenda.ui.render import readable_passage

    cut = "| Flood detector | Alerts if water |\n| Pill dispenser | Opens at set times |"
    assert readable_passage(cut) == ("Flood detector; Alerts if water\n"
                                     "Pill dispenser; Opens at set times")
