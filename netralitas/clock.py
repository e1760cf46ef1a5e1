"""The agency's calendar: one time zone, set once in the policy, for every date.

Why this module exists: a report dated with the machine's `date.today()` next
to attempt days converted to WIB left out every attempt made between 00:00 and
07:00 WIB on a UTC machine. Every "today", every day of a timestamp and every
shown time goes through here, so the course has one notion of the calendar day.

Stored times are UTC (aware, or naive meaning UTC as nbgrader stores them);
shown times carry their zone's label (WIB / WITA / WIT).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

# Indonesia's three zones, declared with the policy key that names them (zona_waktu).
from .policy import ZONES, PolicyError, load_policy  # noqa: E402
DEFAULT_ZONE = "Asia/Jakarta"


class ZoneError(PolicyError):
    """The policy names a zone the course does not use."""


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    if name not in ZONES:
        raise ZoneError(f"kebijakan.yaml zona_waktu: {name!r} bukan zona waktu Indonesia; pilih salah satu dari: "
                        + ", ".join(f"{z} ({label})" for z, label in ZONES.items()))
    return ZoneInfo(name)


def zone_name(policy: str | Path | None = None) -> str:
    try:
        return load_policy(policy).zona_waktu
    except PolicyError as exc:
        if "zona_waktu" in str(exc):
            raise ZoneError(str(exc)) from None
        raise


def agency_zone(policy: str | Path | None = None) -> ZoneInfo:
    """The zone whose calendar the agency works on (policy key `zona_waktu`)."""
    return _zone(zone_name(policy))


def zone_label(zone: ZoneInfo | None = None) -> str:
    return ZONES[(zone or agency_zone()).key]


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def today(policy: str | Path | None = None) -> date:
    """Today on the agency's calendar, whatever the machine's TZ."""
    return now_utc().astimezone(agency_zone(policy)).date()


def as_utc(ts: datetime) -> datetime:
    """Aware UTC; a naive time is taken as UTC (how nbgrader and the ledger store it)."""
    return ts.replace(tzinfo=timezone.utc) if ts.tzinfo is None else ts.astimezone(timezone.utc)


def agency_date(ts: datetime, zone: ZoneInfo | None = None) -> date:
    """The agency's calendar day of a stored time."""
    return as_utc(ts).astimezone(zone or agency_zone()).date()


def local(ts: datetime, zone: ZoneInfo | None = None) -> datetime:
    return as_utc(ts).astimezone(zone or agency_zone())


def format_local(ts: datetime, zone: ZoneInfo | None = None, seconds: bool = False) -> str:
    """'2026-12-07 06:10 WIB': a shown time always says its zone."""
    zone = zone or agency_zone()
    return local(ts, zone).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + f" {zone_label(zone)}"


def day_label(day: date, zone: ZoneInfo | None = None) -> str:
    """'2026-12-07 WIB': a calendar day named with the calendar it is on."""
    return f"{day.isoformat()} {zone_label(zone)}"
