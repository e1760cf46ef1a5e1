"""Scoring from the answer record gives exactly the grades of full execution."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from netralitas.grading.batch import batch_outcomes
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
def test_record_mode_equals_stock_kernel_autograde_on_the_cycle(cycle, tmp_path):
    """The cycle (graded by `netralitas grade`, record mode) against stock
    nbgrader executing every notebook in a kernel, on a copy of the same
    submissions: same gradebook, same reasons."""
    stock = Course.init(tmp_path / "stok")
    stock.publish("kuis_02")
    shutil.copytree(cycle.course.root / "submitted", stock.root / "submitted")
    stock.add_students([{"nip": p.nip} for p in cycle.people])
    proc = stock.run("autograde", "kuis_02", check=False, env={"NETRALITAS_GRADER": "kernel"})
    assert proc.returncode == 0, proc.stderr[-2000:]

    def scores(course):
        g = read_grades(course.db_url())
        return dict(zip(g["nip"], g["score"]))

    assert scores(cycle.course) == scores(stock)
    record = pd.read_csv(cycle.outcomes_path, dtype=str).fillna("")
    kernel = batch_outcomes(stock.root, "kuis_02")
    cols = ["nip", "item", "reason", "chosen"]
    key = lambda f: f[cols].fillna("").astype(str).sort_values(cols).reset_index(drop=True)  # noqa: E731
    assert key(record).equals(key(kernel))
    # Learners still get their feedback, with the same explanation text.
    assert list((cycle.course.root / "feedback").rglob("*.html"))
