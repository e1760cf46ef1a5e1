"""The attempts ledger: every graded submission, one row, kept for audit.

nbgrader's collect keeps only a learner's newest submission, and its gradebook
holds one score per learner and assignment. The ledger keeps the history:
`record_graded` runs after every autograde (`netralitas grade`) and appends
the submission it finds in submitted/, keyed by learner, assignment and
nbgrader's submission timestamp, so grading the same submission again updates
its row instead of adding an attempt. The attempt number is the submission's
place among all of the learner's submissions in the exchange inbound (nbgrader
keeps every one there), so it matches what the "Kirim jawaban" button counted,
even when two submissions came between grading runs and only the newer one
was graded. `counted` marks the one attempt that counts per the policy
(grading/kebijakan.yaml): attempts above the maximum are recorded, never counted.

Table `netralitas_attempt` lives in the gradebook database (same db_url),
created if missing. HR reads it with `read_attempts(db_url)`.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pandas as pd
import sqlalchemy as sa

from .. import policy, record
from ..paths import ANSWER_RECORD, COURSE_ID

TABLE = "netralitas_attempt"
COLUMNS = ["student_id", "assignment", "attempt", "kind", "module", "submitted_at", "graded_at", "score",
           "max_score", "passed", "counted", "content_version", "answers_fingerprint"]

_meta = sa.MetaData()
attempt_table = sa.Table(
    TABLE, _meta,
    sa.Column("student_id", sa.String(128), primary_key=True),
    sa.Column("assignment", sa.String(128), primary_key=True),
    # nbgrader's submission timestamp (naive UTC, as nbgrader stores it): the
    # identity of a submission, so a regrade finds its row again.
    sa.Column("submitted_at", sa.DateTime(), primary_key=True),
    sa.Column("attempt", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("module", sa.String(8), nullable=True),
    sa.Column("graded_at", sa.DateTime(), nullable=False),
    sa.Column("score", sa.Float(), nullable=False),
    sa.Column("max_score", sa.Float(), nullable=False),
    sa.Column("passed", sa.Boolean(), nullable=False),
    sa.Column("counted", sa.Boolean(), nullable=False),
    sa.Column("content_version", sa.String(64), nullable=True),
    sa.Column("answers_fingerprint", sa.String(64), nullable=False),
    # The exchange folder the submission came from (collect.py): a new folder
    # is a new attempt even when its time equals an earlier one's.
    sa.Column("submission", sa.String(255), nullable=True),
    # HR's check that every gradebook submission has its ledger row walks the
    # gradebook per assignment; this lets each probe stay in one index range.
    sa.Index("ix_netralitas_attempt_assignment", "assignment", "student_id"),
)

# Key of the build's content hash in a quiz notebook's metadata.
CONTENT_VERSION_KEY = "content_version"


_READY: set[str] = set()


@contextlib.contextmanager
def _engine(db_url: str):
    engine = sa.create_engine(db_url)
    try:
        if db_url not in _READY:  # once per process: feedback asks per learner
            _meta.create_all(engine, checkfirst=True)
            _add_missing_columns(engine)
            _READY.add(db_url)
        yield engine
    finally:
        engine.dispose()


def _add_missing_columns(engine) -> None:
    """Ledgers written before a column existed get it (nullable, so old rows stay)."""
    have = {c["name"] for c in sa.inspect(engine).get_columns(TABLE)}
    missing = [c for c in attempt_table.columns if c.name not in have]
    if missing:
        with engine.begin() as conn:
            for col in missing:
                conn.exec_driver_sql(f"ALTER TABLE {TABLE} ADD COLUMN {col.name} "
                                     f"{col.type.compile(engine.dialect)}")


def fingerprint(answers_path: Path) -> str:
    """sha256 of the canonical answer record: the answers as {item: option}
    sorted, plus the problem if the record is missing or unreadable. Two
    records with the same answers give the same fingerprint whatever their
    click times or formatting."""
    try:
        loaded = record.load(Path(answers_path))
    except (RecursionError, MemoryError, ValueError) as exc:
        loaded = record.LoadResult(problem="corrupt", detail=type(exc).__name__)
    canonical = {"answers": dict(sorted(loaded.answers.items()))}
    if loaded.problem:
        canonical["problem"] = loaded.problem
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_version(notebook: Path) -> str | None:
    """The bank-content hash the build wrote into the quiz notebook's metadata."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return None
    return (nb.metadata.get("netralitas") or {}).get(CONTENT_VERSION_KEY)


def _utc(value: str | datetime) -> datetime:
    """nbgrader timestamps as naive UTC datetimes (how its gradebook stores them)."""
    from nbgrader.utils import parse_utc

    parsed = parse_utc(value)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed


def submission_times(exchange: Path, student_id: str, assignment_id: str) -> list[datetime]:
    """Times of all of a learner's submissions in the exchange inbound, oldest first."""
    from .collect import submission_order

    return [ts for ts, _ in submission_order(exchange, student_id, assignment_id)]


def identities(db_url: str, assignment_id: str, submissions: dict[str, tuple[str | None, datetime]]
               ) -> dict[str, datetime]:
    """{student: submitted_at} for the ledger and the gradebook, so that a new
    submission never takes an earlier attempt's row: the same exchange folder
    keeps its time (a regrade), a new folder whose time equals a recorded
    attempt's moves on by microseconds (deterministic, and the folder's
    name is kept in the row)."""
    t = attempt_table
    out = {}
    with _engine(db_url) as engine, engine.connect() as conn:
        for student_id, (name, ts) in submissions.items():
            rows = conn.execute(sa.select(t.c.submitted_at, t.c.submission).where(
                sa.and_(t.c.student_id == student_id, t.c.assignment == assignment_id))).all()
            same = [at for at, sub in rows if name is not None and sub == name]
            if same:
                out[student_id] = same[0]
                continue
            taken = {at for at, sub in rows if name is None or sub != name}
            if name is None or not any(at == ts and sub is None for at, sub in rows):
                while ts in taken:
                    ts += timedelta(microseconds=1)
            out[student_id] = ts
    return out


def _choose_counted(rows: list[dict], rule: policy.Attempts) -> int | None:
    """Index of the row that counts: within the maximum, best score (earliest
    on a tie) or the latest attempt."""
    eligible = [i for i, r in enumerate(rows) if r["attempt"] <= rule.maximum]
    if not eligible:
        return None
    if rule.counted == "terakhir":
        return max(eligible, key=lambda i: (rows[i]["attempt"], rows[i]["submitted_at"]))
    return min(eligible, key=lambda i: (-rows[i]["score"], rows[i]["attempt"], rows[i]["submitted_at"]))


def _recount(conn, student_id: str, assignment_id: str, rule: policy.Attempts) -> None:
    t = attempt_table
    where = sa.and_(t.c.student_id == student_id, t.c.assignment == assignment_id)
    rows = [dict(r._mapping) for r in conn.execute(sa.select(t).where(where).order_by(t.c.attempt))]
    chosen = _choose_counted(rows, rule)
    for i, r in enumerate(rows):
        if r["counted"] != (i == chosen):
            conn.execute(sa.update(t).where(sa.and_(where, t.c.submitted_at == r["submitted_at"]))
                         .values(counted=(i == chosen)))


def record_graded(db_url: str, course_root: Path, assignment_id: str, exchange: Path | None = None,
                  policy_file: Path | None = None, now: datetime | None = None,
                  learners: set[str] | None = None) -> pd.DataFrame:
    """Append (or update, on a regrade) the ledger row of every submission in
    submitted/ for this assignment; return the rows touched.

    A submission nbgrader could not autograde scores 0 here too (the batch
    report gives the reason), so the ledger never misses an attempt.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from ..report.archive import archive_submission, snapshot_policy
    from .collect import now_utc, origin, submission_order

    root = Path(course_root)
    exchange = Path(exchange) if exchange else root / "exchange"
    graded_at = (now or now_utc()).astimezone(timezone.utc).replace(tzinfo=None)
    kind, module = policy.assignment_kind(assignment_id)
    rule = policy.attempts(assignment_id, policy_file)
    mark = policy.pass_mark(assignment_id, policy_file)
    version = content_version(root / "release" / assignment_id / f"{assignment_id}.ipynb")

    found = []
    with Gradebook(db_url, course_id=COURSE_ID) as gb:
        try:
            max_score = float(gb.find_assignment(assignment_id).max_score)
        except MissingEntry:
            return pd.DataFrame(columns=COLUMNS)
        for folder in sorted((root / "submitted").glob(f"*/{assignment_id}")):
            student_id = folder.parent.name
            if learners is not None and student_id not in learners:
                continue
            stamp = folder / "timestamp.txt"
            try:
                submitted_at = _utc(stamp.read_text(encoding="utf-8").strip())
            except (OSError, ValueError, OverflowError):
                submitted_at = None
            score = 0.0
            graded = (root / "autograded" / student_id / assignment_id).is_dir()
            try:
                sub = gb.find_submission(assignment_id, student_id)
                submitted_at = submitted_at or sub.timestamp
                if graded and (sub.timestamp is None or sub.timestamp == submitted_at):
                    score = float(sub.score or 0.0)
            except MissingEntry:
                pass
            if submitted_at is None:
                continue  # nothing to key it by; the batch report still lists it
            found.append({"student_id": student_id, "submitted_at": submitted_at, "score": score,
                          "answers_fingerprint": fingerprint(folder / ANSWER_RECORD),
                          "submission": origin(folder)})
            # Evidence (report/archive.py): every submission kept, not only the newest.
            archive_submission(root, student_id, assignment_id, folder, submitted_at)
    snapshot_policy(root, policy.policy_file(policy_file), assignment_id, now)

    touched = []
    t = attempt_table
    with _engine(db_url) as engine, engine.begin() as conn:
        for row in found:
            where = sa.and_(t.c.student_id == row["student_id"], t.c.assignment == assignment_id)
            existing = conn.execute(sa.select(t.c.attempt, t.c.submitted_at).where(where)).all()
            same = [a for a, ts in existing if ts == row["submitted_at"]]
            values = {**row, "graded_at": graded_at, "max_score": max_score, "kind": kind, "module": module,
                      "passed": max_score > 0 and bool(policy.passes(row["score"], max_score, mark)),
                      "content_version": version}
            if same:
                values["attempt"] = same[0]
                conn.execute(sa.update(t).where(sa.and_(where, t.c.submitted_at == row["submitted_at"]))
                             .values(**{k: v for k, v in values.items() if k != "counted"}))
            else:
                order = submission_order(exchange, row["student_id"], assignment_id)
                names = [name for _, name in order]
                ordinal = (names.index(row["submission"]) + 1 if row["submission"] in names
                           else sum(1 for ts, _ in order if ts <= row["submitted_at"]))
                later_than = max((a for a, _ in existing), default=0)
                values["attempt"] = max(ordinal, later_than + 1)
                conn.execute(sa.insert(t).values(assignment=assignment_id, counted=False, **values))
            _recount(conn, row["student_id"], assignment_id, rule)
            touched.append((row["student_id"], row["submitted_at"]))
    frame = read_attempts(db_url, assignment_id)
    keys = set(touched)
    return frame[[(s, ts.to_pydatetime()) in keys for s, ts in zip(frame["student_id"], frame["submitted_at"])]
                 ].reset_index(drop=True)


def read_attempts(db_url: str, assignment_id: str | None = None) -> pd.DataFrame:
    """The ledger as a frame with exactly COLUMNS (empty if nothing was graded)."""
    t = attempt_table
    query = sa.select(*[t.c[c] for c in COLUMNS]).order_by(t.c.assignment, t.c.student_id, t.c.attempt)
    if assignment_id:
        query = query.where(t.c.assignment == assignment_id)
    with _engine(db_url) as engine, engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(query)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("submitted_at", "graded_at"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("passed", "counted"):
        frame[col] = frame[col].astype(bool)
    frame["attempt"] = frame["attempt"].astype(int)
    return frame


def learner_standings(db_url: str, assignment_id: str, learners, policy_file: Path | None = None) -> dict:
    """learner_standing of many learners with one read of the ledger."""
    rule = policy.attempts(assignment_id, policy_file)
    t = attempt_table
    wanted = set(learners)
    rows: dict[str, list] = {x: [] for x in wanted}
    with _engine(db_url) as engine, engine.connect() as conn:
        for student_id, attempt, passed in conn.execute(sa.select(t.c.student_id, t.c.attempt, t.c.passed)
                                                        .where(t.c.assignment == assignment_id)):
            if student_id in wanted:
                rows[student_id].append((attempt, passed))
    out = {}
    for student_id, mine in rows.items():
        last = max((a for a, _ in mine), default=0)
        out[student_id] = {"passed": any(p for _, p in mine), "attempts_used": last, "maximum": rule.maximum,
                           "exhausted": last >= rule.maximum}
    return out


def learner_standing(db_url: str, student_id: str, assignment_id: str,
                     policy_file: Path | None = None) -> dict:
    """What feedback needs to know: has the learner passed, are attempts used up."""
    rule = policy.attempts(assignment_id, policy_file)
    t = attempt_table
    with _engine(db_url) as engine, engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.attempt, t.c.passed).where(
            sa.and_(t.c.student_id == student_id, t.c.assignment == assignment_id))).all()
    last = max((a for a, _ in rows), default=0)
    return {"passed": any(p for _, p in rows), "attempts_used": last, "maximum": rule.maximum,
            "exhausted": last >= rule.maximum}
