"""Grading benchmark, every figure measured in the same run on the same
synthetic submissions:

- baseline: stock sequential `nbgrader autograde` (a kernel per notebook, SQLite;
  autograde only, on submissions already collected);
- the project's whole grading path, `netralitas grade` (collect from the
  exchange inbound with every check, record-mode autograde, attempts ledger,
  feedback pages and their release; netralitas/grading/pipeline.py) with 1, 2
  and N workers, on SQLite and on PostgreSQL (a throwaway local server, fsync
  on), with the seconds of each phase;
- every configuration must give exactly the baseline's scores;
- report read: the SQL read of the gradebook against nbgrader's Gradebook API loop.

    make bench                                   # 200 submissions
    make bench BENCH_ARGS="--large"              # 2,000; stock baseline on a
                                                 # 200-submission sample, extrapolated
    make bench BENCH_ARGS="--large --stock-sample 0"   # 2,000, stock on all of them

Figures are printed and written to bench/results/autograde_<timestamp>.json/.md.
The machine's load average is recorded beside them: others may share the CPU.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

from tqdm import tqdm

from netralitas import paths, record
from netralitas.content.loader import default_bank, load_quiz_items
from netralitas.testing.people import make_nip
from netralitas.grading import parallel
from netralitas.grading.course import Course
from netralitas.report.ledger import read_grades

from bench import save_results
from netralitas.clock import now_utc  # result times in UTC, named with Z, whatever the TZ


STAMP = "2026-11-20 08:00:00.000000 UTC"


def synthetic_submissions(course: Course, assignment_id: str, n: int, seed: int, inbound: Path) -> list[str]:
    """Submissions as `nbgrader submit` leaves them in the exchange inbound:
    release notebook, the answer record, timestamp and secret."""
    rng = random.Random(seed)
    items = load_quiz_items(assignment_id, default_bank())
    release = course.root / "release" / assignment_id
    nips = []
    for k in tqdm(range(n), desc="kiriman sintetis", unit="kiriman", leave=False):
        nip = make_nip(rng, "PNS")
        while nip in nips:
            nip = make_nip(rng, "PNS")
        folder = inbound / f"{nip}+{assignment_id}+{STAMP}+r{k:05d}"
        shutil.copytree(release, folder)
        for item in items:
            if rng.random() < 0.9:
                record.save_answer(folder / paths.ANSWER_RECORD, item.id, rng.choice(item.pilihan).id)
        (folder / "timestamp.txt").write_text(STAMP)
        (folder / "submission_secret.txt").write_text(f"rahasia-{rng.getrandbits(64):016x}")
        nips.append(nip)
    return nips


def as_collected(inbound: Path, assignment_id: str, nips: list[str], dest: Path) -> None:
    """What stock `nbgrader collect` would leave in submitted/ for these learners."""
    wanted = set(nips)
    for folder in inbound.iterdir():
        nip = folder.name.split("+")[0]
        if nip in wanted:
            shutil.copytree(folder, dest / nip / assignment_id)


def gradebook_api_loop(db_url: str, assignment_id: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=paths.COURSE_ID) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(assignment_id)}


def prepared_course(root: Path, assignment_id: str, nips: list[str], db_url: str | None = None,
                    submitted: Path | None = None, inbound: Path | None = None) -> Course:
    course = Course.init(root, db_url=db_url)
    course.publish(assignment_id)
    if submitted:
        shutil.copytree(submitted, course.root / "submitted")
    if inbound:
        shutil.copytree(inbound, course.exchange / paths.COURSE_ID / "inbound", dirs_exist_ok=True)
    course.add_students([{"nip": x} for x in nips])
    parallel.use_wal(course.db_url())
    return course


def stock_autograde_timed(course: Course, assignment_id: str, nips: list[str], label: str) -> float:
    """Stock sequential `nbgrader autograde`, a kernel per notebook; a progress
    bar follows the autograded folders as they appear."""
    box: dict = {}

    def run():
        box["proc"] = course.run("autograde", assignment_id, check=False, env={"NETRALITAS_GRADER": "kernel"})

    worker = threading.Thread(target=run)
    t = time.perf_counter()
    worker.start()
    with tqdm(total=len(nips), desc=label, unit="kiriman", mininterval=1) as bar:
        while worker.is_alive():
            worker.join(0.5)
            done = sum(1 for _ in (course.root / "autograded").glob(f"*/{assignment_id}"))
            bar.update(done - bar.n)
    elapsed = time.perf_counter() - t
    if box["proc"].returncode != 0:
        raise RuntimeError(f"{label}: nbgrader autograde failed:\n{box['proc'].stderr[-3000:]}")
    return elapsed


def grade_timed(course: Course, assignment_id: str, n: int, workers: int, label: str) -> tuple[float, dict]:
    """The project's whole grading path (`netralitas grade`): collect from the
    inbound, checks, autograde, ledger, feedback pages and their release."""
    t = time.perf_counter()
    run = course.grade(assignment_id, workers=workers)
    elapsed = time.perf_counter() - t
    if run.set_aside or len(run.graded) != n or run.returncode != 0:
        raise RuntimeError(f"{label}: {len(run.graded)} of {n} graded, {len(run.set_aside)} set aside:\n"
                           f"{run.stdout[-3000:]}")
    pages = list((course.exchange / paths.COURSE_ID / "feedback").glob("*.html"))
    if len(pages) != n:
        raise RuntimeError(f"{label}: {len(pages)} feedback pages released for {n} submissions")
    print(f"  {label}: {elapsed:.1f} s; " + ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items()))
    return elapsed, {k: round(v, 2) for k, v in run.timings.items()}


def markdown(f: dict) -> str:
    lines = [f"# Grading benchmark {f['when']}", "",
             f"{f['submissions']} synthetic submissions of {f['assignment']}; machine: {f['machine']['cpus']} CPUs, "
             f"Python {f['machine']['python']}; load average before/after: {f['load_before']} / {f['load_after']}.",
             "", "| configuration | seconds | s per submission | ratio vs stock sequential | phases (s) | load at end |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for r in f["runs"]:
        note = " (extrapolated)" if r.get("extrapolated") else ""
        phases = ", ".join(f"{k} {v}" for k, v in (r.get("phases_s") or {}).items())
        lines.append(f"| {r['label']}{note} | {r['seconds']} | {r['s_per_submission']} | {r['ratio_vs_stock']}x "
                     f"| {phases} | {r.get('load_at_end', '')} |")
    lines += ["", f"Identical scores in every configuration: {f['identical_scores']}.", ""]
    if f.get("stock_note"):
        lines += [f["stock_note"], ""]
    lines += [f"Report read: Gradebook API loop {f['report_read_gradebook_api_s']} s, "
              f"SQL {f['report_read_sql_s']} s.", ""]
    return "\n".join(lines)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--large", action="store_true", help="2,000 submissions")
    parser.add_argument("--workers", type=int, default=max(4, 2 * (os.cpu_count() or 1)),
                        help="N of the largest worker count (default: 2 per CPU, at least 4)")
    parser.add_argument("--stock-sample", type=int, default=None,
                        help="measure stock sequential nbgrader on this many submissions only and "
                             "extrapolate (default: 200 with --large, else all); 0 = all")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--assignment", default="kuis_02")
    args = parser.parse_args(argv)
    if args.large:
        args.n = 2000
    sample = args.stock_sample if args.stock_sample is not None else (200 if args.large else 0)
    sample = sample if 0 < sample < args.n else args.n
    assignment = args.assignment
    load_before = [round(x, 2) for x in os.getloadavg()]

    tmp = Path(tempfile.mkdtemp(prefix="netralitas-bench-"))
    pg = None
    runs: list[dict] = []
    try:
        seed_course = Course.init(tmp / "sumber")
        seed_course.publish(assignment)
        inbound = tmp / "inbound"
        nips = synthetic_submissions(seed_course, assignment, args.n, args.seed, inbound)

        # Baseline: stock nbgrader, sequential, a kernel per notebook (autograde only).
        sample_nips = sorted(nips)[:sample]
        stock_dir = tmp / "stock_submitted"
        as_collected(inbound, assignment, sample_nips, stock_dir)
        stock = prepared_course(tmp / "stock", assignment, sample_nips, submitted=stock_dir)
        stock_s = stock_autograde_timed(stock, assignment, sample_nips, "nbgrader autograde bawaan (berurutan)")
        stock_per = stock_s / sample
        stock_scores = gradebook_api_loop(stock.db_url(), assignment)
        assert len(stock_scores) == sample
        runs.append({"label": "stock nbgrader autograde, sequential (SQLite)", "backend": "sqlite",
                     "mode": "kernel", "workers": 1, "seconds": round(stock_per * args.n, 1),
                     "s_per_submission": round(stock_per, 3), "ratio_vs_stock": 1.0,
                     "extrapolated": sample < args.n, "measured_on": sample,
                     "measured_seconds": round(stock_s, 1)})

        backends = ["sqlite"] if args.no_postgres else ["sqlite", "postgresql"]
        if not args.no_postgres:
            from netralitas.testing.pgserver import TempPostgres

            pg = TempPostgres(durable=True).start()
        all_scores = {}
        for backend in backends:
            for workers in sorted({1, 2, args.workers}):
                name = f"{backend}_{workers}"
                db_url = pg.create_database(f"bench_{workers}") if backend == "postgresql" else None
                course = prepared_course(tmp / name, assignment, nips, db_url, inbound=inbound)
                label = (f"netralitas grade (collect+autograde+ledger+feedback), {workers} "
                         f"worker{'s' if workers > 1 else ''} ({backend})")
                seconds, phases = grade_timed(course, assignment, args.n, workers, label)
                scores = gradebook_api_loop(course.db_url(), assignment)
                assert len(scores) == args.n, f"{label}: {len(scores)} of {args.n} submissions graded"
                assert {k: scores[k] for k in stock_scores} == stock_scores, \
                    f"{label}: grades differ from stock nbgrader"
                all_scores[name] = scores
                runs.append({"label": label, "backend": backend, "mode": "record", "workers": workers,
                             "seconds": round(seconds, 1), "s_per_submission": round(seconds / args.n, 3),
                             "ratio_vs_stock": round(stock_per * args.n / seconds, 1), "phases_s": phases,
                             "load_at_end": [round(x, 2) for x in os.getloadavg()]})
                if name == "sqlite_1":
                    report_course = course
        first = next(iter(all_scores.values()))
        assert all(s == first for s in all_scores.values()), "worker configurations disagree"

        t = time.perf_counter()
        api = gradebook_api_loop(report_course.db_url(), assignment)
        api_s = time.perf_counter() - t
        t = time.perf_counter()
        sql = read_grades(report_course.db_url())
        sql_s = time.perf_counter() - t
        assert dict(zip(sql["nip"], sql["score"])) == api, "SQL and Gradebook API disagree"
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    stock_note = (f"Stock sequential nbgrader was measured on {sample} of {args.n} submissions "
                  f"({runs[0]['measured_seconds']} s) and EXTRAPOLATED linearly to {args.n}; its ratios "
                  f"are therefore estimates. The identical-score check against stock covers those {sample}; "
                  f"the worker configurations agree with each other on all {args.n}." if sample < args.n else "")
    figures = {
        "when": now_utc().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "assignment": assignment,
        "submissions": args.n,
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
        "stock_note": stock_note,
        "identical_scores": True,
        "report_read_gradebook_api_s": round(api_s, 4),
        "report_read_sql_s": round(sql_s, 4),
        "report_sql_speedup_vs_api": round(api_s / sql_s, 1) if sql_s else None,
        # kept for continuity with earlier result files
        "stock_autograde_s_per_submission": runs[0]["s_per_submission"],
        "record_autograde_s_per_submission": runs[1]["s_per_submission"],
        "record_speedup_vs_stock": runs[1]["ratio_vs_stock"],
    }
    print()
    print(f"{args.n} kiriman {assignment}; load average sebelum {load_before}, sesudah {figures['load_after']}")
    for r in runs:
        note = f"  [EXTRAPOLATED from {r['measured_on']} submissions]" if r.get("extrapolated") else ""
        print(f"  {r['label']:<52} {r['seconds']:>8.1f} s  {r['s_per_submission']:.3f} s/sub  "
              f"{r['ratio_vs_stock']:>5.1f}x stock{note}")
    print("  identical scores in every configuration")
    if stock_note:
        print("  " + stock_note)
    print(f"Report read: Gradebook API loop {api_s:.3f} s; SQL {sql_s:.3f} s")
    out = save_results("autograde", figures, markdown(figures))
    print(f"Recorded: {out}, {out.with_suffix('.md')}")
    return figures


if __name__ == "__main__":
    main()
