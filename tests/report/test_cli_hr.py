"""The HR commands on a course with nothing yet, then with a roster and attendance only."""
from __future__ import annotations

import pandas as pd

from netralitas.cli import main

from ..conftest import FIXTURES


def test_report_before_any_roster_says_what_to_do(tmp_path, capsys):
    assert main(["laporan", "--course", str(tmp_path)]) == 2
    assert "impor dulu dengan `netralitas pegawai" in capsys.readouterr().err


def test_roster_and_attendance_without_any_submission(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NETRALITAS_RAHASIA", "kunci-uji")
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
    learners = pd.read_csv(tmp_path / "out" / "per_pegawai.csv", dtype=str, keep_default_na=False)
    assert len(learners) == 13 and (learners["M01"] == "belum mulai").all()
    assert learners.set_index("nama").loc["Adi Saputra", "jp_tatap_muka"] == "2.0"
    assert learners.set_index("nama").loc["Sari Dewi", "jp_tatap_muka"] == "1.5"
    problems = pd.read_excel(tmp_path / "out" / "laporan_netralitas.xlsx", sheet_name="Masalah data", dtype=str)
    assert set(problems["berkas"]) == {"daftar hadir"}     # roster problems were reported at import
    assert main(["sertifikat", "--course", str(tmp_path), "--out", str(tmp_path / "pdf")]) == 0
    assert "0 sertifikat dan 7 surat pernyataan" in capsys.readouterr().out   # 7 units, Dinas Perikanan too
