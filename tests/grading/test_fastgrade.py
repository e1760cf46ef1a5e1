"""Scoring from the answer record gives exactly the grades of full execution."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from netralitas.grading.batch import grade_and_report
from netralitas.grading.course import Course
from netralitas.grading.fastgrade import parse_call
from netralitas.report.ledger import read_grades


def test_parse_call_accepts_only_the_generated_shape():
    generated = ('from netralitas.grading.check import score_item\n'
                 'score_item("K02-01", key="a", options={"a": "x"}, points=1, feedback={}, basis="b")')
    assert parse_call(generated)["key"] == "a"
    for other in [
        "1.0",
        'score_item("K02-01", key=open("k").read(), options={}, points=1, feedback={}, basis="")',
        'import os\nscore_item("K", key="a", options={}, points=1, feedback={}, basis="")',
        'score_item("K", key="a", options={}, points=1, feedback={}, basis="", record_path="/x")',
        'x = score_item("K", key="a", options={}, points=1, feedback={}, basis="")',
        "def broken(:",
    ]:
        assert parse_call(other) is None, other


@pytest.mark.slow
def test_record_mode_equals_kernel_mode_on_the_cycle(cycle, tmp_path):
    """Same submissions, graded again without kernels: same gradebook, same reasons."""
    fast = Course.init(tmp_path / "kursus")
    fast.publish("kuis_02")
    shutil.copytree(cycle.course.root / "submitted", fast.root / "submitted")
    fast.add_students([{"nip": p.nip} for p in cycle.people])
    _, outcomes_path, returncode = grade_and_report(fast, "kuis_02", mode="record")
    assert returncode == 0

    def scores(course):
        g = read_grades(course.db_url())
        return dict(zip(g["nip"], g["score"]))

    assert scores(fast) == scores(cycle.course)
    kernel = pd.read_csv(cycle.outcomes_path, dtype=str).fillna("")
    record = pd.read_csv(outcomes_path, dtype=str).fillna("")
    cols = ["nip", "item", "reason", "chosen"]
    key = lambda f: f[cols].sort_values(cols).reset_index(drop=True)  # noqa: E731
    assert key(record).equals(key(kernel))
    # Learners still get their feedback, with the same explanation text.
    assert list((fast.root / "feedback").rglob("*.html"))
