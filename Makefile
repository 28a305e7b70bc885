# bonemet — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run demo test lint typecheck pytest bench stress eval-nlp system-deps clean

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "bonemet needs $(PYTHON) on PATH" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bonemet serve --host 127.0.0.1 --port $(PORT)

demo: install
	$(BIN)/bonemet demo

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

# System packages the tests need (Debian's chromium for the browser, a JRE for Spark, the official HL7 R4
# JSON Schema from npm), installed when missing.
system-deps:
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-java.sh
	bash scripts/ensure-fhir-schema.sh

pytest: install system-deps
	$(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python benchmarks/run.py

# The long forms of the reliability tests: many more fuzz examples, then 60 s load and SIGKILL runs
# against a real server on SQLite and PostgreSQL; prints the figures the README quotes.
stress: install system-deps
	BONEMET_FUZZ_EXAMPLES=$${BONEMET_FUZZ_EXAMPLES:-300} BONEMET_HOSTILE_REPORT_CHARS=100000 $(BIN)/pytest tests/reliability tests/security
	$(BIN)/python scripts/stress.py --clients 50 --seconds 60
	$(BIN)/python scripts/redteam.py

eval-nlp: install
	$(BIN)/python -m bonemet.nlp.evaluate corpus

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
