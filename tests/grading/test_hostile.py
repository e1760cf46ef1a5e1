"""Broken and hostile submissions: each gets a score and a reason, and the
rest of the batch is graded."""
from __future__ import annotations


import pandas as pd
import pytest
from nbgrader.api import Gradebook

from netralitas import paths
from netralitas.grading.batch import grade_and_report
from netralitas.grading.course import Course
from netralitas.report.ledger import read_grades

from ..fixtures import submissions

pytestmark = pytest.mark.slow

UNKNOWN = "197001002000011999"


def nip_for(i: int) -> str:
    return f"1990010120150{i + 1:02d}001"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, quiz_items):
    mp = pytest.MonkeyPatch()
    mp.setenv("NETRALITAS_CELL_TIMEOUT", "5")  # the infinite loop need not cost 30 s
    course = Course.init(tmp_path_factory.mktemp("hostile") / "kursus")
    course.publish("kuis_02")
    states = {nip_for(i): state for i, state in enumerate(submissions.STATES)}
    states[UNKNOWN] = submissions.submitted_intact
    for nip, state in states.items():
        state(submissions.place_submission(course, "kuis_02", nip, quiz_items[0]))
    course.add_students([{"nip": nip} for nip in states if nip != UNKNOWN])
    outcomes, path, returncode = grade_and_report(course, "kuis_02")
    mp.undo()
    by_state = {state.__name__: nip for nip, state in states.items() if nip != UNKNOWN}
    return course, outcomes, returncode, by_state


def score(course, nip) -> float:
    with Gradebook(course.db_url(), course_id=paths.COURSE_ID) as gb:
        return gb.find_submission("kuis_02", nip).score


@pytest.mark.parametrize("state, expected", [
    ("submitted_intact", 1.0),
    ("submitted_not_json", 0.0),
    ("submitted_deleted_grade_cell", 1.0),
    ("submitted_reordered_cells", 1.0),
    ("submitted_edited_locked_cells", 1.0),   # not 8: locked cells are restored
    ("submitted_infinite_loop", 1.0),
    ("submitted_huge_output", 1.0),
    ("submitted_record_empty", 0.0),
    ("submitted_record_hand_edited", 1.0),
])
def test_each_state_is_graded(hostile, state, expected):
    course, _, _, by_state = hostile
    assert score(course, by_state[state]) == expected


def test_every_item_of_every_submission_has_a_reason(hostile, quiz_items):
    course, outcomes, returncode, by_state = hostile
    assert returncode != 0  # nbgrader reports the notebook it could not read ...
    assert outcomes["keterangan"].notna().all()
    per = outcomes.groupby("nip")["item"].apply(set)
    assert all(items == {i.id for i in quiz_items} for items in per)  # ... and everyone is listed

    def reasons(state):
        rows = outcomes[outcomes["nip"] == by_state[state]]
        return dict(zip(rows["item"], rows["reason"]))

    assert set(reasons("submitted_not_json").values()) == {"not_autograded"}
    assert "NotJSONError" in outcomes.loc[outcomes["nip"] == by_state["submitted_not_json"], "detail"].iloc[0]
    assert reasons("submitted_deleted_grade_cell")["K02-02"] == "item_missing"
    assert set(reasons("submitted_record_empty").values()) == {"record_corrupt"}
    edited = reasons("submitted_record_hand_edited")
    assert edited["K02-03"] == "unknown_option" and edited["K02-04"] == "unknown_option"


def test_unknown_learner_is_graded_and_flagged(hostile):
    course, outcomes, _, _ = hostile
    assert UNKNOWN in set(outcomes["nip"])
    roster = pd.DataFrame({"nip": [nip_for(i) for i in range(len(submissions.STATES))]})
    grades = read_grades(course.db_url())
    assert grades[~grades["nip"].isin(roster["nip"])]["nip"].tolist() == [UNKNOWN]
