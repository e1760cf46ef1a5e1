"""The one grading path: collect, check, autograde, ledger, feedback, release.

`Course.grade`, `netralitas grade` and the benchmark all come here; one
worker is the sequential case. Grading is record mode only: scores come from
the answer record (recordgrade.py, in this process or in `workers` processes)
and no learner code runs. Kernel
execution was dropped as a grading mode: a learner who can add a cell can
replace the scoring function, read the course folder and its secrets, and
write outside it, and a sandbox strong enough to stop that (no course folder,
no network, no secrets) is a container runtime this course does not ship.
Stock kernel autograde remains only as the benchmark's baseline, on a copy.

No submission can stop the batch: collect.py sets hostile inbound folders
aside, `check_submitted` does the same for anything placed in submitted/ by
other means, and a submission nbgrader cannot grade still gets its ledger row
(score 0) and its reason in the batch report.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..paths import ANSWER_RECORD
from . import collect as collecting
from .collect import REASONS, Rejected, SetAside
from .parallel import shard_of, split, use_wal

MODES = ("record",)


@dataclass
class GradeRun:
    """What one run did. returncode/stdout/stderr keep the shape of a finished
    process (the combined nbgrader log), for callers that log it."""
    assignment: str
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    graded: list[str] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)
    # Seconds per phase (collect, checks, autograde, ledger, feedback): bench/autograde.py reports them.
    timings: dict[str, float] = field(default_factory=dict)


def check_submitted(folder: Path, now: datetime) -> None:
    """The content rules of collect.py for a folder already in submitted/
    (copied there by hand or by an older collect). Rejected when it breaks one."""
    entries = collecting._walk(folder)
    st = entries.get(collecting.STAMP)
    if st is None or not stat.S_ISREG(st.st_mode):
        raise Rejected("timestamp_hilang")
    try:
        stamp = collecting.parse_time(collecting.read_regular(folder / collecting.STAMP, 4096).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Rejected("timestamp_tidak_sah") from None
    if stamp > now.replace(tzinfo=None) + collecting.FUTURE_TOLERANCE:
        raise Rejected("timestamp_masa_depan", stamp.isoformat())
    if ANSWER_RECORD in entries:
        data = collecting.read_regular(folder / ANSWER_RECORD, collecting.MAX_RECORD_BYTES)
        if not collecting.json_depth_ok(data):
            raise Rejected("jawaban_terlalu_dalam")
    for name in entries:
        if name.endswith(".ipynb") and "/" not in name:
            if not collecting.json_depth_ok(collecting.read_regular(folder / name, collecting.MAX_FILE_BYTES)):
                raise Rejected("notebook_rusak", name)


def _changed(root: Path, assignment_id: str, student_id: str) -> bool:
    submitted = root / "submitted" / student_id / assignment_id
    graded = root / "autograded" / student_id / assignment_id
    for name in (collecting.STAMP, collecting.ORIGIN):
        a, b = submitted / name, graded / name
        if a.exists() != b.exists() or (a.exists() and a.read_bytes() != b.read_bytes()):
            return True
    return not any(graded.glob("*.ipynb"))


def _set_aside_submitted(root: Path, assignment_id: str, folder: Path, code: str, detail: str) -> SetAside:
    student_id = folder.parent.name
    holder = root / collecting.QUARANTINE_DIR / assignment_id / f"submitted+{student_id}"
    holder.mkdir(parents=True, exist_ok=True)
    kept = collecting.quarantine(root, assignment_id, folder, code, detail)
    # quarantine() names it after the folder (the assignment id); give it the learner's name.
    final = holder / kept.name
    os.rename(kept, final)
    note = kept.with_name(f"{kept.name}.alasan.txt")
    if note.exists():
        os.rename(note, holder / note.name)
    for step in ("autograded", "feedback"):  # an older grading of a copy now set aside
        old = root / step / student_id / assignment_id
        if old.is_dir():
            shutil.rmtree(old)
    return SetAside(f"submitted/{student_id}/{assignment_id}", student_id, code, detail, final)


def grade(course, assignment_id: str, mode: str = "record", workers: int = 1,
          shard: tuple[int, int] | None = None, now: datetime | None = None) -> GradeRun:
    """Collect, check, autograde, ledger, feedback and release for one assignment
    with `workers` nbgrader processes (1 = sequential), for every learner or
    for one shard (i, n) of them."""
    if mode not in MODES:
        raise ValueError(f"grading mode {mode!r}: only record mode grades (see this module's docstring)")
    from .attempts import identities

    root = Path(course.root)
    env = {"NETRALITAS_GRADER": "record"}
    run = GradeRun(assignment_id)
    now = now or collecting.now_utc()
    log: list[str] = []

    def note(title: str, proc: subprocess.CompletedProcess) -> None:
        run.returncode = max(run.returncode, proc.returncode)
        log.append(f"\n==== {title} (exit {proc.returncode})\n{proc.stdout}{proc.stderr}")

    def mine(student_id: str) -> bool:
        return shard is None or shard_of(student_id, shard[1]) == shard[0]

    if not (root / "release" / assignment_id).is_dir():
        # Another machine released the assignment; this one needs the
        # generated notebooks locally (the gradebook rows already exist).
        note(f"nbgrader generate_assignment {assignment_id}",
             course.run("generate_assignment", assignment_id, "--force", check=False, env=env))

    clock = time.perf_counter()
    collected = collecting.collect(root, course.exchange, assignment_id, keep=mine, now=now)
    run.timings["collect"] = time.perf_counter() - clock
    clock = time.perf_counter()
    run.set_aside += collected.set_aside
    log.append(f"\n==== collect {assignment_id}: {len(collected.graded)} learners with a valid submission, "
               f"{len(collected.set_aside)} set aside\n"
               + "".join(f"  {s.name}: {s.code} {s.detail}\n" for s in collected.set_aside))

    learners = []
    for folder in sorted((root / "submitted").glob(f"*/{assignment_id}")):
        student_id = folder.parent.name
        if not mine(student_id):
            continue
        try:
            if not collecting.STUDENT_ID.fullmatch(student_id):
                raise Rejected("id_tidak_sah")
            check_submitted(folder, now)
        except Rejected as exc:
            run.set_aside.append(_set_aside_submitted(root, assignment_id, folder, exc.code, exc.detail))
            continue
        except OSError as exc:
            run.set_aside.append(_set_aside_submitted(root, assignment_id, folder, "tidak_dapat_dibaca", str(exc)))
            continue
        learners.append(student_id)

    # Each submission's time, unique per learner in the ledger, before
    # nbgrader stores it in the gradebook (both must name the same attempt).
    wanted = {}
    for student_id in learners:
        folder = root / "submitted" / student_id / assignment_id
        stamp = collecting.parse_time((folder / collecting.STAMP).read_text(encoding="utf-8"))
        wanted[student_id] = (collecting.origin(folder), stamp)
    for student_id, ts in identities(course.db_url(), assignment_id, wanted).items():
        if ts != wanted[student_id][1]:
            (root / "submitted" / student_id / assignment_id / collecting.STAMP).write_text(
                ts.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")

    # Only what changed is graded again: a new submission, or one never graded.
    learners = [x for x in learners if _changed(root, assignment_id, x)]
    for student_id in learners:
        old = root / "autograded" / student_id / assignment_id
        if old.is_dir():
            shutil.rmtree(old)
    run.graded = learners
    run.timings["checks"] = time.perf_counter() - clock
    if learners:
        grade_in_workers(course, assignment_id, learners, workers, note, run.timings)
    else:
        log.append("\n==== nothing new to grade\n")
    run.stdout = "".join(log)
    return run


def _in_group(args):
    """One worker: rebuild the course from its folder (a fresh process) and grade its group."""
    # The course's class travels with the job (pickled by name), so this
    # module does not import course.py, which imports it.
    course_cls, root, phase, assignment_id, payload = args
    from . import recordgrade

    course = course_cls(Path(root))
    if phase == "autograde":
        learners, timestamps = payload
        return recordgrade.autograde_group(course, assignment_id, learners, timestamps)
    results, reveal = payload
    return recordgrade.feedback_group(course, assignment_id, results, reveal)


def _map(jobs: list, workers: int) -> list:
    if workers <= 1 or len(jobs) <= 1:
        return [_in_group(job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=len(jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_in_group, jobs))


def grade_in_workers(course, assignment_id: str, learners: list[str], workers: int, note,
                     timings: dict[str, float]) -> None:
    """Autograde every learner (groups in `workers` processes, one = in this
    process), write the ledger, then feedback and its release the same way."""
    from .attempts import record_graded
    from .preprocessors import reveal_by_learner

    root = Path(course.root)
    timestamps = {x: collecting.parse_time((root / "submitted" / x / assignment_id / collecting.STAMP)
                                           .read_text(encoding="utf-8")) for x in learners}
    use_wal(course.db_url())
    groups = split(learners, workers)
    results: dict = {}
    clock = time.perf_counter()
    for part in _map([(type(course), str(root), "autograde", assignment_id, (g, {x: timestamps[x] for x in g}))
                      for g in groups], workers):
        results.update(part)
    failed = {x: r for x, r in results.items() if isinstance(r, str)}
    note(f"autograde {assignment_id} (record mode, {len(groups)} worker(s))", subprocess.CompletedProcess(
        [], 1 if failed else 0, f"graded {len(results) - len(failed)} of {len(results)}\n"
        + "".join(f"[AutogradeApp | ERROR] There was an error processing assignment: "
                  f"{root / 'submitted' / x / assignment_id}\n{why}\n" for x, why in sorted(failed.items())), ""))
    timings["autograde"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # The ledger before feedback, which shows the correct options according
    # to the learner's standing.
    record_graded(course.db_url(), root, assignment_id, exchange=course.exchange, learners=set(learners))
    reveal = reveal_by_learner(course.db_url(), assignment_id, learners)
    timings["ledger"] = time.perf_counter() - clock
    clock = time.perf_counter()
    done = {x: r for x, r in results.items() if not isinstance(r, str)}
    errors: dict = {}
    for part in _map([(type(course), str(root), "feedback", assignment_id, ({x: done[x] for x in g if x in done}, reveal))
                      for g in groups], workers):
        errors.update({x: e for x, e in part.items() if e})
    note(f"feedback {assignment_id}", subprocess.CompletedProcess(
        [], 1 if errors else 0, f"feedback released for {len(done) - len(errors)} of {len(done)}\n"
        + "".join(f"  {x}: {e}\n" for x, e in sorted(errors.items())), ""))
    timings["feedback"] = time.perf_counter() - clock


def summary(run: GradeRun) -> str:
    """The batch in Bahasa Indonesia: how many graded, how many set aside and why."""
    lines = [f"{len(run.graded)} kiriman dinilai, {len(run.set_aside)} kiriman disisihkan (dikarantina)."]
    for s in run.set_aside:
        who = f"peserta {s.student_id}" if s.student_id else "peserta tidak dikenal"
        lines.append(f"  - {s.name} ({who}): {REASONS[s.code]}" + (f" [{s.detail}]" if s.detail else "")
                     + (f" Disimpan di: {s.kept_at}" if s.kept_at else ""))
    return "\n".join(lines)
