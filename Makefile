# Front door of the course. Every target creates .venv itself from the pinned
# dependencies (pyproject.toml + constraints.txt), so a fresh clone needs only
# python3 (3.11+) and make.

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# nbgrader shells out to `alembic`, so the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
STAMP   := $(VENV)/.installed

.PHONY: help setup build check demo lab test bench clean-demo kit sesi chromium screenshots postgres faketime hub hub-deps

help:
	@echo "make demo   - siapkan lingkungan dan jalankan seluruh alur kursus (data sintetis, hasil di var/demo)"
	@echo "make lab    - buka JupyterLab pada kursus (modul + kuis + formgrader nbgrader)"
	@echo "make test   - siapkan lingkungan dan jalankan semua pengujian"
	@echo "make build  - bangun ulang notebook modul dan kuis dari bank konten"
	@echo "make bench  - ukur kecepatan penilaian dan laporan BKPSDM (100.000 peserta)"
	@echo "make hub    - jalankan JupyterHub kursus di komputer ini (akun per peserta; lihat docs/SKALA.md)"
	@echo "make kit    - bangun perangkat fasilitator: panduan, sesi langsung, PDF cetak, kunci jawaban"
	@echo "make sesi   - buka mode sesi langsung (Voila) untuk layar proyektor"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ diperlukan / required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

setup: $(STAMP)

build: $(STAMP)
	$(BIN)/netralitas bangun

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/netralitas bangun --periksa
	$(BIN)/netralitas kit --periksa

demo: $(STAMP)
	$(BIN)/netralitas demo

# With NETRALITAS_NIP (run as root): the learner's server runs as their own
# account on hub/.venv (an interpreter other accounts can run), see server.prepare_learner_lab.
lab: $(STAMP) $(if $(NETRALITAS_NIP),hub/.venv/.installed)
	$(BIN)/netralitas lab

# Browser journeys with their screenshots (var/screenshots/), key ones copied to docs/.
screenshots: $(STAMP) chromium
	$(BIN)/python -m pytest tests/browser -q $(PYTEST_ARGS)
	$(BIN)/python -m tests.browser.docs_images

# Browser journeys (tests/browser) drive Debian's Chromium; browsers cannot be
# downloaded here. Quick when present; without root/apt the tests skip with a message.
# chromium-l10n: without its id.pak Chromium runs in en-US whatever --lang says
# (dates drawn mm/dd/yyyy); the browser tests show what an Indonesian user sees.
chromium:
	@{ { command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium; } && \
	   test -e /usr/lib/chromium/locales/id.pak; } || \
	  { apt-get update && apt-get install -y --no-install-recommends chromium chromium-l10n fonts-dejavu-core; } || \
	  echo "PERINGATAN: Chromium tidak dapat dipasang; pengujian peramban (tests/browser) akan dilewati."

# Debian's PostgreSQL: the tests start a throwaway server from its binaries
# to run the gradebook on PostgreSQL as well as SQLite. Without root the
# install fails with a message, and the PostgreSQL tests skip saying why
# (never in CI: there the missing server fails the run).
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; else \
	  echo "Memasang PostgreSQL (paket Debian postgresql) ..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql) \
	  || echo "PostgreSQL tidak dapat dipasang di mesin ini; pengujian gradebook PostgreSQL akan dilewati."; fi

# Debian's libfaketime: tests/test_clock_edges.py runs the whole chain of
# processes (submit, grade, report, verification) under a faked clock.
faketime:
	@command -v faketime >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends faketime; } || \
	  echo "PERINGATAN: faketime tidak dapat dipasang; uji jam (tests/test_clock_edges.py) akan dilewati."

test: $(STAMP) chromium postgres faketime hub-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) chromium postgres
	$(BIN)/python -m bench.autograde $(BENCH_ARGS)
	$(BIN)/python -m bench.report $(BENCH_REPORT_ARGS)
	$(BIN)/python -m bench.browser $(BENCH_BROWSER_ARGS)
	$(BIN)/python -m bench.submit $(BENCH_SUBMIT_ARGS)

# KIT_ARGS, e.g. KIT_ARGS="--sesi sesi_120 --tanggal 2024-09-18" fills the attendance sheet.
kit: $(STAMP)
	$(BIN)/netralitas kit $(KIT_ARGS)

sesi: $(STAMP)
	$(BIN)/netralitas sesi

clean-demo:
	rm -rf var/demo

# JupyterHub with one Linux account per learner (run as root). The proxy,
# configurable-http-proxy, comes from npm into hub/node_modules. Learners'
# servers run as their own Linux users, who must be able to execute Python:
# the hub gets its own environment (hub/.venv) from the system interpreter,
# with the same pinned packages (a .venv under /root is not reachable) but
# without this project: hub/siapkan.py gives learners the learner runtime and
# instructors the whole package, each as a non-editable copy (never the checkout).
# Debian's Python is 3.11.2 and soupsieve >= 3 needs 3.11.5, so the hub's
# constraints pin the last soupsieve that runs there (used only by bs4).
HUB_PROXY  := hub/node_modules/.bin/configurable-http-proxy
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV   := hub/.venv
HUB_STAMP  := $(HUB_VENV)/.installed

$(HUB_PROXY): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; } || true
	@if (cd hub && npm ci --no-audit --no-fund --loglevel=error); then touch $@; else \
	  echo "PERINGATAN: configurable-http-proxy (npm) tidak dapat dipasang; uji JupyterHub akan dilewati."; fi

$(HUB_STAMP): pyproject.toml constraints.txt Makefile
	@test -x $(HUB_PYTHON) || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv; } || true
	@if $(HUB_PYTHON) -m venv $(HUB_VENV) && $(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip && \
	  { grep -v '^soupsieve==' constraints.txt; echo 'soupsieve==2.10'; } > $(HUB_VENV)/constraints.txt && \
	  $(HUB_PYTHON) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
	    > $(HUB_VENV)/requirements.txt && \
	  $(HUB_VENV)/bin/python -m pip install --quiet -c $(HUB_VENV)/constraints.txt -r $(HUB_VENV)/requirements.txt && \
	  { $(HUB_VENV)/bin/python -m pip uninstall --quiet --yes netralitas 2>/dev/null || true; }; then touch $@; else \
	  echo "PERINGATAN: lingkungan Python hub (hub/.venv) tidak dapat dibuat; uji JupyterHub akan dilewati."; fi

hub-deps: $(STAMP) $(HUB_PROXY) $(HUB_STAMP)

hub: hub-deps
	$(HUB_VENV)/bin/python hub/siapkan.py
	cd hub && .venv/bin/jupyterhub -f jupyterhub_config.py
