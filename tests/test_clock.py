"""The agency's calendar day, whatever the machine's clock, TZ or date.

Unit level: frozen clocks (time-machine) at the hours where UTC and the
Indonesian zones fall on different days. End to end: tests/test_clock_edges.py.
"""
from __future__ import annotations

import os
import time
from datetime import date, datetime, timezone

import pytest
from zoneinfo import ZoneInfo
import time_machine

from netralitas import clock

UTC = timezone.utc


@pytest.fixture
def far_tz():
    """The process's own TZ far from Indonesia: nothing may read the machine's calendar."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = old
    time.tzset()


def policy_with_zone(tmp_path, zone: str):
    path = tmp_path / "kebijakan.yaml"
    path.write_text(f"zona_waktu: {zone}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("instant, zone, expected", [
    # 16:59 UTC is 23:59 WIB; 17:01 UTC is already tomorrow in WIB.
    (datetime(2026, 12, 7, 16, 59, tzinfo=UTC), "Asia/Jakarta", date(2026, 12, 7)),
    (datetime(2026, 12, 7, 17, 1, tzinfo=UTC), "Asia/Jakarta", date(2026, 12, 8)),
    (datetime(2026, 12, 7, 23, 30, tzinfo=UTC), "Asia/Jakarta", date(2026, 12, 8)),
    # WITA turns at 16:00 UTC, WIT at 15:00 UTC.
    (datetime(2026, 12, 7, 15, 59, tzinfo=UTC), "Asia/Makassar", date(2026, 12, 7)),
    (datetime(2026, 12, 7, 16, 1, tzinfo=UTC), "Asia/Makassar", date(2026, 12, 8)),
    (datetime(2026, 12, 7, 14, 59, tzinfo=UTC), "Asia/Jayapura", date(2026, 12, 7)),
    (datetime(2026, 12, 7, 15, 1, tzinfo=UTC), "Asia/Jayapura", date(2026, 12, 8)),
    # New year and a leap day on the agency's calendar while UTC is still on the day before.
    (datetime(2027, 12, 31, 23, 30, tzinfo=UTC), "Asia/Jakarta", date(2028, 1, 1)),
    (datetime(2028, 2, 28, 17, 30, tzinfo=UTC), "Asia/Jakarta", date(2028, 2, 29)),
    (datetime(2030, 12, 31, 16, 30, tzinfo=UTC), "Asia/Jayapura", date(2031, 1, 1)),
])
def test_today_is_the_agency_day(tmp_path, far_tz, instant, zone, expected):
    policy = policy_with_zone(tmp_path, zone)
    with time_machine.travel(instant, tick=False):
        assert clock.today(policy) == expected
        # The machine's own calendar is Los Angeles' (the fixture took effect), never the answer's source.
        assert date.today() == instant.astimezone(ZoneInfo("America/Los_Angeles")).date()


def test_stored_times_are_utc_and_shown_with_their_zone(far_tz):
    stored = datetime(2026, 12, 6, 23, 10)          # naive: UTC, as nbgrader stores it
    assert clock.agency_date(stored) == date(2026, 12, 7)
    assert clock.format_local(stored) == "2026-12-07 06:10 WIB"
    wita = clock._zone("Asia/Makassar")
    assert clock.format_local(stored, wita) == "2026-12-07 07:10 WITA"
    assert clock.day_label(date(2026, 12, 7), clock._zone("Asia/Jayapura")) == "2026-12-07 WIT"
    with time_machine.travel(datetime(2026, 12, 6, 23, 10, tzinfo=UTC), tick=False):
        assert clock.now_utc().tzinfo is UTC and clock.now_utc().hour == 23


def test_policy_zone_must_be_indonesian(tmp_path):
    policy = policy_with_zone(tmp_path, "Europe/Amsterdam")
    with pytest.raises(clock.ZoneError, match="bukan zona waktu Indonesia"):
        clock.today(policy)


def test_repository_policy_names_its_zone():
    assert clock.zone_name() in clock.ZONES
