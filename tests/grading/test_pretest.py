"""Test-out: a pre-test is an nbgrader assignment graded by the same pipeline,
and a pass is recorded in the ledger as kind 'tes_awal' for its module."""
from __future__ import annotations

import pytest

from netralitas import record
from netralitas.build.notebooks import pretest_items
from netralitas.grading.attempts import read_attempts
from netralitas.grading.check import REVEAL_HEAD
from netralitas.grading.course import Course, Learner
from netralitas.paths import ANSWER_RECORD
from netralitas.policy import attempts, pass_mark

pytestmark = pytest.mark.slow
PRETEST = "tes_awal_03"
KNOWS, GUESSES = "197912002005011003", "199512002022032004"


@pytest.fixture(scope="module")
def pretest_run(tmp_path_factory, bank):
    root = tmp_path_factory.mktemp("tes_awal")
    items = pretest_items(bank, "03")
    course = Course.init(root / "kursus")
    course.add_students([{"nip": KNOWS}, {"nip": GUESSES}])
    course.publish(PRETEST)
    for nip, right in ((KNOWS, len(items)), (GUESSES, 2)):
        learner = Learner(root / "peserta" / nip, nip, course)
        folder = learner.fetch(PRETEST)
        for n, item in enumerate(items):
            wrong = next(o.id for o in item.pilihan if not o.benar)
            record.save_answer(folder / ANSWER_RECORD, item.id, item.key if n < right else wrong)
        learner.submit(PRETEST)
    course.grade(PRETEST, mode="record")
    return course, items


def test_a_passed_pretest_completes_the_module_in_the_ledger(pretest_run):
    course, items = pretest_run
    ledger = read_attempts(course.db_url()).set_index("student_id")
    knows = ledger.loc[KNOWS]
    assert (knows["assignment"], knows["kind"], knows["module"]) == (PRETEST, "tes_awal", "03")
    assert knows["score"] == len(items) and knows["passed"] and knows["counted"]
    guesses = ledger.loc[GUESSES]
    assert guesses["kind"] == "tes_awal" and not guesses["passed"]
    assert guesses["score"] == 2 < pass_mark(PRETEST) * len(items)
    assert guesses["counted"]  # the only attempt allowed counts, passed or not


def test_pretest_feedback_never_names_the_correct_option(pretest_run):
    """One attempt only, so it is the last one; still no key, because the
    pre-test's items come from the module's quiz bank."""
    course, _ = pretest_run
    assert attempts(PRETEST).maximum == 1
    page = (course.root / "feedback" / GUESSES / PRETEST / f"{PRETEST}.html").read_text(encoding="utf-8")
    assert "Jawaban belum tepat." in page and REVEAL_HEAD not in page
    graded = (course.root / "autograded" / GUESSES / PRETEST / f"{PRETEST}.ipynb").read_text(encoding="utf-8")
    assert REVEAL_HEAD in graded
