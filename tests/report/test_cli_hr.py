"""The HR commands on a course with nothing yet, then with a roster and attendance only."""
from __future__ import annotations

from netralitas.cli import main
from netralitas.report.workbook import read_report_csv, read_workbook

from ..conftest import FIXTURES


def test_report_before_any_roster_says_what_to_do(tmp_path, capsys):
    assert main(["laporan", "--course", str(tmp_path)]) == 2
    assert "impor dulu dengan `netralitas pegawai" in capsys.readouterr().err


def test_roster_and_attendance_without_any_submission(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NETRALITAS_DB_URL", raising=False)
    # The roster is dated before the sessions in hadir_messy.csv and the report date below: a
    # fixed past scenario, the same on whatever day the test runs.
    assert main(["pegawai", str(FIXTURES / "roster_messy.csv"), "--course", str(tmp_path), "--strict",
                 "--tanggal", "2026-11-01"]) == 1
    err = capsys.readouterr().err
    assert "Roster baris 4 Excel Rusak [ditolak]: NIP tertulis dalam notasi ilmiah" in err
    assert main(["hadir", str(FIXTURES / "hadir_messy.csv"), "--course", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert "Daftar hadir baris 6 Yudi Pratama [ditolak]: JP 'dua'" in out.err
    assert (tmp_path / "kehadiran" / "hadir_messy.csv").exists()
    assert main(["laporan", "--course", str(tmp_path), "--out", str(tmp_path / "out"), "--per-tanggal",
                 "2026-11-30"]) == 0
    learners = read_report_csv(tmp_path / "out" / "per_pegawai.csv")
    assert len(learners) == 13 and (learners["M01"] == "belum mulai").all()
    assert learners.set_index("nama").loc["Adi Saputra", "jp_tatap_muka"] == "2,0"   # decimal comma (id-ID Excel)
    assert learners.set_index("nama").loc["Sari Dewi", "jp_tatap_muka"] == "1,5"
    problems = read_workbook(tmp_path / "out" / "laporan_netralitas.xlsx")["Masalah data"]
    # Without --roster too: the problems of the roster import in force, with their lines.
    assert set(problems["berkas"]) == {"daftar hadir", "roster"}
    assert "4" in set(problems.loc[problems["berkas"] == "roster", "baris"])
    assert main(["sertifikat", "--course", str(tmp_path), "--out", str(tmp_path / "pdf")]) == 0
    assert "0 sertifikat dan 7 surat pernyataan" in capsys.readouterr().out   # 7 units, Dinas Perikanan too


def test_problems_of_the_roster_in_force_are_always_in_the_report(tmp_path, capsys):
    """No --roster: the "Masalah data" sheet still lists the rejected rows of the import in force."""
    assert main(["pegawai", str(FIXTURES / "roster_messy.csv"), "--course", str(tmp_path)]) == 0
    assert main(["laporan", "--course", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "xlsx,csv"]) == 0
    problems = read_workbook(tmp_path / "out" / "laporan_netralitas.xlsx")["Masalah data"]
    roster = problems[problems["berkas"] == "roster"]
    assert "4" in set(roster["baris"]) and (roster["tingkat"] == "ditolak").any()
    assert read_report_csv(tmp_path / "out" / "masalah_data.csv")["baris"].tolist() == problems["baris"].tolist()
    # A clean re-import replaces them: the report shows the problems of the roster it used, not of an older one.
    clean = tmp_path / "bersih.csv"
    clean.write_text("NIP;Nama;Unit Kerja;Status\n199001002015031001;Ani Lestari;Dinas Pendidikan;PNS\n",
                     encoding="utf-8")
    assert main(["pegawai", str(clean), "--course", str(tmp_path)]) == 0
    assert main(["laporan", "--course", str(tmp_path), "--out", str(tmp_path / "out2"), "--format", "xlsx"]) == 0
    again = read_workbook(tmp_path / "out2" / "laporan_netralitas.xlsx")["Masalah data"]
    assert (again["berkas"] != "roster").all()


def test_reminder_lists_and_one_report_per_unit(cohort_course, monkeypatch, tmp_path, capsys):
    from netralitas.report.pipeline import reminders

    root, cohort = cohort_course
    monkeypatch.setenv("NETRALITAS_DB_URL", cohort.db_url)
    from .conftest import POLICY
    monkeypatch.setattr("netralitas.report.pipeline.load_report_policy", lambda: POLICY)
    args = ["--course", str(root), "--per-tanggal", "2026-12-01"]
    assert main(["pengingat", *args, "--hari", "45", "--out", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    due = read_report_csv(tmp_path / "p" / "tenggat_dekat.csv")
    assert len(due) and (due["tenggat"] == "2026-12-31").all() and set(due["hari_lagi"]) == {"30"}
    assert "Tenggat dekat dalam 45 hari" in out and "email" in due.columns
    # Expiring: every valid certificate ending within the window, none outside it.
    from datetime import date

    from netralitas.report.pipeline import make_report
    report, _ = make_report(root, db_url=cohort.db_url, as_of=date(2027, 1, 15), policy=POLICY, with_items=False)
    lists = reminders(report, 900)
    ending = lists["Akan kedaluwarsa"]
    assert len(ending) and (ending["hari_lagi"] <= 900).all() and (ending["nomor_sertifikat"] != "").all()
    assert len(reminders(report, 0)["Akan kedaluwarsa"]) == 0

    assert main(["laporan", *args, "--per-unit", "--format", "xlsx", "--out", str(tmp_path / "l")]) == 0
    per_unit = sorted((tmp_path / "l" / "per_unit").glob("*/laporan_netralitas_*.xlsx"))
    assert len(per_unit) == len(report.learners["unit_kerja"].unique())
    one = read_workbook(tmp_path / "l" / "per_unit" / "Inspektorat_Daerah" / "laporan_netralitas_Inspektorat_Daerah.xlsx")
    assert set(one["Per pegawai"]["unit_kerja"]) == {"Inspektorat Daerah"}
    assert (tmp_path / "l" / "per_unit" / "Inspektorat_Daerah" / "manifest.sig").exists()
