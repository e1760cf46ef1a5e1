# Front door of the course. Every target creates .venv itself from the pinned
# dependencies (pyproject.toml + constraints.txt), so a fresh clone needs only
# python3 (3.11+) and make.

PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
# nbgrader shells out to `alembic`, so the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
STAMP   := $(VENV)/.installed

.PHONY: help setup build check demo lab test bench clean-demo kit sesi chromium screenshots

help:
	@echo "make demo   - siapkan lingkungan dan jalankan siklus kursus lengkap (data sintetis)"
	@echo "make lab    - buka JupyterLab pada kursus (modul + kuis + formgrader nbgrader)"
	@echo "make test   - siapkan lingkungan dan jalankan semua pengujian"
	@echo "make build  - bangun ulang notebook modul dan kuis dari bank konten"
	@echo "make bench  - ukur kecepatan penilaian dan laporan BKPSDM (100.000 peserta)"
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
	$(BIN)/netralitas build

check: $(STAMP)
	$(BIN)/netralitas build --check
	$(BIN)/netralitas kit --check

demo: $(STAMP)
	$(BIN)/netralitas demo

lab: $(STAMP)
	$(BIN)/netralitas lab

test: $(STAMP) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser journeys with their screenshots (var/screenshots/), key ones copied to docs/.
screenshots: $(STAMP) chromium
	$(BIN)/python -m pytest tests/browser -q $(PYTEST_ARGS)
	$(BIN)/python -m tests.browser.docs_images

# Browser journeys (tests/browser) drive Debian's Chromium; browsers cannot be
# downloaded here. Quick when present; without root/apt the tests skip with a message.
chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core; } || \
	  echo "PERINGATAN: Chromium tidak dapat dipasang; pengujian peramban (tests/browser) akan dilewati."

bench: $(STAMP) chromium
	$(BIN)/python -m bench.autograde $(BENCH_ARGS)
	$(BIN)/python -m bench.report $(BENCH_REPORT_ARGS)
	$(BIN)/python -m bench.browser $(BENCH_BROWSER_ARGS)

# KIT_ARGS, e.g. KIT_ARGS="--sesi sesi_120 --tanggal 2024-09-18" fills the attendance sheet.
kit: $(STAMP)
	$(BIN)/netralitas kit $(KIT_ARGS)

sesi: $(STAMP)
	$(BIN)/netralitas sesi

clean-demo:
	rm -rf var/demo
