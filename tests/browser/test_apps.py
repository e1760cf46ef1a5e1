"""Journeys 2 and 3: the facilitator's live session and the HR report, opened
as apps (Voilà, served by the same JupyterLab server): no code, only widgets."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from netralitas.content.loader import default_bank
from netralitas.report.workbook import read_workbook

from .conftest import HR_UNIT, LAPTOP, PHONE, sized_page
from .jlab import horizontal_overflow, unlabelled_controls, visible_code

pytestmark = pytest.mark.slow

def open_app(page, lab, path: str, ready_text: str):
    page.goto(lab.url(f"/voila/render/{path}"))
    page.get_by_text(ready_text).first.wait_for(timeout=90_000)
    assert visible_code(page) == [], "code is visible in the app"
    assert page.get_by_text("Traceback").count() == 0
    assert unlabelled_controls(page) == []


def test_facilitator_live_session(page, lab, shots):
    from netralitas.facilitator.content import load_kit
    from netralitas.facilitator.live import choices, scenario_ids

    bank = default_bank()
    kit = load_kit(bank)
    open_app(page, lab, "facilitator_guide/sesi_langsung.ipynb", "Materi sesi:")
    shots(page, "sesi_dibuka")
    label, choice = choices(bank, kit)[0]
    page.get_by_label("Materi sesi:").select_option(label=label)
    page.get_by_role("button", name="Mulai sesi").click()
    ids = scenario_ids(bank, kit, choice)
    assert len(ids) >= 3

    for n, sid in enumerate(ids[:3], start=1):
        s = bank.scenarios[sid]
        expect(page.get_by_text(f"Kasus {n} dari {len(ids)}")).to_be_visible()
        expect(page.locator("h2", has_text=s.judul)).to_be_visible()
        # The new case's boxes replace the last case's (same labels): wait until only the new,
        # empty ones are there, or the first count goes into a box that is about to vanish.
        first = page.get_by_label("Jumlah tangan a.")
        expect(first).to_have_count(1)
        expect(first).to_have_value("0")
        # The room's hands, one box per option, typed in as the facilitator counts.
        counts = [(7 * (k + 1) + n) % 23 + 1 for k in range(len(s.pilihan))]
        for k, count in enumerate(counts):
            box = page.get_by_label(f"Jumlah tangan {chr(ord('a') + k)}.")
            box.fill(str(count))
            box.press("Tab")
        expect(page.get_by_text(f"Jawaban ruangan: {sum(counts)} tangan")).to_be_visible()
        shots(page, f"kasus_{n}_hitungan")
        page.get_by_role("button", name="Tampilkan putusan").click()
        verdict = page.locator("[role=status]", has_text="Putusan:")
        expect(verdict).to_be_visible()
        right = sum(c for c, o in zip(counts, s.pilihan) if o.benar)
        expect(page.locator("p", has_text="Memilih jawaban yang tepat:")).to_contain_text(f"{round(100 * right / sum(counts))}%")
        shots(page, f"kasus_{n}_putusan")
        if n < 3:
            page.get_by_role("button", name="Kasus berikutnya").click()

    page.get_by_role("button", name="Ringkasan sesi").click()
    expect(page.locator("h2", has_text="Ringkasan sesi")).to_be_visible()
    expect(page.get_by_text(f"3 dari {len(ids)} kasus dihitung")).to_be_visible()
    page.locator("h2", has_text="Ringkasan sesi").scroll_into_view_if_needed()
    shots(page, "ringkasan")


def test_hr_report_filter_and_download(page, lab, hr_course, shots, tmp_path):
    open_app(page, lab, "grading/laporan_hr.ipynb", "Laporan Penyelesaian Kursus Netralitas ASN")
    shots(page, "laporan_dibuka")
    units = page.get_by_label("Unit kerja")
    # ipywidgets shows spaces in option labels as no-break spaces.
    assert HR_UNIT in [t.replace("\xa0", " ") for t in units.locator("option").all_inner_texts()]
    units.select_option(label=HR_UNIT.replace(" ", "\xa0"))
    page.get_by_role("button", name="Buat laporan").click()
    expect(page.get_by_text(re.compile(r"Selesai: \d+ pegawai"))).to_be_visible(timeout=120_000)
    shots(page, "laporan_satu_unit", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh XLSX")).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    # Headings are Indonesian; the workbook's own Kamus data sheet maps them back to column codes.
    book = read_workbook(path)
    roster = hr_course[1].roster
    expected = roster[roster["unit_kerja"] == HR_UNIT]
    people = book["Per pegawai"]
    assert len(people) == len(expected) > 0
    assert set(people["nip"]) == set(expected["nip"])
    for name, frame in book.items():
        if "unit_kerja" in frame:
            assert set(frame["unit_kerja"]) <= {HR_UNIT}, name


def test_hr_report_by_keyboard(page, lab, hr_course, shots):
    """Tab to the unit list, pick with the arrow keys, Tab to the button, Enter."""
    open_app(page, lab, "grading/laporan_hr.ipynb", "Laporan Penyelesaian Kursus Netralitas ASN")
    page.locator("h2", has_text="Laporan Penyelesaian").click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.tagName") == "SELECT":
            break
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => [...document.activeElement.selectedOptions].map(o => o.text)")
    assert len(chosen) == 1
    # Each date field is three tab stops (day, month, year): three date fields, then the checkbox.
    for _ in range(30):
        if page.evaluate("() => document.activeElement?.innerText?.trim()") == "Buat laporan":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    roster = hr_course[1].roster
    n = int((roster["unit_kerja"] == chosen[0].replace("\xa0", " ")).sum())
    expect(page.get_by_text(f"Selesai: {n} pegawai")).to_be_visible(timeout=120_000)
    shots(page, "laporan_dengan_papan_ketik")


FORM = (".widget-select-multiple, .widget-datepicker, .widget-checkbox, .widget-button, .widget-hbox, "
        ".widget-vbox, .jupyter-widgets select, .jupyter-widgets input")


@pytest.mark.parametrize("size", ["laptop", "ponsel"])
def test_hr_report_layout(browser, lab, shots, size):
    """At 1366x768 and 390x844, in an Indonesian browser: every control of the
    form fits the width, labels are whole, dates read dd/mm/yyyy."""
    viewport = LAPTOP if size == "laptop" else PHONE
    with sized_page(browser, size) as page:
        open_app(page, lab, "grading/laporan_hr.ipynb", "Laporan Penyelesaian Kursus Netralitas ASN")
        assert page.evaluate("navigator.language") == "id-ID"
        assert horizontal_overflow(page, FORM) == []
        # Labels whole, not cut with an ellipsis (the certificate checkbox was).
        cut = page.evaluate("""() => [...document.querySelectorAll('.jupyter-widgets label, .widget-label')]
          .filter(e => e.checkVisibility() && e.textContent.trim() && e.scrollWidth > e.clientWidth + 1)
          .map(e => e.textContent.trim())""")
        assert cut == []
        box = page.get_by_text("Buat juga sertifikat PDF dan surat pernyataan unit").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        start = page.get_by_label("Dari tanggal (hh/bb/tttt)")
        start.fill("2024-03-05")
        shots(page, "formulir")
        # An Indonesian browser draws the date day first, as the label says.
        start.blur()
        assert start.input_value() == "2024-03-05"
        if size == "ponsel":
            page.get_by_role("button", name="Buat laporan").click()
            expect(page.get_by_text(re.compile(r"Selesai: \d+ pegawai"))).to_be_visible(timeout=120_000)
            # The page does not widen: the summary table scrolls in its own box.
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            assert horizontal_overflow(page, FORM) == []
            page.locator(".unduh-xlsx").scroll_into_view_if_needed()
            shots(page, "laporan")
