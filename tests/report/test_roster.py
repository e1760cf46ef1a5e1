from __future__ import annotations

import shutil

import pytest

from netralitas.report.roster import nip_problem, normalise_nip, read_roster

from ..conftest import FIXTURES


@pytest.mark.parametrize("raw, expected", [
    ("19860926 201505 1 001", "198609262015051001"),
    ("'198609262015051001", "198609262015051001"),
    (" 198609262015051001 ", "198609262015051001"),
])
def test_normalise_excel_forms(raw, expected):
    assert normalise_nip(raw) == expected


@pytest.mark.parametrize("nip, status, fragment", [
    ("198609262015051001", "PNS", None),
    ("199001152021212001", "PPPK", None),            # NI PPPK: code 21 in the month place
    ("199001152021212001", "PNS", "bulan pengangkatan"),
    ("198613262015051001", "PNS", "tanggal lahir"),
    ("198609262015053001", "PNS", "jenis kelamin"),
    ("19860926201505100", "PNS", "18 digit"),
    ("1.98609E+17", "PNS", "notasi ilmiah"),
    ("198609261990051001", "PNS", "tahun pengangkatan"),
    ("", "PPNPN", "non-ASN"),
    ("3578012345670001", "PPNPN", None),              # NIK for non-ASN staff
])
def test_nip_rules(nip, status, fragment):
    problem = nip_problem(normalise_nip(nip), status)
    if fragment is None:
        assert problem is None
    else:
        assert problem and fragment in problem


def test_messy_roster_reports_every_bad_line(tmp_path):
    path = tmp_path / "roster.csv"
    shutil.copy(FIXTURES / "roster_messy.csv", path)
    frame, problems = read_roster(path)
    lines = {p.line: p.reason for p in problems}
    assert sorted(lines) == [4, 5, 6, 7, 9]
    assert "NIP ganda" in lines[9] and "baris 2" in lines[9]
    assert "status" in lines[7]
    # Every non-empty data row is either accepted or reported: nothing vanishes.
    data_lines = [i for i, l in enumerate(path.read_text(encoding="utf-8-sig").splitlines()[1:], start=2) if l.strip(";, ")]
    assert sorted(frame["baris"].tolist() + list(lines)) == data_lines
    assert frame.loc[frame["nama"] == "Rina Kusuma", "nip"].item() == "198609262015052003"
