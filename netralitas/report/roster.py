"""Roster import and NIP validation.

A roster row that cannot be used is never dropped silently: it comes back as a
problem with its line number and a reason in Bahasa Indonesia, and the report
lists it.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

STATUSES = {"PNS": "PNS", "PPPK": "PPPK", "NON-ASN": "PPNPN", "NON ASN": "PPNPN", "PPNPN": "PPNPN"}
COLUMNS = {"nip": "nip", "nama": "nama", "unit kerja": "unit_kerja", "unit_kerja": "unit_kerja",
           "opd": "unit_kerja", "status": "status", "email": "email", "jabatan": "jabatan"}
REQUIRED = ("nip", "nama", "unit_kerja", "status")


@dataclass(frozen=True)
class RosterProblem:
    line: int       # line number in the file as a spreadsheet shows it (header = 1)
    nip: str
    reason: str     # Bahasa Indonesia, for HR


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


def normalise_nip(raw: str) -> str:
    """Accept the forms Excel produces: display spaces, a leading apostrophe."""
    return re.sub(r"[\s.]", "", str(raw or "").strip().lstrip("'"))


def nip_problem(nip: str, status: str) -> str | None:
    """Reason the NIP is unusable, or None. PNS and PPPK numbers are 18 digits:
    birth date, appointment year+month (PPPK: a code in place of the month),
    gender digit 1/2, and a 3-digit sequence."""
    if status == "PPNPN":
        return None if nip else "ID pegawai non-ASN kosong (isi NIK atau nomor pegawai instansi)"
    if re.fullmatch(r"\d+([.,]\d+)?[eE]\+?\d+", nip):
        return ("NIP tertulis dalam notasi ilmiah (mis. 1,98609E+17) sehingga digitnya hilang; "
                "format kolom NIP sebagai teks lalu ekspor ulang")
    if not re.fullmatch(r"\d{18}", nip):
        return f"NIP harus 18 digit angka (tertulis {len(nip)} karakter: {nip!r})"
    y, m, d = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    if not _valid_date(y, m, d):
        return f"8 digit pertama NIP bukan tanggal lahir yang sah ({nip[0:8]})"
    year, month = int(nip[8:12]), int(nip[12:14])
    if not (y + 15 <= year <= date.today().year + 1):
        return f"tahun pengangkatan {year} pada NIP tidak masuk akal untuk tanggal lahir {nip[0:8]}"
    if status == "PNS" and not 1 <= month <= 12:
        return f"bulan pengangkatan {nip[12:14]} pada NIP PNS tidak sah"
    if nip[14] not in "12":
        return f"digit jenis kelamin pada NIP harus 1 atau 2 (tertulis {nip[14]})"
    return None


def read_roster(path: Path) -> tuple[pd.DataFrame, list[RosterProblem]]:
    """Valid rows as a DataFrame (nip, nama, unit_kerja, status, ...), and problems."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;")
    reader = csv.reader(io.StringIO(text), dialect)
    header = [COLUMNS.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValueError(f"Roster {path.name}: kolom wajib tidak ada: {', '.join(missing)}")

    rows, problems, seen = [], [], {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row = {k: (values[i].strip() if i < len(values) else "") for i, k in enumerate(header)}
        status = STATUSES.get(row["status"].upper())
        nip = normalise_nip(row["nip"])
        if status is None:
            problems.append(RosterProblem(line, nip, f"status {row['status']!r} tidak dikenal "
                                                     "(gunakan PNS, PPPK, atau Non-ASN/PPNPN)"))
            continue
        reason = nip_problem(nip, status)
        if reason is None and not row["unit_kerja"]:
            reason = "unit kerja kosong"
        if reason is None and nip in seen:
            reason = f"NIP ganda: sama dengan baris {seen[nip]}"
        if reason:
            problems.append(RosterProblem(line, nip, reason))
            continue
        seen[nip] = line
        rows.append({**row, "nip": nip, "status": status, "baris": line})
    frame = pd.DataFrame(rows, columns=["nip", "nama", "unit_kerja", "status", "baris"]
                         + [c for c in header if c not in REQUIRED])
    return frame, problems


def problems_frame(problems: list[RosterProblem]) -> pd.DataFrame:
    return pd.DataFrame([p.__dict__ for p in problems], columns=["line", "nip", "reason"]).rename(
        columns={"line": "baris", "nip": "nip", "reason": "alasan"})
