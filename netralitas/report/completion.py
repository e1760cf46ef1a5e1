"""Completion per unit kerja, from the nbgrader gradebook joined with the roster.

Grades are read with one SQL query (any SQLAlchemy URL: SQLite by default,
PostgreSQL at scale), not by looping over nbgrader's Gradebook API, so the
report stays fast for a province-sized cohort.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from ..policy import pass_mark as policy_pass_mark
from .ledger import SUBMISSIONS_SQL
from .roster import RosterProblem, problems_frame

# One score per submission, the same query the HR ledger uses.
GRADES_SQL = SUBMISSIONS_SQL.format(where="")

STATUS_PASSED, STATUS_FAILED, STATUS_MISSING = "Lulus", "Belum lulus", "Belum mengirim"


def read_grades(db_url: str) -> pd.DataFrame:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            frame = pd.read_sql(sa.text(GRADES_SQL), conn).rename(columns={"student_id": "nip"})
    finally:
        engine.dispose()
    frame["percent"] = (frame["score"] / frame["max_score"]).where(frame["max_score"] > 0, 0.0)
    return frame


def learner_table(roster: pd.DataFrame, grades: pd.DataFrame, assignment: str,
                  pass_mark: float | None = None) -> pd.DataFrame:
    pass_mark = policy_pass_mark(assignment) if pass_mark is None else pass_mark
    g = grades[grades["assignment"] == assignment][["nip", "score", "max_score", "percent", "submitted_at"]]
    out = roster[["nip", "nama", "unit_kerja", "status"]].merge(g, on="nip", how="left")
    out["hasil"] = STATUS_MISSING
    out.loc[out["score"].notna(), "hasil"] = STATUS_FAILED
    out.loc[out["percent"] >= pass_mark - 1e-9, "hasil"] = STATUS_PASSED
    out["selesai"] = out["hasil"] == STATUS_PASSED
    return out.sort_values(["unit_kerja", "nama", "nip"], kind="stable").reset_index(drop=True)


def unit_summary(learners: pd.DataFrame) -> pd.DataFrame:
    def not_done(group: pd.DataFrame) -> str:
        rows = group[~group["selesai"]]
        return "; ".join(f"{n} ({nip}, {h.lower()})" for n, nip, h in zip(rows["nama"], rows["nip"], rows["hasil"]))

    grouped = learners.groupby("unit_kerja", sort=True)
    summary = pd.DataFrame({
        "jumlah_pegawai": grouped.size(),
        "mengirim": grouped["score"].count(),
        "selesai": grouped["selesai"].sum().astype(int),
    })
    summary["persen_selesai"] = (100 * summary["selesai"] / summary["jumlah_pegawai"]).round(1)
    summary["belum_selesai"] = pd.Series({unit: not_done(g) for unit, g in grouped})
    # Units with the most work left first: that is where HR acts.
    summary = summary.reset_index().sort_values(["persen_selesai", "unit_kerja"], kind="stable")
    return summary.reset_index(drop=True)


def not_in_roster(roster: pd.DataFrame, grades: pd.DataFrame) -> pd.DataFrame:
    return grades[~grades["nip"].isin(roster["nip"])].reset_index(drop=True)


def write_report(outdir: Path, roster: pd.DataFrame, problems: list[RosterProblem],
                 grades: pd.DataFrame, assignment: str, pass_mark: float | None = None) -> dict[str, Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    learners = learner_table(roster, grades, assignment, pass_mark)
    summary = unit_summary(learners)
    unknown = not_in_roster(roster, grades)
    issues = problems_frame(problems)

    files = {
        "ringkasan_csv": outdir / f"ringkasan_unit_{assignment}.csv",
        "pegawai_csv": outdir / f"pegawai_{assignment}.csv",
        "xlsx": outdir / f"laporan_{assignment}.xlsx",
    }
    summary.to_csv(files["ringkasan_csv"], index=False)
    learners.to_csv(files["pegawai_csv"], index=False)
    tmp = files["xlsx"].with_suffix(".xlsx.tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        summary.to_excel(xl, sheet_name="Ringkasan per unit", index=False)
        learners.to_excel(xl, sheet_name="Per pegawai", index=False)
        issues.to_excel(xl, sheet_name="Masalah roster", index=False)
        unknown.to_excel(xl, sheet_name="Tidak ada di roster", index=False)
    tmp.replace(files["xlsx"])
    return files
