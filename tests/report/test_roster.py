"""Roster import: every messy row gets a line number and a reason; nothing vanishes."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from netralitas.invented import is_invented_nip
from netralitas.report.roster import DOUBTFUL, REJECTED, nip_problem, normalise_nip, read_roster
from netralitas.settings import overridden
from netralitas.report.units import load_units

from ..conftest import FIXTURES
from ..fixtures.roster_messy_xlsx import write_messy_xlsx

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("raw, expected", [
    ("19860900 201505 1 001", "198609002015051001"),
    ("'198609002015051001", "198609002015051001"),
    (" 198609002015051001 ", "198609002015051001"),
])
def test_normalise_excel_forms(raw, expected):
    assert normalise_nip(raw) == expected


@pytest.mark.parametrize("nip, status, fragment", [
    ("198609002015051001", "PNS", None),
    ("199001002021212001", "PPPK", None),            # NI PPPK: code 21 in the month place
    ("199203002025242005", "PPPK", None),            # code 24: part-time PPPK
    ("198609002015051001", "PPPK", None),            # PPPK with a month: accepted
    ("199001002021212001", "PNS", "kode NI PPPK"),
    ("198609002015131001", "PNS", "bulan pengangkatan"),
    ("198613002015051001", "PNS", "tanggal lahir"),
    ("198609002015053001", "PNS", "jenis kelamin"),
    ("198609002015051000", "PNS", "nomor urut"),
    ("19860900201505100", "PNS", "18 digit"),
    ("1.98609E+17", "PNS", "notasi ilmiah"),
    ("198609001990051001", "PNS", "tahun pengangkatan"),
    ("198609002026121001", "PNS", "belum terjadi"),   # TMT CPNS December 2026, report in November
    ("", "PNS", "kosong"),
    ("", "PPNPN", "non-ASN"),
    ("3578012345670001", "PPNPN", None),              # NIK for non-ASN staff
])
def test_nip_rules(nip, status, fragment):
    problem = nip_problem(normalise_nip(nip), status, TODAY)
    if fragment is None:
        assert problem is None
    else:
        assert problem and fragment in problem


# The NIPs above are invented (birth day 00): the test harness declares invented data
# (tests/conftest.py). Real HR files never get that allowance:


def test_real_looking_invalid_nip_is_rejected_in_normal_mode():
    with overridden(invented_data=None):
        for nip in ("198613262015051001", "198602302015051001", "198609322015051001"):  # month 13, 30 Feb, day 32
            assert "tanggal lahir" in nip_problem(nip, "PNS", TODAY), nip
        assert nip_problem("198609262015051001", "PNS", TODAY) is None  # a plausible one still passes
    # nor does the invented mode let an impossible real-looking date through
    assert "tanggal lahir" in nip_problem("198609322015051001", "PNS", TODAY)


def test_invented_nips_are_rejected_outside_the_invented_mode(tmp_path):
    assert is_invented_nip("198609002015051001") and not is_invented_nip("198609262015051001")
    assert "tanggal lahir" in nip_problem("198609002015051001", "PNS", TODAY, invented=False)
    assert nip_problem("198609002015051001", "PNS", TODAY, invented=True) is None
    path = tmp_path / "roster.csv"
    path.write_text("NIP;Nama;Unit Kerja;Status\n198609002015051001;Adi Saputra;Setda;PNS\n"
                    "199001002021212001;Yudi Pratama;Setda;PPPK\n", encoding="utf-8")
    with overridden(invented_data=None):
        frame, problems = read_roster(path, today=TODAY)
    assert frame.empty and [(p.line, p.level) for p in problems] == [(2, REJECTED), (3, REJECTED)]
    assert all("bukan tanggal lahir yang sah" in p.reason for p in problems)
    with overridden(invented_data="true"):
        frame, problems = read_roster(path, today=TODAY)
    assert frame["nip"].tolist() == ["198609002015051001", "199001002021212001"] and not problems


def test_unit_aliases_fold_case_spaces_and_dots():
    units = load_units()
    for name in ["Dispendik", "dinas  pendidikan", "DINAS PENDIDIKAN"]:
        assert units.lookup(name).nama == "Dinas Pendidikan"
    assert units.lookup("kec. sukamaju").nama == "Kecamatan Sukamaju"
    assert units.lookup("Setda").instansi == "Pemerintah Kabupaten Sukamaju"
    assert units.lookup("Dinas Perikanan") is None


MESSY_CSV_REJECTED = {
    4: "notasi ilmiah", 5: "bulan pengangkatan 13", 6: "NIP kosong", 7: "status 'Magang'",
    9: "ganda: sama dengan baris 2", 16: "18 digit", 17: "nomor urut", 18: "kode NI PPPK",
    19: "unit kerja kosong", 20: "nama kosong", 21: "tahun pengangkatan 2099",
}
MESSY_CSV_DOUBTFUL = {
    11: "email", 14: "Dinas Perikanan", 15: "instansi 'Pemerintah Kota Lain'",
    22: "ID berbentuk NIP", 26: "kode 33",
}


def test_messy_csv_reports_every_bad_line(tmp_path):
    path = tmp_path / "roster.csv"
    shutil.copy(FIXTURES / "roster_messy.csv", path)
    frame, problems = read_roster(path, today=TODAY)
    rejected = {p.line: p.reason for p in problems if p.level == REJECTED}
    doubtful = {p.line: p.reason for p in problems if p.level == DOUBTFUL}
    assert sorted(rejected) == sorted(MESSY_CSV_REJECTED)
    assert sorted(doubtful) == sorted(MESSY_CSV_DOUBTFUL)
    for line, fragment in {**MESSY_CSV_REJECTED, **MESSY_CSV_DOUBTFUL}.items():
        assert fragment in (rejected.get(line, "") + doubtful.get(line, "")), line
    # Every non-empty data row is either accepted or rejected: nothing vanishes.
    text = path.read_text(encoding="utf-8-sig").splitlines()
    data_lines = [i for i, line in enumerate(text[1:], start=2) if line.strip(";, ")]
    assert sorted(frame["baris"].tolist() + list(rejected)) == data_lines
    by_name = frame.set_index("nama")
    assert by_name.loc["Adi Saputra", "unit_kerja"] == "Dinas Pendidikan"        # alias Dispendik
    assert by_name.loc["Rina Kusuma", "nip"] == "198609002015052003"             # apostrophe
    assert by_name.loc["Yudi Pratama", "unit_kerja"] == "Kecamatan Sukamaju"     # Kec.
    assert by_name.loc["Yudi Pratama", "email"] == ""                            # bad email blanked
    assert by_name.loc["Lia Anggraini", "status"] == "PPPK"
    assert by_name.loc["Wati Lestari", ["status", "jenis_id", "unit_kerja"]].tolist() == ["PPNPN", "NIK", "Dinas Kesehatan"]
    assert by_name.loc["Sari Dewi", "jenis_id"] == "ID instansi"
    assert by_name.loc["Bambang Wibowo", "unit_kerja"] == "Dinas Perikanan"      # kept as written
    assert by_name.loc["Indah Rahmawati", "unit_kerja"] == "Puskesmas Sukamaju Timur"
    assert set(frame["instansi"]) >= {"Pemerintah Kabupaten Sukamaju"}


def test_messy_xlsx_refuses_numbers_excel_rounded(tmp_path):
    frame, problems = read_roster(write_messy_xlsx(tmp_path / "roster_messy.xlsx"), today=TODAY)
    rejected = {p.line: p.reason for p in problems if p.level == REJECTED}
    assert sorted(rejected) == [3, 5, 6, 10]
    for line in (3, 5, 6):
        assert "tersimpan sebagai angka" in rejected[line]
    assert "ganda" in rejected[10]
    assert frame["baris"].tolist() == [2, 4, 7, 9, 11]
    assert frame.set_index("baris").loc[2, "unit_kerja"] == "Dinas Pendidikan"
    assert frame.set_index("baris").loc[4, ["nip", "unit_kerja"]].tolist() == ["199001002021212001", "Kecamatan Sukamaju"]
    assert [p.line for p in problems if p.level == DOUBTFUL] == [11]


def test_missing_column_is_one_clear_error(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("NIP;Nama\n198609002015051001;Adi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kolom wajib tidak ada: unit_kerja, status"):
        read_roster(path)


def test_windows_1252_file_is_read_and_flagged(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("NIP,Nama,Unit Kerja,Status\n198609002015051001,Adi Saputra ·,Setda,PNS\n".encode("cp1252"))
    frame, problems = read_roster(path, today=TODAY)
    assert len(frame) == 1 and problems[0].line == 1 and "Windows-1252" in problems[0].reason


def test_invented_niks_pass_only_in_the_invented_mode():
    from netralitas.invented import is_invented_nik
    from netralitas.report.roster import non_asn_doubt

    woman, man, real = "3578014009900002", "3201010001900001", "3578014509900002"  # day 40 / 00; 45 = woman, 5th
    assert is_invented_nik(woman) and is_invented_nik(man) and not is_invented_nik(real)
    with overridden(invented_data=None):
        assert "tanggal lahir" in non_asn_doubt(woman) and "tanggal lahir" in non_asn_doubt(man)
        assert non_asn_doubt(real) is None
    with overridden(invented_data="true"):
        assert non_asn_doubt(woman) is None and non_asn_doubt(man) is None
        assert "tanggal lahir" in non_asn_doubt("3578017209900002")  # day 32: impossible even so
        assert "tanggal lahir" in non_asn_doubt("3578014013900002")  # month 13 too
