"""One learner's gradebook rows refused by the database must not cost the
others their grades: the group's single transaction fails, and the learners are
then graded one by one (recordgrade.autograde_group). The refusal is real: a
trigger in the real SQLite gradebook aborts that learner's submission row, as a
constraint or a concurrent writer would."""
from __future__ import annotations

import sqlite3

import pytest
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.engine import make_url

from netralitas import paths
from netralitas.grading.batch import grade_and_report
from netralitas.grading.course import Course

from ..fixtures.submissions import place_submission

pytestmark = pytest.mark.slow

LEARNERS = ["199001002015011001", "199001002015011002", "199001002015011003"]  # invented: birth day 00
REFUSED = LEARNERS[1]


def test_a_refused_learner_leaves_the_others_graded(tmp_path, quiz_items):
    course = Course.init(tmp_path / "kursus")
    course.publish("kuis_02")
    for nip in LEARNERS:
        place_submission(course, "kuis_02", nip, quiz_items[0])
    course.add_students([{"nip": nip} for nip in LEARNERS])
    url = make_url(course.db_url())
    assert url.get_backend_name() == "sqlite"
    with sqlite3.connect(course.root / url.database) as con:  # relative to the course folder, as nbgrader reads it
        con.execute(f"CREATE TRIGGER refuse BEFORE INSERT ON submitted_assignment WHEN NEW.student_id = '{REFUSED}' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END")

    outcomes, _, _ = grade_and_report(course, "kuis_02")

    with Gradebook(course.db_url(), course_id=paths.COURSE_ID) as gb:
        for nip in LEARNERS:
            if nip == REFUSED:
                with pytest.raises(MissingEntry):
                    gb.find_submission("kuis_02", nip)
            else:
                assert gb.find_submission("kuis_02", nip).score == 1.0
    # The refused learner is in the batch report with a reason, not silently absent.
    mine = outcomes[outcomes["nip"] == REFUSED]
    assert len(mine) == len(quiz_items) and set(mine["reason"]) == {"not_autograded"}
    assert mine["keterangan"].notna().all()
