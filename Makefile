# Two entry points: `make demo` runs the bot on SQLite with demo data, `make test` runs every test.
# Python packages come from uv.lock (`make lock` after changing pyproject.toml's dependencies).
VENV ?= .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test lock image system-deps

# The first uv comes from PyPI at the version uv.lock holds; after that the lock keeps it.
$(BIN)/uv:
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$$(scripts/uv-version)"

# --locked: a lock that disagrees with pyproject.toml stops here instead of being rewritten.
$(BIN)/kaa-bot: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --locked --extra test
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

lock: | $(BIN)/uv
	$(BIN)/uv lock

image:
	scripts/build-image

system-deps:
	scripts/install-system-deps

demo: $(BIN)/kaa-bot
	$(BIN)/kaa-bot demo

# After the full run, the unit and integration tests again on days that break date arithmetic:
# just after new year and a leap day (`--today`, tests/clock.py).
test: system-deps $(BIN)/kaa-bot node_modules/.package-lock.json
	$(BIN)/uv lock --check
	$(BIN)/ruff check .
	$(BIN)/pytest
	$(BIN)/pytest -q tests/unit tests/integration --today 2027-01-05
	$(BIN)/pytest -q tests/unit tests/integration --today 2028-02-29
