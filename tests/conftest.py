"""Shared fixtures. The real nbgrader cycle runs once per session (it takes a
minute) and every test of the cycle reads its results."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from netralitas import paths

# nbgrader shells out to `alembic`, so this interpreter's bin must be on PATH.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

FIXTURES = Path(__file__).parent / "fixtures"
GOLDENS = Path(__file__).parent / "goldens"
SHARED = paths.REPO_ROOT.parent / "shared"

# One learner of each behaviour; their units rotate over three units.
CYCLE_PROFILES = ["sempurna", "lulus", "gagal", "kosong", "tidak_mengirim",
                  "rekaman_rusak", "pilihan_asing", "tanpa_rekaman", "sempurna"]


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/* from the current output instead of comparing")


@pytest.fixture(scope="session")
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(scope="session")
def bank():
    from netralitas.content.loader import load_bank
    return load_bank()


@pytest.fixture(scope="session")
def quiz_items(bank):
    from netralitas.content.loader import load_quiz_items
    return load_quiz_items("kuis_02", bank)


@pytest.fixture(scope="session")
def all_quiz_items(bank):
    """Every quiz item of every quiz bank file (instructor side)."""
    from netralitas.content.loader import load_quiz_items, quiz_ids
    return [item for quiz in quiz_ids() for item in load_quiz_items(quiz, bank)]


@pytest.fixture(scope="session")
def cycle(tmp_path_factory):
    """The whole course cycle on real nbgrader with one learner per profile."""
    from netralitas.demo import make_cohort, run_cycle

    people = make_cohort(seed=7, profiles=CYCLE_PROFILES)
    bad_rows = [["19860926 201513 1 001", "NIP Bulan Salah", "Dinas Pendidikan", "PNS"],
                ["1,98609E+17", "NIP Notasi Ilmiah", "Dinas Pendidikan", "PNS"]]
    root = tmp_path_factory.mktemp("cycle")
    return run_cycle(root, people, seed=7, extra_roster_rows=bad_rows, log=lambda *_: None)
