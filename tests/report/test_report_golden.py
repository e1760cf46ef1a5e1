"""The HR workbook on a seeded synthetic cohort, sheet by sheet against tests/goldens
(rewrite them with --update-goldens after a deliberate change, and review the diff)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from netralitas.report.pipeline import write_report_files
from netralitas.report.workbook import read_report_csv, read_workbook

from ..conftest import GOLDENS
from .conftest import AS_OF

SHEETS = ["Ringkasan per unit", "Per modul", "Per pegawai", "Belum selesai", "Terlambat",
          "Perlu sertifikasi ulang", "Soal sering salah", "Tren bulanan", "Bukti audit", "Masalah data",
          "Tidak ada di roster", "Keterangan"]


def compare_golden(name: str, text: str, update: bool):
    path = GOLDENS / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden {name} missing: run with --update-goldens"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden"


def slug(sheet: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", sheet.lower()).strip("_")


@pytest.fixture(scope="module")
def workbook(cohort_report, tmp_path_factory):
    report, sources = cohort_report
    files = write_report_files(report, sources, tmp_path_factory.mktemp("laporan"))
    return files, read_workbook(files["xlsx"])


@pytest.mark.parametrize("sheet", SHEETS)
def test_xlsx_sheet_golden(workbook, sheet, update_goldens):
    _, sheets = workbook
    # Codes are MACs over register entries that carry their issue time: masked here, checked in test_documents.
    text = re.sub(r"NA(-[A-Z2-7]{4}){4}", "NA-KODE", sheets[sheet].to_csv(index=False))
    compare_golden(f"laporan_{slug(sheet)}.csv", text, update_goldens)


def test_unit_table_golden_and_order(cohort_report, update_goldens):
    report, _ = cohort_report
    compare_golden("ringkasan_unit_sintetis.csv", report.units.to_csv(index=False), update_goldens)
    # Sorted for action: lowest certification rate first.
    assert report.units["persen_tersertifikasi"].is_monotonic_increasing


def test_every_learner_and_every_file(workbook, cohort_report):
    files, sheets = workbook
    report, _ = cohort_report
    assert list(sheets) == SHEETS
    assert len(sheets["Per pegawai"]) == 60
    certified = sheets["Per pegawai"]["tersertifikasi"] == "ya"
    assert len(sheets["Belum selesai"]) == 60 - certified.sum()
    valid = certified & (sheets["Per pegawai"]["perlu_sertifikasi_ulang"] == "tidak")
    # A code only where a certificate is issued (valid); one that must be renewed is not issued again.
    assert (sheets["Per pegawai"].loc[valid, "kode_verifikasi"].str.match(r"NA(-[A-Z2-7]{4}){4}$")).all()
    assert (sheets["Per pegawai"].loc[~valid, "kode_verifikasi"] == "").all() and (~valid & certified).any()
    assert {p.suffix for p in files.values()} == {".xlsx", ".html", ".csv"}
    assert not [p for p in files.values() if p.with_name(p.name + ".tmp").exists()]


def test_certification_rules(cohort_report):
    report, _ = cohort_report
    L = report.learners.set_index("nip")
    done = report.status[report.status["selesai"]]
    # Certified exactly when every required module is completed; the date is the last completion.
    counts = done.groupby("nip").size()
    assert set(L.index[L["tersertifikasi"]]) == set(counts.index[counts == 9])
    last = done.groupby("nip")["selesai_pada"].max()
    for nip in L.index[L["tersertifikasi"]]:
        assert L.loc[nip, "tanggal_sertifikasi"] == last[nip].date()
    # Completed before Pilkada 2024 began: must recertify (the calendar says so).
    early = L[L["tersertifikasi"] & (L["tanggal_sertifikasi"] < pd.Timestamp("2024-08-27").date())]
    assert len(early) and early["perlu_sertifikasi_ulang"].all()
    assert (early["berlaku_sampai"] == pd.Timestamp("2024-08-26").date()).all()
    late = L[L["tersertifikasi"] & (L["tanggal_sertifikasi"] > pd.Timestamp("2024-12-31").date())]
    assert len(late) and not late["perlu_sertifikasi_ulang"].any()
    # Module 01 has its own earlier deadline; everyone without it is overdue.
    m01 = report.status[(report.status["modul"] == "01") & ~report.status["selesai"]]
    assert set(m01["nip"]) <= set(report.overdue["nip"])
    # Tested out of module 01 counts as completed.
    assert (report.status["hasil"] == "lulus tes awal").any()
    # Attendance adds JP (2 JP for the first learner of the roster).
    assert L["jp_tatap_muka"].sum() == 2.0
    assert report.as_of == AS_OF


def test_period_and_unit_filters(cohort_course):
    from netralitas.report.pipeline import make_report

    from .conftest import POLICY
    root, cohort = cohort_course
    whole, _ = make_report(root, db_url=cohort.db_url, as_of=AS_OF, policy=POLICY, with_items=False)
    part, _ = make_report(root, db_url=cohort.db_url, as_of=AS_OF, policy=POLICY,
                          dari=pd.Timestamp("2025-01-01").date(), units=["Dinas Pendidikan"], modules=["02"],
                          with_items=False)
    assert set(part.learners["unit_kerja"]) == {"Dinas Pendidikan"}
    assert part.modules["modul"].tolist() == ["02"]
    assert part.learners["tersertifikasi"].sum() <= whole.learners.query("unit_kerja == 'Dinas Pendidikan'")["tersertifikasi"].sum()
    assert (part.status.loc[part.status["selesai"], "selesai_pada"] >= pd.Timestamp("2025-01-01")).all()


def test_data_dictionary_golden_and_complete(workbook, update_goldens):
    files, sheets = workbook
    text = files["csv:kamus_data.csv"].read_text(encoding="utf-8-sig")
    compare_golden("laporan_kamus_data.csv", text, update_goldens)
    kamus = read_report_csv(files["csv:kamus_data.csv"])
    # Every column of every sheet is defined once, and a definition says what it counts.
    for name, frame in sheets.items():
        assert set(frame.columns) <= set(kamus.loc[kamus["lembar"] == name, "kolom"]), name
    assert "Kiriman kosong" in kamus[kamus["kolom"] == "sudah_mulai"]["arti"].iloc[0]


def test_xlsx_is_for_people_dates_headings_filter_frozen(workbook):
    from datetime import datetime

    from openpyxl import load_workbook

    files, _ = workbook
    wb = load_workbook(files["xlsx"])
    ws = wb["Per pegawai"]
    headings = [c.value for c in ws[1]]
    assert "NIP / ID" in headings and "Tanggal sertifikasi" in headings and "jumlah_pegawai" not in headings
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    date_col = headings.index("Tanggal sertifikasi") + 1
    dates = [ws.cell(r, date_col) for r in range(2, ws.max_row + 1) if ws.cell(r, date_col).value]
    assert dates and all(isinstance(c.value, datetime) and c.number_format == "DD/MM/YYYY" for c in dates)
    nip = ws.cell(2, headings.index("NIP / ID") + 1)
    assert isinstance(nip.value, str) and nip.number_format == "@"
    assert wb["Per modul"].cell(2, 1).value == "01"             # module "01" stays text
    assert "Kamus data" in wb.sheetnames


def test_csv_opens_in_indonesian_excel(workbook):
    files, _ = workbook
    raw = files["csv:per_pegawai.csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                       # BOM: Excel reads UTF-8
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("unit_kerja;nama;nip;") and ";" in first and "," not in header
    nip = first.split(";")[2]
    assert nip.startswith('="') or not nip.strip('"').isdigit()  # digits kept as text, not 1,97601E+17
    import csv

    rows = list(csv.reader(files["csv:per_modul.csv"].read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert rows[1][0] == '="01"'                                 # Excel shows 01, as text


def test_cells_never_become_formulas(cohort_report, tmp_path):
    from dataclasses import replace

    from openpyxl import load_workbook

    report, sources = cohort_report
    L = report.learners.copy()
    L.loc[L.index[0], "nama"] = '=HYPERLINK("http://contoh.invalid","klik")'
    L.loc[L.index[1], "jabatan"] = "+1+cmd|' /C calc'!A0"
    L.loc[L.index[2], "nama"] = "@SUM(A1:A9)"
    files = write_report_files(replace(report, learners=L), sources, tmp_path, ("xlsx", "csv"))
    ws = load_workbook(files["xlsx"])["Per pegawai"]
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert [v for v in values if isinstance(v, str) and v[:1] in "=+@"] == []
    assert "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")" in values
    csv = files["csv:per_pegawai.csv"].read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv and "'+1+cmd" in csv and "'@SUM" in csv
