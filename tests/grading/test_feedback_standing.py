"""The feedback page says LULUS / BELUM LULUS, the score and attempts left,
under a plain Indonesian title, through nbgrader's own generate_feedback."""
from __future__ import annotations

import re

import pytest

from netralitas.content.loader import load_quiz_items
from netralitas.grading.course import Course, Learner
from netralitas.grading.standing import kedudukan

from .test_feedback_policy import answer, text_of

pytestmark = pytest.mark.slow
ASSIGNMENT = "kuis_01"
ALL_RIGHT, ONE_RIGHT = "199001002015011003", "199001002015012004"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, bank):
    root = tmp_path_factory.mktemp("kedudukan")
    items = load_quiz_items(ASSIGNMENT, bank)
    course = Course.init(root / "kursus")
    course.add_students([{"nip": ALL_RIGHT}, {"nip": ONE_RIGHT}])
    course.publish(ASSIGNMENT)
    learners = {nip: Learner(root / "peserta" / nip, nip, course) for nip in (ALL_RIGHT, ONE_RIGHT)}
    folders = {nip: learner.fetch(ASSIGNMENT) for nip, learner in learners.items()}
    answer(folders[ALL_RIGHT], items, right=len(items))
    answer(folders[ONE_RIGHT], items, right=1)
    for learner in learners.values():
        learner.submit(ASSIGNMENT)
    course.grade(ASSIGNMENT, mode="record")
    return course, items, learners


def page_of(learner) -> str:
    fetched = learner.fetch_feedback(ASSIGNMENT)
    assert len(fetched) == 1
    return fetched[0].read_text(encoding="utf-8")


def test_full_score_says_lulus_and_plain_title(graded):
    course, items, learners = graded
    raw = page_of(learners[ALL_RIGHT])
    assert re.search(r"<title>\s*Hasil Kuis Modul 01\s*</title>", raw)
    assert "kuis_01" not in text_of(raw)
    page = text_of(raw)
    assert "LULUS (batas lulus" in page and "BELUM LULUS" not in page
    assert f"Nilai: {len(items)} dari {len(items)}" in page
    assert "Percobaan ke-1 dari 3. Anda sudah lulus." in page


def test_low_score_says_belum_lulus_with_attempts_left(graded):
    course, items, learners = graded
    page = text_of(page_of(learners[ONE_RIGHT]))
    assert "BELUM LULUS" in page
    assert f"Nilai: 1 dari {len(items)}" in page
    assert "Percobaan ke-1 dari 3. Sisa 2 kali kirim" in page


def test_standing_never_raises_on_missing_or_hostile_resources():
    assert kedudukan(None) == {"title": "Hasil kuis"}
    out = kedudukan({"assignment": "kuis_01", "score": "x", "max_score": 9})
    assert out["title"] == "Kuis Modul 01" and "passed" not in out
    # No ledger reachable: the verdict stays, the attempts line is left out.
    out = kedudukan({"assignment": "kuis_01", "score": 8, "max_score": 9, "db_url": "sqlite:////nonexistent/x.db",
                     "student": "199001002015011003"})
    assert out["passed"] is True and "used" not in out
    assert "passed" not in kedudukan({"assignment": "kuis_01", "score": 0, "max_score": 0})
