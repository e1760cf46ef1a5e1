"""Days as people type them (netralitas/dates.py), and certificate validity in calendar months."""
from __future__ import annotations

from datetime import date

import pytest

from netralitas.dates import parse_day


@pytest.mark.parametrize("text, day", [
    ("2024-09-18", date(2024, 9, 18)), ("18/09/2024", date(2024, 9, 18)), ("18-9-2024", date(2024, 9, 18)),
    (" 2024-09-18T23:30:00Z", date(2024, 9, 18)), ("29/02/2024", date(2024, 2, 29)),
])
def test_the_forms_people_write(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["", None, "18", "dua", "2024-02-30", "31/04/2024", "09/18/2024", "2024/09/18",
                                  "18/09/24", "1e5", "2024-09-18x", "\x00", "9" * 400])
def test_anything_else_is_no_day(text):
    assert parse_day(text) is None


def test_certificate_validity_runs_to_the_same_day(tmp_path):
    from netralitas.report.certification import _expiry
    from netralitas.report.kebijakan import ReportPolicy

    policy = ReportPolicy(masa_berlaku_bulan=36)
    assert _expiry(date(2026, 5, 31), policy, []) == (date(2029, 5, 31), "masa berlaku 36 bulan")
    assert _expiry(date(2026, 5, 31), policy, [(date(2029, 2, 14), "Pemilu 2029")])[0] == date(2029, 2, 13)
