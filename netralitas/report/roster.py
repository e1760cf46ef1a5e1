"""Roster import (CSV or XLSX) and NIP / NI PPPK / NIK validation.

A roster row that cannot be used is never dropped silently: it comes back as a
problem with its line number and a reason in Bahasa Indonesia ("ditolak"), and
a row that is used but looks wrong comes back as "diragukan". Both are listed
in the report.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .. import clock
from ..invented import active as invented_data, is_invented_nik, is_invented_nip
from ..tables import ROSTER
from .units import UnitMaster, fold, load_units

# Status as HR writes it -> the three statuses of the report.
STATUSES = {"PNS": "PNS", "CPNS": "PNS", "PPPK": "PPPK", "PPPK PARUH WAKTU": "PPPK",
            "NON-ASN": "PPNPN", "NON ASN": "PPNPN", "NONASN": "PPNPN", "PPNPN": "PPNPN",
            "HONORER": "PPNPN"}
# Header as HR writes it (folded) -> column; the roster's columns are declared in netralitas/tables.py.
COLUMNS = ROSTER.headings()
REQUIRED = ROSTER.required
OUTPUT = ["nip", "nama", "jabatan", "unit_kerja", "instansi", "status", "jenis_id", "email", "baris"]
# Codes NI PPPK carries in place of the appointment month (21 PPPK, 24 part-time
# PPPK). The full list is not published; other codes are accepted as doubtful.
PPPK_CODES = {"21": "PPPK", "24": "PPPK paruh waktu"}
REJECTED, DOUBTFUL = "ditolak", "diragukan"


@dataclass(frozen=True)
class RosterProblem:
    line: int       # line number as a spreadsheet shows it (header = 1)
    nip: str
    reason: str     # Bahasa Indonesia, for HR
    level: str = REJECTED
    nama: str = ""


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


def normalise_nip(raw) -> str:
    """Accept the forms Excel produces: display spaces, a leading apostrophe."""
    return re.sub(r"[\s.]", "", str(raw if raw is not None else "").strip().lstrip("'"))


def nip_problem(nip: str, status: str, today: date | None = None, invented: bool | None = None) -> str | None:
    """Reason an 18-digit NIP (PNS) or NI PPPK is unusable, or None.

    Digits: 8 birth date, 4 year of first appointment, 2 month (NI PPPK: a
    code), 1 gender (1 man, 2 woman), 3 sequence. Birth day 00 cannot be a real
    person's: refused like any impossible date, except with invented data declared
    (invented None: NETRALITAS_INVENTED_DATA; netralitas/invented.py), where every
    other rule still applies.
    """
    today = today or clock.today()
    if status == "PPNPN":
        return None if nip else "ID pegawai non-ASN kosong (isi NIK atau nomor pegawai instansi)"
    if not nip:
        return "NIP kosong"
    if re.fullmatch(r"\d+([.,]\d+)?[eE]\+?\d+", nip):
        return ("NIP tertulis dalam notasi ilmiah (mis. 1,98609E+17) sehingga digitnya hilang; "
                "format kolom NIP sebagai teks lalu ekspor ulang")
    if not re.fullmatch(r"\d{18}", nip):
        return f"NIP harus 18 digit angka (tertulis {len(nip)} karakter: {nip!r})"
    y, m, d = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    if is_invented_nip(nip) and (invented_data() if invented is None else invented):
        d = 1  # invented: the rest of the date must still be one
    if not _valid_date(y, m, d) or y < 1940:
        return f"8 digit pertama NIP bukan tanggal lahir yang sah ({nip[0:8]})"
    year, code = int(nip[8:12]), nip[12:14]
    if year < y + 15:
        return f"tahun pengangkatan {year} pada NIP tidak masuk akal untuk tanggal lahir {nip[0:8]}"
    if year > today.year + 1:
        return f"tahun pengangkatan {year} pada NIP belum terjadi"
    if status == "PNS":
        if code in PPPK_CODES:
            return (f"digit 13-14 NIP ({code}) adalah kode NI PPPK, bukan bulan pengangkatan; "
                    "periksa apakah statusnya PPPK")
        if not 1 <= int(code) <= 12:
            return f"bulan pengangkatan {code} pada NIP PNS tidak sah"
        if (year, int(code)) > (today.year, today.month):
            return f"TMT CPNS {year}-{code} pada NIP belum terjadi"
    if nip[14] not in "12":
        return f"digit jenis kelamin pada NIP harus 1 atau 2 (tertulis {nip[14]})"
    if nip[15:] == "000":
        return "nomor urut NIP (3 digit terakhir) tidak boleh 000"
    return None


def pppk_doubt(nip: str) -> str | None:
    code = nip[12:14]
    if code in PPPK_CODES or 1 <= int(code) <= 12:
        return None
    return (f"kode {code} pada digit 13-14 NI PPPK tidak dikenal (yang dikenal: "
            f"{', '.join(f'{c} {n}' for c, n in PPPK_CODES.items())}); periksa ke BKPSDM")


def id_kind(nip: str, status: str) -> str:
    if status == "PNS":
        return "NIP"
    if status == "PPPK":
        return "NI PPPK"
    return "NIK" if re.fullmatch(r"\d{16}", nip) else "ID instansi"


def non_asn_doubt(nip: str) -> str | None:
    if re.fullmatch(r"\d{18}", nip) and nip_problem(nip, "PPPK") is None:
        return "status non-ASN tetapi ID berbentuk NIP/NI PPPK; periksa status kepegawaiannya"
    if re.fullmatch(r"\d{16}", nip):
        day, month = int(nip[6:8]) % 40, int(nip[8:10])  # women: day + 40
        day_ok = 1 <= day <= 31 or (is_invented_nik(nip) and invented_data())  # day 00: invented, declared
        if not (day_ok and 1 <= month <= 12):
            return f"NIK {nip} tidak memuat tanggal lahir yang sah (digit 7-12)"
    elif re.fullmatch(r"[\d.,]+[eE]\+?\d+", nip):
        return "ID tertulis dalam notasi ilmiah; format kolom sebagai teks lalu ekspor ulang"
    return None


def _decode(data: bytes) -> tuple[str, str | None]:
    # Excel's "Unicode text" and some exports are UTF-16 (with a byte-order mark, or NUL bytes).
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    if data[:200].count(b"\x00") > 10:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if text[:1].isprintable():
                return text, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252"), "berkas bukan UTF-8; dibaca sebagai Windows-1252 (periksa huruf khusus)"


def _csv_rows(path: Path) -> tuple[list, list[tuple[int, list]], str | None]:
    text, note = _decode(path.read_bytes())
    text = text.replace("\x00", "")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(f"Berkas {path.name} kosong (atau baris pertamanya, judul kolom, kosong)")
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        raise ValueError(f"Berkas {path.name}: baris 1 (judul kolom) hanya berisi satu kolom "
                         f"({lines[0][:60]!r}); pisahkan kolom dengan titik koma, koma, atau tab "
                         "(di Excel: Simpan Sebagai > CSV)") from None
    reader = csv.reader(io.StringIO(text), dialect)
    # csv counts physical lines, so a quoted field with a newline keeps the numbers right.
    rows = []
    try:
        header = next(reader)
        for values in reader:
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise ValueError(f"Berkas {path.name} baris {reader.line_num}: tidak dapat dibaca sebagai CSV ({exc})") from None
    return header, rows, note


def _xlsx_rows(path: Path) -> tuple[list, list[tuple[int, list]], str | None]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        names = {fold(n): n for n in wb.sheetnames}
        ws = wb[next((names[k] for k in ("roster", "pegawai", "daftar pegawai") if k in names), wb.sheetnames[0])]
        it = ws.iter_rows(values_only=True)
        header = [str(h or "") for h in next(it, [])]
        rows = [(n, list(values)) for n, values in enumerate(it, start=2)]
    finally:
        wb.close()
    return header, rows, None


def _cell_text(value) -> tuple[str, str | None]:
    """Text of a spreadsheet cell; a number too long for Excel is refused, never guessed."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, (int, float)):
        as_int = int(value) if float(value).is_integer() else None
        if as_int is None or len(str(abs(as_int))) > 15:
            return str(value), ("NIP/ID tersimpan sebagai angka di Excel sehingga digit terakhirnya bisa "
                                "berubah; format kolom sebagai teks lalu ketik ulang NIP")
        return str(as_int), None
    if isinstance(value, (date,)):
        return value.isoformat(), None
    return str(value).strip(), None


def read_roster(path: Path, units: UnitMaster | None = None,
                today: date | None = None) -> tuple[pd.DataFrame, list[RosterProblem]]:
    """Accepted rows as a DataFrame (OUTPUT columns) and every problem found."""
    path = Path(path)
    units = load_units() if units is None else units
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, raw_rows, note = _xlsx_rows(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        header, raw_rows, note = _csv_rows(path)
    else:
        raise ValueError(f"Roster {path.name}: jenis berkas tidak didukung (gunakan .csv atau .xlsx)")
    columns = [COLUMNS.get(fold(h).replace("_", " "), COLUMNS.get(fold(h), fold(h))) for h in header]
    missing = [c for c in REQUIRED if c not in columns and not (c == "nip" and "nik" in columns)]
    if "nip" not in columns and "nik" in columns:
        columns[columns.index("nik")] = "nip"
    if missing:
        raise ValueError(f"Roster {path.name}: kolom wajib tidak ada: {', '.join(missing)} "
                         f"(kolom yang terbaca: {', '.join(str(h) for h in header)})")

    problems: list[RosterProblem] = []
    if note:
        problems.append(RosterProblem(1, "", note, DOUBTFUL))
    rows, seen = [], {}
    width = len(header)
    for line, values in raw_rows:
        extra = [v for v in values[width:] if v not in (None, "")]
        if extra:
            # A comma inside a name, or a shifted row: the values no longer sit under their headings.
            problems.append(RosterProblem(line, normalise_nip(values[columns.index("nip")] if "nip" in columns
                                                              and columns.index("nip") < len(values) else ""),
                                          f"baris berisi {len(values)} kolom, judul hanya {width}; kolom bergeser "
                                          f"(mis. tanda pemisah di dalam nama): {', '.join(map(str, extra))[:80]!r}",
                                          REJECTED))
            continue
        cells, cell_issue = {}, {}
        for i, key in enumerate(columns):
            value = values[i] if i < len(values) else None
            if key in cells and cells[key]:
                continue  # a repeated column never overwrites a filled one
            cells[key], cell_issue[key] = _cell_text(value)
        if not any(cells.values()):
            continue
        nip = normalise_nip(cells["nip"])
        if not nip and cells.get("nik"):
            nip = normalise_nip(cells["nik"])  # a non-ASN's id sits in the NIK column
        nama = re.sub(r"\s+", " ", cells.get("nama", ""))

        def reject(reason: str) -> None:
            problems.append(RosterProblem(line, nip, reason, REJECTED, nama))

        status = STATUSES.get(re.sub(r"\s+", " ", cells["status"].upper().replace("_", " ")))
        if status is None:
            reject(f"status {cells['status']!r} tidak dikenal (gunakan PNS, PPPK, atau Non-ASN/PPNPN)")
            continue
        if cell_issue.get("nip"):
            reject(cell_issue["nip"])
            continue
        reason = nip_problem(nip, status, today)
        if reason is None and not nama:
            reason = "nama kosong"
        if reason is None and not cells["unit_kerja"]:
            reason = "unit kerja kosong"
        if reason is None and nip in seen:
            reason = f"NIP/ID ganda: sama dengan baris {seen[nip]}"
        if reason:
            reject(reason)
            continue

        doubts = []
        if status == "PPPK":
            doubts.append(pppk_doubt(nip))
        if status == "PPNPN":
            doubts.append(non_asn_doubt(nip))
        unit_name, instansi = re.sub(r"\s+", " ", cells["unit_kerja"]), cells.get("instansi", "")
        unit = units.lookup(unit_name)
        if unit:
            if instansi and fold(instansi) != fold(unit.instansi):
                doubts.append(f"instansi {instansi!r} berbeda dengan daftar unit kerja "
                              f"({unit.nama} berada di {unit.instansi})")
            unit_name, instansi = unit.nama, unit.instansi
        elif not units.empty:
            doubts.append(f"unit kerja {unit_name!r} tidak ada di grading/unit_kerja.yaml; dipakai apa adanya "
                          "(tambahkan sebagai unit atau alias)")
        email = cells.get("email", "")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            doubts.append(f"alamat email {email!r} tidak sah; dikosongkan")
            email = ""
        for doubt in filter(None, doubts):
            problems.append(RosterProblem(line, nip, doubt, DOUBTFUL, nama))
        seen[nip] = line
        rows.append({"nip": nip, "nama": nama, "jabatan": cells.get("jabatan", ""), "unit_kerja": unit_name,
                     "instansi": instansi, "status": status, "jenis_id": id_kind(nip, status),
                     "email": email, "baris": line})
    frame = pd.DataFrame(rows, columns=OUTPUT)
    # Which columns the file had: a roster without e.g. an email column must not
    # erase the emails recorded from an earlier one.
    frame.attrs["kolom"] = sorted(set(columns) & set(OUTPUT))
    return frame, problems


def problems_frame(problems: list[RosterProblem]) -> pd.DataFrame:
    return pd.DataFrame([{"baris": p.line, "nip": p.nip, "nama": p.nama, "tingkat": p.level,
                          "alasan": p.reason} for p in problems],
                        columns=["baris", "nip", "nama", "tingkat", "alasan"])


def rejected(problems: list[RosterProblem]) -> list[RosterProblem]:
    return [p for p in problems if p.level == REJECTED]
