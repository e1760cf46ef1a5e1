"""Benchmark, all figures measured in the same run:

- grading: stock sequential `nbgrader autograde` (a kernel per notebook) against
  the project's grading (`netralitas grade`: scores from the answer record, no
  kernel) on the same synthetic submissions; the scores must be identical;
- report: the SQL read of the gradebook against nbgrader's Gradebook API loop.

    make bench                      # 200 submissions
    make bench BENCH_ARGS="--large"  # 2,000 submissions

Figures are printed and written to bench/results/<timestamp>.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from netralitas import paths, record
from netralitas.content.loader import default_bank, load_quiz_items
from netralitas.demo import make_nip
from netralitas.grading.course import Course
from netralitas.report.completion import read_grades

RESULTS = Path(__file__).parent / "results"


def synthetic_submissions(course: Course, assignment_id: str, n: int, seed: int) -> list[str]:
    """Submissions as `nbgrader collect` leaves them: release notebook + the record."""
    rng = random.Random(seed)
    items = load_quiz_items(assignment_id, default_bank())
    release = course.root / "release" / assignment_id
    nips = []
    for _ in range(n):
        nip = make_nip(rng, "PNS")
        folder = course.root / "submitted" / nip / assignment_id
        shutil.copytree(release, folder)
        for item in items:
            if rng.random() < 0.9:
                record.save_answer(folder / paths.ANSWER_RECORD, item.id, rng.choice(item.pilihan).id)
        (folder / "timestamp.txt").write_text("2026-11-20 08:00:00.000000 UTC")
        nips.append(nip)
    course.add_students([{"nip": x} for x in nips])
    return nips


def gradebook_api_loop(db_url: str, assignment_id: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=paths.COURSE_ID) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment_id)}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--large", action="store_true", help="2,000 submissions")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--assignment", default="kuis_02")
    args = parser.parse_args(argv)
    if args.large:
        args.n = 2000

    tmp = Path(tempfile.mkdtemp(prefix="netralitas-bench-"))
    try:
        course = Course.init(tmp / "kursus")
        course.publish(args.assignment)
        nips = synthetic_submissions(course, args.assignment, args.n, args.seed)
        fast = Course.init(tmp / "kursus_cepat")
        fast.publish(args.assignment)
        shutil.copytree(course.root / "submitted", fast.root / "submitted")
        fast.add_students([{"nip": x} for x in nips])

        t = time.perf_counter()
        course.run("autograde", args.assignment)
        stock = time.perf_counter() - t

        t = time.perf_counter()
        fast.run("autograde", args.assignment, env={"NETRALITAS_GRADER": "record"})
        record_s = time.perf_counter() - t
        stock_scores = gradebook_api_loop(course.db_url(), args.assignment)
        assert gradebook_api_loop(fast.db_url(), args.assignment) == stock_scores, \
            "record-mode grades differ from stock nbgrader"

        t = time.perf_counter()
        api = gradebook_api_loop(course.db_url(), args.assignment)
        api_s = time.perf_counter() - t
        t = time.perf_counter()
        sql = read_grades(course.db_url())
        sql_s = time.perf_counter() - t
        assert dict(zip(sql["nip"], sql["score"])) == api, "SQL and Gradebook API disagree"
        assert len(api) == len(nips)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    figures = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "submissions": args.n,
        "stock_autograde_s": round(stock, 2),
        "stock_autograde_s_per_submission": round(stock / args.n, 3),
        "record_autograde_s": round(record_s, 2),
        "record_autograde_s_per_submission": round(record_s / args.n, 3),
        "record_speedup_vs_stock": round(stock / record_s, 1),
        "identical_scores": True,
        "report_read_gradebook_api_s": round(api_s, 4),
        "report_read_sql_s": round(sql_s, 4),
        "report_sql_speedup_vs_api": round(api_s / sql_s, 1) if sql_s else None,
    }
    print(f"Stock nbgrader autograde (sequential): {stock:.1f} s for {args.n} submissions "
          f"= {stock / args.n:.2f} s per submission (baseline)")
    print(f"Project grading (record mode): {record_s:.1f} s = {record_s / args.n:.3f} s per submission "
          f"-> {figures['record_speedup_vs_stock']}x stock, identical scores")
    print(f"Report read: Gradebook API loop {api_s:.3f} s; SQL {sql_s:.3f} s "
          f"-> SQL is {figures['report_sql_speedup_vs_api']}x the API loop")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"autograde_{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"Recorded: {out}")
    return figures


if __name__ == "__main__":
    main()
