"""PDF documents: a certificate per learner and a completion statement per unit.

Drawn with reportlab's canvas (fast: no layout engine for the certificate) and
its own QR code widget. Fonts are DejaVu from matplotlib's data folder, so
every name prints (Latin-1 is not enough) on any machine without system fonts.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..dates import long_day as tanggal
from ..files import atomic_path
from ..invented import DETAIL, MARK, SHORT_MARK, active as invented_data

# The mark of invented data (netralitas/invented.py) on certificates and statements.
REKAAN_COLOUR = colors.HexColor("#b00020")

FONT, BOLD = "DejaVu", "DejaVu-Bold"


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    # So <b> in a Paragraph picks the bold face.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def qr_modules(text: str) -> list[list[bool]]:
    """QR matrix (error correction M) from reportlab's own encoder.

    A fixed mask pattern instead of trying all eight: every mask is valid QR
    (the reader learns it from the format bits) and the eight-way search costs
    about 11 ms, the whole budget of a certificate. Tests decode the result.
    """
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    return qr.modules


def draw_qr(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    """Dark runs of each row as one rectangle each, with the 4-module quiet zone."""
    modules = qr_modules(text)
    n = len(modules)
    cell = size / (n + 8)
    c.setFillColor(colors.white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColor(colors.black)
    for r, row in enumerate(modules):
        top = y + size - (r + 4 + 1) * cell
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                c.rect(x + (start + 4) * cell, top, (col - start) * cell, cell, stroke=0, fill=1)
            else:
                col += 1


def pick_fonts(texts) -> tuple[str, str]:
    """Helvetica (built into every PDF reader, nothing to embed: twice as fast)
    when all text is Latin-1; DejaVu, embedded, for any other name."""
    try:
        "".join(map(str, texts)).encode("latin-1")
        return "Helvetica", "Helvetica-Bold"
    except UnicodeEncodeError:
        _fonts()
        return FONT, BOLD


VERIFY_URL_ENV = "NETRALITAS_URL_VERIFIKASI"


def fitted(c: canvas.Canvas, text: str, x: float, y: float, font: str, size: float, width: float,
           centred: bool = False) -> None:
    """Text at the given size, smaller if it would run wider than `width` (long names, long organisers)."""
    while size > 5 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    c.setFont(font, size)
    (c.drawCentredString if centred else c.drawString)(x, y, text)


def verification_link(code: str, base: str | None = None) -> str:
    """What the QR code holds: the agency's verification page with the code,
    or the bare code when no page is set (NETRALITAS_URL_VERIFIKASI)."""
    from urllib.parse import quote

    from ..settings import settings

    base = (base if base is not None else settings().verify_url or "").strip()
    if not base:
        return code
    return f"{base.rstrip('/')}/?kode={quote(code)}"


def draw_certificate(c: canvas.Canvas, person: dict, modules: list[tuple[str, str]], institution: str,
                     agency=None, base_url: str | None = None) -> None:
    """One landscape A4 page. person: nama, nip, jenis_id, unit_kerja, instansi, jp, nilai_rata,
    tanggal_sertifikasi, versi_aturan, berlaku_sampai, kode_verifikasi, nomor_sertifikat.
    agency (units.Agency): organiser, place of signing and the signing official."""
    organiser = (agency.penyelenggara if agency else "") or institution
    official = agency.pejabat if agency else None
    place = (agency.tempat if agency else "") or ""
    FONT, BOLD = pick_fonts([*person.values(), *(t for _, t in modules), institution, organiser,
                             *(official.__dict__.values() if official else []), place])
    w, h = landscape(A4)
    c.setStrokeColor(colors.HexColor("#1f5f8b"))
    c.setLineWidth(3)
    c.rect(12 * mm, 12 * mm, w - 24 * mm, h - 24 * mm)
    c.setLineWidth(0.8)
    c.rect(15 * mm, 15 * mm, w - 30 * mm, h - 30 * mm)
    c.setFont(FONT, 9)
    c.setFillColor(colors.black)
    if person.get("nomor_sertifikat"):
        c.drawRightString(w - 22 * mm, h - 22 * mm, f"Nomor: {person['nomor_sertifikat']}")
    if invented_data():
        c.setFillColor(REKAAN_COLOUR)
        fitted(c, SHORT_MARK, 22 * mm, h - 22 * mm, BOLD, 11, w / 2 - 30 * mm)
        fitted(c, DETAIL, w / 2, h - 56.5 * mm, BOLD, 8, w - 50 * mm, centred=True)
        c.setFillColor(colors.black)
    c.setFillColor(colors.HexColor("#1f5f8b"))
    c.setFont(BOLD, 30)
    c.drawCentredString(w / 2, h - 38 * mm, "SERTIFIKAT")
    c.setFont(FONT, 13)
    c.setFillColor(colors.black)
    c.drawCentredString(w / 2, h - 46 * mm, "Kursus Netralitas ASN")
    fitted(c, f"diselenggarakan oleh {organiser}", w / 2, h - 52 * mm, FONT, 10, w - 50 * mm, centred=True)
    c.setFont(FONT, 12)
    c.drawCentredString(w / 2, h - 61 * mm, "diberikan kepada")
    fitted(c, person["nama"], w / 2, h - 72 * mm, BOLD, 22, w - 50 * mm, centred=True)
    c.setFont(FONT, 12)
    c.drawCentredString(w / 2, h - 80 * mm, f"{person['jenis_id']} {person['nip']}")
    fitted(c, f"{person['unit_kerja']}, {person['instansi']}".strip(", "), w / 2, h - 87 * mm, FONT, 12,
           w - 50 * mm, centred=True)
    c.setFont(FONT, 12)
    c.drawCentredString(w / 2, h - 96 * mm,
                        "yang telah menyelesaikan seluruh modul wajib berikut dan lulus penilaiannya:")
    c.setFont(FONT, 10)
    half = (len(modules) + 1) // 2
    for i, (mid, title) in enumerate(modules):
        x = 40 * mm if i < half else w / 2 + 5 * mm
        y = h - 104 * mm - (i % half) * 5.5 * mm
        c.drawString(x, y, f"Modul {mid}: {title}")
    y = h - 108 * mm - half * 5.5 * mm
    c.setFont(FONT, 11)
    c.drawString(40 * mm, y, f"Jam pelajaran: {person['jp']:g} JP    Nilai rata-rata: {person['nilai_rata']:.1f}")
    c.drawString(40 * mm, y - 6 * mm, f"Tanggal selesai: {tanggal(person['tanggal_sertifikasi'])}    "
                                      f"Versi aturan: {person['versi_aturan']}")
    c.drawString(40 * mm, y - 12 * mm, f"Berlaku sampai: {tanggal(person['berlaku_sampai'])}")
    # Signing official (from the unit master), right half above the QR code.
    sx = w / 2 + 30 * mm
    c.setFont(FONT, 10)
    issued = person.get("tanggal_terbit") or person["tanggal_sertifikasi"]
    c.drawString(sx, y - 6 * mm, f"{place + ', ' if place else ''}{tanggal(issued)}")
    right = w - 22 * mm - sx
    fitted(c, official.jabatan if official and official.jabatan else "Pejabat penandatangan", sx, y - 11 * mm,
           FONT, 10, right)
    fitted(c, official.nama if official and official.nama else "(nama) ........................", sx, y - 27 * mm,
           BOLD, 10, right)
    c.setFont(FONT, 9)
    c.drawString(sx, y - 32 * mm, f"NIP {official.nip}" if official and official.nip else "NIP ........................")
    size = 30 * mm
    link = verification_link(person["kode_verifikasi"], base_url)
    draw_qr(c, link, w - 22 * mm - size, 20 * mm, size)
    c.setFont(BOLD, 11)
    c.drawString(40 * mm, 32 * mm, f"Kode verifikasi: {person['kode_verifikasi']}")
    room = w - 22 * mm - size - 6 * mm - 40 * mm   # never into the QR code's quiet zone
    if link != person["kode_verifikasi"]:
        lines = ["Cara memeriksa keaslian: pindai kode QR dengan kamera ponsel, atau buka",
                 f"{link.split('?')[0]} dan ketik kode verifikasi di atas."]
    else:
        lines = ["Cara memeriksa keaslian: sampaikan kode verifikasi di atas kepada penyelenggara; petugas",
                 "memeriksanya dengan `netralitas verifikasi KODE` terhadap register sertifikat."]
    for i, line in enumerate(lines):
        fitted(c, line, 40 * mm, (26 - 4 * i) * mm, FONT, 8.5, room)


def write_certificate(path: Path, person: dict, modules: list[tuple[str, str]], institution: str,
                      agency=None, base_url: str | None = None) -> Path:
    path = Path(path)
    with atomic_path(path) as tmp:
        c = canvas.Canvas(str(tmp), pagesize=landscape(A4), pageCompression=1)
        c.setTitle(f"Sertifikat Netralitas ASN - {person['nama']}")
        c.setAuthor(institution)
        draw_certificate(c, person, modules, institution, agency, base_url)
        c.showPage()
        c.save()
    return path


def write_unit_statement(path: Path, unit: str, instansi: str, learners, required: list[str],
                         as_of: date, signer=None, agency=None, nomor_surat: str = "") -> Path:
    """Completion statement the unit's head signs: counts, every staff member's state, signature
    block with the title and name from the unit master (units.Signer), number and place."""
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    base = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=13)
    head = ParagraphStyle("h", parent=base, fontName=BOLD, fontSize=13, leading=16, alignment=1)
    mid = ParagraphStyle("m", parent=base, alignment=1)
    cell = ParagraphStyle("c", parent=base, fontSize=8, leading=10)
    valid = learners["tersertifikasi"] & ~learners["perlu_sertifikasi_ulang"]
    n, cert = len(learners), int(valid.sum())
    title = signer.jabatan if signer and signer.jabatan else ""
    who = f"{escape(title)} pada <b>{escape(unit)}</b>" if title else f"pimpinan <b>{escape(unit)}</b>"
    place = (agency.tempat if agency else "") or instansi
    marked = [Paragraph(f"<b>{escape(MARK)}</b>", ParagraphStyle("r", parent=base, textColor=REKAAN_COLOUR)),
              Spacer(1, 3 * mm)] if invented_data() else []
    story = [*marked,
        Paragraph("SURAT PERNYATAAN PENYELESAIAN<br/>KURSUS NETRALITAS ASN", head), Spacer(1, 2 * mm),
        Paragraph(f"Nomor: {escape(nomor_surat) if nomor_surat else '....................................'}", mid),
        Spacer(1, 5 * mm),
        Paragraph(f"Yang bertanda tangan di bawah ini, {who} ({escape(instansi)}), menyatakan bahwa "
                  f"per tanggal {tanggal(as_of)} sebanyak <b>{cert}</b> dari <b>{n}</b> pegawai pada unit ini "
                  f"telah menyelesaikan seluruh modul wajib ({', '.join(required)}) kursus Netralitas ASN "
                  "dan sertifikatnya masih berlaku, dengan rincian sebagai berikut (sumber: data penilaian "
                  "dan register sertifikat kursus).", base),
        Spacer(1, 4 * mm),
    ]
    rows = [["No", "Nama", "NIP / ID", "Status", "Modul", "Sertifikat", "Kode verifikasi"]]
    for i, r in enumerate(learners.itertuples(), start=1):
        state = ("perlu ulang" if r.perlu_sertifikasi_ulang else "berlaku") if r.tersertifikasi else "belum"
        rows.append([str(i), Paragraph(escape(str(r.nama)), cell), r.nip, r.status,
                     f"{r.modul_selesai}/{len(required)}", state, getattr(r, "kode_verifikasi", "") or ""])
    table = Table(rows, repeatRows=1, colWidths=[8 * mm, 44 * mm, 36 * mm, 14 * mm, 13 * mm, 20 * mm, 45 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), ("FONT", (0, 0), (-1, 0), BOLD, 8),
                               ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0f6"))]))
    name = signer.nama if signer and signer.nama else "(nama terang) ............................................"
    nip = f"NIP {signer.nip}" if signer and signer.nip else "NIP ............................................"
    sign = Table([["", Paragraph(f"{escape(place)}, {tanggal(as_of)}", base)],
                  ["", Paragraph(escape(title) if title else "Pimpinan unit kerja, "
                                 "...........................................", base)],
                  ["", ""], ["", ""], ["", ""], ["", Paragraph(f"<b>{escape(name)}</b>", base)],
                  ["", Paragraph(escape(nip), base)]], colWidths=[90 * mm, 85 * mm])
    sign.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10)]))
    story += [table, Spacer(1, 10 * mm), sign]
    path = Path(path)
    with atomic_path(path) as tmp:
        SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                          title=f"Pernyataan penyelesaian - {unit}").build(story)
    return path
