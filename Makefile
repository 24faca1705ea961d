# Ask Brenda: `make run` (set up, ingest knowledge/, start the app) and `make test`.
# Both are idempotent: a second run reuses .venv and only re-indexes changed files.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: install run ingest serve test test-fast browser-deps screenshots lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# CPU PyTorch first, pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

ingest: install
	$(PY) ingest.py

serve: install
	$(PY) -m askbrenda.cli serve --port $(PORT)

# The main job on the embedded defaults: index knowledge/ into data/store, then the chat app.
run: install
	$(PY) ingest.py; status=$$?; [ $$status -le 1 ] || exit $$status
	$(PY) -m askbrenda.cli serve --port $(PORT)

# Debian's chromium for the real-browser test (skipped with a reason when it cannot be had).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: the browser test will be skipped"; }

# Everything: unit and integration tests, the log against a real PostgreSQL server, the browser.
test: install browser-deps
	bash scripts/with_postgres.sh $(PY) -m pytest -q

# Without PostgreSQL or the browser, for a quick loop.
test-fast: install
	$(PY) -m pytest -q -m "not browser"

screenshots: install browser-deps
	ASKBRENDA_SCREENSHOTS=1 $(PY) -m pytest -q tests/test_browser.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy askbrenda

clean:
	rm -rf $(VENV) data .pytest_cache
