"""Journey: the course home (Beranda Kursus). A learner lands on it, opens a
module, answers a case, takes the quiz, sends it, and reads the score in the
page without any instructor action (the grading service runs as the
instructor would run it); no English UI or developer word on any screen, at
laptop and phone size."""
from __future__ import annotations

import re
import shutil
import threading

import pytest
from playwright.sync_api import expect

from netralitas import paths
from netralitas.content.loader import default_bank, load_quiz_items

from .conftest import sized_page
from .test_learner import option_label

pytestmark = pytest.mark.slow

NIP = "199113172019032005"  # invented: birth month 13
HOME = "/voila/render/modules/00_beranda.ipynb"
# Words a learner must never meet: nbgrader's and JupyterLab's English UI,
# and developer machinery. Whole words, case-sensitive where case matters.
FORBIDDEN = ["Fetch", "Submit", "Validate", "Assignment", "nbgrader", "ipynb", "Kernel", "kernel", "Python",
             "ipykernel", "Traceback", "Error", "Exception", "File", "Edit", "View", "Settings", "Help",
             "Tabs", "None", "True", "False", "feedback", "Feedback", "trust", "Trust", "Voila", "Voilà",
             "localhost", "127.0.0.1", "UTC", "json"]


def english_or_machinery(page) -> list[str]:
    text = page.locator("body").inner_text()
    # The released feedback sits in a sandboxed frame: its text counts too.
    for frame in page.frames[1:]:
        try:
            text += "\n" + frame.locator("body").inner_text(timeout=2000)
        except Exception:
            pass
    return sorted({w for w in FORBIDDEN if re.search(rf"(?<![\w.]){re.escape(w)}(?![\w])", text)})


@pytest.fixture(scope="module")
def home_lab(tmp_path_factory):
    from netralitas.grading.course import Course
    from netralitas.grading.service import GradingService
    from netralitas.server import running_lab

    root = tmp_path_factory.mktemp("beranda")
    learner_root = root / "peserta"
    shutil.copytree(paths.MODULES_DIR, learner_root / "modules",
                    ignore=shutil.ignore_patterns(".progres", ".ipynb_checkpoints"))
    course = Course.init(root / "kursus", source=paths.QUIZ_SOURCE_DIR)
    course.publish("kuis_01")
    service = GradingService(course.root)
    stop = threading.Event()
    thread = threading.Thread(target=service.serve, kwargs={"poll_s": 0.5, "stop": stop.is_set}, daemon=True)
    thread.start()
    try:
        with running_lab(learner_root, course.root, nip=NIP, home=root / "jupyter") as server:
            yield server, learner_root, course
    finally:
        stop.set()
        thread.join(timeout=120)


def open_home(page, lab):
    page.goto(lab.url(HOME))
    page.get_by_text("Beranda Kursus Netralitas ASN").first.wait_for(timeout=120_000)
    page.get_by_text("Sertifikat", exact=True).wait_for(timeout=120_000)


def quiz_box(page, title: str):
    return page.locator(".widget-vbox", has=page.locator("b", has_text=re.compile(rf"^{re.escape(title)}$"))).last


def test_home_journey(browser, home_lab, shots):
    lab, learner_root, course = home_lab
    bank = default_bank()
    s = bank.module_scenarios("01")[0]
    items = load_quiz_items("kuis_01", bank)

    for size in ("ponsel", "laptop"):
        with sized_page(browser, size) as page:
            # 1. Land: every module in teaching order, quizzes with plain actions, the certificate.
            open_home(page, lab)
            titles = page.locator("h2", has_text=re.compile(r"^Modul \d\d:")).all_inner_texts()
            assert [t[:8] for t in titles] == [f"Modul {m}" for m in sorted(bank.modules)]
            expect(page.get_by_text("Status: belum dibuka").first).to_be_visible()
            box = quiz_box(page, "Kuis Modul 01")
            expect(box.get_by_text("Percobaan: 0 dari 3 dipakai, sisa 3.")).to_be_visible()
            expect(box.get_by_role("link", name="Kerjakan")).to_be_visible()
            expect(page.get_by_text("Belum memenuhi syarat.")).to_be_visible()
            assert english_or_machinery(page) == []
            shots(page, f"{size}_01_beranda", full_page=size == "laptop")
            if size == "ponsel":
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390 + 2, f"page {width}px wide on a 390px phone"
                continue

            # 2. Open module 01 and answer its first case: one verdict, progress shown.
            page.get_by_role("link", name="Buka modul").first.click()
            card = page.locator(".widget-vbox", has=page.locator("h3", has_text=s.judul)).last
            card.wait_for(timeout=120_000)
            expect(page.get_by_text(f"Kasus 1 dari {len(bank.module_scenarios('01'))}").first).to_be_visible()
            option_label(card, s.option(s.key).teks).click()
            expect(card.locator("[role=status]")).to_contain_text("Tepat.")
            expect(card.get_by_text(re.compile(r"Kemajuan modul: 1 dari \d+ kasus"))).to_be_visible()
            assert english_or_machinery(page) == []
            shots(page, "laptop_02_modul")

            # 3. Back home by the module's own link (no path shown): the module is now in progress.
            back = page.get_by_role("link", name="← Kembali ke Beranda Kursus")
            expect(back).to_be_visible()
            back.click()
            page.get_by_text("Beranda Kursus Netralitas ASN").first.wait_for(timeout=120_000)
            assert "/voila/render/modules/00_beranda.ipynb" in page.url
            expect(page.get_by_text(re.compile(r"Status: sedang dipelajari \(1 dari"))).to_be_visible()
            quiz_box(page, "Kuis Modul 01").get_by_role("link", name="Kerjakan").click()
            page.get_by_text("Kirim jawaban").first.wait_for(timeout=120_000)
            groups = page.locator(".netralitas-pilihan")  # one per item, in the quiz's order
            expect(groups).to_have_count(len(items))
            for n, item in enumerate(items):
                for key in item.key.split(","):  # a "pilih semua" item has several
                    text = item.option(key).teks
                    groups.nth(n).locator("label", has_text=re.compile(
                        rf"^\s*[a-z]\.\s+{re.escape(text)}")).first.click()
            expect(page.get_by_text(f"{len(items)} dari {len(items)} soal sudah dijawab")).to_be_visible()
            assert english_or_machinery(page) == []
            shots(page, "laptop_03_kuis_dijawab")

            # 4. Send: the score appears on the quiz page, graded by the service, no instructor action.
            page.get_by_role("button", name="Kirim jawaban").click()
            expect(page.get_by_text("Jawaban terkirim")).to_be_visible(timeout=60_000)
            result = page.locator("[role=status]", has_text="Hasil kiriman ini:")
            # Seconds on an idle machine; a loaded one may first say "tertunda", then show it.
            expect(result).to_be_visible(timeout=300_000)
            expect(result).to_contain_text(f"Nilai {len(items)} dari {len(items)} · LULUS")
            result.scroll_into_view_if_needed()
            assert english_or_machinery(page) == []
            shots(page, "laptop_04_nilai_di_kuis")

            # 5. Home again by the quiz page's link: attempts, best score, lulus; the result in the page.
            expect(page.get_by_role("link", name="← Kembali ke Beranda Kursus").first).to_be_visible()
            result.get_by_role("link", name="Beranda Kursus").click()
            page.get_by_text("Beranda Kursus Netralitas ASN").first.wait_for(timeout=120_000)
            page.get_by_text("Sertifikat", exact=True).wait_for(timeout=120_000)
            box = quiz_box(page, "Kuis Modul 01")
            expect(box.get_by_text("Percobaan: 1 dari 3 dipakai, sisa 2.")).to_be_visible()
            expect(box).to_contain_text(f"Nilai terbaik: Nilai {len(items)} dari {len(items)} · LULUS")
            box.get_by_role("button", name="Lihat hasil").click()
            expect(box.locator("iframe")).to_be_visible()
            frame = box.frame_locator("iframe")
            expect(frame.locator(".netralitas-putusan")).to_have_text(re.compile(r"^\s*LULUS\s"))
            assert english_or_machinery(page) == []
            shots(page, "laptop_05_hasil_di_beranda", full_page=True)

            # 6. Kirim from the home asks first; Batal sends nothing.
            box.get_by_role("button", name="Kirim", exact=True).click()
            expect(box.get_by_text("Ini memakai 1 dari 2 kesempatan")).to_be_visible()
            shots(page, "laptop_06_konfirmasi_kirim")
            box.get_by_role("button", name="Batal").click()
            expect(box.get_by_text("Pengiriman dibatalkan")).to_be_visible()
            inbound = list((course.exchange / "netralitas-asn" / "inbound").glob(f"{NIP}+kuis_01+*"))
            assert len(inbound) == 1
