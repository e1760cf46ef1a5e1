"""The HR notebook's app (grading/laporan_hr.ipynb, Voilà-friendly): filters,
one button that writes the report, and a link that downloads the XLSX.

Widget labels are stable Bahasa Indonesia text: the browser tests find them by it.
"""
from __future__ import annotations

import base64
import html
from datetime import date
from pathlib import Path

import ipywidgets as w

from .. import clock, paths
from ..invented import banner_html

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MIME = "application/zip"


def course_root() -> Path:
    from ..settings import settings

    return settings().course or paths.GRADING_DIR


def download_link(path: Path, label: str = "Unduh XLSX", mime: str = XLSX_MIME, css: str = "unduh-xlsx") -> str:
    """A data: link, so the download works in Voilà without a file server or network."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<a class="{css}" download="{html.escape(Path(path).name)}" href="data:{mime};base64,{data}" '
            f'style="font-size:1.1em;font-weight:bold">⬇ {label}</a>')


def zip_pdfs(folder: Path, target: Path) -> Path:
    """Every certificate and unit statement of a run in one file to download."""
    import zipfile

    from ..files import atomic_path

    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for pdf in sorted(Path(folder).glob("*.pdf")):
            z.write(pdf, pdf.name)
    return target


class ReportApp:
    def __init__(self, root: Path | None = None, today: date | None = None):
        from ..grading.course import Course
        from .history import roster_on
        from .sources import module_titles

        self.root = Path(root or course_root())
        self._fixed_day = today   # None: the agency's today at each run (the app may stay open past midnight)
        self.today = today or clock.today()
        try:
            units = sorted(set(roster_on(Course(self.root).db_url(), self.today)["unit_kerja"]))
        except Exception:  # no gradebook yet: the message below says what to do
            units = []
        titles = module_titles()
        # One column that fits a phone (390 px) and stops growing on a laptop: every
        # control stretches to the width it is given ("auto", not 100%: widgets carry
        # a margin that 100% would push past the edge), labels take the width they
        # need, and the two dates sit side by side only where there is room.
        style = {"description_width": "initial"}
        full = dict(width="auto", max_width="36em")
        self.units = w.SelectMultiple(options=units, description="Unit kerja", rows=min(8, max(3, len(units))),
                                      style=style, layout=w.Layout(**full))
        # A list box cannot wrap its options: long titles are shortened at a word so the
        # box fits a phone (390 px) without a sideways scroll; the number identifies the module.
        self.modules = w.SelectMultiple(options=[(_short(f"{m} {t}"), m) for m, t in sorted(titles.items())],
                                        description="Modul", rows=5, style=style, layout=w.Layout(**full))
        # The browser draws the date in its own locale's order; the label says which
        # order an Indonesian browser shows (hari/bulan/tahun).
        date_layout = dict(width="auto", max_width="100%", flex="0 1 auto")
        self.start = w.DatePicker(description="Dari tanggal (hh/bb/tttt)", style=style,
                                  layout=w.Layout(**date_layout))
        self.end = w.DatePicker(description="Sampai tanggal (hh/bb/tttt)", style=style,
                                layout=w.Layout(**date_layout))
        self._opened_on = self.today
        self.as_of = w.DatePicker(description="Per tanggal (hh/bb/tttt)", value=self.today, style=style,
                                  layout=w.Layout(**date_layout))
        self.button = w.Button(description="Buat laporan", button_style="primary", icon="table",
                               layout=w.Layout(width="14em", max_width="100%"))
        self.code = w.Text(description="Kode verifikasi", placeholder="NA-XXXX-XXXX-XXXX-XXXX", style=style,
                           layout=w.Layout(**full))
        self.check = w.Button(description="Periksa kode", icon="check", layout=w.Layout(width="14em", max_width="100%"))
        self.verdict = w.HTML()
        self.check.on_click(self.verify)
        self.certs = w.Checkbox(description="Buat juga sertifikat PDF dan surat pernyataan unit", value=False,
                                indent=False, style=style, layout=w.Layout(**full, height="auto"))
        self.status = w.HTML()
        self.result = w.HTML()
        self.button.on_click(self.run)
        hint = ("Pilih unit dan modul (kosong = semua; Ctrl/Shift untuk memilih beberapa), "
                "lalu tekan <b>Buat laporan</b>.")
        if not units:
            hint = ("Belum ada roster pegawai di gradebook. Impor dulu dengan "
                    "<code>netralitas pegawai ROSTER.csv</code>.")
        self.widget = w.VBox([
            w.HTML("<h2>Laporan Penyelesaian Kursus Netralitas ASN</h2>" + banner_html() +
                   f"<p>{hint} Berkas laporan berisi NIP: simpan di folder terbatas.</p>"),
            self.units, self.modules,
            w.HBox([self.start, self.end], layout=w.Layout(flex_flow="row wrap", **full)),
            self.as_of, self.certs, self.button, self.status, self.result,
            w.HTML("<h3>Periksa keaslian sertifikat</h3><p>Ketik kode verifikasi yang tercetak di sertifikat, "
                   "lalu tekan <b>Periksa kode</b>.</p>"),
            self.code, self.check, self.verdict], layout=w.Layout(width="100%", max_width="100%"))

    def verify(self, _=None) -> str:
        from .codes import KeyProblem, load_key
        from .register import verify

        try:
            verdict = verify(self.root, self.code.value, load_key(course_root=self.root),
                             self._fixed_day or clock.today())
        except KeyProblem as exc:
            self.verdict.value = f'<p style="color:#b00">{html.escape(str(exc))}</p>'
            return "kunci"
        colour = "#1b6e3a" if verdict.status == "sah" else "#b00"
        self.verdict.value = f'<p class="hasil-verifikasi" style="color:{colour}">{html.escape(verdict.message)}</p>'
        return verdict.status

    def run(self, _=None) -> dict:
        from .pipeline import default_outdir, make_report, write_certificates, write_report_files, write_statements

        self.button.disabled = True
        self.status.value = "<i>Menyusun laporan...</i>"
        try:
            self.today = self._fixed_day or clock.today()
            # The picker left at the day the app opened means "today" (the app may stay open past midnight).
            chosen = self.as_of.value
            as_of = chosen if chosen and chosen != self._opened_on else self.today
            report, sources = make_report(self.root, as_of=as_of, units=list(self.units.value) or None,
                                          modules=list(self.modules.value) or None,
                                          dari=self.start.value, sampai=self.end.value)
            out = default_outdir(self.root, report.as_of)
            from .codes import load_key

            files = write_report_files(report, sources, out, key=load_key(course_root=self.root),
                                       course_root=self.root)
            if self.certs.value:
                files["sertifikat"] = out / "sertifikat"
                write_certificates(report, files["sertifikat"])
                write_statements(report, files["sertifikat"])
                files["zip"] = zip_pdfs(files["sertifikat"], out / f"sertifikat_{report.as_of.isoformat()}.zip")
        except Exception as exc:  # shown to HR, never a traceback
            self.status.value = f'<p style="color:#b00">Laporan gagal dibuat: {html.escape(str(exc))}</p>'
            return {}
        finally:
            self.button.disabled = False
        from .certification import date_note

        L = report.learners
        note = date_note(report)
        self.status.value = (f"<p>Selesai: {len(L)} pegawai, "
                             f"{int(L['tersertifikasi'].sum())} tersertifikasi, "
                             f"{int(L['terlambat'].sum())} terlambat, per {clock.day_label(report.as_of)}. Berkas di <code style='overflow-wrap:anywhere'>{html.escape(str(out))}</code></p>"
                             + (f'<p style="color:#8a5a00">Catatan: {html.escape(note)}</p>' if note else ""))
        units = report.units.drop(columns=[c for c in report.units if c.startswith("selesai_M")])
        # The summary table scrolls inside its own box on a phone instead of
        # widening the page (ipywidgets sizes HTML to its content, so the box is
        # bounded by the window, not by its parent).
        pdfs = (" " + download_link(files["zip"], "Unduh sertifikat dan surat pernyataan (ZIP)", ZIP_MIME,
                                    "unduh-pdf")) if "zip" in files else ""
        self.result.value = (download_link(files["xlsx"]) + pdfs
                             + '<div style="overflow-x:auto;max-width:calc(100vw - 3em)">'
                             + units.to_html(index=False, classes="ringkasan", border=0) + "</div>")
        return files


def _short(label: str, most: int = 30) -> str:
    if len(label) <= most:
        return label
    return label[:most].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def app(root: Path | None = None):
    """Show the app (the notebook's only code cell calls this)."""
    from IPython.display import display

    ui = ReportApp(root)
    display(ui.widget)
    return ui
