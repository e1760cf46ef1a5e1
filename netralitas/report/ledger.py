"""Attempts as the report reads them (contract 1), and per-item grades.

The quiz area owns the ledger (netralitas.grading.attempts.read_attempts, table
netralitas_attempt). Submissions the ledger does not hold (graded by plain
nbgrader, or before the ledger existed) are derived from the nbgrader
gradebook: one attempt per submission, the fingerprint of the submitted answer
record (same function as the ledger) when the course folder is at hand.
Grades are read with one SQL query each, never by looping over nbgrader's
Gradebook API.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from .. import paths
from ..grading.check import GRADE_ID_PREFIX
from ..grading.attempts import fingerprint, read_attempts
from ..policy import assignment_kind, pass_mark

ATTEMPT_COLUMNS = ["student_id", "assignment", "attempt", "kind", "module", "submitted_at", "graded_at",
                   "score", "max_score", "passed", "counted", "content_version", "answers_fingerprint"]

SUBMISSIONS_SQL = """
SELECT sa.student_id AS student_id, a.name AS assignment, sa.timestamp AS submitted_at,
       SUM(COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0)) AS score,
       SUM(gc.max_score) AS max_score
FROM submitted_assignment sa
JOIN assignment a ON a.id = sa.assignment_id
JOIN submitted_notebook sn ON sn.assignment_id = sa.id
JOIN grade g ON g.notebook_id = sn.id
JOIN grade_cells gc ON gc.id = g.cell_id
GROUP BY sa.student_id, a.name, sa.timestamp
"""

ITEMS_SQL = f"""
SELECT sa.student_id AS student_id, a.name AS assignment, bc.name AS cell,
       COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0) AS score,
       gc.max_score AS max_score
FROM submitted_assignment sa
JOIN assignment a ON a.id = sa.assignment_id
JOIN submitted_notebook sn ON sn.assignment_id = sa.id
JOIN grade g ON g.notebook_id = sn.id
JOIN grade_cells gc ON gc.id = g.cell_id
JOIN base_cell bc ON bc.id = gc.id
WHERE substr(bc.name, 1, {len(GRADE_ID_PREFIX)}) = '{GRADE_ID_PREFIX}'
"""


def _read_sql(db_url: str, sql: str) -> pd.DataFrame:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return pd.read_sql(sa.text(sql), conn)
    finally:
        engine.dispose()


def derive_attempts(db_url: str, course_root: Path | None = None) -> pd.DataFrame:
    subs = _read_sql(db_url, SUBMISSIONS_SQL)
    kinds = {name: assignment_kind(name) for name in subs["assignment"].unique()}
    marks = {name: pass_mark(name) for name in kinds}
    out = pd.DataFrame({
        "student_id": subs["student_id"].astype(str),
        "assignment": subs["assignment"],
        "attempt": 1,
        "kind": subs["assignment"].map(lambda a: kinds[a][0]),
        "module": subs["assignment"].map(lambda a: kinds[a][1]),
        "submitted_at": pd.to_datetime(subs["submitted_at"], utc=True, format="mixed"),
        "graded_at": pd.NaT,
        "score": subs["score"].astype(float),
        "max_score": subs["max_score"].astype(float),
    })
    percent = (out["score"] / out["max_score"]).where(out["max_score"] > 0, 0.0)
    out["passed"] = percent >= out["assignment"].map(marks) - 1e-9
    out["counted"] = True
    out["content_version"] = None
    out["answers_fingerprint"] = None
    if course_root is not None and len(out) and len(out) <= 50_000:
        submitted = Path(course_root) / "submitted"
        out["answers_fingerprint"] = [
            fingerprint(submitted / s / a / paths.ANSWER_RECORD) if (submitted / s / a).is_dir() else None
            for s, a in zip(out["student_id"], out["assignment"])]
    return out[ATTEMPT_COLUMNS]


def load_attempts(db_url: str, course_root: Path | None = None) -> pd.DataFrame:
    """The quiz area's ledger where present, completed from the gradebook."""
    derived = derive_attempts(db_url, course_root)
    ledger = read_attempts(db_url)[ATTEMPT_COLUMNS]
    if ledger.empty:
        return derived
    ledger = ledger.assign(submitted_at=pd.to_datetime(ledger["submitted_at"], utc=True, format="mixed"))
    known = set(zip(ledger["student_id"], ledger["assignment"]))
    extra = derived[[k not in known for k in zip(derived["student_id"], derived["assignment"])]]
    return pd.concat([ledger, extra], ignore_index=True) if len(extra) else ledger


def read_item_grades(db_url: str) -> pd.DataFrame:
    """One row per learner, assignment and scored item (grade cell nilai_<item>)."""
    items = _read_sql(db_url, ITEMS_SQL)
    items["item"] = items["cell"].str.removeprefix(GRADE_ID_PREFIX)
    items["student_id"] = items["student_id"].astype(str)
    return items.drop(columns=["cell"])
