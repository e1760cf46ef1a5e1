"""Browser journeys: a real JupyterLab (with its Voilà extension) on 127.0.0.1,
driven by Playwright through headless Chromium from Debian's packages.

Everything a journey writes (answers in modules/.progres, fetched quizzes,
the gradebook, the exchange, Jupyter's own settings) lives in a temporary
copy; the repository is never touched. Screenshots of every step go to
var/screenshots/<journey>/NN_step.png (git-ignored).
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from netralitas import paths
from netralitas.testing.people import invented_nip

SCREENSHOTS = paths.REPO_ROOT / "var" / "screenshots"
# invented: birth day 00, never a real person (netralitas/testing/people.py)
LEARNER_NIP = invented_nip(4)
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("NETRALITAS_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium tidak terpasang dan tidak dapat dipasang di mesin ini "
                    "(`make chromium` memasangnya dari paket Debian: apt-get install -y chromium); "
                    "pengujian peramban dilewati.")
    from playwright.sync_api import expect, sync_playwright

    # Every click goes through a kernel round trip; a loaded machine needs more than 5 s.
    expect.set_options(timeout=20_000)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable,
                                    # What an Indonesian user sees: Chromium's own locale (dates drawn
                                    # dd/mm/yyyy) comes from LANGUAGE/LANG and needs chromium-l10n;
                                    # the pages' locale from the context's locale="id-ID".
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-dev-shm-usage", "--lang=id-ID"],
                                    env={**os.environ, "LANG": "id_ID.UTF-8", "LANGUAGE": "id"})
        yield browser
        browser.close()


class Shots:
    """Numbered screenshots of one journey: var/screenshots/<journey>/NN_step.png."""

    def __init__(self, journey: str):
        self.dir = SCREENSHOTS / journey
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.n = 0

    def __call__(self, page, step: str, **kwargs) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}_{step}.png"
        page.screenshot(path=str(path), **kwargs)
        return path


@pytest.fixture
def shots(request):
    """Screenshots named after the test: test_learner_journey -> learner_journey/."""
    return Shots(request.node.name.removeprefix("test_"))


# The apps for facilitators and HR, copied beside the modules so what they
# write (session results, reports) stays in the temporary folder too.
APPS = ["facilitator_guide/sesi_langsung.ipynb", "grading/laporan_hr.ipynb"]
HR_UNIT = "Dinas Pendidikan"


@pytest.fixture(scope="session")
def course_state(tmp_path_factory):
    """A fresh course: copies of the module notebooks and the apps, an
    instructor course folder (gradebook, exchange) with kuis_01 released, and
    an HR course folder holding a seeded cohort over several units."""
    from netralitas.grading.course import Course

    root = tmp_path_factory.mktemp("browser")
    learner_root = root / "peserta"
    shutil.copytree(paths.MODULES_DIR, learner_root / "modules",
                    ignore=shutil.ignore_patterns(".progres", ".ipynb_checkpoints"))
    for app in APPS:
        if (paths.REPO_ROOT / app).exists():
            (learner_root / app).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.REPO_ROOT / app, learner_root / app)
    course = Course.init(root / "kursus", source=paths.QUIZ_SOURCE_DIR)
    course.publish("kuis_01")
    return root, learner_root, course


@pytest.fixture(scope="session")
def hr_course(course_state):
    """A seeded synthetic cohort (nbgrader-shaped gradebook + roster history)."""
    from datetime import date

    from netralitas.report.history import import_roster
    from netralitas.testing.synthetic import seed_gradebook

    root = course_state[0] / "kursus_hr"
    root.mkdir()
    cohort = seed_gradebook(root / "gradebook.db", n=36, seed=5)
    roster = cohort.roster.copy()
    roster.attrs["kolom"] = list(roster.columns)
    import_roster(cohort.db_url, roster, [], "sintetis", date(2024, 1, 1), sync_students=False)
    return root, cohort


@pytest.fixture(scope="session")
def lab(course_state, hr_course):
    """JupyterLab as `make lab` starts it, for one learner (NIP), on a free port;
    its Voilà extension serves the facilitator and HR apps."""
    from netralitas.server import running_lab

    root, learner_root, course = course_state
    env = {"NETRALITAS_KURSUS": str(hr_course[0])}
    with running_lab(learner_root, course.root, nip=LEARNER_NIP, home=root / "jupyter", extra_env=env) as server:
        yield server


@contextlib.contextmanager
def sized_page(browser, size: str = "laptop"):
    """A page in an Indonesian browser at laptop (1366x768) or phone ("ponsel",
    390x844, touch) size; the context closes with the block."""
    phone = size == "ponsel"
    context = browser.new_context(viewport=PHONE if phone else LAPTOP, locale="id-ID",
                                  is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser):
    with sized_page(browser) as page:
        yield page
