# One command sets up and runs the main job; another sets up and runs the tests.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
RAW ?= raw
OUT ?= output
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 300

.PHONY: setup system-deps run test eval lint lock clean

$(BIN)/partnerflow: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BIN)/partnerflow

setup: $(BIN)/partnerflow

# OCR of scanned PDFs needs Debian's tesseract; installed when missing and we are root (CI, containers).
system-deps:
	@command -v tesseract >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq tesseract-ocr >/dev/null) || echo "note: install tesseract-ocr for OCR of scans (apt-get install tesseract-ocr)"; }

run: setup system-deps
	$(BIN)/partnerflow run --raw $(RAW) --out $(OUT)

test: setup system-deps
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/partnerflow eval --gold tests/gold --dataset $(OUT)/current

lint: setup
	$(BIN)/ruff check pipeline extractors schemas tests
	$(BIN)/ruff format --check pipeline extractors schemas tests

lock:  # re-pin from the current venv, keeping the header comments
	{ grep '^#' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^partnerflow'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .prefect .pytest_cache
