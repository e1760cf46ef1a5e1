"""Synthetic people: the one NIP generator and the names, shared by every synthetic cohort.

Every NIP made here is invented (birth day 00, netralitas/invented.py): it cannot be
a real person's, and the roster check accepts it only with invented data declared
(NETRALITAS_INVENTED_DATA), under which every report and certificate says so. The
names are ordinary Indonesian names, not marked one by one: that mark covers them."""
from __future__ import annotations

import random

from ..invented import INVENTED_DAY

FIRST = ["Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika",
         "Lukman", "Maya", "Nanda", "Oki", "Putri", "Rudi", "Sari", "Taufik", "Umi", "Vina", "Wahyu",
         "Yanti", "Zainal"]
LAST = ["Pratama", "Lestari", "Wibowo", "Handayani", "Saputra", "Rahmawati", "Nugroho", "Susanti",
        "Hidayat", "Permata"]
# Appointment years stop here so the roster check (no appointment in the future) accepts every NIP
# (with invented data declared).
LATEST_APPOINTMENT = 2024


def make_nip(rng: random.Random, status: str, serial: int | None = None,
             latest_year: int | None = LATEST_APPOINTMENT) -> str:
    """An invented 18-digit NIP (PNS) or NI PPPK (month code 21): birth year and month, day 00,
    appointment at 22-30, sex, serial. serial None draws one; latest_year None lets the
    appointment year run free (the golden HR cohort was made that way and never passes
    through the roster check). The day is still drawn (and dropped), so a seed gives the
    same cohort as before NIPs were invented, but for the day."""
    born, born_month, _day = rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28)
    birth = f"{born}{born_month:02d}{INVENTED_DAY}"
    year = int(birth[:4]) + rng.randint(22, 30)
    if latest_year is not None:
        year = min(year, latest_year)
    month = f"{rng.randint(1, 12):02d}" if status == "PNS" else "21"
    sex = rng.choice("12")
    number = rng.randint(1, 999) if serial is None else serial % 999 + 1
    return f"{birth}{year}{month}{sex}{number:03d}"


def invented_nip(serial: int) -> str:
    """A fixed invented learner id for tests and screenshots (birth day 00, 19900100): the
    roster check (report/roster.py nip_problem) accepts it only with invented data declared."""
    return f"199001002015011{serial % 1000:03d}"
