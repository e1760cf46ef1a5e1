"""Printable material for rooms without a network (reportlab, base-14 fonts).

Slides (landscape, big type, one scenario per slide then its verdict), an A4
handout per module, the ikrar text, the pakta integritas form and the
attendance sheet whose columns are the HR import's (contract 3). Helvetica
covers Latin-1, which is all the bank uses; `latin1` maps typographic
characters and refuses anything else so nothing prints as a black box.
"""
from __future__ import annotations

import csv
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from ..content.loader import Bank
from ..content.schema import ContentError, PHASES, SANCTIONS, VERDICTS, Scenario
from ..tables import ATTENDANCE
from .content import Kit, cite
from .plans import plan_jp

# Columns of the attendance import (HELPERS contract 3), in order; `Modul` is optional there.
# The headings the attendance import reads (netralitas/tables.py); on paper, a signature instead
# of the module column (the facilitator writes the modules in the session line).
ATTENDANCE_CSV_COLUMNS = ATTENDANCE.labels
ATTENDANCE_COLUMNS = [*ATTENDANCE.labels[:-1], "Tanda tangan"]
ROWS_PER_PAGE = 12
_MAP = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
                      "\u201d": '"', "\u2026": "...", "\u2022": "-", "\u2192": "->", "\u00a0": " "})
INK = colors.HexColor("#1f2d3d")
GREEN = colors.HexColor("#1a7f37")
GREY = colors.HexColor("#5a6570")


def latin1(text: str) -> str:
    out = text.translate(_MAP)
    bad = sorted({ch for ch in out if ord(ch) > 255})
    if bad:
        raise ContentError(f"text for print has characters outside Latin-1 {bad}: {out[:60]!r}")
    return out


def P(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from plain text (escaped); use Pm for text that carries markup."""
    return Paragraph(escape(latin1(" ".join(text.split()))), style)


def Pm(markup: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(latin1(markup), style)


def _style(name, size, bold=False, color=INK, lead=1.25, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName="Helvetica-Bold" if bold else "Helvetica", fontSize=size,
                          leading=size * lead, textColor=color, **kw)


S = {
    "slide_title": _style("st", 30, True, spaceAfter=14),
    "slide_meta": _style("sm", 16, color=GREY, spaceAfter=10),
    "slide_body": _style("sb", 21, spaceAfter=10),
    "slide_q": _style("sq", 22, True, spaceAfter=10),
    "slide_opt": _style("so", 20, leftIndent=28, firstLineIndent=-28, spaceAfter=6),
    "slide_verdict": _style("sv", 34, True, GREEN, spaceAfter=12),
    "cover_title": _style("ct", 40, True, spaceAfter=18),
    "h1": _style("h1", 18, True, spaceAfter=6),
    # A handout should fit one sheet printed on both sides: compact but readable type.
    "h2": _style("h2", 12.5, True, spaceBefore=7, spaceAfter=3, keepWithNext=1),
    "h3": _style("h3", 10.5, True, spaceBefore=4, spaceAfter=1, keepWithNext=1),
    "body": _style("b", 9.8, spaceAfter=3),
    "small": _style("s", 8.5, color=GREY, spaceAfter=3),
    "bullet": _style("bl", 9.8, leftIndent=12, firstLineIndent=-9, spaceAfter=2),
    "big": _style("big", 15, lead=1.45, spaceAfter=10),
    "big_item": _style("bi", 15, lead=1.45, leftIndent=22, firstLineIndent=-22, spaceAfter=10),
    "center_title": _style("ctt", 22, True, alignment=TA_CENTER, spaceAfter=6),
    "center_sub": _style("cs", 12, alignment=TA_CENTER, color=GREY, spaceAfter=14),
    "cell": _style("c", 10),
    "cell_head": _style("ch", 10, True, color=colors.white),
}


def _doc(path: Path, pagesize, title: str, footer: str, margin=15 * mm) -> SimpleDocTemplate:
    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.setFillColor(GREY)
        canvas.drawString(margin, 8 * mm, latin1(footer))
        canvas.drawRightString(pagesize[0] - margin, 8 * mm, f"Halaman {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=pagesize, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin + 4 * mm, title=latin1(title),
                            author="Kursus Netralitas ASN", subject=latin1(title))
    doc._on_page = on_page
    return doc


def _build(doc: SimpleDocTemplate, story: list) -> None:
    doc.build(story, onFirstPage=doc._on_page, onLaterPages=doc._on_page)


# --------------------------------------------------------------------- slides

def _slide(parts: list, frame_w: float, frame_h: float) -> KeepInFrame:
    # Long cases shrink to fit one slide rather than spill onto a second page.
    return KeepInFrame(frame_w, frame_h, parts, mode="shrink")


def _options(s: Scenario) -> list:
    return [P(f"{chr(ord('a') + n)}.  {o.teks}", S["slide_opt"]) for n, o in enumerate(s.pilihan)]


def slides(bank: Bank, kit: Kit, module_id: str, path: Path) -> Path:
    mod = bank.modules[module_id]
    size = landscape(A4)
    margin = 18 * mm
    fw, fh = size[0] - 2 * margin, size[1] - 2 * margin - 6 * mm
    title = f"Salindia Modul {mod.id}: {mod.judul}"
    doc = _doc(path, size, title, f"Netralitas ASN - Modul {mod.id}: {mod.judul}", margin)
    story = [_slide([P(f"Modul {mod.id}", S["slide_meta"]), P(mod.judul, S["cover_title"]),
                     P("Tujuan sesi", S["slide_q"])]
                    + [P(f"- {t}", S["slide_opt"]) for t in mod.tujuan], fw, fh), PageBreak()]
    scenarios = bank.module_scenarios(module_id)
    for n, s in enumerate(scenarios, start=1):
        story += [_slide([P(f"Kasus {n} dari {len(scenarios)} - {s.id} - {PHASES[s.fase]} - "
                            f"berlaku bagi {', '.join(s.berlaku_untuk)}", S["slide_meta"]),
                          P(s.judul, S["slide_title"]), P(s.situasi, S["slide_body"]),
                          P(s.pertanyaan, S["slide_q"]), *_options(s)], fw, fh), PageBreak()]
        right = "; ".join(f"{chr(ord('a') + k)}. {o.teks}" for k, o in enumerate(s.pilihan) if o.benar)
        verdict = [P(f"Putusan kasus {n}: {s.judul}", S["slide_meta"]),
                   P(VERDICTS[s.putusan], S["slide_verdict"])]
        if s.tergantung_pada:
            verdict.append(Pm(f"<b>Bergantung pada:</b> {escape(latin1(s.tergantung_pada))}", S["slide_opt"]))
        verdict += [Pm(f"<b>Jawaban yang tepat:</b> {escape(latin1(right))}", S["slide_opt"]),
                    P(s.penjelasan, S["slide_body"]),
                    Pm(f"<b>Dasar hukum:</b> {escape(latin1('; '.join(bank.cite(s))))}", S["slide_opt"]),
                    Pm(f"<b>Sanksi:</b> {escape(latin1(SANCTIONS[s.sanksi.kategori]))}", S["slide_opt"])]
        story += [_slide(verdict, fw, fh), PageBreak()]
    story.append(_slide([P("Poin kunci", S["slide_title"])] + [P(f"- {x}", S["slide_opt"]) for x in mod.poin_kunci]
                        + [Spacer(1, 10), P("Ragu? Tanyakan kepada BKPSDM sebelum bertindak.", S["slide_q"])],
                        fw, fh))
    _build(doc, story)
    return path


# -------------------------------------------------------------------- handout

def handout(bank: Bank, kit: Kit, module_id: str, path: Path) -> Path:
    mod = bank.modules[module_id]
    title = f"Handout Modul {mod.id}: {mod.judul}"
    doc = _doc(path, A4, title, f"Netralitas ASN - {title}", margin=13 * mm)
    story = [P("Sosialisasi Netralitas ASN dan Pegawai Non-ASN", S["small"]), P(title, S["h1"]),
             P("Tujuan", S["h2"])] + [P(f"- {t}", S["bullet"]) for t in mod.tujuan]
    story += [P("Poin kunci", S["h2"])] + [P(f"- {t}", S["bullet"]) for t in mod.poin_kunci]
    story.append(P("Kasus dan putusannya", S["h2"]))
    for s in bank.module_scenarios(module_id):
        story += [P(f"{s.judul} ({VERDICTS[s.putusan]})", S["h3"]), P(s.penjelasan, S["body"]),
                  P(f"Dasar hukum: {'; '.join(bank.cite(s))}. Sanksi: {SANCTIONS[s.sanksi.kategori]}.", S["small"])]
    related = [f for f in kit.faq if any(bank.scenarios[i].modul == module_id for i in f.skenario)]
    if related:
        story.append(P("Yang sering ditanyakan", S["h2"]))
        for f in related:
            story += [P(f.pertanyaan, S["h3"]), P(f.jawaban, S["body"]),
                      P(f"Dasar hukum: {'; '.join(cite(bank, f.dasar_hukum))}", S["small"])]
    box = Table([[P("Ragu tentang keadaan Anda sendiri? Tanyakan kepada BKPSDM atau unit kepegawaian "
                    "instansi Anda. Dugaan pelanggaran dilaporkan kepada Bawaslu atau Panwascam paling lambat "
                    "tujuh hari sejak diketahui, disertai uraian kejadian dan bukti.", S["body"])]],
                colWidths=[doc.width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, INK), ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f2f5f8")),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story += [Spacer(1, 8), box]
    _build(doc, story)
    return path


# ---------------------------------------------------------- ikrar and pakta

def ikrar(kit: Kit, path: Path) -> Path:
    doc = _doc(path, A4, "Ikrar Netralitas", "Netralitas ASN - Ikrar netralitas", margin=22 * mm)
    story = [Spacer(1, 20), P("IKRAR NETRALITAS", S["center_title"]),
             P("Pegawai Aparatur Sipil Negara dan Pegawai Non-ASN", S["center_sub"]), Spacer(1, 10),
             P(kit.texts.ikrar_pembuka, S["big"])]
    story += [P(f"{n}.  {t}", S["big_item"]) for n, t in enumerate(kit.texts.ikrar, start=1)]
    story += [Spacer(1, 24), P("Tempat dan tanggal: ......................................................",
                                S["big"])]
    _build(doc, story)
    return path


def pakta(kit: Kit, path: Path) -> Path:
    doc = _doc(path, A4, "Pakta Integritas Netralitas", "Netralitas ASN - Pakta integritas", margin=20 * mm)
    field = _style("field", 12)
    line = "." * 80
    fields = Table([[P(label, field), P(":", field), P(line, field)]
                    for label in ("Nama", "NIP / nomor identitas pegawai", "Jabatan", "Unit Kerja")],
                   colWidths=[62 * mm, 5 * mm, doc.width - 67 * mm], rowHeights=[11 * mm] * 4)
    fields.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    statement = [P(f"{n}.  {t}", _style(f"p{n}", 11.5, lead=1.4, leftIndent=18, firstLineIndent=-18,
                                          spaceAfter=6)) for n, t in enumerate(kit.texts.pakta, start=1)]
    sign = Table([["", P("......................., ....................... 20....", field)],
                  ["", P("Yang menyatakan,", field)],
                  ["", ""],
                  ["", P("(" + "." * 50 + ")", field)],
                  ["", P("Nama dan tanda tangan", S["small"])]],
                 colWidths=[doc.width - 80 * mm, 80 * mm], rowHeights=[8 * mm, 8 * mm, 24 * mm, 8 * mm, 6 * mm])
    story = [P("PAKTA INTEGRITAS NETRALITAS", S["center_title"]),
             P("Pegawai Aparatur Sipil Negara dan Pegawai Non-ASN", S["center_sub"]),
             P("Yang bertanda tangan di bawah ini:", _style("pb", 11.5, spaceAfter=4)),
             fields, Spacer(1, 8),
             P(kit.texts.pakta_pembuka, _style("pb2", 11.5, lead=1.4, spaceAfter=6)), *statement,
             Spacer(1, 8), sign]
    _build(doc, story)
    return path


# ----------------------------------------------------------------- attendance

def attendance(path: Path, session: str = "", jp: str = "", date: str = "", modules: str = "",
               pages: int = 2) -> Path:
    doc = _doc(path, landscape(A4), "Daftar Hadir Sosialisasi Netralitas",
               "Netralitas ASN - Daftar hadir (kolom sesuai berkas impor laporan BKPSDM)", margin=12 * mm)
    head = [P(c, S["cell_head"]) for c in ["No", *ATTENDANCE_COLUMNS]]
    widths = [9 * mm, 24 * mm, 40 * mm, 46 * mm, 55 * mm, 45 * mm, 10 * mm]
    widths.append(doc.width - sum(widths))
    story = []
    for page in range(pages):
        small = _style("cs8", 8)
        rows = [head] + [[str(page * ROWS_PER_PAGE + i + 1), P(date, S["cell"]), P(session, small), "", "", "",
                          P(jp, S["cell"]), ""] for i in range(ROWS_PER_PAGE)]
        table = Table(rows, colWidths=widths, rowHeights=[9 * mm] + [11 * mm] * ROWS_PER_PAGE, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, INK), ("BACKGROUND", (0, 0), (-1, 0), INK),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTSIZE", (0, 1), (0, -1), 9)]))
        story += [P("DAFTAR HADIR SOSIALISASI NETRALITAS ASN", _style("dh", 15, True, spaceAfter=3)),
                  P(f"Sesi: {session or '.' * 60}  |  Tanggal: {date or '.' * 25}  |  JP: {jp or '.' * 6}  |  "
                    f"Modul: {modules or '.' * 25}  |  Tempat: {'.' * 40}", S["body"]),
                  P("Tulis NIP 18 digit tanpa spasi (pegawai non-ASN: nomor identitas dari instansi). Tanggal "
                    "ditulis YYYY-MM-DD atau DD/MM/YYYY. Lembar ini diketik ulang ke berkas impor dengan kolom "
                    "yang sama (templat: daftar_hadir.csv).", S["small"]), table]
        if page < pages - 1:
            story.append(PageBreak())
    _build(doc, story)
    return path


def attendance_template(path: Path, session: str = "", jp: str = "", date: str = "", modules: str = "") -> Path:
    """The CSV the sheet is typed into: the HR import's columns, one example-free blank row."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(ATTENDANCE_CSV_COLUMNS)
        out.writerow([date, session, "", "", "", jp, modules])
    return path


def build_printables(bank: Bank, kit: Kit, out_dir: Path, session: str | None = None, date: str = "") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for module_id in bank.modules:
        if bank.module_scenarios(module_id):
            files.append(slides(bank, kit, module_id, out_dir / f"salindia_{module_id}.pdf"))
            files.append(handout(bank, kit, module_id, out_dir / f"handout_{module_id}.pdf"))
    files.append(ikrar(kit, out_dir / "ikrar_netralitas.pdf"))
    files.append(pakta(kit, out_dir / "pakta_integritas.pdf"))
    plan = kit.plans.get(session) if session else None
    fill = dict(session=plan.judul if plan else "", jp=str(plan_jp(plan)) if plan else "", date=date,
                modules=",".join(plan.modules) if plan else "")
    files.append(attendance(out_dir / "daftar_hadir.pdf", **fill))
    files.append(attendance_template(out_dir / "daftar_hadir.csv", **fill))
    return files
