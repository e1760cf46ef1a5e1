"""The attempts ledger on real nbgrader: submit, collect, autograde, ledger.

One learner submits four times; grading runs after the first, again without
a new submission (a regrade), after the second, and after two more
submissions (only the newest is collected, yet it is numbered 4).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest

from netralitas import policy, record
from netralitas.content.loader import load_quiz_items
from netralitas.grading import attempts
from netralitas.grading.attempts import COLUMNS, read_attempts, record_graded
from netralitas.grading.course import Course, Learner
from netralitas.paths import ANSWER_RECORD

ASSIGNMENT = "kuis_01"
NIP = "199001002015031001"


def answer(folder, items, right: int) -> None:
    """Write the answer record through the same function the quiz widgets call."""
    for n, item in enumerate(items):
        wrong = next(o.id for o in item.pilihan if not o.benar)
        record.save_answer(folder / ANSWER_RECORD, item.id, item.key if n < right else wrong, context="kuis")


def policy_file(tmp_path, counted: str):
    path = tmp_path / f"kebijakan_{counted}.yaml"
    path.write_text(f"batas_lulus: 0.8\npercobaan: {{maksimum: 3, yang_dihitung: {counted}}}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ledger_run(tmp_path_factory, bank):
    root = tmp_path_factory.mktemp("ledger")
    items = load_quiz_items(ASSIGNMENT, bank)
    course = Course.init(root / "kursus")
    course.add_students([{"nip": NIP, "nama": "Peserta Uji"}])
    course.publish(ASSIGNMENT)
    learner = Learner(root / "peserta", NIP, course)
    folder = learner.fetch(ASSIGNMENT)
    frames = {}

    answer(folder, items, right=len(items))  # attempt 1: all right
    learner.submit(ASSIGNMENT)
    course.grade(ASSIGNMENT, mode="record")
    frames["first"] = read_attempts(course.db_url())
    course.grade(ASSIGNMENT, mode="record")  # same submission graded again
    frames["regrade"] = read_attempts(course.db_url())

    answer(folder, items, right=2)  # attempt 2: fails
    learner.submit(ASSIGNMENT)
    course.grade(ASSIGNMENT, mode="record")
    frames["second"] = read_attempts(course.db_url())

    answer(folder, items, right=len(items) - 1)  # attempt 3: never graded (superseded)
    learner.submit(ASSIGNMENT)
    answer(folder, items, right=len(items))      # attempt 4: above the maximum
    learner.submit(ASSIGNMENT)
    course.grade(ASSIGNMENT, mode="record")
    frames["fourth"] = read_attempts(course.db_url())
    return course, items, frames, folder


pytestmark = pytest.mark.slow


def test_first_attempt_is_recorded_with_the_contract_columns(ledger_run):
    course, items, frames, _ = ledger_run
    first = frames["first"]
    assert list(first.columns) == COLUMNS
    row = first.iloc[0].to_dict()
    assert (row["student_id"], row["assignment"], row["attempt"], row["kind"], row["module"]) == \
        (NIP, ASSIGNMENT, 1, "kuis", "01")
    assert row["score"] == row["max_score"] == len(items)
    assert row["passed"] and row["counted"]
    assert isinstance(row["submitted_at"].to_pydatetime(), datetime)
    assert len(row["answers_fingerprint"]) == 64


def test_regrading_the_same_submission_adds_no_attempt(ledger_run):
    _, _, frames, _ = ledger_run
    first, again = frames["first"], frames["regrade"]
    assert len(again) == 1
    assert again.iloc[0]["submitted_at"] == first.iloc[0]["submitted_at"]
    assert again.iloc[0]["graded_at"] >= first.iloc[0]["graded_at"]


def test_each_new_submission_is_a_new_attempt_numbered_as_submitted(ledger_run):
    _, items, frames, _ = ledger_run
    second, fourth = frames["second"], frames["fourth"]
    assert list(second["attempt"]) == [1, 2]
    assert list(second["score"]) == [len(items), 2] and list(second["passed"]) == [True, False]
    # Attempt 3 was superseded before grading (nbgrader collects the newest):
    # the graded one is the 4th submission and is numbered so.
    assert list(fourth["attempt"]) == [1, 2, 4]


def test_best_attempt_counts_and_nothing_above_the_maximum(ledger_run):
    _, _, frames, _ = ledger_run
    assert policy.attempts(ASSIGNMENT).counted == "terbaik"  # the committed policy
    fourth = frames["fourth"]
    assert list(fourth["counted"]) == [True, False, False]  # 4 > maksimum 3: recorded, not counted


def test_last_attempt_counts_when_the_policy_says_so(ledger_run, tmp_path):
    course, _, _, _ = ledger_run
    for counted, expected in (("terakhir", [False, True, False]), ("terbaik", [True, False, False])):
        record_graded(course.db_url(), course.root, ASSIGNMENT, policy_file=policy_file(tmp_path, counted))
        assert list(read_attempts(course.db_url())["counted"]) == expected, counted


def test_fingerprint_and_content_version_are_audit_evidence(ledger_run):
    course, items, frames, folder = ledger_run
    fourth = frames["fourth"]
    # The graded record is the 4th: all right again, so its fingerprint equals the first one's.
    assert fourth.iloc[0]["answers_fingerprint"] == fourth.iloc[2]["answers_fingerprint"]
    assert fourth.iloc[0]["answers_fingerprint"] != fourth.iloc[1]["answers_fingerprint"]
    submitted = course.root / "submitted" / NIP / ASSIGNMENT / ANSWER_RECORD
    answers = {i: e["option"] for i, e in json.loads(submitted.read_text(encoding="utf-8"))["answers"].items()}
    canonical = json.dumps({"answers": dict(sorted(answers.items()))}, ensure_ascii=False,
                           sort_keys=True, separators=(",", ":"))
    assert fourth.iloc[2]["answers_fingerprint"] == hashlib.sha256(canonical.encode()).hexdigest()
    source = json.loads((course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                        .read_text(encoding="utf-8"))
    version = source["metadata"]["netralitas"]["content_version"]
    assert len(version) == 12 and set(fourth["content_version"]) == {version}


def test_standing_for_feedback(ledger_run):
    course, _, _, _ = ledger_run
    standing = attempts.learner_standing(course.db_url(), NIP, ASSIGNMENT)
    assert standing == {"passed": True, "attempts_used": 4, "maximum": 3, "exhausted": True}
    assert attempts.learner_standing(course.db_url(), "000", ASSIGNMENT)["attempts_used"] == 0


def test_fingerprint_ignores_click_times_and_marks_a_missing_record(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    record.save_answer(a, "K01-01", "a")
    record.save_answer(a, "K01-02", "b")
    record.save_answer(b, "K01-02", "b")
    record.save_answer(b, "K01-01", "a")
    assert attempts.fingerprint(a) == attempts.fingerprint(b)
    missing = attempts.fingerprint(tmp_path / "none.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert missing != attempts.fingerprint(tmp_path / "broken.json") != attempts.fingerprint(a)
    record.save_answer(b, "K01-01", "c")  # one changed answer changes the evidence
    assert attempts.fingerprint(a) != attempts.fingerprint(b)
