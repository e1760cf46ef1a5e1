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

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .. import paths
from ..grading.check import GRADE_ID_PREFIX
from ..grading.attempts import COLUMNS as LEDGER_COLUMNS
from ..grading.attempts import TABLE, attempt_table, fingerprint
from ..policy import assignment_kind, pass_mark

ATTEMPT_COLUMNS = LEDGER_COLUMNS  # the contract columns, defined once by the ledger

SUBMISSIONS_SQL = """
SELECT sa.student_id AS student_id, a.name AS assignment, sa.timestamp AS submitted_at,
       SUM(COALESCE(g.manual_score, g.auto_score, 0) + COALESCE(g.extra_credit, 0)) AS score,
       SUM(gc.max_score) AS max_score
FROM submitted_assignment sa
JOIN assignment a ON a.id = sa.assignment_id
JOIN submitted_notebook sn ON sn.assignment_id = sa.id
JOIN grade g ON g.notebook_id = sn.id
JOIN grade_cells gc ON gc.id = g.cell_id
{where}
GROUP BY sa.student_id, a.name, sa.timestamp
"""

# Submissions in the gradebook the ledger does not hold (usually none): one
# index probe per submission. The check reads only nbgrader's unique index
# (assignment_id, student_id) and the ledger's (assignment, student_id), never
# a table row, about three times faster than NOT_IN_LEDGER; that query (ids
# for derive_attempts) runs only when the check finds something.
LEDGER_GAPS = f"""
SELECT a.name, sa.student_id FROM assignment a JOIN submitted_assignment sa ON sa.assignment_id = a.id
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} t WHERE t.assignment = a.name AND t.student_id = sa.student_id)
LIMIT 1
"""
NOT_IN_LEDGER = f"""
SELECT sa.id FROM submitted_assignment sa JOIN assignment a ON a.id = sa.assignment_id
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} t WHERE t.student_id = sa.student_id AND t.assignment = a.name)
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


def _read_sql(db_url: str, sql: str, params: dict | None = None,
              types: dict[str, str] | None = None) -> pd.DataFrame:
    """Through the driver's own cursor: for a million rows SQLAlchemy's row
    objects cost more than the query itself. types (column -> numpy type,
    e.g. "i8", "f8", "?"): those columns and every other one (as objects) go
    from the row tuples into one numpy record array in C, several times
    faster than DataFrame.from_records' per-column inference."""
    engine = sa.create_engine(db_url)
    try:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute(sql, params or {})
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        finally:
            raw.close()
    finally:
        engine.dispose()
    if types is None or not rows:
        return pd.DataFrame.from_records(rows, columns=names)
    records = np.array(rows, dtype=[(n, types.get(n, "O")) for n in names])
    del rows
    return pd.DataFrame({n: records[n] for n in names})


def _utc(values: pd.Series) -> pd.Series:
    """SQLite hands timestamps back as ISO text, PostgreSQL as datetimes; both naive UTC."""
    if len(values) and isinstance(values.iloc[0], str):
        return pd.to_datetime(values, utc=True, format="ISO8601")
    return pd.to_datetime(values, utc=True)


SUMMARY_COLUMNS = ["student_id", "assignment", "attempt", "kind", "module", "submitted_at", "score", "max_score",
                   "passed", "counted"]
# SQLite keeps timestamps as text; for the summary it hands back epoch
# milliseconds instead (integers cross into Python several times faster).
SQLITE_EPOCH_MS = "CAST(ROUND((julianday(submitted_at) - 2440587.5) * 86400000) AS INTEGER) AS submitted_at"


# Numeric columns of the ledger, typed as they cross into numpy (submitted_at
# only as epoch milliseconds).
LEDGER_TYPES = {"attempt": "i8", "submitted_at": "i8", "score": "f8", "max_score": "f8", "passed": "?",
                "counted": "?"}


def _create_ledger(db_url: str) -> str:
    """Creates the ledger table if missing; returns the database dialect."""
    engine = sa.create_engine(db_url)
    try:
        attempt_table.metadata.create_all(engine, checkfirst=True)
        for index in attempt_table.indexes:  # a ledger created before the index was added
            index.create(engine, checkfirst=True)
        return engine.dialect.name
    finally:
        engine.dispose()


def _read_summary_sqlite(db_url: str, most: int = 1024) -> pd.DataFrame | None:
    """SUMMARY_COLUMNS with five values per row instead of ten: every Python
    object a row brings costs time at a million rows. The few (assignment,
    kind, module) combinations become a number, packed by SQLite with attempt,
    passed and counted into one integer and unpacked here in numpy.
    None (read plainly) when there are more than `most` combinations."""
    # NOT INDEXED: one pass over the table, not a walk of an index with a row lookup per entry
    combos = _read_sql(db_url, f"SELECT DISTINCT assignment, kind, module FROM {TABLE} NOT INDEXED")
    if len(combos) > most:
        return None
    params, whens = {}, []
    for i, (assignment, kind, module) in enumerate(combos.itertuples(index=False, name=None)):
        params.update({f"a{i}": assignment, f"k{i}": kind, f"m{i}": None if pd.isna(module) else module})
        whens.append(f"WHEN assignment = :a{i} AND kind = :k{i} AND module IS :m{i} THEN {i}")
    code = f"CASE {' '.join(whens)} END" if whens else "0"
    packed = f"(((attempt * {most}) + ({code})) * 4 + (passed <> 0) * 2 + (counted <> 0)) AS packed"
    frame = _read_sql(db_url, f"SELECT student_id, {packed}, {SQLITE_EPOCH_MS}, score, max_score FROM {TABLE}",
                      params, types={"packed": "i8", "submitted_at": "i8", "score": "f8", "max_score": "f8"})
    if frame.empty:
        return frame
    x = frame.pop("packed").to_numpy()
    combo = (x >> 2) % most
    for col in ("assignment", "kind", "module"):
        frame[col] = combos[col].array[combo]  # a take from a few strings: no per-row check
    frame["attempt"], frame["passed"], frame["counted"] = x // (4 * most), (x & 2) > 0, (x & 1) > 0
    return frame


def read_ledger(db_url: str, full: bool = True) -> pd.DataFrame:
    """The ledger table (contract 1) with read_attempts' columns and types,
    read through the raw cursor for speed (same table, same columns).
    full=False leaves out what only the audit sheet needs (graded_at,
    content_version, answers_fingerprint)."""
    epoch = _create_ledger(db_url) == "sqlite" and not full
    frame = _read_summary_sqlite(db_url) if epoch else None
    if frame is None:
        cols = LEDGER_COLUMNS if full else SUMMARY_COLUMNS
        select = ", ".join(SQLITE_EPOCH_MS if (c == "submitted_at" and epoch) else c for c in cols)
        types = {c: t for c, t in LEDGER_TYPES.items() if epoch or c != "submitted_at"}
        frame = _read_sql(db_url, f"SELECT {select} FROM {TABLE}", types=types)
    if frame.empty:
        return pd.DataFrame(columns=ATTEMPT_COLUMNS)
    if epoch:
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], unit="ms", utc=True)
    else:
        frame["submitted_at"] = _utc(frame["submitted_at"])
    if full:
        frame["graded_at"] = _utc(frame["graded_at"])
    else:
        frame["graded_at"], frame["content_version"], frame["answers_fingerprint"] = pd.NaT, None, None
    for col in ("passed", "counted"):
        frame[col] = frame[col].astype(bool)
    frame["attempt"] = frame["attempt"].astype(int)
    return frame[ATTEMPT_COLUMNS]


def has_gradebook(db_url: str) -> bool:
    """False for a course nothing was released or graded in yet (no nbgrader tables)."""
    engine = sa.create_engine(db_url)
    try:
        return sa.inspect(engine).has_table("submitted_assignment")
    finally:
        engine.dispose()


def derive_attempts(db_url: str, course_root: Path | None = None, only: list[str] | None = None) -> pd.DataFrame:
    """One attempt per gradebook submission (only: these submitted_assignment ids)."""
    if not has_gradebook(db_url):
        return pd.DataFrame(columns=ATTEMPT_COLUMNS)
    where = ""
    if only is not None:
        if not only:
            return pd.DataFrame(columns=ATTEMPT_COLUMNS)
        if len(only) > 5_000:  # a ledger started late: cheaper to read everything once
            return _without_ledger_rows(derive_attempts(db_url, course_root), db_url)
        # ids come from the gradebook itself (hex), quotes stripped all the same
        where = "WHERE sa.id IN (" + ", ".join("'" + i.replace("'", "") + "'" for i in only) + ")"
    subs = _read_sql(db_url, SUBMISSIONS_SQL.format(where=where))
    kinds = {name: assignment_kind(name) for name in subs["assignment"].unique()}
    marks = {name: pass_mark(name) for name in kinds}
    out = pd.DataFrame({
        "student_id": subs["student_id"].astype(str),
        "assignment": subs["assignment"],
        "attempt": 1,
        "kind": subs["assignment"].map({a: k[0] for a, k in kinds.items()}),
        "module": subs["assignment"].map({a: k[1] for a, k in kinds.items()}),
        "submitted_at": _utc(subs["submitted_at"]),
        "graded_at": pd.NaT,
        "score": subs["score"].astype(float),
        "max_score": subs["max_score"].astype(float),
    })
    percent = (out["score"] / out["max_score"]).where(out["max_score"] > 0, 0.0)
    out["passed"] = percent >= out["assignment"].map(marks).astype(float) - 1e-9
    out["counted"] = True
    out["content_version"] = None
    out["answers_fingerprint"] = None
    if course_root is not None and len(out) and len(out) <= 50_000:
        submitted = Path(course_root) / "submitted"
        out["answers_fingerprint"] = [
            fingerprint(submitted / s / a / paths.ANSWER_RECORD) if (submitted / s / a).is_dir() else None
            for s, a in zip(out["student_id"], out["assignment"])]
    return out[ATTEMPT_COLUMNS]


def _without_ledger_rows(derived: pd.DataFrame, db_url: str) -> pd.DataFrame:
    known = _read_sql(db_url, f"SELECT DISTINCT student_id, assignment FROM {TABLE}")
    keys = pd.MultiIndex.from_frame(known[["student_id", "assignment"]].astype(str))
    mine = pd.MultiIndex.from_frame(derived[["student_id", "assignment"]].astype(str))
    return derived[~mine.isin(keys)].reset_index(drop=True)


def load_attempts(db_url: str, course_root: Path | None = None, full: bool = True) -> pd.DataFrame:
    """The quiz area's ledger, completed from the gradebook for submissions it lacks."""
    ledger = read_ledger(db_url, full)
    if ledger.empty or not has_gradebook(db_url):
        return derive_attempts(db_url, course_root)
    missing = _read_sql(db_url, NOT_IN_LEDGER)["id"].tolist() if len(_read_sql(db_url, LEDGER_GAPS)) else []
    extra = derive_attempts(db_url, course_root, only=missing)
    return pd.concat([ledger, extra], ignore_index=True) if len(extra) else ledger


def read_item_grades(db_url: str) -> pd.DataFrame:
    """One row per learner, assignment and scored item (grade cell nilai_<item>)."""
    items = _read_sql(db_url, ITEMS_SQL) if has_gradebook(db_url) else pd.DataFrame()
    if items.empty:
        return pd.DataFrame(columns=["student_id", "assignment", "score", "max_score", "item"])
    items["item"] = items["cell"].str.removeprefix(GRADE_ID_PREFIX)
    items["student_id"] = items["student_id"].astype(str)
    return items.drop(columns=["cell"])


def read_grades(db_url: str) -> pd.DataFrame:
    """One row per submission (nip, assignment, submitted_at, score, max_score, percent)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            frame = pd.read_sql(sa.text(SUBMISSIONS_SQL.format(where="")), conn).rename(columns={"student_id": "nip"})
    finally:
        engine.dispose()
    frame["percent"] = (frame["score"] / frame["max_score"]).where(frame["max_score"] > 0, 0.0)
    return frame
