"""Synthetic people: the one NIP generator and the names, shared by every synthetic cohort."""
from __future__ import annotations

import random

FIRST = ["Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika",
         "Lukman", "Maya", "Nanda", "Oki", "Putri", "Rudi", "Sari", "Taufik", "Umi", "Vina", "Wahyu",
         "Yanti", "Zainal"]
LAST = ["Pratama", "Lestari", "Wibowo", "Handayani", "Saputra", "Rahmawati", "Nugroho", "Susanti",
        "Hidayat", "Permata"]
# Appointment years stop here so the roster check (no appointment in the future) accepts every NIP.
LATEST_APPOINTMENT = 2024


def make_nip(rng: random.Random, status: str, serial: int | None = None,
             latest_year: int | None = LATEST_APPOINTMENT) -> str:
    """An 18-digit NIP (PNS) or NI PPPK (month code 21): birth date, appointment at 22-30, sex,
    serial. serial None draws one; latest_year None lets the appointment year run free (the
    golden HR cohort was made that way and never passes through the roster check)."""
    birth = f"{rng.randint(1968, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    year = int(birth[:4]) + rng.randint(22, 30)
    if latest_year is not None:
        year = min(year, latest_year)
    month = f"{rng.randint(1, 12):02d}" if status == "PNS" else "21"
    sex = rng.choice("12")
    number = rng.randint(1, 999) if serial is None else serial % 999 + 1
    return f"{birth}{year}{month}{sex}{number:03d}"


def invented_nip(serial: int) -> str:
    """A learner id for tests, screenshots and demos that cannot be a real person's NIP:
    birth day 00 (19900100), so the roster check (report/roster.py nip_problem) refuses it
    by design. Use it only where the id never passes through a roster import."""
    return f"199001002015011{serial % 1000:03d}"
