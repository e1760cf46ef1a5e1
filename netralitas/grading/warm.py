"""A warm start for the grading service's rounds: each round is still a fresh
`netralitas grade` process, forked from a waiting process that has already
imported the grading code.

Measured on this machine (bench/submit.py), a round for one submission took
about 6 s idle and 7-9 s at load 1.5, of which about 4 s was the interpreter
importing pandas, nbgrader, nbconvert and SQLAlchemy; grading the submission
itself took well under a second. The waiting process (`python -m
netralitas.grading.warm`, started by the service with the environment and
folder the plain child would get) imports those modules once, then for each
round forks a child that runs exactly `netralitas.cli.main(["grade", ...])`
with the round's arguments: the same code, the same command line and rules,
its own process (a crash in a round stops that round only). Nothing is read
from the course, the policy or the settings before the fork: only modules are
imported, so every round reads them afresh, as a new process would.

Protocol (one round at a time): the service writes one JSON line
{"argv": [...], "cwd": "..."}; this process answers one JSON line
{"returncode": int, "output": "..."} (the child's stdout and stderr together).
End of input ends it. Developer messages are English.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import traceback

# What `netralitas grade` imports on its way (measured: the first round imported
# these; see bench/submit.py's breakdown).
PRELOAD = (
    "netralitas.cli", "netralitas.grading.batch", "netralitas.grading.pipeline", "netralitas.grading.recordgrade",
    "netralitas.grading.attempts", "netralitas.grading.preprocessors", "netralitas.grading.collect",
    "nbgrader.api", "nbgrader.utils", "nbconvert.exporters", "nbconvert.preprocessors.sanitize",
    "bleach", "mistune", "jinja2.ext", "sqlite3", "pandas",
)


def preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional one missing only costs its import later
            pass


def _child(job: dict, out_fd: int) -> int:
    """In the forked child: the round's command, its output into out_fd."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)
    sys.stderr = sys.stdout
    code = 1
    try:
        os.chdir(job["cwd"])
        from netralitas.cli import main

        code = main(job["argv"]) or 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
    return code


def serve(requests, replies) -> None:
    while True:
        line = requests.readline()
        if not line:
            return
        job = json.loads(line)
        with tempfile.TemporaryFile() as out:
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = _child(job, out.fileno())
                finally:
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            out.seek(0)
            text = out.read().decode("utf-8", errors="replace")
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status), "output": text}) + "\n")
        replies.flush()


def main() -> int:
    # The protocol on its own descriptor; anything printed by mistake goes to stderr.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    preload()
    replies.write("ready\n")
    replies.flush()
    serve(sys.stdin, replies)
    return 0


class WarmGrader:
    """The service's side: start the waiting process, run rounds through it,
    and say when it is gone (the service then runs the plain child)."""

    def __init__(self, env: dict[str, str], cwd):
        self.env, self.cwd = env, str(cwd)
        self.proc: subprocess.Popen | None = None
        self.ready = False

    def start(self) -> None:
        """Start it now (it imports in the background until the first round)."""
        if os.name == "posix" and (self.proc is None or self.proc.poll() is not None):
            self.close()
            self.proc = subprocess.Popen([sys.executable, "-m", "netralitas.grading.warm"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, env=self.env, cwd=self.cwd)
            self.ready = False

    def run(self, argv: list[str]) -> subprocess.CompletedProcess | None:
        """One round's `netralitas` command line; None if the waiting process is gone."""
        self.start()
        if self.proc is None:
            return None
        try:
            if not self.ready:
                if self.proc.stdout.readline() != "ready\n":
                    raise OSError("warm grader did not start")
                self.ready = True
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": self.cwd}) + "\n")
            self.proc.stdin.flush()
            reply = json.loads(self.proc.stdout.readline())
        except (OSError, ValueError):
            self.close()
            return None
        return subprocess.CompletedProcess(argv, reply["returncode"], reply["output"], "")

    def close(self) -> None:
        proc, self.proc, self.ready = self.proc, None, False
        if proc is None:
            return
        try:
            proc.stdin.close()  # end of input: it exits
        except OSError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


if __name__ == "__main__":
    sys.exit(main())
