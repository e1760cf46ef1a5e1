"""Grade on submit: the instructor's long-running process that notices new
submissions in the exchange's inbound folder and grades them.

Each round runs exactly `netralitas grade A --course DIR --mode
record` (the same command an instructor runs in batch, in a child process, so
the rules, the ledger and the released feedback are the batch's own and a crash
in one round never stops the service). Every new submission of the assignment
found in inbound is graded in that one round; those that arrive while a round
runs are graded together in the next one, which keeps 50 learners submitting in
the same minute to a few rounds. The child is forked from a process that has
already imported the grading code (warm.py: a fresh interpreter spent about 4 s
of a 6 s round importing); without it, the plain child process.
The inbound is looked at every POLL_S seconds (a listing and one small file).

Nothing is lost when the service is down: submissions wait in inbound, and the
folders already handled are listed in the course folder (penilaian_otomatis.json),
so on restart every unhandled one is graded. A round that fails is retried,
never marked handled.

Runs as the instructor: `make lab` with a NIP starts it beside the learner's
server (cli.cmd_lab_learner); on the hub it is a JupyterHub service started as
the instructor account. Developer messages are English; the log is the
instructor's.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import fcntl
import json
import os
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from ..files import atomic_write
from .. import paths
from ..settings import child_env
from .warm import WarmGrader

STATE_FILE = "penilaian_otomatis.json"
LOCK_FILE = ".penilaian_otomatis.lock"
POLL_S = 0.5
RETRY_S = 30.0
# Assignment ids the service will ever pass to `netralitas grade`: anything
# else in an inbound name is left alone (and reported once).
ASSIGNMENT = re.compile(r"^(?:(?:kuis|tes_awal)_\d{2}|ujian_akhir)$")


def _grade_argv(course_root: Path, assignment_id: str) -> list[str]:
    return ["grade", assignment_id, "--course", str(course_root), "--mode", "record"]


def _grade_command(course_root: Path, assignment_id: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from netralitas.cli import main; sys.exit(main())",
            *_grade_argv(course_root, assignment_id)]


class GradingService:
    def __init__(self, course_root: Path, exchange: Path | None = None, log=print, warm: bool = True):
        self.root = Path(course_root).resolve()
        if exchange is None:
            from .course import Course  # the folder's own config, as `netralitas grade` reads it

            exchange = Course(self.root).exchange
        self.exchange = Path(exchange).resolve()
        self.inbound = self.exchange / paths.COURSE_ID / "inbound"
        self.state_path = self.root / STATE_FILE
        self.log = log
        self._retry_after: dict[str, float] = {}
        self._ignored: set[str] = set()
        # The last rounds, for the benchmark's breakdown (bench/submit.py): epoch
        # seconds when the round started and ended, and the inbound folders it graded.
        self.rounds: collections.deque = collections.deque(maxlen=1000)
        self.warm = WarmGrader(child_env(), self.root) if warm else None

    # -- what is handled
    def handled(self) -> dict:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _mark(self, names: list[str], assignment_id: str, returncode: int) -> None:
        data = self.handled()
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        data.update({n: {"assignment": assignment_id, "graded_at": at, "exit": returncode} for n in names})
        atomic_write(self.state_path, json.dumps(data, indent=1, sort_keys=True))

    def pending(self) -> dict[str, list[str]]:
        """{assignment: [inbound folder names not yet handled]}."""
        if not self.inbound.is_dir():
            return {}
        done = self.handled()
        out: dict[str, list[str]] = {}
        for entry in sorted(os.listdir(self.inbound)):
            if entry in done or entry.startswith("."):
                continue
            parts = entry.split("+")
            assignment_id = parts[1] if len(parts) >= 3 else ""
            if not ASSIGNMENT.match(assignment_id):
                if entry not in self._ignored:
                    self._ignored.add(entry)
                    self.log(f"ignored inbound entry with no known assignment: {entry!r}")
                continue
            out.setdefault(assignment_id, []).append(entry)
        return out

    # -- one round
    def grade(self, assignment_id: str) -> subprocess.CompletedProcess:
        if self.warm is not None:
            proc = self.warm.run(_grade_argv(self.root, assignment_id))
            if proc is not None:
                return proc
            self.log("warm grader unavailable; this round runs in a new process")
        return subprocess.run(_grade_command(self.root, assignment_id), capture_output=True, text=True,
                              env=child_env(), cwd=self.root)

    def close(self) -> None:
        """Stop the warm grader (serve does it on the way out)."""
        if self.warm is not None:
            self.warm.close()

    def run_once(self) -> dict[str, int]:
        """Grade every assignment with new submissions once: {assignment: exit status}."""
        results = {}
        now = time.monotonic()
        for assignment_id, names in self.pending().items():
            if self._retry_after.get(assignment_id, 0) > now:
                continue
            started = time.time()
            proc = self.grade(assignment_id)
            self.rounds.append({"assignment": assignment_id, "names": list(names), "started": started,
                                "finished": time.time(), "exit": proc.returncode})
            results[assignment_id] = proc.returncode
            if proc.returncode == 0:
                self._mark(names, assignment_id, proc.returncode)
                self._retry_after.pop(assignment_id, None)
                self.log(f"graded {assignment_id}: {len(names)} new submission(s)")
            else:
                self._retry_after[assignment_id] = now + RETRY_S
                self.log(f"grading {assignment_id} failed (exit {proc.returncode}); retry in {RETRY_S:.0f} s\n"
                         f"{(proc.stdout + proc.stderr)[-2000:]}")
        return results

    @contextlib.contextmanager
    def single_instance(self):
        """One service per course folder: a second one exits instead of grading twice."""
        with open(self.root / LOCK_FILE, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SystemExit(f"a grading service already runs on {self.root}") from None
            yield

    def serve(self, poll_s: float = POLL_S, stop=lambda: False) -> None:
        with self.single_instance():
            self.log(f"grading service on {self.root}, watching {self.inbound}")
            if self.warm is not None:
                self.warm.start()  # it imports while nothing is submitted yet
            try:
                while not stop():
                    self.run_once()
                    time.sleep(poll_s)
            finally:
                self.close()


def cmd_service(args) -> int:
    service = GradingService(Path(args.course), Path(args.exchange) if args.exchange else None,
                             log=lambda m: print(m, flush=True))
    try:
        service.serve(poll_s=args.interval)
    except KeyboardInterrupt:
        pass
    return 0


def register(sub) -> None:
    p = sub.add_parser("layanan-nilai", help="layanan penilaian otomatis: menilai setiap kiriman baru "
                                             "(sama dengan 'netralitas nilai') dan merilis umpan baliknya")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR),
                   help="folder kursus (bawaan: grading/)")
    p.add_argument("--exchange", metavar="FOLDER", help="folder exchange nbgrader (bawaan: NETRALITAS_EXCHANGE atau <kursus>/exchange)")
    p.add_argument("--jeda", "--interval", dest="interval", metavar="DETIK", type=float, default=POLL_S,
                   help="jeda pemeriksaan, detik")
    p.set_defaults(func=cmd_service)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netralitas-layanan-nilai")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(["layanan-nilai", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
