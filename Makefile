# The two commands a reader or developer needs: `make lab` and `make test`.
# Each creates or reuses .venv/ from the committed lock (uv.lock) by itself.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.synced
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
PARLEY_LANG ?= ja
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: help lab app test lint unit nbval notebooks validate data schema binder lock system-deps clean export browser bench bench-app

help:
	@echo "make lab        open the explainer in JupyterLab (notebooks/01-overview.ipynb)"
	@echo "make app        the explainer as an app (Voilà, code hidden) on http://127.0.0.1:$(APP_PORT)/"
	@echo "make test       lint and run every test (builds .venv and system deps if missing)"
	@echo "make export     offline pages, slide decks and PDF handouts in build/"
	@echo "make bench-app  how many readers app mode holds (bursts on loopback; ~15 min)"
	@echo "make notebooks  re-execute the notebooks in place from a clean kernel (Japanese)"
	@echo "make validate   check data/;  make data: tables in build/data"
	@echo "make schema     regenerate data/schema/;  make binder: regenerate binder/ from uv.lock"

.tools/bin/uv:
	@echo "==> bootstrapping uv $(UV_VERSION) in .tools/"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(STAMP): uv.lock pyproject.toml | $(UV)
	@echo "==> syncing $(VENV) from uv.lock"
	@# Bytecode now: where PYTHONDONTWRITEBYTECODE is set, every kernel would otherwise
	@# compile plotly and pandas from source at each start (most of a kernel's start).
	$(UV) sync --frozen --extra dev --compile-bytecode --python $(PYTHON)
	@touch $@

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# JupyterLab's settings overrides (no news pop-up), installed into .venv as Binder's
# postBuild installs them into its environment.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): binder/overrides.json binder/postBuild $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH bash binder/postBuild

# notebook_shim (classic Notebook's configuration, which parley has none of) reads a
# deprecated server option at start and prints a DeprecationWarning: left off.
LAB_NOTEBOOK ?= notebooks/01-overview.ipynb
LAB_ARGS ?=
lab: $(STAMP) $(LAB_OVERRIDES)
	PARLEY_LANG=$(PARLEY_LANG) $(BIN)/jupyter lab $(ROOT_FLAG) \
	  --ServerApp.jpserver_extensions=notebook_shim=False $(LAB_ARGS) $(LAB_NOTEBOOK)

# App mode: Voilà over notebooks/ on loopback with parley's template (code hidden, a
# progress message while the kernel starts); the language is the page's ?lang=ja|en.
# voila.json (read from this folder) holds what a deployment reuses: the template, the
# preheated kernel pools and the culling of kernels readers left; APP_ARGS adds options.
APP_PORT ?= 8866
# It serves copies of APP_ROOT's notebooks without their saved outputs (in APP_SERVE; each
# reader's kernel runs the notebook anyway: publish/appnotebooks.py says why).
APP_ROOT ?= notebooks
APP_SERVE ?= build/app
APP_ARGS ?=
app: $(STAMP)
	@$(BIN)/python -m parley.publish.appnotebooks $(APP_ROOT) $(APP_SERVE)
	@echo "==> app mode: http://127.0.0.1:$(APP_PORT)/voila/render/01-overview.ipynb (Ctrl-C stops it)"
	JUPYTER_PATH=$(CURDIR)/src/parley/publish/templates PARLEY_LANG=$(PARLEY_LANG) $(BIN)/voila $(APP_SERVE) \
	  --no-browser --Voila.ip=127.0.0.1 --Voila.port=$(APP_PORT) --Voila.port_retries=0 $(APP_ARGS)

# Debian packages the browser tests need: Chromium (its headless build: no browser interface
# to load per window) and a Japanese font.
SYSTEM_PACKAGES := chromium-headless-shell fonts-noto-cjk

system-deps:
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	@# The layers and "never" rules of ARCHITECTURE.md, as contracts in pyproject.toml.
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

browser: $(STAMP) system-deps $(LAB_OVERRIDES)
	$(BIN)/pytest tests/browser -q -p no:cacheprovider

nbval: $(STAMP)
	PARLEY_LANG=ja $(BIN)/pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider

export: $(STAMP) system-deps
	$(BIN)/parley export --out build

bench: $(STAMP) system-deps
	$(BIN)/parley bench --out build

# App mode under readers (not part of `make test`: ~15 minutes): fresh `make app` servers
# on loopback, bursts of 1, 10, 20 and 40 readers, then 10 Chromium pages; build/bench-app.json.
bench-app: $(STAMP) system-deps
	$(BIN)/parley bench-app --out build

test: $(STAMP) system-deps lint $(LAB_OVERRIDES)
	$(BIN)/parley validate data
	$(BIN)/pytest tests -q
	PARLEY_LANG=ja $(BIN)/pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -q -p no:cacheprovider

notebooks: $(STAMP)
	@for nb in $(NOTEBOOKS); do \
	  echo "==> executing $$nb"; \
	  PARLEY_LANG=ja $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=300 "$$nb" || exit 1; \
	  $(BIN)/python -m parley.publish.tidy "$$nb" || exit 1; \
	done

validate: $(STAMP)
	$(BIN)/parley validate data

data: $(STAMP)
	$(BIN)/parley data --format csv --out build/data

schema: $(STAMP)
	$(BIN)/parley schema --out data/schema

lock: | $(UV)
	$(UV) lock
	$(MAKE) binder

binder: | $(UV)
	$(UV) export --frozen --no-dev --no-hashes --format requirements-txt -o binder/requirements.txt --quiet

clean:
	rm -rf build .pytest_cache
