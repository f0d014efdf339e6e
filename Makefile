# One command sets up and runs the main job; another sets up and runs the tests.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
RAW ?= raw
OUT ?= output
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 300

.PHONY: setup system-deps run test eval train lint lock clean

$(BIN)/partnerflow: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BIN)/partnerflow

setup: $(BIN)/partnerflow

# Debian packages the project uses: tesseract (OCR of scanned PDFs) and Chromium (browser tests of the
# quality report and the review app). Installed when missing and we are root (CI, containers).
SYSTEM_PACKAGES := tesseract-ocr chromium
system-deps:
	@missing=""; command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: install$$missing (apt-get install$$missing) for OCR and the browser tests"; fi; \
	fi

run: setup system-deps
	$(BIN)/partnerflow run --raw $(RAW) --out $(OUT)

test: setup system-deps
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/partnerflow eval --gold tests/gold --dataset $(OUT)/current

# Rebuild the learned components from the annotated corpora (seeded, minutes on 2 cores); the
# result, extractors/models/confidence.json, is committed so a fresh clone needs no training.
train: setup
	$(BIN)/partnerflow train

lint: setup
	$(BIN)/ruff check pipeline extractors schemas tests
	$(BIN)/ruff format --check pipeline extractors schemas tests
	$(BIN)/mypy pipeline extractors schemas

lock:  # re-pin from the current venv, keeping the header comments
	{ grep '^#' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^partnerflow'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .prefect .pytest_cache .mypy_cache
