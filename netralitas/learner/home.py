"""Beranda Kursus: the learner's landing page (modules/00_beranda.ipynb, shown
as a Voila app, so no menu bar, toolbar, kernel name or file path).

One page with everything a learner needs: modules in teaching order with
their progress and an open link; each module's quiz and pre-test with
Kerjakan / Kirim (confirmed) / Lihat hasil, attempts used and left, best score
and LULUS / BELUM LULUS; the final exam; the certificate's status. Behind the
buttons are nbgrader's own learner-side exchange steps (learner.exchange), so
nbgrader stays the system of record. Results are read from the released
feedback and shown in the page. Learner runtime: no quiz item, no instructor code.
"""
from __future__ import annotations

import glob
import html
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from .. import paths, policy
from ..assignments import pretest_id, quiz_id
from ..content.loader import Bank, default_bank
from ..dates import long_day
from .exchange import (feedback_waiting, latest_submission, learner_config, learner_id, run_exchange,
                       submissions_made, warm_up)
from .names import FINAL_EXAM, assignment_title
from .published import learner_secrets, read_certificate, read_status
from .widgets import _LIVE, module_progress

# How long the page waits for the grading service before saying the result comes later.
RESULT_WAIT_S = 90.0
RESULT_POLL_S = 2.0
RESULT_KEEP_LOOKING_S = 900.0
# Right after Kirim the watcher looks often (the service usually releases the
# page within seconds; a look is a few file names, exchange.feedback_waiting),
# then every RESULT_POLL_S.
RESULT_FAST_POLL_S = 0.5
RESULT_FAST_FOR_S = 30.0


def _poll_delay(elapsed: float) -> float:
    return RESULT_FAST_POLL_S if elapsed < RESULT_FAST_FOR_S else RESULT_POLL_S

_SCORE = re.compile(r"Nilai:\s*([\d.,]+)\s*dari\s*([\d.,]+)")
_VERDICT = re.compile(r"netralitas-putusan[^>]*>\s*<b[^>]*>\s*(BELUM LULUS|LULUS)")

_STYLE = """<style>
.netralitas-beranda { font-size: 16px; line-height: 1.5; }
.netralitas-beranda .widget-button { height: auto; min-height: 36px; font-size: 15px; }
.netralitas-beranda a.tombol { display:inline-block; padding:6px 14px; margin:2px 6px 2px 0; border-radius:4px;
  background:#1d5fa8; color:#fff; text-decoration:none; font-size:15px; }
</style>"""


# From a quiz page (<learner>/<id>/<id>.ipynb) back to the home (<learner>/modules/00_beranda.ipynb).
HOME_LINK = ("<a href='../modules/00_beranda.ipynb' target='_self' "
             "style='color:#1d5fa8;text-decoration:underline'>Beranda Kursus</a>")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


@dataclass
class Result:
    score: float
    maximum: float
    passed: bool | None
    page: str


def _home(folder: Path | None = None) -> Path:
    """The learner's folder: where nbgrader_config.py and the fetched quizzes live."""
    here = Path(folder or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "nbgrader_config.py").exists():
            return candidate
    return here.parent if here.name == "modules" else here


def results(assignment_id: str, home: Path, submitted_at: str | None = None) -> list[Result]:
    """Every released feedback page this learner has fetched, oldest first
    (submitted_at: only that submission's, in the folder nbgrader's fetch names by its time)."""
    out = []
    folders = glob.escape(submitted_at) if submitted_at else "*"
    for page in sorted((home / assignment_id / "feedback").glob(f"{folders}/*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        m = _SCORE.search(re.sub(r"<[^>]+>", " ", text))
        if not m:
            continue
        v = _VERDICT.search(text)
        out.append(Result(_num(m.group(1)), _num(m.group(2)), None if not v else v.group(1) == "LULUS", text))
    return out


def _fetch_feedback(assignment_id: str, home: Path, look_first: bool = False) -> None:
    """nbgrader's fetch feedback; look_first: only when a new page is released (the watcher)."""
    try:
        if look_first and not feedback_waiting(assignment_id, home):
            return
        run_exchange("FetchFeedback", assignment_id, home)
    except BaseException:  # nothing released yet is not an error for the learner
        pass


def _new_result(assignment_id: str, home: Path, before: int, submitted_at: str | None) -> Result | None:
    """The result of the submission just sent: its own page (by its time); when
    its time is unknown, a page more than `before`. An older submission's page
    fetched meanwhile is never taken for it."""
    if submitted_at is not None:
        return (results(assignment_id, home, submitted_at) or [None])[-1]
    found = results(assignment_id, home)
    return found[-1] if len(found) > before else None


def _score_text(r: Result) -> str:
    def fmt(x: float) -> str:
        return f"{x:g}".replace(".", ",")
    verdict = "" if r.passed is None else (" · <b style='color:#1a7f37'>LULUS</b>" if r.passed
                                           else " · <b style='color:#a40000'>BELUM LULUS</b>")
    return f"Nilai {fmt(r.score)} dari {fmt(r.maximum)}{verdict}"


class QuizRow:
    """One quiz, pre-test or the final exam: status, Kerjakan, Kirim, Lihat hasil."""

    def __init__(self, assignment_id: str, home: Path, label: str):
        self.aid, self.home, self.label = assignment_id, home, label
        self.on_result = lambda: None  # the home's certificate panel follows each new result
        self.rule = policy.attempts(assignment_id)
        self.status = w.HTML()
        self.message = w.HTML()
        self.result = w.HTML()
        self.open = w.HTML()
        self.send = w.Button(description="Kirim", button_style="primary", tooltip=f"Kirim jawaban {label}")
        self.yes = w.Button(description="Ya, kirim sekarang", button_style="danger", layout=w.Layout(display="none"))
        self.no = w.Button(description="Batal", layout=w.Layout(display="none"))
        self.show = w.Button(description="Lihat hasil", tooltip=f"Lihat hasil {label}")
        self.send.on_click(lambda _: self.ask())
        self.yes.on_click(lambda _: self.submit())
        self.no.on_click(lambda _: self.cancel())
        self.show.on_click(lambda _: self.show_result())
        for name, button in (("kirim", self.send), ("ya", self.yes), ("batal", self.no), ("hasil", self.show)):
            _LIVE[f"beranda-{name}-{assignment_id}"] = button
        self.widget = w.VBox([w.HTML(f"<b>{html.escape(label)}</b>"), self.status,
                              w.HBox([self.open, self.send, self.show], layout=w.Layout(flex_flow="row wrap")),
                              w.HBox([self.yes, self.no], layout=w.Layout(flex_flow="row wrap")),
                              self.message, self.result],
                             layout=w.Layout(border="1px solid #c8ccd2", padding="8px 12px", margin="6px 0",
                                             max_width="52em"))
        self.refresh()

    @property
    def fetched(self) -> Path:
        return self.home / self.aid / f"{self.aid}.ipynb"

    def ensure_fetched(self) -> bool:
        if not self.fetched.exists():
            try:
                run_exchange("FetchAssignment", self.aid, self.home)
            except BaseException:
                return False
        return self.fetched.exists()

    def used(self) -> int:
        return submissions_made(self.aid, self.home)

    def refresh(self) -> None:
        used, found = self.used(), results(self.aid, self.home)
        left = max(self.rule.maximum - used, 0)
        best = max(found, key=lambda r: (r.score / r.maximum) if r.maximum else 0, default=None)
        passed = any(r.passed for r in found)
        waiting = used > len(found)
        parts = [f"Percobaan: {used} dari {self.rule.maximum} dipakai, sisa {left}."]
        if best:
            parts.append(f"Nilai terbaik: {_score_text(best)}.")
        elif not used:
            parts.append("Belum dikerjakan.")
        if waiting:
            parts.append("<i>Kiriman terakhir sedang dinilai.</i>")
        self.status.value = " ".join(parts)
        self.passed = passed
        answered = (self.home / self.aid / paths.ANSWER_RECORD).exists()
        self.send.disabled = left == 0 or not answered
        self.show.disabled = not used
        available = self.fetched.exists()
        for button in (self.send, self.show):
            button.layout.display = "" if available else "none"
        href = f"../{self.aid}/{self.aid}.ipynb"
        self.open.value = (f"<a class='tombol' href='{html.escape(href)}' target='_self'>Kerjakan</a>"
                           if available else "<i>Belum tersedia.</i>")

    def ask(self) -> None:
        if self.used() >= self.rule.maximum:
            self.message.value = "<span style='color:#a40000'>Kesempatan mengirim sudah habis.</span>"
            return
        left = self.rule.maximum - self.used()
        self.message.value = (f"Kirim jawaban {html.escape(self.label)} sekarang? Ini memakai 1 dari {left} "
                              "kesempatan yang tersisa, dan jawaban tidak dapat diubah lagi untuk kiriman ini.")
        self.yes.layout.display = self.no.layout.display = ""

    def cancel(self) -> None:
        self.yes.layout.display = self.no.layout.display = "none"
        self.message.value = "Pengiriman dibatalkan; jawaban Anda tetap tersimpan."

    def submit(self) -> None:
        self.yes.layout.display = self.no.layout.display = "none"
        before = len(results(self.aid, self.home))
        self.message.value = "Mengirim ..."
        try:
            run_exchange("Submit", self.aid, self.home)
        except BaseException:
            self.message.value = ("<span style='color:#a40000'>Jawaban belum terkirim. Periksa jaringan lalu "
                                  "coba lagi, atau hubungi fasilitator.</span>")
            return
        self.message.value = "✓ Jawaban terkirim. Sedang dinilai; hasilnya muncul di sini dalam beberapa detik ..."
        self.refresh()
        threading.Thread(target=self.await_result, args=(before, latest_submission(self.aid, self.home)),
                         daemon=True).start()

    def await_result(self, before: int, submitted_at: str | None = None,
                     wait_s: float = RESULT_WAIT_S) -> Result | None:
        """Poll nbgrader's fetch feedback until this submission's page is released."""
        start = time.monotonic()
        while time.monotonic() < start + wait_s:
            _fetch_feedback(self.aid, self.home, look_first=True)
            found = _new_result(self.aid, self.home, before, submitted_at)
            if found:
                self.message.value = f"<b>Hasil kiriman ini:</b> {_score_text(found)}."
                self.refresh()
                self.show_result()
                self.on_result()
                return found
            time.sleep(_poll_delay(time.monotonic() - start))
        self.message.value = ("Jawaban Anda sudah diterima dan tersimpan. Penilaian sedang tertunda; hasilnya akan "
                              "tampil di halaman ini nanti (tekan <b>Lihat hasil</b>). Anda tidak perlu mengirim ulang.")
        return None

    def show_result(self) -> None:
        _fetch_feedback(self.aid, self.home)
        found = results(self.aid, self.home)
        self.refresh()
        if not found:
            self.result.value = ("<p>Hasil belum tersedia: kiriman Anda masih menunggu penilaian. "
                                 "Silakan lihat lagi beberapa saat lagi.</p>")
            return
        # The released page, inert (no script runs), inside this page: no file, no folder, no trust prompt.
        self.result.value = (f"<p><b>Hasil terakhir:</b> {_score_text(found[-1])}.</p>"
                             f"<iframe title='Rincian hasil {html.escape(self.label)}' sandbox "
                             f"srcdoc=\"{html.escape(found[-1].page, quote=True)}\" "
                             "style='width:100%;height:60vh;border:1px solid #c8ccd2;border-radius:4px'></iframe>")


def follow_result(assignment_id: str, home: Path, target: w.HTML, wait_s: float = RESULT_WAIT_S) -> None:
    """After a submit from the quiz page: show the score in `target` once released."""
    before = len(results(assignment_id, home))
    submitted_at = latest_submission(assignment_id, home)
    target.value = "Sedang dinilai; hasilnya muncul di sini dalam beberapa detik ..."

    def wait():
        start = time.monotonic()
        told = False
        # Past wait_s the learner is told the result comes later; the page keeps
        # looking (more slowly) and shows it when it arrives.
        while time.monotonic() < start + RESULT_KEEP_LOOKING_S:
            _fetch_feedback(assignment_id, home, look_first=True)
            found = _new_result(assignment_id, home, before, submitted_at)
            if found:
                target.value = (f"<p role='status'><b>Hasil kiriman ini:</b> {_score_text(found)}. "
                                f"Rinciannya ada di {HOME_LINK} (tombol <b>Lihat hasil</b>).</p>")
                return
            if not told and time.monotonic() > start + wait_s:
                told = True
                target.value = ("Jawaban Anda sudah diterima dan tersimpan. Penilaian sedang tertunda; hasilnya "
                                "akan tampil di sini atau di Beranda Kursus nanti. Anda tidak perlu mengirim ulang.")
            time.sleep(_poll_delay(time.monotonic() - start) if not told else 5 * RESULT_POLL_S)

    threading.Thread(target=wait, daemon=True).start()


def _esc(text) -> str:
    return html.escape(str(text or ""))


def certificate_html(status: dict | None, pdf: bytes | None = None) -> str:
    """The certificate section from the status the instructor side published
    (netralitas/learner/published.py): earned (number, code, validity, PDF) or
    what remains and by when. The rule itself is the report's; nothing is decided here."""
    head = "<h2 style='margin:0'>Sertifikat</h2>"
    rule = ("Sertifikat diberikan setelah semua modul wajib selesai: lulus kuis modul atau lulus tes awalnya.")
    if status is None:
        return (f"{head}<p>Belum memenuhi syarat. {rule} Status sertifikat Anda, termasuk modul yang masih "
                "perlu diselesaikan dan tenggatnya, tampil di sini setelah kiriman pertama Anda dinilai.</p>")
    if not status.get("terdaftar"):
        return (f"{head}<p>Belum memenuhi syarat. NIP Anda belum tercatat dalam daftar pegawai kursus ini, "
                "sehingga sertifikat belum dapat diterbitkan. Nilai Anda tetap tersimpan. Hubungi BKPSDM "
                "instansi Anda agar NIP Anda didaftarkan.</p>")
    when = f"<p style='color:#555;margin:0'>Keadaan per {long_day(status.get('per_tanggal'))}.</p>"
    if status.get("tersertifikasi"):
        done = long_day(status.get("tanggal_sertifikasi"))
        until = long_day(status.get("berlaku_sampai"))
        basis = _esc(status.get("dasar_masa_berlaku"))
        if status.get("perlu_sertifikasi_ulang"):
            return (f"{head}<p><b style='color:#a40000'>Sertifikat Anda perlu diperbarui</b> "
                    f"({_esc(status.get('alasan_ulang'))}). Anda menyelesaikan kursus pada {done}. Hubungi "
                    f"BKPSDM instansi Anda untuk sertifikasi ulang.</p>{when}")
        if not status.get("diterbitkan"):
            return (f"{head}<p><b style='color:#1a7f37'>Semua syarat sertifikat sudah terpenuhi</b> pada {done}. "
                    "Sertifikat Anda sedang disiapkan oleh BKPSDM instansi Anda; nomor, kode verifikasi, dan "
                    f"tombol unduh akan tampil di sini setelah diterbitkan.</p>{when}")
        link = ""
        if pdf:
            import base64

            data = base64.b64encode(pdf).decode("ascii")
            link = (f"<p><a class='tombol' href='data:application/pdf;base64,{data}' "
                    "download='Sertifikat Netralitas ASN.pdf'>Unduh sertifikat (PDF)</a></p>")
        return (f"{head}<p><b style='color:#1a7f37'>Selamat, Anda telah tersertifikasi.</b> "
                f"Anda menyelesaikan semua modul wajib pada {done}.</p>"
                f"<p>Nomor sertifikat: <b>{_esc(status.get('nomor'))}</b><br>"
                f"Kode verifikasi: <b class='netralitas-kode'>{_esc(status.get('kode'))}</b><br>"
                f"Berlaku sampai: {until}" + (f" ({basis})" if basis else "") + "</p>" + link + when)
    remaining, finished = [], []
    for m in status.get("modul", []):
        name = f"Modul {_esc(m.get('modul'))}" + (f": {_esc(m.get('judul'))}" if m.get("judul") else "")
        if m.get("selesai"):
            finished.append(f"<li>{name} ({_esc(m.get('hasil'))})</li>")
            continue
        state = "belum dikerjakan" if m.get("hasil") == "belum mulai" else "belum lulus"
        due = m.get("tenggat")
        if not due:
            by = "tanpa tenggat"
        elif m.get("terlambat"):
            by = f"<b style='color:#a40000'>tenggat {long_day(due)} sudah lewat</b>"
        else:
            by = f"paling lambat <b>{long_day(due)}</b>"
        remaining.append(f"<li>{name}: {state}; {by}</li>")
    parts = [head, f"<p>Belum memenuhi syarat. {rule}</p>"]
    if remaining:
        parts.append(f"<p><b>Yang masih perlu diselesaikan ({len(remaining)}):</b></p><ul>{''.join(remaining)}</ul>")
    if finished:
        parts.append(f"<p><b>Sudah selesai:</b></p><ul>{''.join(finished)}</ul>")
    return "".join(parts) + when


class CertificatePanel:
    """The home's certificate section, redrawn from the published status; after
    a new result it keeps looking until the status for that submission is out."""

    def __init__(self, home: Path):
        self.home = home
        self.html = w.HTML()
        self.widget = w.VBox([self.html], layout=w.Layout(border="1px solid #c8ccd2", padding="10px 14px",
                                                         margin="6px 0", max_width="52em"))
        self.widget.add_class("netralitas-sertifikat")
        self.seen = None
        newest = (learner_secrets(home) or [None])[0]
        if self.refresh() != newest and newest is not None:
            self.follow()  # the newest submission's status is not out yet (being graded)

    def refresh(self) -> str | None:
        status, secret = read_status(self.home)
        pdf = read_certificate(self.home, secret) if status and status.get("pdf") else None
        self.html.value = certificate_html(status, pdf)
        self.seen = status.get("dibuat_pada") if status else None
        return secret

    def follow(self, wait_s: float = RESULT_WAIT_S) -> None:
        newest = (learner_secrets(self.home) or [None])[0]

        def wait():
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline:
                if self.refresh() == newest and newest is not None:
                    return
                time.sleep(RESULT_POLL_S)

        threading.Thread(target=wait, daemon=True).start()


def _module_status(bank: Bank, module_id: str, home: Path) -> str:
    done, total = module_progress(bank, module_id, home / "modules")
    if total and done >= total:
        return "<b style='color:#1a7f37'>selesai</b>"
    return "sedang dipelajari" + f" ({done} dari {total} kasus)" if done else "belum dibuka"


def beranda(folder: str | Path | None = None, bank: Bank | None = None) -> None:
    """The course home, for the learner whose folder holds this notebook."""
    warm_up()  # nbgrader's exchange, before the first Kirim needs it
    bank = bank or default_bank()
    home = _home(Path(folder) if folder else None)
    config = learner_config(home)
    nip = learner_id(config) or ""
    rows: dict[str, QuizRow] = {}
    sections = [w.HTML(_STYLE + "<h1 style='margin:0 0 4px'>Beranda Kursus Netralitas ASN</h1>"
                       + (f"<p style='color:#555;margin:0'>NIP {html.escape(nip)}</p>" if nip else "")
                       + "<p>Ikuti modul secara berurutan. Setiap modul diakhiri kuis; bila Anda sudah menguasai "
                         "materinya, kerjakan tes awal untuk melewati modul itu.</p>")]
    for module_id, mod in sorted(bank.modules.items()):
        quiz, pretest = quiz_id(module_id), pretest_id(module_id)
        for aid in (quiz, pretest):
            row = QuizRow(aid, home, assignment_title(aid))
            row.ensure_fetched()
            row.refresh()
            rows[aid] = row
        link = f"<a class='tombol' href='{html.escape(mod.name)}.ipynb' target='_self'>Buka modul</a>"
        sections.append(w.VBox([
            w.HTML(f"<div style='margin-top:12px'><h2 style='margin:0'>Modul {html.escape(module_id)}: "
                   f"{html.escape(mod.judul)}</h2><p style='margin:2px 0'>Status: "
                   f"{_module_status(bank, module_id, home)} · {mod.durasi_menit} menit</p>{link}</div>"),
            rows[quiz].widget, rows[pretest].widget]))
    exam = QuizRow(FINAL_EXAM, home, assignment_title(FINAL_EXAM))
    exam.ensure_fetched()
    exam.refresh()
    rows[FINAL_EXAM] = exam
    sections.append(w.VBox([w.HTML("<h2 style='margin:16px 0 0'>Ujian Akhir</h2>"), exam.widget]))
    certificate = CertificatePanel(home)
    for row in rows.values():
        row.on_result = certificate.follow
    sections.insert(1, certificate.widget)  # what remains, at a glance, before the long module list
    page = w.VBox(sections)
    page.add_class("netralitas-beranda")
    display(page)
