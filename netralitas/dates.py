"""Days as people write them: the one parser for the command line, the attendance import and the kit.

"Today" and time zones are netralitas/clock.py's; month arithmetic is dateutil's relativedelta
(certificate validity, report/certification.py).
"""
from __future__ import annotations

import re
from datetime import date

# The forms HR and facilitators type: 2024-09-18 (ISO, also the start of a timestamp),
# 18/09/2024 and 18-09-2024 (day first, as in Indonesia).
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
FORMS = "YYYY-MM-DD atau DD/MM/YYYY"
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]


def parse_day(text: str | None) -> date | None:
    """The day written in text, or None when it is not one of FORMS or no such day exists."""
    text = (text or "").strip()
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d = m.groups()
    else:
        m = _DAY_FIRST.fullmatch(text)
        if not m:
            return None
        d, mo, y = m.groups()
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def long_day(d: str | date | None) -> str:
    """The day as a letter or certificate writes it: "7 Desember 2026"; "-" when there is none."""
    if not d:
        return "-"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
