"""Per-item outcomes of one autograde batch, with the reason for every zero.

nbgrader keeps grading the rest of a batch when one submission breaks; this
report makes sure the broken one is not silently a zero: every submitted
learner gets one row per quiz item, or a row saying why the notebook could
not be graded at all.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd

from ..cells import neutralised
from .attempts import read_attempts
from .check import GRADE_ID_PREFIX, REASONS, outcomes_from_notebook

COLUMNS = ["nip", "item", "reason", "keterangan", "chosen", "earned", "points", "detail"]

LABELS = {
    **REASONS,
    "item_missing": "Sel penilaian soal ini dihapus atau dirusak dalam kiriman; soal dinilai 0.",
    "not_autograded": "Notebook kiriman tidak dapat dinilai (rusak atau bukan notebook); semua soal dinilai 0.",
    "unreadable": "Notebook hasil penilaian tidak dapat dibaca.",
}

_FAILED = re.compile(r"error processing assignment: .*?[/\\]submitted[/\\]([^/\\]+)[/\\]")
_EXC = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception)): (.+)$")


def failures_from_log(log: str) -> dict[str, str]:
    """{nip: last exception line} for submissions nbgrader autograde gave up on."""
    failures, current = {}, None
    for line in log.splitlines():
        m = _FAILED.search(line)
        if m:
            current = m.group(1)
            failures[current] = "nbgrader autograde failed"
            continue
        m = _EXC.match(line)
        if current and m:
            failures[current] = f"{m.group(1)}: {m.group(2)[:200]}"
    return failures


def expected_items(course_root: Path, assignment_id: str) -> list[str]:
    """Item ids of the released notebook's grade cells (GRADE_ID_PREFIX + item)."""
    release = Path(course_root) / "release" / assignment_id / f"{assignment_id}.ipynb"
    nb = nbformat.read(release, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in nb.cells]
    return [i.removeprefix(GRADE_ID_PREFIX) for i in ids if i.startswith(GRADE_ID_PREFIX)]


def batch_outcomes(course_root: Path, assignment_id: str, autograde_log: str = "") -> pd.DataFrame:
    root = Path(course_root)
    items = expected_items(root, assignment_id)
    failures = failures_from_log(autograde_log)
    rows = []
    for submitted in sorted((root / "submitted").glob(f"*/{assignment_id}")):
        nip = submitted.parent.name
        graded = sorted((root / "autograded" / nip / assignment_id).glob("*.ipynb"))
        if not graded:
            detail = failures.get(nip, "nbgrader autograde produced no notebook")
            rows += [{"nip": nip, "item": i, "reason": "not_autograded", "earned": 0.0, "detail": detail}
                     for i in items]
            continue
        found = []
        for path in graded:
            try:
                found += outcomes_from_notebook(nbformat.read(path, as_version=4))
            except Exception as exc:  # a broken file must not stop the report
                found.append({"item": "", "reason": "unreadable", "earned": 0.0, "detail": str(exc)})
        seen = {o.get("item") for o in found}
        found += [{"item": i, "reason": "item_missing", "earned": 0.0} for i in items if i not in seen]
        rows += [{"nip": nip, **o} for o in found]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["keterangan"] = frame["reason"].map(LABELS)
    return frame


def grade_and_report(course, assignment_id: str, mode: str = "record",
                     **grading) -> tuple[pd.DataFrame, Path, int]:
    """Collect, autograde, feedback; then the per-item report with reasons.

    Returns (outcomes, report path, autograde exit status). The raw nbgrader
    log, the set-aside submissions (disisihkan_<id>.csv) and the assignment's
    attempts ledger (percobaan_<id>.csv) are kept beside the report for the
    instructor. grading: workers, shard (see parallel.py). The run itself
    (pipeline.GradeRun, with what was set aside and why) is `outcomes.attrs["run"]`.
    """
    result = course.grade(assignment_id, mode=mode, **grading)
    log = (result.stdout or "") + (result.stderr or "")
    reports = course.root / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / f"autograde_{assignment_id}.log").write_text(log, encoding="utf-8")
    outcomes = batch_outcomes(course.root, assignment_id, log)
    path = reports / f"penilaian_{assignment_id}.csv"
    neutralised(outcomes).to_csv(path, index=False)
    pd.DataFrame([{"kiriman": s.name, "nip": s.student_id or "", "kode": s.code, "alasan": s.reason,
                   "rincian": s.detail, "disimpan_di": str(s.kept_at or "")} for s in result.set_aside],
                 columns=["kiriman", "nip", "kode", "alasan", "rincian", "disimpan_di"]
                 ).pipe(neutralised).to_csv(reports / f"disisihkan_{assignment_id}.csv", index=False)
    # The attempts ledger of this assignment beside it, for the instructor's audit trail.
    read_attempts(course.db_url(), assignment_id).to_csv(reports / f"percobaan_{assignment_id}.csv", index=False)
    outcomes.attrs["run"] = result
    return outcomes, path, result.returncode
