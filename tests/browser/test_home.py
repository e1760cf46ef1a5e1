"""Journey: the course home (Beranda Kursus). A learner lands on it, opens a
module, answers a case, takes the quiz, sends it, and reads the score in the
page without any instructor action (the grading service runs as the
instructor would run it); fails it, retakes it, passes, and finds the
certificate (number, code, PDF) on the home; no English UI or developer word
on any screen, at laptop and phone size. The course requires Module 01 only
(a policy of its own, with a deadline), so one quiz certifies."""
from __future__ import annotations

import re
import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

import pytest
from playwright.sync_api import expect

from netralitas import paths
from netralitas.content.loader import default_bank, load_quiz_items
from netralitas.dates import long_day
from netralitas.report.register import entries

from .conftest import sized_page
from .test_learner import option_label

pytestmark = pytest.mark.slow

NIP = "199113172019032005"  # invented: birth month 13
DEADLINE = date.today() + timedelta(days=120)  # never expires: always ahead of the run
HOME = "/voila/render/modules/00_beranda.ipynb"
# Words a learner must never meet: nbgrader's and JupyterLab's English UI,
# and developer machinery. Whole words, case-sensitive where case matters.
FORBIDDEN = ["Fetch", "Submit", "Validate", "Assignment", "nbgrader", "ipynb", "Kernel", "kernel", "Python",
             "ipykernel", "Traceback", "Error", "Exception", "File", "Edit", "View", "Settings", "Help",
             "Tabs", "None", "True", "False", "feedback", "Feedback", "trust", "Trust", "Voila", "Voilà",
             "localhost", "127.0.0.1", "UTC", "json", "notebook", "Notebook"]


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

    from netralitas.report.history import import_roster
    from netralitas.settings import overridden

    root = tmp_path_factory.mktemp("beranda")
    learner_root = root / "peserta"
    shutil.copytree(paths.MODULES_DIR, learner_root / "modules",
                    ignore=shutil.ignore_patterns(".progres", ".ipynb_checkpoints"))
    rules = root / "kebijakan.yaml"
    text = (paths.REPO_ROOT / "grading" / "kebijakan.yaml").read_text(encoding="utf-8")
    assert "  modul_wajib: []\n" in text and "  tenggat: null\n" in text
    rules.write_text(text.replace("  modul_wajib: []\n", '  modul_wajib: ["01"]\n')
                     .replace("  tenggat: null\n", f"  tenggat: {DEADLINE.isoformat()}\n"), encoding="utf-8")
    with overridden(policy=rules):  # this process, the lab, the service and its graders
        course = Course.init(root / "kursus", source=paths.QUIZ_SOURCE_DIR)
        course.publish("kuis_01")
        # The learner is on the roster (the report certifies roster staff only). The invented NIP
        # would be refused by the roster file check, so the frame goes in as the cohort fixtures do.
        roster = pd.DataFrame([{"nip": NIP, "nama": "Peserta Uji Beranda", "jabatan": "Analis",
                                "unit_kerja": "Dinas Uji", "instansi": "Pemerintah Kota Uji", "status": "PNS",
                                "jenis_id": "NIP", "email": ""}])
        roster.attrs["kolom"] = list(roster.columns)
        import_roster(course.db_url(), roster, [], "uji", date(2024, 1, 1), sync_students=False)
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
            expect(page.get_by_text("setelah kiriman pertama Anda dinilai")).to_be_visible()
            quiz_box(page, "Kuis Modul 01").get_by_role("link", name="Kerjakan").click()
            page.get_by_text("Kirim jawaban").first.wait_for(timeout=120_000)
            groups = page.locator(".netralitas-pilihan")  # one per item, in the quiz's order
            expect(groups).to_have_count(len(items))
            # Two single-choice items answered wrong: 7 of 9 is under the 80% pass mark.
            wrong = [n for n, item in enumerate(items) if not item.multi][:2]
            # An answer's saved mark arrives a moment after the click; nothing below may move
            # then, or the next click lands beside its option (seen: 28 px, a click lost).
            def tops() -> list[float]:  # from the first item: whichever box scrolls
                return page.evaluate("""() => {
                    const top = [...document.querySelectorAll('.netralitas-pilihan')].map(e => e.getBoundingClientRect().top);
                    return top.map(t => t - top[0]); }""")

            before = tops()
            for n, item in enumerate(items):
                keys = [next(o.id for o in item.pilihan if o.id != item.key)] if n in wrong else item.key.split(",")
                for key in keys:  # a "pilih semua" item has several
                    pick(groups.nth(n), item.option(key).teks)
            expect(page.get_by_text(f"{len(items)} dari {len(items)} soal sudah dijawab")).to_be_visible()
            assert tops() == before
            assert english_or_machinery(page) == []
            shots(page, "laptop_03_kuis_dijawab")

            # 4. Send: the score appears on the quiz page, graded by the service, no instructor action.
            result = send(page)
            expect(result).to_contain_text(f"Nilai {len(items) - 2} dari {len(items)} · BELUM LULUS")
            result.scroll_into_view_if_needed()
            assert english_or_machinery(page) == []
            shots(page, "laptop_04_nilai_di_kuis")

            # 5. Home again by the quiz page's link: attempts, score, what remains for the certificate.
            expect(page.get_by_role("link", name="← Kembali ke Beranda Kursus").first).to_be_visible()
            result.get_by_role("link", name="Beranda Kursus").click()
            wait_home(page)
            box = quiz_box(page, "Kuis Modul 01")
            expect(box.get_by_text("Percobaan: 1 dari 3 dipakai, sisa 2.")).to_be_visible()
            expect(box).to_contain_text(f"Nilai terbaik: Nilai {len(items) - 2} dari {len(items)} · BELUM LULUS")
            certificate = page.locator(".netralitas-sertifikat")
            expect(certificate).to_contain_text("Yang masih perlu diselesaikan (1)", timeout=120_000)
            expect(certificate).to_contain_text(f"Modul 01: {bank.modules['01'].judul}: belum lulus; "
                                                f"paling lambat {long_day(DEADLINE)}")
            assert english_or_machinery(page) == []
            shots(page, "laptop_05_belum_lulus_di_beranda")

            # 6. Retake: the answers are still there; correct the two, send again, LULUS.
            box.get_by_role("link", name="Kerjakan").click()
            page.get_by_text("Kirim jawaban").first.wait_for(timeout=120_000)
            expect(page.get_by_text(f"{len(items)} dari {len(items)} soal sudah dijawab")).to_be_visible()
            expect(page.get_by_text("Percobaan: 1 dari 3 sudah dipakai; sisa 2 kali kirim.")).to_be_visible()
            for n in wrong:
                pick(groups.nth(n), items[n].option(items[n].key).teks)
            result = send(page)
            expect(result).to_contain_text(f"Nilai {len(items)} dari {len(items)} · LULUS")
            assert english_or_machinery(page) == []
            shots(page, "laptop_06_ulang_lulus")

            # 7. The certificate on the home: number, verification code, validity, the PDF.
            result.get_by_role("link", name="Beranda Kursus").click()
            wait_home(page)
            expect(certificate).to_contain_text("Selamat, Anda telah tersertifikasi.", timeout=120_000)
            register = [e for e in entries(course.root) if e.get("jenis") == "terbit" and e["nip"] == NIP]
            assert len(register) == 1  # issued once, by the grading service's round
            expect(certificate).to_contain_text(f"Nomor sertifikat: {register[0]['nomor']}")
            expect(certificate).to_contain_text(f"Kode verifikasi: {register[0]['kode']}")
            expect(certificate).to_contain_text(f"Berlaku sampai: {long_day(register[0]['berlaku_sampai'])}")
            with page.expect_download() as download:
                certificate.get_by_role("link", name="Unduh sertifikat (PDF)").click()
            pdf = Path(download.value.path()).read_bytes()
            published = {p.read_bytes() for p in (course.exchange / "netralitas-asn" / "feedback").glob("*.pdf")}
            assert pdf.startswith(b"%PDF") and pdf in published  # the PDF the instructor side published
            assert english_or_machinery(page) == []
            shots(page, "laptop_07_sertifikat_di_beranda")

            # 8. Home: attempts, best score, lulus; the result in the page.
            box = quiz_box(page, "Kuis Modul 01")
            expect(box.get_by_text("Percobaan: 2 dari 3 dipakai, sisa 1.")).to_be_visible()
            expect(box).to_contain_text(f"Nilai terbaik: Nilai {len(items)} dari {len(items)} · LULUS")
            box.get_by_role("button", name="Lihat hasil").click()
            expect(box.locator("iframe")).to_be_visible()
            frame = box.frame_locator("iframe")
            expect(frame.locator(".netralitas-putusan")).to_have_text(re.compile(r"^\s*LULUS\s"))
            assert english_or_machinery(page) == []
            shots(page, "laptop_08_hasil_di_beranda", full_page=True)

            # 9. Kirim from the home asks first; Batal sends nothing.
            box.get_by_role("button", name="Kirim", exact=True).click()
            expect(box.get_by_text("Ini memakai 1 dari 1 kesempatan")).to_be_visible()
            shots(page, "laptop_09_konfirmasi_kirim")
            box.get_by_role("button", name="Batal").click()
            expect(box.get_by_text("Pengiriman dibatalkan")).to_be_visible()
            inbound = list((course.exchange / "netralitas-asn" / "inbound").glob(f"{NIP}+kuis_01+*"))
            assert len(inbound) == 2

    # 10. At phone size once certified: the home with the certificate, the result, a module and
    # the quiz; each fits 390 px and shows no English.
    with sized_page(browser, "ponsel") as page:
        def fits(step: str) -> None:
            assert english_or_machinery(page) == []
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 2, f"{step}: page {width}px wide on a 390px phone"
            shots(page, f"ponsel_{step}")

        open_home(page, lab)
        certificate = page.locator(".netralitas-sertifikat")
        expect(certificate).to_contain_text("Selamat, Anda telah tersertifikasi.")
        expect(certificate.get_by_role("link", name="Unduh sertifikat (PDF)")).to_be_visible()
        certificate.scroll_into_view_if_needed()
        fits("07_sertifikat_di_beranda")
        box = quiz_box(page, "Kuis Modul 01")
        box.get_by_role("button", name="Lihat hasil").click()
        expect(box.frame_locator("iframe").locator(".netralitas-putusan")).to_have_text(re.compile(r"^\s*LULUS\s"))
        box.locator("iframe").scroll_into_view_if_needed()
        fits("08_hasil_di_beranda")
        page.get_by_role("link", name="Buka modul").first.click()
        expect(page.get_by_text(f"Kasus 1 dari {len(bank.module_scenarios('01'))}").first).to_be_visible(timeout=120_000)
        expect(page.get_by_text(re.compile(r"Tepat\.")).first).to_be_visible()  # the case answered on the laptop
        fits("02_modul")
        page.get_by_role("link", name="← Kembali ke Beranda Kursus").first.click()
        wait_home(page)
        quiz_box(page, "Kuis Modul 01").get_by_role("link", name="Kerjakan").click()
        page.get_by_text("Kirim jawaban").first.wait_for(timeout=120_000)
        expect(page.get_by_text(f"{len(items)} dari {len(items)} soal sudah dijawab")).to_be_visible()
        fits("03_kuis")


def pick(group, text: str) -> None:
    """Click an option as a learner does; a click that took no effect fails here, by its option."""
    label = group.locator("label", has_text=re.compile(rf"^\s*[a-z]\.\s+{re.escape(text)}")).first
    label.click()
    expect(label.locator("input")).to_be_checked()


def send(page):
    """Kirim jawaban on the quiz page; the result line once the service has graded it."""
    page.get_by_role("button", name="Kirim jawaban").click()
    sent = page.get_by_text("Jawaban terkirim").last
    expect(sent).to_be_visible(timeout=60_000)
    result = page.locator("[role=status]", has_text="Hasil kiriman ini:")
    # Seconds on an idle machine; a loaded one may first say "tertunda", then show it.
    expect(result).to_be_visible(timeout=300_000)
    return result


def wait_home(page) -> None:
    page.get_by_text("Beranda Kursus Netralitas ASN").first.wait_for(timeout=120_000)
    page.get_by_text("Sertifikat", exact=True).wait_for(timeout=120_000)
