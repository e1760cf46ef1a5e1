"""The feedback policy through nbgrader's own generate_feedback step.

Two learners on kuis_01: one fails (attempts left), one passes with one item
wrong. The correct option is shown to the second and withheld from the first
until their last attempt; `selalu` and `tidak_pernah` switch it on and off
for everyone (NETRALITAS_POLICY points the nbgrader subprocesses at a policy file).
"""
from __future__ import annotations

import html
import re

import pytest

from netralitas import record
from netralitas.content.loader import load_quiz_items
from netralitas.grading.check import GRADE_ID_PREFIX, REVEAL_HEAD
from netralitas.grading.course import Course, Learner
from netralitas.grading.preprocessors import exam_grade_ids
from netralitas.paths import ANSWER_RECORD, QUIZ_SOURCE_DIR

pytestmark = pytest.mark.slow
ASSIGNMENT = "kuis_01"
FAILS, PASSES = "198801002010011001", "198801002010012002"


def text_of(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def wrong_option(item):
    return next(o for o in item.pilihan if not o.benar)


def answer(folder, items, right: int) -> None:
    for n, item in enumerate(items):
        record.save_answer(folder / ANSWER_RECORD, item.id, item.key if n < right else wrong_option(item).id)


@pytest.fixture(scope="module")
def course_with_feedback(tmp_path_factory, bank):
    root = tmp_path_factory.mktemp("umpan_balik")
    items = load_quiz_items(ASSIGNMENT, bank)
    course = Course.init(root / "kursus")
    course.add_students([{"nip": FAILS}, {"nip": PASSES}])
    course.publish(ASSIGNMENT)
    learners = {nip: Learner(root / "peserta" / nip, nip, course) for nip in (FAILS, PASSES)}
    folders = {nip: learner.fetch(ASSIGNMENT) for nip, learner in learners.items()}
    answer(folders[FAILS], items, right=1)
    answer(folders[PASSES], items, right=len(items) - 1)
    for learner in learners.values():
        learner.submit(ASSIGNMENT)
    course.grade(ASSIGNMENT, mode="record")
    return course, items, learners, folders


def feedback_text(course, nip) -> str:
    page = course.root / "feedback" / nip / ASSIGNMENT / f"{ASSIGNMENT}.html"
    return text_of(page.read_text(encoding="utf-8"))


def test_failed_learner_with_attempts_left_sees_result_and_explanation_not_the_answer(course_with_feedback):
    course, items, learners, _ = course_with_feedback
    # What the learner fetches is nbgrader's released feedback.
    fetched = learners[FAILS].fetch_feedback(ASSIGNMENT)
    assert fetched
    page = text_of(fetched[0].read_text(encoding="utf-8"))
    assert "Jawaban belum tepat." in page and "Jawaban benar." in page
    for item in items[1:]:
        assert wrong_option(item).teks in page
        assert " ".join(wrong_option(item).umpan_balik.split())[:50] in page
        assert " ".join(item.penjelasan.split())[:60] not in page  # shown only with the answer
    assert "Dasar hukum:" in page
    assert REVEAL_HEAD not in page
    # The note exists on the instructor side: the redaction, not its absence, hides it.
    graded = (course.root / "autograded" / FAILS / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    assert graded.count(REVEAL_HEAD) == len(items) - 1


def test_passed_learner_sees_the_correct_option_of_the_item_missed(course_with_feedback):
    course, items, _, _ = course_with_feedback
    page = feedback_text(course, PASSES)
    missed = items[-1]
    right = "; ".join(o.teks for o in missed.pilihan if o.benar)
    assert f"{REVEAL_HEAD} {right}" in page
    assert " ".join(missed.penjelasan.split())[:60] in page
    assert page.count(REVEAL_HEAD) == 1
    # Labelled in Bahasa Indonesia by the course's template, not nbgrader's English one.
    assert f"Nilai: {len(items) - 1} dari {len(items)}" in page
    assert f"Soal {len(items)} — nilai 0 dari 1" in page
    assert "Score" not in page and "Test cell" not in page


def test_answer_shown_after_the_last_attempt(course_with_feedback):
    course, items, learners, folders = course_with_feedback
    learners[FAILS].submit(ASSIGNMENT)  # attempt 2, same answers, superseded before grading
    learners[FAILS].submit(ASSIGNMENT)  # attempt 3 of 3: the last
    course.grade(ASSIGNMENT, mode="record")
    page = feedback_text(course, FAILS)
    # every missed item's correct option, except those on the final exam (never shown)
    on_exam = exam_grade_ids(QUIZ_SOURCE_DIR)
    shown = [i for i in items[1:] if f"{GRADE_ID_PREFIX}{i.id}" not in on_exam]
    assert 0 < len(shown) < len(items) - 1
    assert page.count(REVEAL_HEAD) == len(shown)
    assert " ".join(shown[0].penjelasan.split())[:60] in page
    hidden = next(i for i in items[1:] if i not in shown)
    assert " ".join(hidden.penjelasan.split())[:60] not in page


@pytest.mark.parametrize("rule, fails_sees, passes_sees", [("selalu", True, True),
                                                            ("tidak_pernah", False, False)])
def test_policy_always_and_never(course_with_feedback, tmp_path, monkeypatch, rule, fails_sees, passes_sees, bank):
    course, _, _, _ = course_with_feedback
    policy = tmp_path / "kebijakan.yaml"
    policy.write_text(f"batas_lulus: 0.8\numpan_balik: {{tampilkan_jawaban_benar: {rule}}}\n", encoding="utf-8")
    monkeypatch.setenv("NETRALITAS_POLICY", str(policy))
    course.run("generate_feedback", ASSIGNMENT, "--force")
    assert (REVEAL_HEAD in feedback_text(course, FAILS)) is fails_sees
    assert (REVEAL_HEAD in feedback_text(course, PASSES)) is passes_sees
