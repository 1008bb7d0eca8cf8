PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SRC := src tests benchmarks training

.PHONY: install system-deps chat test lint typecheck layers pytest bench demo clean train-rooms

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
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

lint: install
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)

typecheck: install
	$(BIN)/mypy

layers: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck layers pytest

bench: install
	$(BIN)/python -m benchmarks.run_all
	$(BIN)/python -m benchmarks.jobs_load >> benchmarks/RESULTS.md

demo: install
	$(BIN)/reelestate render tests/fixtures/demo/storyboard.json --out demo-output

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .coverage demo-output

TRAIN_STAMP := $(VENV)/.installed-train-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
ROOMS_DATA ?= ../shared/data/houses-dev ../shared/data/houses-more

$(TRAIN_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev,train]'
	@rm -f $(VENV)/.installed-train-* && touch $(TRAIN_STAMP)

train-rooms: $(TRAIN_STAMP)
	nice -n 10 $(BIN)/python -m training.rooms.train_rooms \
		--data $(ROOMS_DATA) --out src/reelestate/providers/vision/models \
		--fixtures tests/fixtures/rooms --seed 20240611 --epochs 5 --threads 2

# Re-pin the room classifier's golden outputs (after a retrain or a deliberate library change).
.PHONY: rooms-golden
rooms-golden:
	$(BIN)/python -m training.rooms.golden
