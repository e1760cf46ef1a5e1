"""Benchmark: seconds from a learner's Kirim to the score on their screen.

Simulated learners, each its own process (one per learner, as each has its own
kernel) with its own folder and nbgrader config, fetch kuis_01 through the
real exchange. Each process is the quiz page's kernel once the page is shown:
nbgrader's exchange imported (tombol_kirim starts that import), then it says
ready. When all are ready, they press Kirim at times spread evenly over one
minute: what the button does (attempts count, nbgrader's submit, attempts
count), then the page's own result watcher (home.follow_result) on a widget;
the time ends when that widget shows the score. One grading service
(GradingService.serve, as `netralitas layanan-nilai`, its default interval)
grades meanwhile. Not simulated: the browser, the Jupyter server and the
kernel's message loop (the widget's update reaches the browser over the
kernel's websocket; milliseconds when idle). Learners send the fetched quiz
unanswered (score 0): the answers do not change the path measured.

Figures: p50/p95/max per cohort size; the median of each part (submit step,
wait for the service's round, the round, until the watcher saw the page); the
number of rounds; the load average before anything started (other work on
the machine), when the minute started, its peak during the minute, and after.

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


def learner(folder: Path, timeout: float) -> None:
    """One learner process, the quiz page's kernel: already fetched, the page shown
    (nbgrader's exchange imported, as tombol_kirim starts it); says "ready", reads
    the epoch at which to press Kirim, then does what the button does (attempts
    count, nbgrader submit, attempts count) and runs the page's own result watcher
    (home.follow_result) on a widget, timing until the score is in that widget."""
    import ipywidgets as w

    from netralitas.learner.exchange import run_exchange, submissions_made, warm_up
    from netralitas.learner.home import follow_result

    warm_up().join()
    print("ready", flush=True)
    at = float(sys.stdin.readline())
    shown = threading.Event()
    target = w.HTML()
    target.observe(lambda change: "Hasil kiriman ini" in change["new"] and shown.set(), names="value")
    time.sleep(max(0.0, at - time.time()))
    t0 = time.time()
    submissions_made(QUIZ, folder)
    run_exchange("Submit", QUIZ, folder)
    submissions_made(QUIZ, folder)
    submitted = time.time()
    follow_result(QUIZ, folder, target)
    found = time.time() if shown.wait(timeout) else None
    print(json.dumps({"latency_s": None if found is None else found - t0, "submit_s": submitted - t0,
                      "clicked": t0, "submitted": submitted, "found": found}))


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

    load_others = os.getloadavg()
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
    thread = threading.Thread(target=service.serve, kwargs={"stop": stop.is_set}, daemon=True)
    thread.start()
    procs = [subprocess.Popen([sys.executable, "-m", "bench.submit", "--as-learner", str(f), "--timeout", str(timeout)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for f in folders]
    began = time.time()
    for p in procs:  # every page open and its kernel warm before the minute starts
        p.stdout.readline()
    ready_s = time.time() - began
    time.sleep(5.0)  # and the machine settled from starting them
    load_before = os.getloadavg()
    start = time.time() + 1.0
    spread = SPREAD_S if n > 1 else 0.0
    for i, p in enumerate(procs):
        p.stdin.write(f"{start + spread * i / max(1, n - 1)}\n")
        p.stdin.flush()
    peak = [os.getloadavg()[0]]
    sampling = threading.Event()

    def sample():
        while not sampling.wait(2.0):
            peak.append(os.getloadavg()[0])

    threading.Thread(target=sample, daemon=True).start()
    out = [json.loads((p.communicate()[0].strip().splitlines() or ["{}"])[-1] or "{}") for p in procs]
    sampling.set()
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
            "round_max_s": round(max((r["finished"] - r["started"] for r in service.rounds), default=0), 2),
            "round_most_submissions": max((len(r["names"]) for r in service.rounds), default=0),
            "ready_s": round(ready_s, 1),
            "load_others": [round(x, 2) for x in load_others], "load_peak_1min": round(max(peak), 2),
            "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, nargs="+", default=[1, 50])
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--as-learner", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.as_learner:
        learner(args.as_learner, args.timeout)
        return 0
    from bench import save_results

    rows = []
    for n in args.learners:
        with tempfile.TemporaryDirectory(prefix=f"bench_submit_{n}_") as tmp:
            row = run_cohort(n, Path(tmp), args.timeout)
        rows.append(row)
        print(f"{n} peserta: p50 {row['p50_s']} s, p95 {row['p95_s']} s, maks {row['max_s']} s, "
              f"tanpa hasil {row['missing']}, beban lain {row['load_others']}, beban {row['load_before']} -> "
              f"{row['load_after']} (puncak {row['load_peak_1min']}); "
              f"median per bagian (s) {row['breakdown_p50_s']}, {row['rounds']} putaran penilaian "
              f"(terlama {row['round_max_s']} s, terbanyak {row['round_most_submissions']} kiriman); "
              f"{n} kernel siap dalam {row['ready_s']} s", flush=True)
    md = ["| peserta | p50 s | p95 s | maks s | tanpa hasil | beban lain | beban awal menit | puncak | beban sesudah |",
          "|---|---|---|---|---|---|---|---|---|"]
    md += [f"| {r['learners']} | {r['p50_s']} | {r['p95_s']} | {r['max_s']} | {r['missing']} | {r['load_others']} | "
           f"{r['load_before']} | {r['load_peak_1min']} | {r['load_after']} |" for r in rows]
    md += ["", "Median per bagian, detik (kirim; menunggu putaran penilaian; putaran; sampai terlihat peserta):", ""]
    md += [f"- {r['learners']} peserta: {r['breakdown_p50_s']}, {r['rounds']} putaran (terlama {r['round_max_s']} s, "
           f"terbanyak {r['round_most_submissions']} kiriman); kernel siap dalam {r['ready_s']} s" for r in rows]
    path = save_results("submit", {"quiz": QUIZ, "cpus": os.cpu_count(), "cohorts": rows}, "\n".join(md) + "\n")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
