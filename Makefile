# Two commands do all set-up on a fresh machine: `make site` and `make test`.
# Stamps make them quick when nothing changed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test validate serve bench clean browser

site: $(VENV)/.deps node_modules/.package-lock.json
	$(VENV)/bin/yizhan build

validate: $(VENV)/.deps
	$(VENV)/bin/yizhan validate

serve: $(VENV)/.deps node_modules/.package-lock.json
	$(VENV)/bin/yizhan serve

test: $(VENV)/.test-deps node_modules/.package-lock.json browser
	$(PY) -m pytest -q

# the first search is timed in Debian's Chromium, as the browser tests run it
bench: $(VENV)/.test-deps node_modules/.package-lock.json browser
	$(VENV)/bin/yizhan bench

$(VENV)/.deps: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.test-deps: $(VENV)/.deps
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

# Search is indexed by Pagefind from npm, exactly as package-lock.json pins it.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium (never a browser download) and need CJK fonts to render Chinese.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	fi

clean:
	rm -rf site .pytest_cache
