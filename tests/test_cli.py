"""The command line as HR and instructors use it."""
from __future__ import annotations

import shutil

from nbgrader.api import Gradebook

from netralitas import paths
from netralitas.cli import main
from netralitas.grading.course import Course

from .conftest import FIXTURES


def test_roster_sync_adds_valid_rows_and_names_bad_lines(tmp_path, capsys):
    course = Course.init(tmp_path / "kursus")
    roster = tmp_path / "roster.csv"
    shutil.copy(FIXTURES / "roster_messy.csv", roster)
    assert main(["roster", str(roster), "--course", str(course.root)]) == 0
    err = capsys.readouterr().err
    assert "Baris 4 [ditolak]:" in err and "Baris 9 [ditolak]: NIP/ID ganda" in err
    with Gradebook(course.db_url(), course_id=paths.COURSE_ID) as gb:
        ids = {s.id for s in gb.students}
    assert {"198609262015051001", "198609262015052003", "NONASN-0007", "199001152021212001"} <= ids
    assert "198609262015131001" not in ids and len(ids) == 13  # rows 4-9 etc. rejected, doubtful kept
    assert main(["roster", str(roster), "--course", str(course.root), "--strict"]) == 1


def test_build_check_passes_on_the_committed_tree(capsys):
    assert main(["build", "--check"]) == 0
    assert "sesuai" in capsys.readouterr().out
