"""Gather what a report needs from one course folder (gradebook, roster, calendar)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from .. import clock
from .attendance import read_attendance
from .certification import ReportInput
from .kebijakan import ReportPolicy, load_report_policy
from .ledger import load_attempts, read_item_grades
from .roster import DOUBTFUL, RosterProblem, read_roster


@dataclass
class Sources:
    input: ReportInput
    roster_problems: list[RosterProblem] = field(default_factory=list)
    attendance_problems: list[RosterProblem] = field(default_factory=list)


def election_starts() -> list[tuple[date, str]]:
    from ..content.calendar import load_calendar
    from ..content.loader import default_bank

    calendar = load_calendar(default_bank())
    return [(min(p.mulai for p in e.tahapan), e.nama) for e in calendar.values() if e.resmi and e.tahapan]


def module_titles() -> dict[str, str]:
    from ..content.loader import default_bank

    return {m.id: m.judul for m in default_bank().modules.values()}


def item_titles() -> dict[str, tuple[str, str]]:
    """Quiz item titles (instructor side); empty where the quiz bank is not installed."""
    from ..content.loader import default_bank, load_quiz_items, quiz_ids

    out = {}
    try:
        for quiz in quiz_ids():
            for item in load_quiz_items(quiz, default_bank()):
                out[item.id] = (item.modul, item.judul)
    except (OSError, ValueError):
        return {}
    return out


def gather(db_url: str, course_root: Path | None = None, roster_path: Path | None = None,
           attendance_paths: list[Path] = (), as_of: date | None = None,
           policy: ReportPolicy | None = None, units: list[str] | None = None,
           modules: list[str] | None = None, with_items: bool = True) -> Sources:
    as_of = as_of or clock.today()
    policy = policy or load_report_policy()
    problems: list[RosterProblem] = []
    if roster_path:
        roster, problems = read_roster(Path(roster_path))
    else:
        from .history import problems_on, roster_on
        roster = roster_on(db_url, as_of)
        problems = problems_on(db_url, as_of)  # the "Masalah data" of the roster in force
    if roster.empty:
        raise ValueError(f"belum ada pegawai di roster per {as_of.isoformat()}: impor dulu dengan "
                         "`netralitas pegawai ROSTER.csv` (atau beri --roster BERKAS)")
    att_frames, att_problems = [], []
    titles = module_titles()
    known = set(roster["nip"])
    for path in attendance_paths:
        frame, probs = read_attendance(Path(path), set(titles))
        # Someone who attended but is not on the roster: kept in the file, JP not counted.
        for row in frame[~frame["nip"].isin(known)].itertuples():
            probs.append(RosterProblem(row.baris, row.nip, "NIP/ID tidak ada di roster; JP tidak dihitung",
                                       DOUBTFUL, row.nama))
        att_frames.append(frame)
        att_problems += [replace(p, reason=f"{Path(path).name}: {p.reason}")
                         for p in sorted(probs, key=lambda p: p.line)]
    attendance = pd.concat(att_frames, ignore_index=True) if att_frames else None
    inp = ReportInput(
        roster=roster, attempts=load_attempts(db_url, course_root), policy=policy, modules=titles,
        as_of=as_of, items=read_item_grades(db_url) if with_items else None,
        item_titles=item_titles() if with_items else {}, attendance=attendance,
        election_starts=election_starts(), units=units, module_filter=modules)
    return Sources(inp, problems, att_problems)
