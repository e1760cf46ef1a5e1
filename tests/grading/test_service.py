"""Grade on submit: the grading service gives the same gradebook and ledger
rows as `netralitas grade` in batch, releases feedback the learner can fetch,
and loses nothing while it is down."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from netralitas.content.loader import load_quiz_items
from netralitas.grading.attempts import read_attempts
from netralitas.grading.course import Course, Learner
from netralitas.grading.service import STATE_FILE, GradingService
from netralitas.learner.exchange import feedback_waiting

from .test_feedback_policy import answer, text_of

pytestmark = pytest.mark.slow
ASSIGNMENT = "kuis_01"
# Invented NIPs (birth month 13 cannot belong to anyone).
NIPS = ["199013012015011001", "199013012015012002", "199013012015011003"]
RIGHT = {NIPS[0]: 9, NIPS[1]: 5, NIPS[2]: 1}


def _course(root, bank):
    items = load_quiz_items(ASSIGNMENT, bank)
    course = Course.init(root / "kursus")
    course.add_students([{"nip": n} for n in NIPS])
    course.publish(ASSIGNMENT)
    learners = {n: Learner(root / "peserta" / n, n, course) for n in NIPS}
    for nip, learner in learners.items():
        answer(learner.fetch(ASSIGNMENT), items, right=min(RIGHT[nip], len(items)))
        learner.submit(ASSIGNMENT)
    return course, learners, items


def gradebook_rows(course) -> list[tuple]:
    from nbgrader.api import Gradebook

    rows = []
    with Gradebook(course.db_url(), course_id="netralitas-asn") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            for nb in sub.notebooks:
                rows += [(sub.student_id, nb.name, g.name, g.auto_score, g.max_score) for g in nb.grades]
    return sorted(rows)


def ledger_rows(course) -> list[tuple]:
    frame = read_attempts(course.db_url(), ASSIGNMENT)
    keep = ["student_id", "assignment", "attempt", "kind", "module", "score", "max_score", "passed", "counted"]
    return sorted(map(tuple, frame[keep].astype(str).values.tolist()))


@pytest.fixture(scope="module")
def both(tmp_path_factory, bank):
    batch, _, items = _course(tmp_path_factory.mktemp("batch"), bank)
    proc = subprocess.run([sys.executable, "-c", "import sys; from netralitas.cli import main; sys.exit(main())",
                           "grade", ASSIGNMENT, "--course", str(batch.root)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    served, learners, _ = _course(tmp_path_factory.mktemp("layanan"), bank)
    logged = []
    service = GradingService(served.root, log=logged.append)
    assert set(service.pending()) == {ASSIGNMENT} and len(service.pending()[ASSIGNMENT]) == len(NIPS)
    assert not any(feedback_waiting(ASSIGNMENT, x.home) for x in learners.values())
    assert service.run_once() == {ASSIGNMENT: 0}
    # The round ran in a child forked from the warm grader, not in a new interpreter.
    assert service.warm.ready and not [m for m in logged if "unavailable" in m]
    # The watcher's look (file names only) sees each released page before nbgrader fetches it.
    assert all(feedback_waiting(ASSIGNMENT, x.home) for x in learners.values())
    yield batch, served, learners, items, service
    service.close()


def test_service_and_batch_give_identical_gradebook_and_ledger_rows(both):
    batch, served, _, items, _ = both
    rows = gradebook_rows(served)
    assert len(rows) == len(NIPS) * len(items)
    assert rows == gradebook_rows(batch)
    assert ledger_rows(served) == ledger_rows(batch)
    assert len(ledger_rows(served)) == len(NIPS)


def test_feedback_is_released_without_instructor_action(both):
    _, _, learners, items, _ = both
    page = text_of(learners[NIPS[0]].fetch_feedback(ASSIGNMENT)[0].read_text(encoding="utf-8"))
    assert f"Nilai: {len(items)} dari {len(items)}" in page and "LULUS" in page
    page = text_of(learners[NIPS[2]].fetch_feedback(ASSIGNMENT)[0].read_text(encoding="utf-8"))
    assert "BELUM LULUS" in page


def test_nothing_to_do_twice_and_nothing_lost_while_down(both):
    _, served, learners, items, service = both
    assert service.pending() == {} and service.run_once() == {}
    # The service is down (no process); a learner resubmits with better answers.
    answer(learners[NIPS[2]].home / ASSIGNMENT, items, right=len(items))
    learners[NIPS[2]].submit(ASSIGNMENT)
    # A new process (restart) finds it from the inbound and the handled list.
    restarted = GradingService(served.root, warm=False)  # the plain child: the same rows either way
    assert [len(v) for v in restarted.pending().values()] == [1]
    assert restarted.run_once() == {ASSIGNMENT: 0}
    ledger = read_attempts(served.db_url(), ASSIGNMENT)
    mine = ledger[ledger["student_id"] == NIPS[2]].sort_values("attempt")
    assert mine["attempt"].tolist() == [1, 2] and bool(mine["passed"].iloc[-1])
    assert feedback_waiting(ASSIGNMENT, learners[NIPS[2]].home)
    pages = learners[NIPS[2]].fetch_feedback(ASSIGNMENT)
    assert not feedback_waiting(ASSIGNMENT, learners[NIPS[2]].home)
    assert len(pages) == 2  # one page per attempt, the old one kept
    assert any("Percobaan ke-2 dari 3" in text_of(p.read_text(encoding="utf-8")) for p in pages)
    assert (served.root / STATE_FILE).is_file()


def _until(check, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_service_down_the_page_says_later_and_shows_the_score_once_graded(both, monkeypatch):
    """The quiz page's watcher with no service: the learner is told the result
    comes later (no resubmission needed); the submission waits in inbound; once
    a service grades it the same watcher shows the score."""
    import ipywidgets as w

    from netralitas.learner import home

    _, served, learners, items, _ = both
    monkeypatch.setattr(home, "RESULT_POLL_S", 0.1)
    learner = learners[NIPS[1]]
    answer(learner.home / ASSIGNMENT, items, right=len(items))
    learner.submit(ASSIGNMENT)
    target = w.HTML()
    home.follow_result(ASSIGNMENT, learner.home, target, wait_s=0.5)
    assert _until(lambda: "tertunda" in target.value, 10), target.value
    assert "Anda tidak perlu mengirim ulang" in target.value
    later = GradingService(served.root)
    try:
        assert [len(v) for v in later.pending().values()] == [1]  # nothing lost
        assert later.run_once() == {ASSIGNMENT: 0}
    finally:
        later.close()
    assert _until(lambda: "Hasil kiriman ini" in target.value, 10), target.value
    assert f"Nilai {len(items)} dari {len(items)}" in target.value


HOSTILE = ("x+..+2026", "*+*+*", "199013012015011001+kuis_01; rm -rf ~+1", "+kuis_01", ".tersembunyi")


def test_hostile_inbound_names_are_never_passed_to_grade(tmp_path):
    inbound = tmp_path / "exchange" / "netralitas-asn" / "inbound"
    inbound.mkdir(parents=True)
    for name in HOSTILE:
        (inbound / name).mkdir()
    (inbound / "199013012015011001+kuis_02+2026-01-01 00:00:00.000000 UTC+abc").mkdir()
    logged = []
    service = GradingService(tmp_path, exchange=tmp_path / "exchange", log=logged.append)
    assert service.pending() == {"kuis_02": ["199013012015011001+kuis_02+2026-01-01 00:00:00.000000 UTC+abc"]}
    service.pending()
    assert len(logged) == len(HOSTILE) - 1  # each reported once, the hidden one skipped silently


def test_one_service_per_course_folder(tmp_path):
    first, second = (GradingService(tmp_path, exchange=tmp_path) for _ in range(2))
    with first.single_instance():
        with pytest.raises(SystemExit, match="already runs"):
            with second.single_instance():
                pass
