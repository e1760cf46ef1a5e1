"""The grading area's checks for `netralitas periksa --course DIR` (netralitas/periksa.py):
the gradebook and the attempts ledger agree, naming each learner and assignment
that does not."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..periksa import Finding, check


@dataclass(frozen=True)
class Problem:
    check: str
    student_id: str
    assignment: str
    message: str   # Bahasa Indonesia: an instructor reads it


def _gradebook_submissions(db_url: str) -> dict[tuple[str, str], tuple]:
    """{(student, assignment): (timestamp naive UTC, score, max_score)} from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    from ..paths import COURSE_ID

    out = {}
    with Gradebook(db_url, course_id=COURSE_ID) as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                out[(sub.student.id, assignment.name)] = (sub.timestamp, float(sub.score or 0.0),
                                                          float(sub.max_score or 0.0))
    return out


def ledger_matches_gradebook(course) -> Iterable[Problem]:
    """Every gradebook submission has its ledger row (same time, same score,
    the pass flag by the one pass rule), every ledger slot has its gradebook
    submission, and exactly one attempt counts where one may."""
    from .. import policy
    from .attempts import read_attempts

    name = "buku_percobaan"
    gradebook = _gradebook_submissions(course.db_url())
    ledger = read_attempts(course.db_url())
    rows: dict[tuple[str, str], list] = {}
    for r in ledger.itertuples(index=False):
        rows.setdefault((r.student_id, r.assignment), []).append(r)
    for (student, assignment), (ts, score, max_score) in sorted(gradebook.items()):
        mine = rows.get((student, assignment), [])
        same = [r for r in mine if r.submitted_at.to_pydatetime() == ts]
        if not same:
            yield Problem(name, student, assignment,
                          f"kiriman di gradebook (waktu {ts}) tidak ada di buku percobaan")
            continue
        row = same[0]
        if abs(float(row.score) - score) > policy.PASS_TOLERANCE:
            yield Problem(name, student, assignment,
                          f"nilai di buku percobaan {row.score:g} berbeda dari gradebook {score:g}")
        mark = policy.pass_mark(assignment)
        should_pass = bool(max_score > 0 and policy.passes(score, max_score, mark))
        if bool(row.passed) != should_pass:
            yield Problem(name, student, assignment,
                          f"status lulus di buku percobaan ({'lulus' if row.passed else 'belum lulus'}) "
                          f"tidak sesuai dengan nilai {score:g} dari {max_score:g}")
    for (student, assignment), mine in sorted(rows.items()):
        if (student, assignment) not in gradebook:
            yield Problem(name, student, assignment, "ada di buku percobaan tetapi tidak ada kirimannya di gradebook")
        maximum = policy.attempts(assignment).maximum
        counted = sum(bool(r.counted) for r in mine)
        eligible = any(int(r.attempt) <= maximum for r in mine)
        if counted != (1 if eligible else 0):
            yield Problem(name, student, assignment,
                          f"{counted} percobaan ditandai dihitung; seharusnya {1 if eligible else 0}")


@check("gradebook nbgrader dan buku percobaan sesuai")
def gradebook_and_ledger_agree(course_root: Path) -> list[Finding]:
    from .course import Course

    return [Finding(f"peserta {p.student_id}", f"{p.assignment}: {p.message}")
            for p in ledger_matches_gradebook(Course(Path(course_root)))]
