"""Invented data (the demo, the HR example, tests, screenshots): one rule for a NIP
that cannot belong to a real person, one mark on everything made from such data.

A real NIP starts with its holder's birth date (a NIK carries it in digits 7-12, a
woman's day + 40); an invented one has birth day 00 (`INVENTED_DAY`; 40 in a woman's
NIK), a date that cannot exist. The roster check refuses it, as any
impossible date, unless the process declares invented data (NETRALITAS_INVENTED_DATA,
netralitas/settings.py). Names are not marked one by one (an odd suffix would show on
every certificate and break matching a name against an attendance sheet): under the
same setting, every report, certificate and unit statement carries `MARK`, which says
that both the NIPs and the names are invented.
"""
from __future__ import annotations

import re

INVENTED_DAY = "00"
SHORT_MARK = "CONTOH - DATA REKAAN"
DETAIL = ("NIP (tanggal lahir 00) dan nama peserta dibuat-buat, bukan data pegawai; "
          "tidak berlaku sebagai laporan atau sertifikat.")
MARK = f"{SHORT_MARK}: {DETAIL}"


def is_invented_nip(nip: str) -> bool:
    """An 18-digit NIP / NI PPPK whose birth day is 00."""
    return bool(re.fullmatch(r"\d{18}", nip or "")) and nip[6:8] == INVENTED_DAY


def is_invented_nik(nik: str) -> bool:
    """A 16-digit NIK (non-ASN staff) whose birth day is 00 (40 for a woman: day + 40)."""
    return bool(re.fullmatch(r"\d{16}", nik or "")) and nik[6:8] in (INVENTED_DAY, "40")


def active() -> bool:
    """This process works on invented data (declared, never guessed from the data)."""
    from .settings import settings

    return settings().invented_data


def invent(nip: str) -> str:
    """The invented form of a plausible NIP: its birth day set to 00."""
    return nip[:6] + INVENTED_DAY + nip[8:]


def banner_html() -> str:
    """The mark as one red line at the top of an HTML screen or page (the HR
    report page and app, the verification page); empty for real data."""
    import html

    if not active():
        return ""
    return ("<p class='rekaan' role='note' style='color:#a40000;border:2px solid #a40000;padding:4px 8px'>"
            f"<b>{html.escape(MARK)}</b></p>")
