"""Roster and attendance files as HR really exports them (Excel, other systems):
every problem a clear message with its line, nothing dropped silently."""
from __future__ import annotations

import pytest

from netralitas.cli import main
from netralitas.report.attendance import read_attendance
from netralitas.report.roster import DOUBTFUL, REJECTED, read_roster
from netralitas.report.units import UnitMaster

HEADER = "NIP;NIK;Nama;Unit Kerja;Status"
PNS = "199001002015031001;;Ani Lestari;Dinas Pendidikan;PNS"
NON_ASN = ";3201014001900001;Budi Honorer;Dinas Pendidikan;Non-ASN"


def roster(tmp_path, text: str, name="roster.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_roster(path, units=UnitMaster())


def test_non_asn_id_in_a_nik_column_is_accepted(tmp_path):
    frame, problems = roster(tmp_path, f"{HEADER}\n{PNS}\n{NON_ASN}\n")
    assert not [p for p in problems if p.level == REJECTED]
    row = frame.set_index("nama").loc["Budi Honorer"]
    assert row["nip"] == "3201014001900001" and row["jenis_id"] == "NIK"


def test_a_row_with_more_fields_than_the_header_is_rejected_with_its_line(tmp_path):
    _, problems = roster(tmp_path, f"{HEADER}\n{PNS}\n199002002015032002;;Citra, S.Pd;Dinas;Pendidikan;PNS\n"
                                   f"{PNS.replace('001;', '005;', 1)};;\n")
    bad = [p for p in problems if p.level == REJECTED]
    assert [p.line for p in bad] == [3] and "6 kolom, judul hanya 5" in bad[0].reason
    # Trailing empty cells (Excel's ";;") are not extra fields.


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_files_are_read(tmp_path, encoding):
    frame, problems = roster(tmp_path, f"{HEADER}\r\n{PNS}\r\n", encoding=encoding)
    assert list(frame["nama"]) == ["Ani Lestari"] and not problems


def test_a_one_column_file_is_a_clear_message(tmp_path):
    with pytest.raises(ValueError, match="hanya berisi satu kolom"):
        roster(tmp_path, "NIP\n199001002015031001\n")
    with pytest.raises(ValueError, match="kosong"):
        roster(tmp_path, "")


def test_one_column_and_missing_course_via_the_command(tmp_path, capsys):
    one = tmp_path / "satu.csv"
    one.write_text("NIP Nama\n1 2\n", encoding="utf-8")
    course = tmp_path / "kursus"
    course.mkdir()
    assert main(["pegawai", str(one), "--course", str(course)]) == 2
    assert "hanya berisi satu kolom" in capsys.readouterr().err
    good = tmp_path / "roster.csv"
    good.write_text(f"{HEADER}\n{PNS}\n", encoding="utf-8")
    assert main(["pegawai", str(good), "--course", str(tmp_path / "tidak_ada")]) == 2
    assert "tidak ada; periksa --course" in capsys.readouterr().err
    assert not (tmp_path / "tidak_ada").exists()
    assert main(["hadir", str(good), "--course", str(tmp_path / "tidak_ada")]) == 2


def test_ambiguous_dates_are_read_day_first_and_said_so(tmp_path):
    path = tmp_path / "hadir.csv"
    path.write_text("Tanggal;Sesi;NIP;Nama;JP\n05/06/2026;S1;199001002015031001;Ani;2\n"
                    "25/06/2026;S1;199002002015032002;Citra;2\n06/25/2026;S1;199003002015031003;Dedi;2\n",
                    encoding="utf-8")
    frame, problems = read_attendance(path)
    assert [d.isoformat() for d in frame["tanggal"]] == ["2026-06-05", "2026-06-25"]
    doubt = [p for p in problems if p.level == DOUBTFUL]
    assert [p.line for p in doubt] == [2] and "5 Juni 2026" in doubt[0].reason and "2026-05-06" in doubt[0].reason
    assert [p.line for p in problems if p.level == REJECTED] == [4]   # month 25: refused, never guessed


def test_attendance_with_the_same_file_name_is_kept_not_overwritten(tmp_path, capsys):
    course = tmp_path / "kursus"
    course.mkdir()
    first, second = tmp_path / "a" / "daftar_hadir.csv", tmp_path / "b" / "daftar_hadir.csv"
    for path, session in ((first, "Sesi 1"), (second, "Sesi 2")):
        path.parent.mkdir()
        path.write_text(f"Tanggal;Sesi;NIP;Nama;JP\n2026-06-05;{session};199001002015031001;Ani;2\n",
                        encoding="utf-8")
    assert main(["hadir", str(first), "--course", str(course)]) == 0
    assert main(["hadir", str(second), "--course", str(course)]) == 0
    assert "keduanya dihitung" in capsys.readouterr().out
    kept = sorted(p.name for p in (course / "kehadiran").iterdir())
    assert kept == ["daftar_hadir.csv", "daftar_hadir_2.csv"]
    assert "Sesi 1" in (course / "kehadiran" / "daftar_hadir.csv").read_text(encoding="utf-8")
    assert main(["hadir", str(first), "--course", str(course)]) == 0     # the same file again: not twice
    assert "sudah diimpor sebelumnya" in capsys.readouterr().out
    assert len(list((course / "kehadiran").iterdir())) == 2
