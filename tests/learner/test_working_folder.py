"""A click is saved in the learner's own record even while the kernel's working
folder is elsewhere: nbgrader's exchange steps change it while they run, and the
result watcher runs one from a thread while the learner keeps clicking. Before
the fix a click in that moment wrote a record in the exchange's folder and the
submit button, reading the relative path, saw no answers at all."""
from __future__ import annotations

import contextlib
import json
import os

from netralitas.learner import widgets


def test_click_during_a_folder_change_lands_in_the_quiz_folder(tmp_path, monkeypatch):
    quiz = tmp_path / "kuis_01"
    elsewhere = tmp_path / "pertukaran"
    quiz.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(quiz)
    widgets.soal("K01-01", [("a", "Pilihan A"), ("b", "Pilihan B")], kuis="kuis_01")
    with contextlib.chdir(elsewhere):  # what run_exchange does while a fetch runs
        widgets.klik("K01-01", "b")
    assert not (elsewhere / "jawaban.json").exists(), os.listdir(elsewhere)
    saved = json.loads((quiz / "jawaban.json").read_text(encoding="utf-8"))
    assert saved["answers"]["K01-01"]["option"] == "b"
