"""Workers and shards of the one grading path (pipeline.py).

Learners are split into disjoint groups; each worker is one process that
autogrades its group, then renders and releases its feedback
(recordgrade.py, run by pipeline.py). Workers share the gradebook:

- PostgreSQL takes concurrent writers as it is;
- SQLite allows one writer at a time: the gradebook file is switched to WAL
  (readers never block the writer) and every connection waits for the lock
  (busy timeout in the db_url, config.SQLITE_BUSY_TIMEOUT_S) instead of failing
  with "database is locked". bench/autograde.py measures what that costs.

Several machines: `--shard i/n` keeps only the learners whose NIP hashes to
shard i (stable, no coordination). Each machine has its own course folder
(same repository checkout) and shares the exchange and a PostgreSQL gradebook;
it collects, grades and returns feedback for its shard only (docs/SKALA.md).
"""
from __future__ import annotations

import hashlib


def shard_of(nip: str, n: int) -> int:
    """Stable shard of a learner: the same on every machine and every run."""
    return int.from_bytes(hashlib.sha256(nip.encode("utf-8")).digest()[:8], "big") % n


def parse_shard(text: str) -> tuple[int, int]:
    """"i/n" -> (i, n), with 0 <= i < n."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard harus berbentuk i/n, misalnya 0/3 (diberikan: {text!r})") from None
    if not 0 <= i < n:
        raise ValueError(f"--shard {text}: i harus 0 sampai {n - 1}")
    return i, n


def split(learners: list[str], workers: int) -> list[list[str]]:
    """Disjoint groups of about equal size (round robin over the sorted ids)."""
    groups = [sorted(learners)[k::workers] for k in range(max(workers, 1))]
    return [g for g in groups if g]


def submitted_learners(course, assignment_id: str) -> list[str]:
    return sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{assignment_id}") if p.is_dir())


def use_wal(db_url: str) -> None:
    """Concurrent writers on one SQLite file: WAL journal (kept in the file)."""
    if not db_url.startswith("sqlite"):
        return
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    engine.dispose()
