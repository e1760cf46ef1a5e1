"""`netralitas periksa --course DIR`: every consistency check of a course, one command.

Each area adds its checks to CHECK_MODULES: a module that decorates functions
`(course_root: Path) -> list[Finding]` with @check("title"). The command runs
them all, prints every finding naming the learner, and exits 1 when any is an
error (an inspector's script can rely on the exit status).
"""
from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import paths

ERROR, WARNING = "galat", "peringatan"


@dataclass(frozen=True)
class Finding:
    who: str          # the learner (NIP and name) or the file the finding is about
    message: str      # Bahasa Indonesia, for HR and the inspector
    level: str = ERROR


CHECKS: list[tuple[str, Callable[[Path], list[Finding]]]] = []
# Areas with checks (the grading area: ledger/gradebook agreement; the report area: register, chain, recompute).
CHECK_MODULES = ["netralitas.report.evidence", "netralitas.grading.periksa"]


def check(title: str):
    def add(fn):
        CHECKS.append((title, fn))
        return fn
    return add


def run(course_root: Path) -> list[tuple[str, list[Finding]]]:
    for name in CHECK_MODULES:
        importlib.import_module(name)
    return [(title, fn(Path(course_root))) for title, fn in CHECKS]


def cmd_periksa(args) -> int:
    root = Path(args.course).resolve()
    if not root.is_dir():
        print(f"Folder kursus {root} tidak ada; periksa --course.", file=sys.stderr)
        return 2
    errors = 0
    for title, findings in run(root):
        bad = [f for f in findings if f.level == ERROR]
        errors += len(bad)
        print(f"{'GAGAL' if bad else 'OK'}: {title}" + (f" ({len(findings)} temuan)" if findings else ""))
        for f in findings:
            print(f"  [{f.level}] {f.who}: {f.message}")
    print(f"{errors} galat ditemukan." if errors else "Semua pemeriksaan lulus.")
    return 1 if errors else 0


def register(sub) -> None:
    p = sub.add_parser("periksa", help="periksa keutuhan data kursus: register sertifikat, arsip kiriman, "
                                       "catatan percobaan (keluar 1 bila ada galat)")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR),
                   help="folder kursus (bawaan: grading/)")
    p.set_defaults(func=cmd_periksa)
