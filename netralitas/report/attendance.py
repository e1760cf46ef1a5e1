"""Attendance at facilitated sessions (contract 3): counts as JP (jam pelajaran).

CSV (`,`/`;`, UTF-8 with or without BOM) or XLSX with columns Tanggal
(YYYY-MM-DD or DD/MM/YYYY), Sesi, NIP (or agency id), Nama, Unit Kerja, JP,
optional Modul ("1, 2" or "01,02"). Every unusable row comes back with its
line number and a reason in Bahasa Indonesia.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .roster import DOUBTFUL, REJECTED, RosterProblem, _cell_text, _csv_rows, _xlsx_rows, normalise_nip
from ..tables import ATTENDANCE
from .units import fold

# The sheet's columns are declared in netralitas/tables.py (ATTENDANCE).
COLUMNS = ATTENDANCE.headings()
REQUIRED = ATTENDANCE.required
OUTPUT = ["tanggal", "sesi", "nip", "nama", "unit_kerja", "jp", "modul", "baris"]


def parse_day(text: str) -> date | None:
    from ..dates import parse_day as day

    return day(text)


def ambiguous_day(text: str) -> bool:
    """DD/MM/YYYY where both could be a month (05/06/2026): read day first, and say so."""
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-]\d{4}", text.strip())
    return bool(m) and m.group(1) != m.group(2) and int(m.group(1)) <= 12 and int(m.group(2)) <= 12


def read_attendance(path: Path, modules: set[str] | None = None) -> tuple[pd.DataFrame, list[RosterProblem]]:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, raw_rows, note = _xlsx_rows(path)
    else:
        header, raw_rows, note = _csv_rows(path)
    columns = [COLUMNS.get(fold(h).replace("_", " "), fold(h)) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ValueError(f"Daftar hadir {path.name}: kolom wajib tidak ada: {', '.join(missing)}")
    problems = [RosterProblem(1, "", note, DOUBTFUL)] if note else []
    rows, seen = [], {}
    for line, values in raw_rows:
        cells = {}
        for i, key in enumerate(columns):
            value = values[i] if i < len(values) else None
            cells[key] = value.date().isoformat() if isinstance(value, datetime) else _cell_text(value)[0]
        if not any(cells.values()):
            continue
        nip, nama = normalise_nip(cells["nip"]), cells.get("nama", "")

        def reject(reason: str) -> None:
            problems.append(RosterProblem(line, nip, reason, REJECTED, nama))

        day = parse_day(cells["tanggal"])
        if day is None:
            reject(f"tanggal {cells['tanggal']!r} tidak terbaca (tulis YYYY-MM-DD atau DD/MM/YYYY)")
            continue
        if ambiguous_day(cells["tanggal"]):
            from ..dates import long_day as tanggal

            problems.append(RosterProblem(line, normalise_nip(cells["nip"]),
                                          f"tanggal {cells['tanggal']!r} dibaca sebagai {tanggal(day)} (hari/bulan/"
                                          f"tahun); bila maksudnya bulan/hari, tulis {day.year}-{day.day:02d}-"
                                          f"{day.month:02d}", DOUBTFUL, cells.get("nama", "")))
        if not nip:
            reject("NIP/ID peserta kosong")
            continue
        if not cells["sesi"]:
            reject("nama/kode sesi kosong")
            continue
        try:
            jp = float(cells["jp"].replace(",", "."))
        except ValueError:
            jp = -1
        if not 0 < jp <= 40:
            reject(f"JP {cells['jp']!r} bukan angka jam pelajaran yang sah (lebih dari 0, paling banyak 40)")
            continue
        mods = [m.zfill(2) for m in re.split(r"[,\s;/]+", cells.get("modul", "")) if m]
        bad = [m for m in mods if not m.isdigit() or (modules is not None and m not in modules)]
        if bad:
            problems.append(RosterProblem(line, nip, f"modul {', '.join(bad)} tidak dikenal; diabaikan", DOUBTFUL, nama))
            mods = [m for m in mods if m not in bad]
        key = (nip, day, fold(cells["sesi"]))
        if key in seen:
            reject(f"tercatat dua kali untuk sesi yang sama (lihat baris {seen[key]}); JP dihitung sekali")
            continue
        seen[key] = line
        rows.append({"tanggal": day, "sesi": cells["sesi"], "nip": nip, "nama": nama,
                     "unit_kerja": cells.get("unit_kerja", ""), "jp": jp, "modul": ",".join(mods), "baris": line})
    return pd.DataFrame(rows, columns=OUTPUT), problems
