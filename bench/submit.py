"""Benchmark: seconds from a learner's submit to their released result.

Simulated learners, each its own process with its own folder and nbgrader
config, fetch kuis_01 through the real exchange, submit at a time spread over
one minute, then fetch feedback every RESULT_POLL_S (as the quiz page's result
watcher does) until the released page is in their folder. One grading service
(netralitas.grading.service.GradingService, as `netralitas layanan-nilai`)
grades in record mode meanwhile. Figures: p50/p95/max per cohort size and the
machine's load average before and after. Learners send the fetched quiz
unanswered (score 0): the answers do not change the path measured.

    python -m bench.submit                   # 1 and 50 learners
    python -m bench.submit --learners 1 5    # a small run
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

QUIZ = "kuis_01"
SPREAD_S = 60.0


def learner(folder: Path, at: float, timeout: float) -> None:
    """One learner process: already fetched; submit at `at` (epoch), then wait for the result."""
    from netralitas.learner.exchange import run_exchange
    from netralitas.learner.home import RESULT_POLL_S, _fetch_feedback, results

    time.sleep(max(0.0, at - time.time()))
    t0 = time.time()
    run_exchange("Submit", QUIZ, folder)
    submitted = time.time()
    while time.time() - t0 < timeout:
        _fetch_feedback(QUIZ, folder)  # as the quiz page's watcher: nothing released yet is no error
        if results(QUIZ, folder):
            found = time.time()
            print(json.dumps({"latency_s": found - t0, "submit_s": submitted - t0,
                              "clicked": t0, "submitted": submitted, "found": found}))
            return
        time.sleep(RESULT_POLL_S)
    print(json.dumps({"latency_s": None, "submit_s": submitted - t0, "clicked": t0, "submitted": submitted}))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def breakdown(out: list[dict], nips: list[str], rounds: list[dict]) -> dict:
    """Median seconds of each part of the latency: the submit step, the wait until
    the service's round that graded it starts, that round, and the time until the
    learner's watcher saw the released page."""
    parts: dict[str, list[float]] = {"submit": [], "until_round": [], "round": [], "seen_after_round": []}
    for nip, o in zip(nips, out):
        if o.get("found") is None:
            continue
        # The round that listed this learner's submission; else (it was collected
        # by a round that had listed others) the last one that ended before it was seen.
        mine = [r for r in rounds if r["started"] <= o["found"] and any(n.split("+")[0] == nip for n in r["names"])]
        done = [r for r in rounds if r["finished"] <= o["found"]]
        r = mine[0] if mine else (done[-1] if done else None)
        if r is None:
            continue
        parts["submit"].append(o["submitted"] - o["clicked"])
        parts["until_round"].append(r["started"] - o["submitted"])
        parts["round"].append(r["finished"] - r["started"])
        parts["seen_after_round"].append(o["found"] - r["finished"])
    return {k: round(statistics.median(v), 2) if v else None for k, v in parts.items()}


def run_cohort(n: int, root: Path, timeout: float) -> dict:
    from netralitas import paths
    from netralitas.grading.course import LEARNER_CONFIG, Course
    from netralitas.grading.service import GradingService
    from netralitas.learner.exchange import run_exchange

    course = Course.init(root / "kursus", source=paths.QUIZ_SOURCE_DIR)
    course.publish(QUIZ)
    folders = []
    for i in range(n):
        nip = f"19701300{2000 + i:04d}011{i % 10}"[:18]  # month 13: no real person
        folder = root / "peserta" / nip
        folder.mkdir(parents=True)
        (folder / "nbgrader_config.py").write_text(LEARNER_CONFIG.format(
            course=paths.COURSE_ID, exchange=str(course.exchange), nip=nip, cache=str(folder / ".nbgrader_cache")),
            encoding="utf-8")
        run_exchange("FetchAssignment", QUIZ, folder)
        folders.append(folder)
    service = GradingService(course.root, log=lambda *a, **k: None)
    stop = threading.Event()
    thread = threading.Thread(target=service.serve, kwargs={"poll_s": 0.5, "stop": stop.is_set}, daemon=True)
    thread.start()
    load_before = os.getloadavg()
    start = time.time() + 3.0
    spread = SPREAD_S if n > 1 else 0.0
    procs = [subprocess.Popen([sys.executable, "-m", "bench.submit", "--as-learner", str(f),
                               "--at", str(start + spread * i / max(1, n - 1)), "--timeout", str(timeout)],
                              stdout=subprocess.PIPE, text=True) for i, f in enumerate(folders)]
    out = [json.loads((p.communicate()[0].strip().splitlines() or ["{}"])[-1] or "{}") for p in procs]
    load_after = os.getloadavg()
    stop.set()
    thread.join(timeout=120)
    steps = [o["submit_s"] for o in out if "submit_s" in o]
    parts = breakdown(out, [f.name for f in folders], list(service.rounds))
    got = [o["latency_s"] for o in out if o.get("latency_s") is not None]
    return {"learners": n, "spread_s": spread, "results": len(got), "missing": n - len(got),
            "p50_s": round(statistics.median(got), 2) if got else None,
            "p95_s": round(_pct(got, 0.95), 2) if got else None,
            "max_s": round(max(got), 2) if got else None,
            "submit_step_p50_s": round(statistics.median(steps), 2) if steps else None,
            "breakdown_p50_s": parts, "rounds": len(service.rounds),
            "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, nargs="+", default=[1, 50])
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--as-learner", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--at", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.as_learner:
        learner(args.as_learner, args.at, args.timeout)
        return 0
    from bench import save_results

    rows = []
    for n in args.learners:
        with tempfile.TemporaryDirectory(prefix=f"bench_submit_{n}_") as tmp:
            row = run_cohort(n, Path(tmp), args.timeout)
        rows.append(row)
        print(f"{n} peserta: p50 {row['p50_s']} s, p95 {row['p95_s']} s, maks {row['max_s']} s, "
              f"tanpa hasil {row['missing']}, beban {row['load_before']} -> {row['load_after']}; "
              f"median per bagian (s) {row['breakdown_p50_s']}, {row['rounds']} putaran penilaian", flush=True)
    md = ["| peserta | p50 s | p95 s | maks s | tanpa hasil | beban sebelum | beban sesudah |", "|---|---|---|---|---|---|---|"]
    md += [f"| {r['learners']} | {r['p50_s']} | {r['p95_s']} | {r['max_s']} | {r['missing']} | "
           f"{r['load_before']} | {r['load_after']} |" for r in rows]
    md += ["", "Median per bagian, detik (kirim; menunggu putaran penilaian; putaran; sampai terlihat peserta):", ""]
    md += [f"- {r['learners']} peserta: {r['breakdown_p50_s']}, {r['rounds']} putaran" for r in rows]
    path = save_results("submit", {"quiz": QUIZ, "cpus": os.cpu_count(), "cohorts": rows}, "\n".join(md) + "\n")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
