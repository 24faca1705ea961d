"""``askbrenda serve``: load the model and index, then start the Streamlit app in this process.

Streamlit runs every session's script in the process that started it, and the Index is cached
per process (:func:`askbrenda.retrieve.get_index`), so warming it here means the first person to
open the page does not wait for the model to load.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger("askbrenda.serve")

REPO_APP = Path(__file__).resolve().parent.parent / "app.py"

# The settings of .streamlit/config.toml that matter for practitioners, applied whatever the
# working directory (Streamlit reads config.toml from the working directory).
FLAGS: dict[str, Any] = {
    "browser_gatherUsageStats": False,
    "client_toolbarMode": "minimal",
    "client_showErrorDetails": "none",
    "server_headless": True,
    "server_fileWatcherType": "none",
    "server_runOnSave": False,
}


def warm() -> float:
    """Load the settings, the index (and model) and the Q&A log schema; return seconds taken.

    A missing index or log is reported, not fatal: the app then tells users what to do.
    """
    from askbrenda.config import get_settings
    from askbrenda.retrieve import get_index

    started = time.perf_counter()
    settings = get_settings()
    try:
        index = get_index(settings)
        index.search("stairlift for narrow stairs")  # first query warms the model's kernels
        from askbrenda.answer import safeguarding_passage

        safeguarding_passage(index)
    except Exception as exc:  # noqa: BLE001 - the page will say what to do
        logger.warning("Index not loaded (%s); the app will ask users to tell an administrator.",
                       exc)
    try:
        from askbrenda.log import QALog

        QALog.from_settings(settings).close()
    except Exception as exc:  # noqa: BLE001
        logger.warning("Q&A log not available (%s); answers will still be given.", exc)
    return time.perf_counter() - started


def app_path() -> Path:
    """The Streamlit script: the repo's app.py."""
    if not REPO_APP.exists():
        raise FileNotFoundError(
            f"{REPO_APP} is missing: run `askbrenda serve` from a checkout of Ask Brenda, "
            "or `streamlit run app.py` in its folder.")
    return REPO_APP


def main(port: int = 8501, address: str = "127.0.0.1") -> None:
    """Warm the index, then serve app.py on ``address:port`` (blocks until stopped)."""
    from streamlit import config as st_config
    from streamlit.web import bootstrap

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    script = str(app_path())
    seconds = warm()
    logger.info("Guidance index ready in %.1f s; starting the app on http://%s:%d",
                seconds, address, port)
    flags = {**FLAGS, "server_port": int(port), "server_address": address}
    # What `streamlit run` does before bootstrap.run: config is looked up beside the script too.
    st_config._main_script_path = script
    bootstrap.load_config_options(flag_options=flags)
    bootstrap.run(script, False, [], flags)


if __name__ == "__main__":
    main()
