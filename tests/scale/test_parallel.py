"""Parallel and sharded grading give the grades of sequential grading, on
SQLite and on PostgreSQL, without damaging the gradebook."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
import sqlalchemy as sa

from netralitas import paths
from netralitas.grading.attempts import read_attempts
from netralitas.grading.batch import grade_and_report
from netralitas.grading.course import Course
from netralitas.grading.parallel import parse_shard, shard_of, split, submitted_learners
from netralitas.report.ledger import read_grades


def scores(course) -> dict[str, float]:
    g = read_grades(course.db_url())
    return dict(zip(g["nip"], g["score"]))


def ledger(course) -> dict[str, float]:
    """The attempts ledger (quiz helper's contract) as {nip: score}."""
    frame = read_attempts(course.db_url(), "kuis_02")
    return dict(zip(frame["student_id"], frame["score"]))


def reasons(outcomes_path) -> pd.DataFrame:
    cols = ["nip", "item", "reason", "chosen"]
    frame = pd.read_csv(outcomes_path, dtype=str).fillna("")[cols]
    return frame.sort_values(cols).reset_index(drop=True)


def regrade_course(cycle, tmp_path, db_url=None) -> Course:
    """The cycle's submissions (still in its exchange) in a fresh course folder."""
    exchange = tmp_path / "exchange"
    shutil.copytree(cycle.course.exchange, exchange)
    course = Course.init(tmp_path / "kursus", db_url=db_url, exchange=exchange)
    course.publish("kuis_02")
    return course


def test_split_makes_disjoint_groups_covering_everyone():
    learners = [f"1986{n:014d}" for n in range(11)]
    groups = split(learners, 3)
    assert sorted(sum(groups, [])) == sorted(learners)
    assert len(groups) == 3 and all(not set(a) & set(b) for a in groups for b in groups if a is not b)
    assert split(learners[:1], 4) == [learners[:1]]


def test_shard_is_stable_and_spreads():
    learners = [f"1986{n:014d}" for n in range(300)]
    counts = [sum(shard_of(x, 3) == i for x in learners) for i in range(3)]
    assert min(counts) > 60 and sum(counts) == 300
    assert [shard_of(x, 3) for x in learners] == [shard_of(x, 3) for x in learners]
    assert parse_shard("1/3") == (1, 3)
    for bad in ["3/3", "x", "1-3", "-1/2"]:
        with pytest.raises(ValueError, match="--shard"):
            parse_shard(bad)


@pytest.mark.slow
@pytest.mark.parametrize("cycle", ["postgresql"], indirect=True)
def test_cycle_on_postgres_writes_no_sqlite_file(cycle):
    url = cycle.course.db_url()
    assert url.startswith("postgresql+psycopg://")
    assert not list(cycle.course.root.rglob("*.db"))
    with sa.create_engine(url).connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        assert {"submitted_assignment", "grade", "student"} <= tables
        n = conn.execute(sa.text("select count(*) from submitted_assignment")).scalar()
    assert n == sum(p.profile != "tidak_mengirim" for p in cycle.people)


@pytest.mark.slow
def test_two_workers_on_sqlite_equal_sequential(cycle, tmp_path):
    """Two record-mode workers, one SQLite file: same grades, same reasons, an
    intact gradebook, feedback for everyone (record mode is the only grading mode)."""
    course = regrade_course(cycle, tmp_path)
    _, path, _ = grade_and_report(course, "kuis_02", workers=2)
    assert scores(course) == scores(cycle.course)
    assert ledger(course) == ledger(cycle.course) and len(ledger(course)) == len(scores(course))
    assert reasons(path).equals(reasons(cycle.outcomes_path))
    with sa.create_engine(course.db_url()).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    released = list((course.exchange / paths.COURSE_ID / "feedback").rglob("*.html"))
    assert len(released) == len(scores(course))


@pytest.mark.slow
def test_two_machines_split_by_shard_share_postgres_and_exchange(cycle, tmp_path, postgres):
    """Two course folders (two machines), one PostgreSQL gradebook, one exchange;
    each runs `netralitas grade --shard i/2 --workers 2` (record mode)."""
    url = postgres.create_database("shard")
    first = regrade_course(cycle, tmp_path / "mesin_a", db_url=url)
    second = Course.init(tmp_path / "mesin_b" / "kursus", db_url=url, exchange=first.exchange)
    for i, course in enumerate([first, second]):
        proc = subprocess.run([sys.executable, "-m", "netralitas.cli", "grade", "kuis_02", "--course",
                               str(course.root), "--shard", f"{i}/2", "--workers", "2"],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert "kiriman dinilai" in proc.stdout
        log = (course.root / "reports" / "autograde_kuis_02.log").read_text()
        # As many workers as asked, but never more than the shard's learners (the split
        # follows the NIPs' hash, so a shard of this small cohort may hold one learner).
        in_shard = [x for x in submitted_learners(cycle.course, "kuis_02") if shard_of(x, 2) == i]
        workers = len(split(in_shard, 2))
        assert in_shard and "==== collect kuis_02:" in log
        assert f"autograde kuis_02 (record mode, {workers} worker(s)) (exit 0)" in log
    assert scores(first) == scores(cycle.course)  # one gradebook holds both shards
    assert ledger(first) == ledger(cycle.course)
    both = []
    for i, course in enumerate([first, second]):
        mine = {p.parent.name for p in (course.root / "submitted").glob("*/kuis_02")}
        assert mine and all(shard_of(x, 2) == i for x in mine)
        both.append(reasons(course.root / "reports" / "penilaian_kuis_02.csv"))
    merged = pd.concat(both).sort_values(list(both[0].columns)).reset_index(drop=True)
    assert merged.equals(reasons(cycle.outcomes_path))
    released = list((first.exchange / paths.COURSE_ID / "feedback").rglob("*.html"))
    assert len(released) == len(scores(cycle.course))
