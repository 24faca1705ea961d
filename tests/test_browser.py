"""The real app in a real (phone-sized) browser: Debian's chromium driven by Playwright.

Run with ``ASKBRENDA_SCREENSHOTS=1`` to refresh docs/screenshots/phone-*.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from askbrenda.config import Settings
from askbrenda.ui import chat
from tests.conftest import REPO, md

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
SHOTS = REPO / "docs" / "screenshots"
HOSTILE = md("Kettle tippers <script>alert(1)</script>", (
    "A kettle tipper holds the kettle so the person can pour without lifting it. "
    "<script>alert(1)</script> ![x](http://evil.example/x.png) "
    '<img src="http://evil.example/y.png" onerror="alert(2)"> '
    "Order kettle tippers from the community equipment store at Standard level.\n"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not start in {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``streamlit run app.py`` over a temp index of knowledge/ plus one hostile page."""
    from askbrenda import ingest

    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    (knowledge / "kettle-tippers.md").write_text(HOSTILE, encoding="utf-8")
    settings = Settings(knowledge_dir=knowledge, store_dir=tmp_path / "store",
                        data_dir=tmp_path / "data")
    assert not ingest.run(settings, progress=False).failed
    port = _free_port()
    env = {**os.environ, "ASKBRENDA_KNOWLEDGE_DIR": str(knowledge),
           "ASKBRENDA_STORE_DIR": str(tmp_path / "store"),
           "ASKBRENDA_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log, timeout=60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate("""() => [document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('[data-testid="stMain"], .stMainBlockContainer')]
            .map(e => e.scrollWidth)]""")
    assert max(widths) <= PHONE["width"], widths


def _small_targets(page: Any) -> list[str]:
    """Visible buttons, expander headers and phone links shorter than 44 px."""
    return page.evaluate("""() => [...document.querySelectorAll(
            'button, [data-testid="stExpander"] summary, a.ab-tel')]
        .filter(e => e.offsetParent !== null && !e.closest('[data-testid="stSidebar"]')
                     && !e.closest('header') && !e.closest('[data-testid="stChatInput"]'))
        .map(e => [e.innerText.trim().slice(0, 40), e.getBoundingClientRect().height])
        .filter(([t, h]) => h > 0 && h < 44).map(([t, h]) => t + ' ' + h)""")


def _ask(page: Any, question: str, wait_for: str) -> Any:
    box = page.get_by_placeholder(chat.PLACEHOLDER)
    box.fill(question)
    box.press("Enter")
    last = page.locator('[data-testid="stChatMessage"]').last
    last.locator(wait_for).first.wait_for(timeout=60_000)
    page.wait_for_timeout(400)  # let the feedback buttons and caption settle
    return last


def _new_conversation(page: Any) -> None:
    page.get_by_role("button", name="New conversation").click()
    page.locator('[data-testid="stChatMessage"]').first.wait_for(state="detached",
                                                                 timeout=15_000)


def _shot(page: Any, name: str, top: Any = None) -> None:
    if os.environ.get("ASKBRENDA_SCREENSHOTS") == "1":
        if top is not None:  # this element at the top of the screen
            page.wait_for_timeout(1500)  # Streamlit's scroll-to-bottom for new content ends
            top.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(500)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def test_phone_session(server: str) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        try:
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                          has_touch=True)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(server)

            # Who are you?
            page.get_by_label("Your name or staff ID").fill("Sam OT")
            page.get_by_role("button", name="Start").click()
            page.get_by_placeholder(chat.PLACEHOLDER).wait_for(timeout=90_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stChatInput\"] textarea')"
                ".disabled", timeout=90_000)

            # An answer with citation cards; the first card opens on tap.
            reply = _ask(page, "how long for a dfg", ".ab-answer")
            cards = reply.locator('[data-testid="stExpander"]')
            cards.first.wait_for()
            assert cards.count() >= 1
            cards.first.locator("summary").click()
            reply.locator(".ab-passage").first.wait_for()
            _no_horizontal_scroll(page)
            assert _small_targets(page) == []
            chat_box = page.locator('[data-testid="stChatInput"]').bounding_box()
            assert chat_box and chat_box["y"] + chat_box["height"] <= PHONE["height"]
            _shot(page, "phone-answer.png", page.locator('[data-testid="stChatMessage"]').first)

            # Not covered.
            _new_conversation(page)
            reply = _ask(page, "write me a poem about cats", ".ab-refused")
            assert reply.locator('[data-testid="stExpander"]').count() == 0
            _no_horizontal_scroll(page)
            _shot(page, "phone-refusal.png", page.locator('[data-testid="stChatMessage"]').first)

            # Safeguarding: first, with phone links.
            _new_conversation(page)
            reply = _ask(page, "client has bruises and her son takes her money", ".ab-sg")
            assert "act today" in reply.locator(".ab-sg h3").inner_text()
            assert reply.locator('.ab-sg a[href="tel:01632960200"]').count() == 1
            _no_horizontal_scroll(page)
            assert _small_targets(page) == []
            _shot(page, "phone-safeguarding.png", reply)

            # An answer close to the refusal line says to check it, readable on the phone.
            _new_conversation(page)
            reply = _ask(page, "TUG cut off time", "text=I'm not sure this answers exactly")
            _no_horizontal_scroll(page)
            _shot(page, "phone-tentative.png", reply)

            # A hostile page is shown as text: nothing fetched, nothing run.
            _new_conversation(page)
            reply = _ask(page, "kettle tipper", ".ab-answer, .ab-refused")
            for summary in reply.locator('[data-testid="stExpander"] summary').all():
                summary.click()
            page.wait_for_timeout(1000)
            text = reply.inner_text()
            assert "Kettle tippers <script>alert(1)</script>" in text  # the title, as text
            if reply.locator(".ab-answer").count():
                # The passage, as text (ingest reads the Markdown image as its alt text "x").
                assert '<img src="http://evil.example/y.png"' in text
            assert reply.locator("script, img").count() == 0
            _no_horizontal_scroll(page)
        finally:
            browser.close()
    assert not dialogs, dialogs
    assert not [u for u in requests if "evil.example" in u]
    external = [u for u in requests
                if not u.startswith((server, "data:", "blob:", server.replace("http", "ws")))]
    assert not external, external  # no fonts, CDNs or telemetry
