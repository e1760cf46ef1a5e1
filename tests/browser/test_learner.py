"""Journey 1, the learner: module 1 and its quiz in JupyterLab, by clicking,
in Bahasa Indonesia, with no code in view; then the instructor grades with
the real nbgrader and the learner reads the feedback in the browser."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from netralitas import record
from netralitas.content.loader import default_bank, load_quiz_items

from .conftest import LAPTOP, PHONE, sized_page
from .jlab import (close_current_tab, current_notebook, horizontal_overflow, launcher_shown, menu_items,
                   open_in_file_browser, open_lab, output_with, scroll_all_cells, unlabelled_controls,
                   visible_code, wait_learner_notebook_ready)

pytestmark = pytest.mark.slow

MODULE = "01_mengapa_netral.ipynb"


def option_label(scope, text: str):
    """An option by its full text (labels read "a. <text>")."""
    return scope.locator(".netralitas-pilihan label", has_text=re.compile(rf"^\s*[a-z]\.\s+{re.escape(text)}\s*$"))


def quiz_item(page, n: int):
    """The widget cell right after the quiz's "### Soal n." heading."""
    return current_notebook(page).locator(
        f"xpath=//div[contains(@class,'jp-MarkdownCell')][.//h3[starts-with(normalize-space(.), 'Soal {n}.')]]"
        "/following-sibling::div[contains(@class,'jp-CodeCell')][1]")


def _answer_card(page, scenario, option_id: str) -> None:
    card = output_with(page, "h3", scenario.judul)
    option = scenario.option(option_id)
    option_label(card, option.teks).click()
    # Feedback appears at once, with the verdict, the legal basis and the sanction.
    status = card.locator("[role=status]")
    expected = "Tepat." if option.benar else "Belum tepat."
    expect(status).to_have_text(re.compile(rf"^{re.escape(expected)}"))
    for part in ("Dasar hukum:", "Sanksi:"):
        expect(status).to_contain_text(part)
    # One verdict: the chosen action's own, or (for claim options) the right one.
    expect(status).to_contain_text(re.compile("Tindakan yang Anda pilih:|Putusan yang tepat untuk kasus ini:"))


def _checked(page, scenario) -> str | None:
    """The option shown as selected (module options keep the bank's order)."""
    card = output_with(page, "h3", scenario.judul)
    states = card.locator(".netralitas-pilihan input[type=radio]").evaluate_all("es => es.map(e => e.checked)")
    assert len(states) == len(scenario.pilihan)
    return next((o.id for o, on in zip(scenario.pilihan, states) if on), None)


def test_learner_journey(page, lab, course_state, shots):
    bank = default_bank()
    scenarios = bank.module_scenarios("01")
    root, learner_root, course = course_state

    # 1. The course opens on the module list, in Bahasa Indonesia.
    open_lab(page, lab)
    assert page.locator(".jp-DirListing-headerItemText", has_text="Nama").count() == 1
    run_menu = menu_items(page, "Run")
    assert "Jalankan semua di atas sel yang dipilih" in run_menu
    # A learner's server shows the learner's nbgrader panel only, none of the instructor's.
    assert menu_items(page, "Nbgrader") == ["Assignment List"]
    assert page.get_by_text("Create Assignment").count() == 0
    shots(page, "kursus_dibuka")

    # 2. Module 1 opens and runs by itself: cases and options appear, no code.
    open_in_file_browser(page, MODULE)
    wait_learner_notebook_ready(page)
    assert current_notebook(page).locator("h1", has_text="Modul 01").is_visible()
    # Nor a Launcher (Terminal, Konsol): by now the workspace is fully restored.
    assert launcher_shown(page) == []
    assert page.locator(".jp-FileBrowser-toolbar").is_visible()  # the toolbar the "+" sat in
    shots(page, "modul_terbuka")
    scroll_all_cells(page)
    assert visible_code(page) == []
    assert unlabelled_controls(page) == []

    # 3. Every scenario answered by clicking; the first one wrong, then right.
    first = scenarios[0]
    wrong = next(o.id for o in first.pilihan if not o.benar)
    _answer_card(page, first, wrong)
    output_with(page, "h3", first.judul).scroll_into_view_if_needed()
    shots(page, "umpan_balik_belum_tepat")
    for s in scenarios:
        _answer_card(page, s, next(o.id for o in s.pilihan if o.benar))
    output_with(page, "h3", scenarios[-1].judul).locator("[role=status]").scroll_into_view_if_needed()
    shots(page, "umpan_balik_tepat")
    # The self-check: Benar/Salah buttons, explained at once.
    checks = bank.modules["01"].cek_mandiri
    rows = current_notebook(page).locator(".netralitas-cek")
    assert rows.count() == len(checks)
    for n, check in enumerate(checks):
        rows.nth(n).get_by_role("button", name="Benar" if check.benar else "Salah").click()
    status = current_notebook(page).locator("p[role=status]", has_text="Pernyataan ini")
    expect(status).to_have_text([re.compile(r"^Tepat\.")] * len(checks))
    rows.last.scroll_into_view_if_needed()
    shots(page, "cek_mandiri")

    answers = record.load(learner_root / "modules" / ".progres" / "modul_01.json").answers
    assert {s.id: next(o.id for o in s.pilihan if o.benar) for s in scenarios}.items() <= answers.items()

    # 4. Close the module; tomorrow (a new kernel) the answers are still there.
    # No "save your work?" question: the answers are already saved.
    assert close_current_tab(page) is None
    for kernel in lab.api("/api/kernels"):
        lab.request("DELETE", f"/api/kernels/{kernel['id']}")
    open_in_file_browser(page, MODULE)
    wait_learner_notebook_ready(page)
    for s in scenarios:
        assert _checked(page, s) == next(o.id for o in s.pilihan if o.benar), s.id
        expect(output_with(page, "h3", s.judul).locator("[role=status]")).to_have_text(re.compile(r"^Tepat\."))
    output_with(page, "h3", scenarios[0].judul).scroll_into_view_if_needed()
    shots(page, "modul_dibuka_lagi_jawaban_tetap")

    # 5. The quiz: Nbgrader › Assignment List › Fetch, then open the fetched notebook.
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-item[data-command='nbgrader:open-assignment-list']").click()
    released = page.locator("#released_assignments_list")
    released.locator(".list_item", has_text="kuis_01").get_by_role("button", name="Fetch").click()
    fetched = page.locator("#fetched_assignments_list")
    fetched.get_by_text("kuis_01").first.wait_for()
    shots(page, "kuis_diambil")
    fetched.locator(".assignment-notebooks-link", has_text="kuis_01").click()  # unfolds its notebooks
    fetched.locator("#nbgrader-netralitas-asn-kuis_01 a", has_text="kuis_01").click()
    wait_learner_notebook_ready(page)
    scroll_all_cells(page)
    assert visible_code(page) == []
    assert unlabelled_controls(page) == []
    shots(page, "kuis_terbuka")

    # 6. Answer every item by clicking (one wrong on purpose), then "Kirim jawaban".
    items = load_quiz_items("kuis_01", bank)
    wrong_item = items[0]
    for n, item in enumerate(items, start=1):
        chosen = [o for o in item.pilihan if o.benar]
        if item is wrong_item:
            chosen = [next(o for o in item.pilihan if not o.benar)]
        for option in chosen:
            option_label(quiz_item(page, n), option.teks).click()
    progress = current_notebook(page).locator(".widget-html", has_text="Kemajuan:")
    expect(progress).to_contain_text(f"{len(items)} dari {len(items)} soal sudah dijawab")
    # Sent by keyboard: Tab from the last answer to the button, then Enter.
    send = current_notebook(page).get_by_role("button", name="Kirim jawaban")
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Kirim jawaban")
    page.keyboard.press("Enter")
    expect(current_notebook(page).get_by_text("Jawaban terkirim")).to_be_visible(timeout=60_000)
    send.scroll_into_view_if_needed()
    shots(page, "kuis_terkirim")

    # 7. The instructor collects, autogrades and releases feedback (real nbgrader).
    graded = subprocess.run([sys.executable, "-m", "netralitas.cli", "grade", "kuis_01",
                             "--course", str(course.root)], capture_output=True, text=True, timeout=300)
    assert graded.returncode == 0, graded.stderr
    assert "1 kiriman dinilai" in graded.stdout

    # 8. The learner fetches the feedback in the Assignments panel and reads it.
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="Assignments").click()
    page.locator("#refresh_assignments_list").click()
    submitted = page.locator("#submitted_assignments_list")
    submitted.get_by_role("button", name="Fetch Feedback").click()
    submitted.get_by_text("(view feedback)").click()
    html_file = page.locator(".jp-DirListing-item", has_text="kuis_01.html")
    html_file.wait_for()
    shots(page, "umpan_balik_diambil")
    html_file.dblclick()
    frame = page.frame_locator(".jp-HTMLViewer iframe, iframe").first
    # In Bahasa Indonesia: the total and every item's result, none of nbgrader's English labels.
    expect(frame.locator("h4.netralitas-nilai")).to_have_text(f"Nilai: {len(items) - 1} dari {len(items)}")
    expect(frame.locator(".netralitas-putusan")).to_have_text(re.compile(r"^\s*LULUS\s"))
    expect(frame.locator("#toc li").first).to_have_text("Soal 1 — nilai 0 dari 1")
    expect(frame.locator("#toc li")).to_have_count(len(items))
    expect(frame.locator("body")).to_contain_text(wrong_item.judul)
    for english in ("Score", "Test cell", "Student's answer", "Comments"):
        expect(frame.locator("body")).not_to_contain_text(english)
    expect(frame.locator("body")).not_to_contain_text("BEGIN HIDDEN TESTS")
    shots(page, "umpan_balik_kuis")
    # Soal 1 in the list leads to its result.
    frame.locator("#toc a", has_text="Soal 1 —").click()
    expect(frame.locator(".nbgrader_cell .panel-heading", has_text="Soal 1 — nilai 0 dari 1")).to_be_in_viewport()
    shots(page, "umpan_balik_soal_1")


FOCUSED_JS = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.type || '', text: ((e.closest('label') || e).innerText || '').trim()}; }"""


def _tab_to(page, wanted, limit: int = 40) -> dict:
    """Press Tab until the focused element satisfies `wanted` (bounded)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the wanted control (last: {focused})")


def test_module_by_keyboard_only(page, lab, shots):
    """Tab to an option, Space to choose it; Tab to Benar/Salah, Enter."""
    bank = default_bank()
    s = bank.module_scenarios("02")[0]
    right = next(o for o in s.pilihan if o.benar)
    open_lab(page, lab)
    open_in_file_browser(page, "02_foto_simbol_dan_kedekatan.ipynb")
    wait_learner_notebook_ready(page)
    output_with(page, "h3", s.judul).locator("h3").click()  # reading, nothing selected yet
    _tab_to(page, lambda f: f["type"] == "radio" and right.teks in f["text"])
    page.keyboard.press("Space")
    expect(output_with(page, "h3", s.judul).locator("[role=status]")).to_have_text(re.compile(r"^Tepat\."))
    shots(page, "pilihan_dengan_papan_ketik")

    check = bank.modules["02"].cek_mandiri[0]
    current_notebook(page).locator("h2", has_text="Cek mandiri").click()
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == ("Benar" if check.benar else "Salah"))
    page.keyboard.press("Enter")
    expect(current_notebook(page).locator("p[role=status]", has_text="Pernyataan ini").first).to_have_text(
        re.compile(r"^Tepat\."))
    shots(page, "cek_mandiri_dengan_papan_ketik")


@pytest.mark.parametrize("size", ["laptop", "ponsel"])
def test_module_layout(browser, lab, shots, size):
    """At 1366x768 and 390x844: the widgets fit the width, long options wrap."""
    viewport = LAPTOP if size == "laptop" else PHONE
    with sized_page(browser, size) as page:
        page.goto(lab.url("/lab/tree/modules/03_media_sosial_dan_grup_pesan.ipynb", reset=""))
        wait_learner_notebook_ready(page)
        scroll_all_cells(page)
        output_with(page, "h3", "").first.scroll_into_view_if_needed()
        shots(page, "modul")
        assert visible_code(page) == []
        assert horizontal_overflow(page, ".jp-NotebookPanel .jp-OutputArea-output") == []
        assert horizontal_overflow(page, ".netralitas-pilihan") == []
        labels = current_notebook(page).locator(".netralitas-pilihan label")
        longest = max(range(labels.count()), key=lambda i: len(labels.nth(i).text_content()))
        label = labels.nth(longest)
        label.scroll_into_view_if_needed()
        box = label.bounding_box()
        assert box["x"] + box["width"] <= viewport["width"]
        if size == "ponsel":
            line = float(label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
            assert box["height"] > 1.8 * line, "a long option does not wrap"
        shots(page, "pilihan_panjang")
