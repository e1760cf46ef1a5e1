"""The report's sheets, the roster and the attendance sheet are the tables netralitas/tables.py declares."""
from __future__ import annotations

import pandas as pd

from netralitas.report.pipeline import write_report_files
from netralitas.tables import ATTENDANCE, REPORT_SHEETS, ROSTER, sheet_columns

from ..conftest import FIXTURES


def test_every_sheet_has_exactly_the_declared_columns(cohort_report, tmp_path):
    report, sources = cohort_report
    files = write_report_files(report, sources, tmp_path, ("xlsx",))
    sheets = pd.read_excel(files["xlsx"], sheet_name=None, dtype=str)
    assert list(sheets) == list(REPORT_SHEETS)
    for name, frame in sheets.items():
        assert list(frame.columns) == sheet_columns(name, report.required), name


def test_the_input_files_in_the_fixtures_use_the_declared_headings():
    for table, fixture in ((ROSTER, "roster_messy.csv"), (ATTENDANCE, "hadir_messy.csv")):
        header = (FIXTURES / fixture).read_text(encoding="utf-8-sig").splitlines()[0]
        headings = table.headings()
        sep = ";" if ";" in header else ","
        assert all(h.strip().lower() in headings for h in header.split(sep)), (fixture, header)
        assert set(table.required) <= {headings[h.strip().lower()] for h in header.split(sep)}


def test_a_sheet_without_a_required_column_is_refused_naming_it(tmp_path):
    from netralitas.report.attendance import read_attendance

    path = tmp_path / "hadir.csv"
    path.write_text(ATTENDANCE.header(";").replace(";JP", "") + "\n2024-09-18;sesi_120;NONASN-0001;A;B;\n",
                    encoding="utf-8")
    try:
        read_attendance(path)
    except ValueError as exc:
        assert "kolom wajib tidak ada: jp" in str(exc)
    else:
        raise AssertionError("a sheet without JP was read")
