from __future__ import annotations

from datetime import date

from netralitas.content.calendar import load_calendar, phases_on


def test_calendar_loads_and_unofficial_cycles_have_no_dates(bank):
    calendar = load_calendar(bank)
    assert {"pemilu_2024", "pilkada_2024"} <= set(calendar)
    unofficial = [e for e in calendar.values() if not e.resmi]
    assert unofficial and all(not e.tahapan for e in unofficial)


def test_voting_days_fall_in_the_right_phase(bank):
    calendar = load_calendar(bank)
    on_pilkada_day = phases_on(date(2024, 11, 27), calendar)
    # Counting starts on voting day, so the two phases overlap (PKPU 2/2024).
    assert ("pilkada_2024", "hari_pemungutan") in [(e.id, p.fase) for e, p in on_pilkada_day]
    quiet = phases_on(date(2024, 2, 12), calendar)
    assert [(e.id, p.fase) for e, p in quiet] == [("pemilu_2024", "masa_tenang")]
