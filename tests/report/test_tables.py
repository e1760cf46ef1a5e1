"""The report's sheets, the roster and the attendance sheet are the tables netralitas/tables.py declares."""
from __future__ import annotations

from netralitas.tables import ATTENDANCE, REPORT_SHEETS, ROSTER, sheet_columns

from ..conftest import FIXTURES


def test_every_sheet_has_exactly_the_declared_columns(cohort_report):
    """Sheets and their column codes as netralitas/tables.py declares them (headings and meanings
    from the report's data dictionary, report/kamus.py, which has the "Kamus data" sheet)."""
    from netralitas.report.workbook import sheets

    report, sources = cohort_report
    tables = sheets(report, sources.roster_problems, sources.attendance_problems)
    assert [name for name in tables if name != "Kamus data"] == list(REPORT_SHEETS)
    for name, table in REPORT_SHEETS.items():
        assert list(tables[name].columns) == sheet_columns(name, report.required), name
        assert all(c.meaning and c.label for c in table.columns)


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
