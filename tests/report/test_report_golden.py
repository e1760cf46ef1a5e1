"""The HR workbook on a seeded synthetic cohort, sheet by sheet against tests/goldens
(rewrite them with --update-goldens after a deliberate change, and review the diff)."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from netralitas.report.pipeline import write_report_files

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
    return files, pd.read_excel(files["xlsx"], sheet_name=None, dtype=str, keep_default_na=False)


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
