"""A complete HR example on a synthetic cohort, to try the report without real data:

    python -m netralitas.testing.contoh [FOLDER]

Seeds a gradebook (real quiz item ids, invented people), imports the roster
with history, adds an attendance sheet, and writes the report, certificates
and unit statements into FOLDER (default var/contoh_laporan, ignored by git).
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from .. import paths
from ..assignments import quiz_id
from ..tables import ATTENDANCE
from ..report.history import import_roster
from ..report.pipeline import ATTENDANCE_DIR, make_report, write_certificates, write_report_files, write_statements
from .synthetic import seed_gradebook


def quiz_items() -> dict[str, list[str]]:
    from ..content.loader import default_bank, load_quiz_items

    bank = default_bank()
    return {m: [i.id for i in load_quiz_items(quiz_id(m), bank)[:5]] for m in sorted(bank.modules)}


def run(folder: Path | None = None, n: int = 120, as_of: date = date(2027, 1, 15)) -> dict[str, Path]:
    """run with invented data declared (netralitas/invented.py): the roster accepts its
    invented NIPs and every report and certificate says CONTOH - DATA REKAAN."""
    from ..settings import overridden

    with overridden(invented_data="true"):
        return _run(folder, n, as_of)


def _run(folder: Path | None = None, n: int = 120, as_of: date = date(2027, 1, 15)) -> dict[str, Path]:
    folder = Path(folder or paths.REPO_ROOT / "var" / "contoh_laporan").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    cohort = seed_gradebook(folder / "gradebook.db", n=n, seed=2024, items=quiz_items(), ledger=True)
    roster = cohort.roster.copy()
    roster.attrs["kolom"] = list(roster.columns)
    import_roster(cohort.db_url, roster, [], "roster_sintetis.csv", date(2024, 1, 1))
    (folder / ATTENDANCE_DIR).mkdir(exist_ok=True)
    rows = [f"2026-11-20;Sosialisasi Netralitas Gelombang 1;{r.nip};{r.nama};{r.unit_kerja};2;1,2"
            for r in roster.head(40).itertuples()]
    (folder / ATTENDANCE_DIR / "hadir_gelombang_1.csv").write_text(
        ATTENDANCE.header(";") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report, sources = make_report(folder, db_url=cohort.db_url, as_of=as_of)
    out = folder / "reports" / f"laporan_{as_of.isoformat()}"
    files = write_report_files(report, sources, out)
    files["sertifikat"] = out / "sertifikat"
    certs = write_certificates(report, files["sertifikat"])
    write_statements(report, files["sertifikat"])
    files["contoh_sertifikat"] = certs[0]
    return files


if __name__ == "__main__":
    for label, path in run(Path(sys.argv[1]) if len(sys.argv) > 1 else None).items():
        print(f"{label}: {path}")
