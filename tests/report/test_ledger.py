"""The report reads the attempts ledger and completes it from the gradebook."""
from __future__ import annotations

import sqlite3

from netralitas.report import ledger
from netralitas.testing.synthetic import seed_gradebook


def test_submissions_missing_from_the_ledger_come_from_the_gradebook(tmp_path):
    cohort = seed_gradebook(tmp_path / "gradebook.db", n=30, seed=3, ledger=True)
    full = ledger.load_attempts(cohort.db_url)
    assert len(full) and full["content_version"].eq("sintetis").all()
    with sqlite3.connect(tmp_path / "gradebook.db") as con:
        gone = con.execute("SELECT count(*) FROM netralitas_attempt WHERE student_id IN "
                           "(SELECT DISTINCT student_id FROM netralitas_attempt LIMIT 5)").fetchone()[0]
        con.execute("DELETE FROM netralitas_attempt WHERE student_id IN "
                    "(SELECT DISTINCT student_id FROM netralitas_attempt LIMIT 5)")
    part = ledger.load_attempts(cohort.db_url)
    assert len(part) == len(full) and part["content_version"].isna().sum() == gone > 0
    key = ["student_id", "assignment"]
    assert part.sort_values(key)[key + ["score", "passed"]].reset_index(drop=True).equals(
        full.sort_values(key)[key + ["score", "passed"]].reset_index(drop=True))
    # The bulk path (a ledger started late) finds the same rows.
    derived = ledger.derive_attempts(cohort.db_url)
    assert len(ledger._without_ledger_rows(derived, cohort.db_url)) == gone


def test_summary_read_matches_the_full_read(tmp_path):
    cohort = seed_gradebook(tmp_path / "gradebook.db", n=20, seed=4, ledger=True)
    full, quick = ledger.read_ledger(cohort.db_url), ledger.read_ledger(cohort.db_url, full=False)
    cols = ["student_id", "assignment", "attempt", "kind", "module", "score", "passed", "counted"]
    assert full[cols].equals(quick[cols])
    assert (full["submitted_at"] - quick["submitted_at"]).abs().max().total_seconds() < 0.002


def test_summary_read_keeps_every_combination_and_flag(tmp_path):
    """The summary read packs (assignment, kind, module), attempt, passed and
    counted into one integer per row; a final exam (no module), a second
    attempt that does not count and a ledger made before the assignment index
    existed all come back as the plain read gives them."""
    cohort = seed_gradebook(tmp_path / "gradebook.db", n=12, seed=6, ledger=True)
    with sqlite3.connect(tmp_path / "gradebook.db") as con:
        con.execute("DROP INDEX ix_netralitas_attempt_assignment")
        # Columns named: the ledger gains columns over time (e.g. `submission`).
        con.execute("INSERT INTO netralitas_attempt (student_id, assignment, submitted_at, attempt, kind, module, "
                    "graded_at, score, max_score, passed, counted, content_version, answers_fingerprint) "
                    "SELECT student_id, 'ujian_akhir', submitted_at, 3, 'ujian', NULL, "
                    "graded_at, score, max_score, 1, 0, content_version, answers_fingerprint "
                    "FROM netralitas_attempt LIMIT 4")
    full, quick = ledger.read_ledger(cohort.db_url), ledger.read_ledger(cohort.db_url, full=False)
    cols = ["student_id", "assignment", "attempt", "kind", "module", "score", "passed", "counted"]
    assert full[cols].equals(quick[cols])
    exam = quick[quick["kind"] == "ujian"]
    assert len(exam) == 4 and exam["module"].isna().all() and (exam["attempt"] == 3).all()
    assert exam["passed"].all() and not exam["counted"].any() and quick["counted"].any()
    with sqlite3.connect(tmp_path / "gradebook.db") as con:
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_netralitas_attempt_assignment'"
                           ).fetchone()[0] == 1
