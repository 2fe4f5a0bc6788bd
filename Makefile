# csdesk: everything a newcomer needs is one of these targets.
#   make demo   install, then open the desk in demo mode on a seeded training store
#   make test   install (PostgreSQL server and tmux too, if missing), then run the whole suite
#   make bench  startup, 100k-ticket queue, KB search, sync and live-view benchmarks; printed and written to bench/results/

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.csdesk-synced

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: install demo test bench lint clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/csdesk demo

test: install
	bash scripts/ensure-postgres.sh
	$(VENV)/bin/python -m pytest

bench: install
	$(VENV)/bin/python bench/startup.py
	$(VENV)/bin/python bench/queue_filter.py
	$(VENV)/bin/python bench/kb_search.py
	$(VENV)/bin/python bench/sync.py
	$(VENV)/bin/python bench/live_view.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache bench/results
