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
from datetime import datetime, timezone
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
    # HR's check that every gradebook submission has its ledger row walks the
    # gradebook per assignment; this lets each probe stay in one index range.
    sa.Index("ix_netralitas_attempt_assignment", "assignment", "student_id"),
)

# Key of the build's content hash in a quiz notebook's metadata.
CONTENT_VERSION_KEY = "content_version"


@contextlib.contextmanager
def _engine(db_url: str):
    engine = sa.create_engine(db_url)
    try:
        _meta.create_all(engine, checkfirst=True)
        yield engine
    finally:
        engine.dispose()


def fingerprint(answers_path: Path) -> str:
    """sha256 of the canonical answer record: the answers as {item: option}
    sorted, plus the problem if the record is missing or unreadable. Two
    records with the same answers give the same fingerprint whatever their
    click times or formatting."""
    loaded = record.load(Path(answers_path))
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
    inbound = Path(exchange) / COURSE_ID / "inbound"
    times = []
    for folder in inbound.glob(f"{student_id}+{assignment_id}+*") if inbound.is_dir() else []:
        parts = folder.name.split("+")
        if len(parts) >= 3 and parts[0] == student_id and parts[1] == assignment_id:
            try:
                times.append(_utc(parts[2]))
            except (ValueError, OverflowError):
                continue
    return sorted(times)


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
                  policy_file: Path | None = None, now: datetime | None = None) -> pd.DataFrame:
    """Append (or update, on a regrade) the ledger row of every submission in
    submitted/ for this assignment; return the rows touched.

    A submission nbgrader could not autograde scores 0 here too (the batch
    report gives the reason), so the ledger never misses an attempt.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from ..report.archive import archive_submission, snapshot_policy

    root = Path(course_root)
    exchange = Path(exchange) if exchange else root / "exchange"
    graded_at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None)
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
                          "answers_fingerprint": fingerprint(folder / ANSWER_RECORD)})
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
                      "passed": max_score > 0 and row["score"] >= mark * max_score - 1e-9,
                      "content_version": version}
            if same:
                values["attempt"] = same[0]
                conn.execute(sa.update(t).where(sa.and_(where, t.c.submitted_at == row["submitted_at"]))
                             .values(**{k: v for k, v in values.items() if k != "counted"}))
            else:
                times = submission_times(exchange, row["student_id"], assignment_id)
                ordinal = sum(1 for ts in times if ts <= row["submitted_at"])
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
