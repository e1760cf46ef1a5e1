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
# Every person in the tests is invented (NIP birth day 00, netralitas/invented.py): the harness
# declares invented data for itself and its subprocesses, so the roster check accepts those NIPs
# and every report and certificate made here says CONTOH - DATA REKAAN. Tests of real-data
# behaviour turn it off (tests/report/test_roster.py).
os.environ["NETRALITAS_INVENTED_DATA"] = "true"

FIXTURES = Path(__file__).parent / "fixtures"
GOLDENS = Path(__file__).parent / "goldens"
SHARED = paths.REPO_ROOT.parent / "shared"

# One learner of each behaviour; their units rotate over three units.
CYCLE_PROFILES = ["sempurna", "lulus", "gagal", "kosong", "tidak_mengirim",
                  "rekaman_rusak", "pilihan_asing", "tanpa_rekaman", "sempurna"]


@pytest.fixture(scope="session", autouse=True)
def verification_key(tmp_path_factory):
    """The certificate key, made once by the explicit step and kept outside every
    course folder, as an agency does (report/codes.py); subprocesses inherit it."""
    from netralitas.report.codes import KEY_ENV, create_key

    path = create_key(tmp_path_factory.mktemp("kunci") / "kunci_verifikasi")
    old = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = str(path)
    yield path
    if old is None:
        os.environ.pop(KEY_ENV, None)
    else:
        os.environ[KEY_ENV] = old


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/* from the current output instead of comparing")
    parser.addoption("--no-postgres", action="store_true",
                     help="skip the PostgreSQL gradebook runs (refused in CI)")


# Gradebook back ends. Tests marked `both_gradebooks` run the cycle on each;
# the others use SQLite (every `cycle` user is parametrized so that the SQLite
# cycle is built once and shared).
GRADEBOOKS = ["sqlite", "postgresql"]


def pytest_generate_tests(metafunc):
    explicit = any("cycle" in m.args[0] for m in metafunc.definition.iter_markers("parametrize"))
    if "cycle" in metafunc.fixturenames and not explicit:
        both = metafunc.definition.get_closest_marker("both_gradebooks") is not None
        metafunc.parametrize("cycle", GRADEBOOKS if both else GRADEBOOKS[:1], indirect=True, scope="session")


@pytest.fixture(scope="session")
def postgres(request):
    """A throwaway PostgreSQL server on 127.0.0.1 (Debian's binaries, run as an
    unprivileged user); `postgres.create_database()` gives a fresh db_url."""
    from netralitas.testing.pgserver import PostgresUnavailable, TempPostgres

    in_ci = bool(os.environ.get("CI"))
    if request.config.getoption("--no-postgres"):
        if in_ci:
            pytest.fail("--no-postgres is not allowed in CI: the PostgreSQL gradebook must be tested")
        pytest.skip("PostgreSQL gradebook runs skipped (--no-postgres)")
    try:
        server = TempPostgres().start()
    except PostgresUnavailable as exc:
        if in_ci:
            pytest.fail(f"{exc}; CI must test the PostgreSQL gradebook")
        pytest.skip(f"PostgreSQL gradebook runs skipped: {exc}")
    yield server
    server.stop()


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
def cycle(request, tmp_path_factory):
    """The whole course cycle on real nbgrader with one learner per profile,
    its gradebook on SQLite or PostgreSQL (request.param)."""
    from netralitas.testing.demo import make_cohort, run_cycle

    backend = getattr(request, "param", "sqlite")
    db_url = request.getfixturevalue("postgres").create_database("cycle") if backend == "postgresql" else None

    people = make_cohort(seed=7, profiles=CYCLE_PROFILES)
    bad_rows = [["19860926 201513 1 001", "NIP Bulan Salah", "Dinas Pendidikan", "PNS"],
                ["1,98609E+17", "NIP Notasi Ilmiah", "Dinas Pendidikan", "PNS"]]
    root = tmp_path_factory.mktemp(f"cycle_{backend}")
    return run_cycle(root, people, seed=7, extra_roster_rows=bad_rows, log=lambda *_: None, db_url=db_url)
