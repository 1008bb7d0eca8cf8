PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Every install comes from the lock (hashes checked), never from pyproject's ranges:
# `make lock` rewrites it after a range changes, `make upgrade` tries newer versions first.
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha1sum | cut -c1-12)
SRC := src tests benchmarks training scripts
# `make checks` runs the checks without installing (make upgrade points it at another VENV).
INSTALLED := $(if $(filter checks,$(MAKECMDGOALS)),,install)

.PHONY: install system-deps chat test checks lint typecheck layers pytest bench demo clean \
	train-rooms lock upgrade

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r $(LOCK)
	@# Drop whatever the lock no longer lists (the project itself is put back just after).
	$(BIN)/uv pip sync -q --python $(BIN)/python --require-hashes --offline $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: system-deps $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

HOST ?= 127.0.0.1
PORT ?= 8000

# The web product on the embedded defaults (SQLite, in-process worker, local files): prints the
# URL and the first admin's sign-in. `reelestate chat` is the same assistant in a terminal.
chat: install
	$(BIN)/reelestate db upgrade
	$(BIN)/reelestate serve --host $(HOST) --port $(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)

typecheck: $(INSTALLED)
	$(BIN)/mypy

layers: $(INSTALLED)
	$(BIN)/lint-imports

# Test processes: one per core, at most four (each starts its own servers and databases).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)

pytest: $(INSTALLED)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --cov --cov-report=term

test: lint typecheck layers pytest

checks: lint typecheck layers pytest

lock: install
	$(BIN)/python scripts/deps.py lock

# Newest allowed versions in a throwaway environment, with every check run there; APPLY=1 takes
# them when the checks pass.
upgrade: install
	$(BIN)/python scripts/deps.py upgrade $(if $(APPLY),--apply)

bench: install
	$(BIN)/python -m benchmarks.run_all
	$(BIN)/python -m benchmarks.first_storyboard >> benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.browser_first_storyboard >> benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.jobs_load >> benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.serve_workers >> benchmarks/RESULTS.md

demo: install
	$(BIN)/reelestate render tests/fixtures/demo/storyboard.json --out demo-output

clean:
	rm -rf $(VENV) $(TRAIN_VENV) .mypy_cache .pytest_cache .ruff_cache .coverage demo-output

# Training has its own environment: the locked set plus the pinned `train` extra (CPU torch
# comes from a wheel index other than PyPI, so it is pinned by version rather than hash).
TRAIN_VENV := .venv-train
TRAIN_BIN := $(TRAIN_VENV)/bin
TRAIN_STAMP := $(TRAIN_VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha1sum | cut -c1-12)
ROOMS_DATA ?= ../shared/data/houses-dev ../shared/data/houses-more

$(TRAIN_STAMP): pyproject.toml $(LOCK)
	@test -x $(TRAIN_BIN)/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_BIN)/python -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(TRAIN_BIN)/python -m pip install -q --no-build-isolation -e '.[train]'
	@rm -f $(TRAIN_VENV)/.installed-* && touch $(TRAIN_STAMP)

train-rooms: $(TRAIN_STAMP)
	nice -n 10 $(TRAIN_BIN)/python -m training.rooms.train_rooms \
		--data $(ROOMS_DATA) --out src/reelestate/providers/vision/models \
		--fixtures tests/fixtures/rooms --seed 20240611 --epochs 5 --threads 2

# Re-quantise the earlier room model (training/rooms/previous/, float weights recovered from
# it) and re-measure it, without retraining: the fallback when `make train-rooms` is too slow.
.PHONY: rooms-requantize
rooms-requantize: $(TRAIN_STAMP)
	nice -n 10 $(TRAIN_BIN)/python -m training.rooms.requantize \
		--data $(ROOMS_DATA) --model src/reelestate/providers/vision/models --threads 2

# Re-pin the room classifier's golden outputs (after a retrain or a deliberate library change).
.PHONY: rooms-golden
rooms-golden: install
	$(BIN)/python -m training.rooms.golden
