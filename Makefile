# Two entry points: `make demo` runs the bot on SQLite with demo data, `make test` runs every test.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test system-deps

$(BIN)/kaa-bot: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

system-deps:
	scripts/install-system-deps

demo: $(BIN)/kaa-bot
	$(BIN)/kaa-bot demo

# After the full run, the unit and integration tests again on days that break date arithmetic:
# just after new year and a leap day (`--today`, tests/clock.py).
test: system-deps $(BIN)/kaa-bot node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/pytest
	$(BIN)/pytest -q tests/unit tests/integration --today 2027-01-05
	$(BIN)/pytest -q tests/unit tests/integration --today 2028-02-29
