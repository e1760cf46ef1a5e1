"""Per-unit completion, compared with golden files (update: --update-goldens)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from netralitas.report.completion import learner_table, unit_summary, write_report
from netralitas.report.roster import read_roster

from ..conftest import FIXTURES, GOLDENS


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    shutil.copy(FIXTURES / "roster_messy.csv", path)
    return read_roster(path)


@pytest.fixture
def grades_mixed() -> pd.DataFrame:
    """Adi passes, Rina fails, Yudi passes exactly at the mark, Sari never submits,
    and one submission comes from someone who is not on the roster."""
    rows = [("198609262015051001", 5.0), ("198609262015052003", 3.0),
            ("199001152021212001", 4.0), ("197001012000011999", 5.0)]  # the last is not on the roster
    frame = pd.DataFrame([{"nip": n, "assignment": "kuis_02", "submitted_at": "2026-11-20 08:00:00",
                           "score": s, "max_score": 5.0} for n, s in rows])
    frame["percent"] = frame["score"] / frame["max_score"]
    return frame


def compare_golden(name: str, text: str, update: bool):
    path = GOLDENS / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden {name} missing: run with --update-goldens"
    assert text == path.read_text(encoding="utf-8")


def test_unit_summary_golden(roster, grades_mixed, update_goldens):
    frame, _ = roster
    summary = unit_summary(learner_table(frame, grades_mixed, "kuis_02"))
    compare_golden("ringkasan_unit_kuis_02.csv", summary.to_csv(index=False), update_goldens)


def test_learner_table_golden(roster, grades_mixed, update_goldens):
    frame, _ = roster
    table = learner_table(frame, grades_mixed, "kuis_02")
    compare_golden("pegawai_kuis_02.csv", table.to_csv(index=False), update_goldens)


def test_pass_mark_is_inclusive(roster, grades_mixed):
    table = learner_table(roster[0], grades_mixed, "kuis_02").set_index("nip")
    assert table.loc["199001152021212001", "hasil"] == "Lulus"        # 4/5 = 80%
    assert table.loc["198609262015052003", "hasil"] == "Belum lulus"
    assert table.loc["NONASN-0007", "hasil"] == "Belum mengirim"


def test_workbook_keeps_everyone(tmp_path, roster, grades_mixed):
    frame, problems = roster
    files = write_report(tmp_path / "out", frame, problems, grades_mixed, "kuis_02")
    sheets = pd.read_excel(files["xlsx"], sheet_name=None, dtype=str)
    assert len(sheets["Per pegawai"]) == len(frame)
    assert len(sheets["Masalah roster"]) == len(problems) == 16
    assert sheets["Tidak ada di roster"]["nip"].tolist() == ["197001012000011999"]
    assert not list((tmp_path / "out").glob("*.tmp"))
