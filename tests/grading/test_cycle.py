"""The real nbgrader cycle: generate, release, fetch, answer by clicking,
submit, collect, autograde, feedback, gradebook, report."""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from nbgrader.api import Gradebook, MissingEntry

from netralitas import paths
from netralitas.policy import pass_mark
from netralitas.report.ledger import read_grades

# Every check runs on a SQLite and on a PostgreSQL gradebook.
pytestmark = [pytest.mark.slow, pytest.mark.both_gradebooks]

def visible_text(page: str) -> str:
    """What a person reads on an HTML page: no styles, scripts or tags."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


TAMPERED = {"rekaman_rusak": "record_corrupt", "tanpa_rekaman": "record_missing"}


def expected_score(person, items) -> float:
    """Points a learner must get, from what they clicked and the bank's keys."""
    if person.profile in TAMPERED or person.profile in ("kosong", "tidak_mengirim"):
        return 0.0
    right = sum(person.clicks.get(i.id) == i.key for i in items)
    if person.profile == "pilihan_asing":
        right -= 1  # the hand-edited item (the first id) no longer scores
    return float(right)


def test_gradebook_scores_match_the_clicks(cycle, quiz_items):
    with Gradebook(cycle.course.db_url(), course_id=paths.COURSE_ID) as gb:
        for person in cycle.people:
            if person.profile == "tidak_mengirim":
                with pytest.raises(MissingEntry):
                    gb.find_submission("kuis_02", person.nip)
                continue
            sub = gb.find_submission("kuis_02", person.nip)
            assert sub.score == expected_score(person, quiz_items), person.profile
            assert sub.max_score == len(quiz_items)


def test_both_submit_paths_reach_the_gradebook(cycle):
    """The notebook's "Kirim jawaban" button and the Assignments panel path."""
    ways = {p.submitted_by for p in cycle.people}
    assert {"tombol", "panel"} <= ways
    inbound = cycle.course.exchange / paths.COURSE_ID / "inbound"
    for person in cycle.people:
        sent = list(inbound.glob(f"{person.nip}+kuis_02+*"))
        assert len(sent) == (0 if person.profile == "tidak_mengirim" else 1), person


def test_profiles_cover_pass_and_fail(cycle, quiz_items):
    scores = {p.profile: expected_score(p, quiz_items) for p in cycle.people}
    n = len(quiz_items)
    assert scores["sempurna"] == n and scores["lulus"] == n - 1 and scores["gagal"] < pass_mark("kuis_02") * n


def test_every_zero_has_a_reason(cycle):
    outcomes = pd.read_csv(cycle.outcomes_path, dtype={"nip": str})
    by_nip = {p.nip: p for p in cycle.people}
    for nip, rows in outcomes.groupby("nip"):
        profile = by_nip[nip].profile
        if profile in TAMPERED:
            assert set(rows["reason"]) == {TAMPERED[profile]}
        if profile == "kosong":  # never clicked: no record was ever written
            assert set(rows["reason"]) == {"record_missing"}
        if profile == "pilihan_asing":
            assert (rows["reason"] == "unknown_option").sum() == 1
        assert (rows.loc[rows["reason"] != "correct", "earned"] == 0).all()
    submitted = {p.nip for p in cycle.people if p.profile != "tidak_mengirim"}
    assert set(outcomes["nip"]) == submitted


def test_answer_record_is_the_learners_not_the_sources(cycle):
    """Autograde must grade the learner's own record; the source has none."""
    for person in cycle.people:
        graded = cycle.course.root / "autograded" / person.nip / "kuis_02" / paths.ANSWER_RECORD
        submitted = cycle.course.root / "submitted" / person.nip / "kuis_02" / paths.ANSWER_RECORD
        if person.profile in ("tidak_mengirim", "tanpa_rekaman", "kosong"):
            assert not graded.exists()
            continue
        assert graded.read_bytes() == submitted.read_bytes()
    assert not list(paths.QUIZ_SOURCE_DIR.rglob(paths.ANSWER_RECORD))


def test_feedback_reaches_each_learner_in_indonesian(cycle):
    for person in cycle.people:
        files = cycle.feedback.get(person.nip)
        if person.profile == "tidak_mengirim":
            assert files is None
            continue
        assert len(files) == 1
        text = visible_text(files[0].read_text(encoding="utf-8"))
        assert "Nilai:" in text
        assert "Traceback" not in text and "Error" not in text
        if person.profile == "sempurna":
            assert "Jawaban benar." in text and "Dasar hukum:" in text
        if person.profile == "tanpa_rekaman":
            assert "Berkas jawaban (jawaban.json) tidak ada" in text


def test_report_reads_gradebook_with_sql(cycle):
    grades = read_grades(cycle.course.db_url())
    assert set(grades["nip"]) == {p.nip for p in cycle.people if p.profile != "tidak_mengirim"}
    assert (grades["max_score"] > 0).all()


def test_the_batch_writes_the_attempts_ledger_beside_its_report(cycle):
    """One first attempt per submitted learner, as the grading run recorded it."""
    from netralitas.grading.attempts import COLUMNS

    ledger = pd.read_csv(cycle.outcomes_path.with_name("percobaan_kuis_02.csv"), dtype={"student_id": str})
    assert list(ledger.columns) == COLUMNS
    submitted = {p.nip for p in cycle.people if p.profile != "tidak_mengirim"}
    assert set(ledger["student_id"]) == submitted and set(ledger["attempt"]) == {1}
    assert ledger["counted"].all() and set(ledger["kind"]) == {"kuis"}
    with Gradebook(cycle.course.db_url(), course_id=paths.COURSE_ID) as gb:
        for row in ledger.itertuples():
            assert row.score == gb.find_submission("kuis_02", row.student_id).score
