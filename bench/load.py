"""Load test: simulated learners on the course's JupyterHub (127.0.0.1 only).

Each simulated learner does, over HTTP and the kernel websocket exactly as a
browser does: log in to the hub, start their own server, open a module
notebook (contents API + a kernel session) and run its code cells, fetch the
quiz from the Assignments panel, open it and run it, answer every item by
"clicking" (setting the live widget in the kernel, the same observer as a
mouse click), and submit. Bounded in learners and in time; run as root (the
hub makes one Linux user per learner; they are removed afterwards).

    sudo .venv/bin/python -m bench.load --learners 20

Reports latency percentiles per step, errors, memory per active learner
(server + kernels, VmRSS from /proc) and an estimate of how many learners
one 24 GiB machine holds. Results: bench/results/load_<timestamp>.json/.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import threading
import time
from pathlib import Path

from netralitas import paths
from netralitas.content.loader import default_bank, load_quiz_items
from netralitas.testing.people import make_nip
from netralitas.testing.hub import HubUser, LocalHub, pids_of_uid, rss_bytes

from bench import save_results
from netralitas.clock import now_utc  # result times in UTC, named with Z, whatever the TZ

MACHINE_GIB = 24
RESERVED_GIB = 2  # operating system, hub, proxy, page cache headroom
STEPS = ["masuk", "server_siap", "buka_modul", "jalankan_modul", "ambil_kuis", "buka_kuis", "jalankan_kuis",
         "klik", "kirim"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in notebook["cells"] if c["cell_type"] == "code"]


class Learner(threading.Thread):
    def __init__(self, hub: LocalHub, nip: str, items, module: str, assignment: str, rng: random.Random,
                 timings: dict, errors: list, release: threading.Event, deadline: float):
        super().__init__(daemon=True)
        self.hub, self.nip, self.items, self.module, self.assignment = hub, nip, items, module, assignment
        self.choices = {i.id: rng.choice(i.pilihan).id for i in items}
        self.timings, self.errors, self.release, self.deadline = timings, errors, release, deadline
        self.lock = threading.Lock()
        self.user: HubUser | None = None
        self.state = "starting"

    def timed(self, step: str, fn):
        t = time.perf_counter()
        result = fn()
        with self.lock:
            self.timings.setdefault(step, []).append(time.perf_counter() - t)
        return result

    def run_cells(self, kernel: str, cells: list[str]) -> None:
        for source in cells:
            if time.monotonic() > self.deadline:
                raise TimeoutError("load test time limit")
            out = self.user.execute(kernel, source, timeout=120)
            if out["status"] != "ok":
                raise RuntimeError(f"cell failed: {out['error']}")

    def run(self):
        step = "masuk"
        try:
            self.user = HubUser(self.hub.url, self.nip, self.hub.code(self.nip), timeout=120)
            self.timed("masuk", self.user.log_in)
            step = "server_siap"
            self.timed("server_siap", lambda: self.user.start_server(wait_s=300))
            step = "buka_modul"
            module_nb, module_kernel = self.timed("buka_modul", lambda: self.user.open_notebook(self.module))
            step = "jalankan_modul"
            self.timed("jalankan_modul", lambda: self.run_cells(module_kernel, code_cells(module_nb)))
            step = "ambil_kuis"
            self.timed("ambil_kuis", lambda: self.user.assignment_action("fetch", self.assignment))
            step = "buka_kuis"
            quiz_path = f"{self.assignment}/{self.assignment}.ipynb"
            quiz_nb, quiz_kernel = self.timed("buka_kuis", lambda: self.user.open_notebook(quiz_path))
            step = "jalankan_kuis"
            self.timed("jalankan_kuis", lambda: self.run_cells(quiz_kernel, code_cells(quiz_nb)))
            step = "klik"
            for item, option in self.choices.items():
                self.timed("klik", lambda: self.run_cells(
                    quiz_kernel, [f"from netralitas.learner.widgets import klik\nklik({item!r}, {option!r})"]))
        except Exception as exc:  # one learner's failure is a result, not the end of the test
            self.errors.append({"nip": self.nip, "step": step, "error": f"{type(exc).__name__}: {exc}"[:300]})
            self.state = "failed"
            return
        self.state = "answered"  # active: server and both kernels alive; memory is measured now
        try:
            self.release.wait(timeout=max(1, self.deadline - time.monotonic()))
            self.timed("kirim", lambda: self.user.assignment_action("submit", self.assignment))
            self.state = "submitted"
        except Exception as exc:
            self.errors.append({"nip": self.nip, "step": "kirim", "error": f"{type(exc).__name__}: {exc}"[:300]})
            self.state = "failed"


def memory_per_learner(learners: list[Learner]) -> list[int]:
    import pwd

    sizes = []
    for learner in learners:
        if learner.user is None or learner.state != "answered":
            continue
        try:
            uid = pwd.getpwnam(learner.user.name).pw_uid
        except KeyError:
            continue
        rss = rss_bytes(pids_of_uid(uid))
        if rss:
            sizes.append(rss)
    return sizes


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10, help="simulated learners (bounded: at most 60)")
    parser.add_argument("--stagger", type=float, default=0.5, help="seconds between two learners' logins")
    parser.add_argument("--max-seconds", type=int, default=1200, help="time limit of the whole test")
    parser.add_argument("--assignment", default="kuis_02")
    parser.add_argument("--module", default=None, help="module notebook opened first (default: the first)")
    args = parser.parse_args(argv)
    n = min(max(args.learners, 1), 60)
    rng = random.Random(3)
    nips = []
    while len(nips) < n:
        nip = make_nip(rng, "PNS")
        if nip not in nips:
            nips.append(nip)
    items = load_quiz_items(args.assignment, default_bank())
    module = args.module or f"modules/{sorted(p.name for p in paths.MODULES_DIR.glob('*.ipynb'))[0]}"
    load_before = [round(x, 2) for x in os.getloadavg()]
    timings: dict[str, list[float]] = {}
    errors: list[dict] = []
    started = time.monotonic()
    deadline = started + args.max_seconds

    with LocalHub(nips, quizzes=args.assignment) as hub:
        hub_pid = hub.proc.pid
        base_rss = rss_bytes([hub_pid, *child_pids(hub_pid)])
        release = threading.Event()
        peak_load = [0.0]

        def sample_load():
            while not release.is_set() and time.monotonic() < deadline:
                peak_load[0] = max(peak_load[0], os.getloadavg()[0])
                time.sleep(2)

        threading.Thread(target=sample_load, daemon=True).start()
        learners = [Learner(hub, nip, items, module, args.assignment, rng, timings, errors, release, deadline)
                    for nip in nips]
        for learner in learners:
            learner.start()
            time.sleep(args.stagger)
        # everyone has answered (or failed): all servers and kernels are alive now
        while time.monotonic() < deadline and any(x.state == "starting" for x in learners):
            time.sleep(0.5)
        time.sleep(2)  # let kernels settle after the last click
        sizes = memory_per_learner(learners)
        load_all_active = [round(x, 2) for x in os.getloadavg()]
        release.set()
        for learner in learners:
            learner.join(timeout=max(1, deadline - time.monotonic()))
        inbound = [p for p in (hub.exchange / paths.COURSE_ID / "inbound").iterdir() if p.name.split("+")[0] in nips]
        submitted = len(inbound)
        # every click must have reached the learner's answer record in the submission
        complete = sum(1 for p in inbound if answered(p / paths.ANSWER_RECORD) == len(items))
        elapsed = time.monotonic() - started
        hub_problems = problems_in_log(hub.log)

    per = statistics.mean(sizes) if sizes else float("nan")
    capacity = int((MACHINE_GIB - RESERVED_GIB) * 2**30 / per) if sizes else 0
    figures = {
        "when": now_utc().isoformat(timespec="seconds"),
        "where": "JupyterHub (hub/jupyterhub_config.py) on 127.0.0.1, LocalProcessSpawner, one Linux user per learner",
        "learners": n, "module": module, "assignment": args.assignment, "items_clicked_each": len(items),
        "cpus": os.cpu_count(), "load_before": load_before,
        "load_1min_max_during_run": round(peak_load[0], 2), "load_when_all_active": load_all_active,
        "elapsed_s": round(elapsed, 1), "submitted": submitted, "submissions_with_every_answer": complete,
        "errors": errors,
        "hub_log_problems": hub_problems,
        "latency_s": {step: {"n": len(v), "p50": round(percentile(v, 50), 3), "p95": round(percentile(v, 95), 3),
                             "p99": round(percentile(v, 99), 3), "max": round(max(v), 3)}
                      for step, v in ((s, timings.get(s, [])) for s in STEPS) if v},
        "memory": {"learners_measured": len(sizes),
                   "per_active_learner_mib_mean": round(per / 2**20, 1) if sizes else None,
                   "per_active_learner_mib_max": round(max(sizes) / 2**20, 1) if sizes else None,
                   "hub_proxy_culler_mib_idle": round(base_rss / 2**20, 1)},
        "estimate_24gib": {"learners": capacity,
                           "rule": f"({MACHINE_GIB} GiB - {RESERVED_GIB} GiB reserved) / mean RSS per active learner"
                                   " (server + module kernel + quiz kernel); memory only, CPU not counted"},
    }
    print_figures(figures)
    out = save_results("load", figures, markdown(figures))
    print(f"Recorded: {out}, {out.with_suffix('.md')}")
    return figures


def problems_in_log(log: Path, limit: int = 15) -> list[dict]:
    """The hub's own errors and warnings (proxy, spawner), most frequent first,
    so a failure can be traced to what broke (timestamps and ids stripped)."""
    import collections
    import re

    counts = collections.Counter()
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    for line in lines:
        if re.match(r"^\[[EWC] ", line) or "error" in line.lower() and "ConfigProxy" in line:
            text = re.sub(r"\d{4}-\d\d-\d\d [\d:.]+|\d+(\.\d+)?ms|asn\d+|[0-9a-f]{32}", "…", line)
            counts[text[:200]] += 1
    return [{"count": n, "line": text} for text, n in counts.most_common(limit)]


def answered(record: Path) -> int:
    try:
        return len(json.loads(record.read_text(encoding="utf-8")).get("answers", {}))
    except (OSError, ValueError):
        return 0


def child_pids(pid: int) -> list[int]:
    children = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(proc.name))
    return children


def print_figures(f: dict) -> None:
    print(f"\n{f['learners']} peserta tiruan di JupyterHub lokal; {f['submitted']} kiriman sampai "
          f"({f['submissions_with_every_answer']} berisi semua jawaban); "
          f"{len(f['errors'])} galat; {f['elapsed_s']} s; load average sebelum {f['load_before']}, "
          f"puncak 1 menit {f['load_1min_max_during_run']}")
    for step, s in f["latency_s"].items():
        print(f"  {step:<15} n={s['n']:<4} p50 {s['p50']:>7.2f} s  p95 {s['p95']:>7.2f} s  p99 {s['p99']:>7.2f} s")
    m = f["memory"]
    print(f"  memori per peserta aktif: rata-rata {m['per_active_learner_mib_mean']} MiB, "
          f"maks {m['per_active_learner_mib_max']} MiB; hub+proxy+culler (sebelum peserta) {m['hub_proxy_culler_mib_idle']} MiB")
    print(f"  perkiraan mesin 24 GiB (memori saja): {f['estimate_24gib']['learners']} peserta aktif serentak")
    for e in f["errors"][:10]:
        print(f"  galat {e['nip']} pada {e['step']}: {e['error']}")


def markdown(f: dict) -> str:
    m = f["memory"]
    lines = [f"# Load test {f['when']}", "", f"{f['where']}.", "",
             f"{f['learners']} simulated learners (login staggered), each: log in, start server, open "
             f"{f['module']} and run its cells, fetch {f['assignment']}, open and run it, click "
             f"{f['items_clicked_each']} answers, submit. {f['cpus']} CPUs; load average before "
             f"{f['load_before']}, highest 1-minute load during the run {f['load_1min_max_during_run']}. "
             f"Elapsed {f['elapsed_s']} s.", "",
             f"Submissions arrived: {f['submitted']} of {f['learners']} "
             f"({f['submissions_with_every_answer']} with every clicked answer in the record); "
             f"errors: {len(f['errors'])}.", "",
             "| step | n | p50 s | p95 s | p99 s | max s |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for step, s in f["latency_s"].items():
        lines.append(f"| {step} | {s['n']} | {s['p50']} | {s['p95']} | {s['p99']} | {s['max']} |")
    lines += ["", f"Memory per active learner (server + kernels, VmRSS): mean {m['per_active_learner_mib_mean']} MiB, "
                  f"max {m['per_active_learner_mib_max']} MiB ({m['learners_measured']} measured); hub, proxy and "
                  f"culler before learners: {m['hub_proxy_culler_mib_idle']} MiB.", "",
              f"Estimate for one 24 GiB machine: **{f['estimate_24gib']['learners']} concurrently active learners** "
              f"({f['estimate_24gib']['rule']}).", ""]
    if f["errors"]:
        lines += ["Errors:", ""] + [f"- {e['nip']} at {e['step']}: {e['error']}" for e in f["errors"]] + [""]
    if f["hub_log_problems"]:
        lines += ["Hub log, errors and warnings (count, message):", ""]
        lines += [f"- {p['count']} x `{p['line']}`" for p in f["hub_log_problems"]] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
