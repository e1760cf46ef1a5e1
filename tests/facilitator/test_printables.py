"""Printed material: PDFs open, carry their titles, and the attendance sheet speaks the HR import's columns."""
from __future__ import annotations

import csv
import re

import pytest
from pypdf import PdfReader

from netralitas.content.schema import ContentError
from netralitas.facilitator.printables import ATTENDANCE_COLUMNS, ATTENDANCE_CSV_COLUMNS, latin1


def text_of(path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def test_every_pdf_opens_with_its_title(bank, kit, built_kit):
    cetak, _ = built_kit
    expected = {f"salindia_{m.id}.pdf": f"Salindia Modul {m.id}: {m.judul}" for m in bank.modules.values()}
    expected |= {f"handout_{m.id}.pdf": f"Handout Modul {m.id}: {m.judul}" for m in bank.modules.values()}
    expected |= {"ikrar_netralitas.pdf": "Ikrar Netralitas", "pakta_integritas.pdf": "Pakta Integritas Netralitas",
                 "daftar_hadir.pdf": "Daftar Hadir Sosialisasi Netralitas"}
    assert {p.name for p in cetak.glob("*.pdf")} == set(expected)
    for name, title in expected.items():
        reader = PdfReader(cetak / name)
        assert reader.metadata.title == title
        assert len(reader.pages) >= 1


def test_slides_hold_one_scenario_then_its_verdict(bank, built_kit):
    cetak, _ = built_kit
    mod = bank.modules["02"]
    scenarios = bank.module_scenarios("02")
    reader = PdfReader(cetak / "salindia_02.pdf")
    assert len(reader.pages) == 2 + 2 * len(scenarios)  # cover, case + verdict each, key points
    for n, s in enumerate(scenarios):
        case = " ".join(reader.pages[1 + 2 * n].extract_text().split())
        verdict = " ".join(reader.pages[2 + 2 * n].extract_text().split())
        assert s.judul in case and s.pertanyaan in case
        assert "Putusan kasus" in verdict and "Dasar hukum" in verdict
    assert mod.judul in " ".join(reader.pages[0].extract_text().split())
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape for the projector


def test_handout_pakta_and_ikrar_carry_their_text(bank, kit, built_kit):
    cetak, _ = built_kit
    for mod in bank.modules.values():  # one A4 sheet, printed on both sides
        assert len(PdfReader(cetak / f"handout_{mod.id}.pdf").pages) <= 2, mod.id
    assert len(PdfReader(cetak / "pakta_integritas.pdf").pages) == 1
    assert len(PdfReader(cetak / "ikrar_netralitas.pdf").pages) == 1
    handout = text_of(cetak / "handout_07.pdf")
    assert "Handout Modul 07" in handout and "BKPSDM" in handout
    pakta = text_of(cetak / "pakta_integritas.pdf")
    for field in ["Nama", "NIP", "Unit Kerja", "tanda tangan"]:
        assert field in pakta
    assert "PAKTA INTEGRITAS NETRALITAS" in pakta
    ikrar = text_of(cetak / "ikrar_netralitas.pdf")
    assert all(" ".join(t.split())[:40] in ikrar for t in kit.texts.ikrar)


def test_attendance_sheet_has_the_import_columns_in_order(built_kit):
    cetak, _ = built_kit
    text = text_of(cetak / "daftar_hadir.pdf")
    assert "No " + " ".join(ATTENDANCE_COLUMNS) in text  # the header row, in the import's order
    assert ATTENDANCE_COLUMNS == ["Tanggal", "Sesi", "NIP", "Nama", "Unit Kerja", "JP", "Tanda tangan"]
    assert "Sosialisasi reguler (120 menit)" in text and "2024-09-18" in text
    with open(cetak / "daftar_hadir.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == ATTENDANCE_CSV_COLUMNS
    assert rows[1][:2] == ["2024-09-18", "Sosialisasi reguler (120 menit)"] and rows[1][5] == "2"
    assert re.fullmatch(r"\d\d(,\d\d)*", rows[1][6])


def test_attendance_template_reads_with_the_hr_import(built_kit):
    """Once the HR import exists, a typed-in sheet goes through it without problems."""
    attendance = pytest.importorskip("netralitas.report.attendance")
    cetak, _ = built_kit
    typed = cetak.parent / "diketik.csv"
    with open(cetak / "daftar_hadir.csv", encoding="utf-8-sig", newline="") as f:
        header, prefill = list(csv.reader(f, delimiter=";"))
    prefill[2:5] = ["198609002015051001", "Rina Lestari", "Dinas Pendidikan"]
    with open(typed, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, prefill])
    frame, problems = attendance.read_attendance(typed)
    assert list(problems) == [] and len(frame) == 1
    assert frame.iloc[0]["jp"] == 2 and frame.iloc[0]["sesi"] == "Sosialisasi reguler (120 menit)"
    # and through the HR command a facilitator is told to use
    from netralitas.cli import main
    course = cetak.parent / "kursus"
    course.mkdir(exist_ok=True)     # a course folder that does not exist is refused with a message
    assert main(["hadir", str(typed), "--course", str(course)]) == 0
    assert list(course.rglob("diketik.csv"))


def test_text_outside_latin1_is_refused_not_printed_as_boxes():
    assert latin1("Pose \u201cV\u201d \u2013 salam") == 'Pose "V" - salam'
    with pytest.raises(ContentError, match="Latin-1"):
        latin1("Kasus \u2605 penting")
