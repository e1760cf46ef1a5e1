"""Re-importing an updated roster keeps history; the roster reaches nbgrader as students."""
from __future__ import annotations

from datetime import date

import pytest
from nbgrader.api import Gradebook

from netralitas import paths
from netralitas.report.attendance import read_attendance
from netralitas.report.history import import_roster, read_history, roster_on
from netralitas.report.roster import read_roster

from ..conftest import FIXTURES

TODAY = date(2026, 11, 24)


@pytest.fixture
def db_after_transfer(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    first, p1 = read_roster(FIXTURES / "roster_messy.csv", today=TODAY)
    import_roster(url, first, p1, "roster_messy.csv", date(2026, 1, 1))
    second, p2 = read_roster(FIXTURES / "roster_after_transfer.csv", today=TODAY)
    changes = import_roster(url, second, p2, "roster_after_transfer.csv", date(2026, 7, 1))
    return url, first, changes


def test_transfers_promotions_and_departures_are_kept(db_after_transfer):
    url, first, changes = db_after_transfer
    why = dict(zip(changes["nama"], changes["perubahan"]))
    assert why["Rina Kusuma"] == "pindah unit: Dinas Pendidikan → Sekretariat Daerah"
    assert why["Adi Saputra"] == "ganti jabatan: Guru Ahli Muda → Kepala Sekolah"
    assert why["Nanda Permata"] == "baru di roster"
    assert "keluar dari roster" in why["Bambang Wibowo"]
    assert "ditolak" in why["Yudi Pratama"]               # broken row: not a departure
    assert "Sari Dewi" not in why and "Lia Anggraini" not in why   # unchanged

    before, after = roster_on(url, date(2026, 3, 1)), roster_on(url, date(2026, 8, 1))
    assert len(before) == len(first)
    unit = lambda frame, name: frame.set_index("nama").loc[name, "unit_kerja"]  # noqa: E731
    assert unit(before, "Rina Kusuma") == "Dinas Pendidikan" and unit(after, "Rina Kusuma") == "Sekretariat Daerah"
    assert "Bambang Wibowo" in set(before["nama"]) and "Bambang Wibowo" not in set(after["nama"])
    assert "Yudi Pratama" in set(after["nama"])
    assert unit(after, "Nanda Permata") == "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    history = read_history(url)
    rina = history[history["nama"] == "Rina Kusuma"].sort_values("valid_from")
    assert [str(d.date()) for d in rina["valid_from"]] == ["2026-01-01", "2026-07-01"]
    assert str(rina["valid_to"].iloc[0].date()) == "2026-07-01" and rina["valid_to"].isna().iloc[1]


def test_reimport_of_the_same_roster_changes_nothing(db_after_transfer):
    url, _, _ = db_after_transfer
    again, problems = read_roster(FIXTURES / "roster_after_transfer.csv", today=TODAY)
    changes = import_roster(url, again, problems, "sama", date(2026, 8, 1), sync_students=False)
    assert set(changes["perubahan"]) == {"tetap tercatat: barisnya ditolak di roster baru (perbaiki)"}


def test_roster_becomes_nbgrader_students_and_nobody_is_removed(db_after_transfer):
    url, first, _ = db_after_transfer
    with Gradebook(url, course_id=paths.COURSE_ID) as gb:
        ids = {s.id for s in gb.students}
        assert set(first["nip"]) <= ids                     # departed staff keep their grades
        assert "199501002023012001" in ids
        assert gb.find_student("198609002015052003").first_name == "Rina Kusuma"


def test_attendance_rows_with_line_numbers():
    frame, problems = read_attendance(FIXTURES / "hadir_messy.csv", {f"{i:02d}" for i in range(1, 10)})
    lines = {p.line: (p.level, p.reason) for p in problems}
    assert sorted(lines) == [4, 5, 6, 7, 8]
    assert "tanggal" in lines[4][1] and "NIP" in lines[5][1] and "JP 'dua'" in lines[6][1]
    assert "dua kali" in lines[7][1] and "baris 2" in lines[7][1]
    assert lines[8] == ("diragukan", "modul 12 tidak dikenal; diabaikan")
    assert frame["baris"].tolist() == [2, 3, 8]
    assert frame["jp"].tolist() == [2.0, 2.0, 1.5]
    assert frame["modul"].tolist() == ["01,02", "01,02", "03"]
    assert frame["tanggal"].tolist() == [date(2026, 11, 20), date(2026, 11, 20), date(2026, 11, 27)]
