"""The answer key is the key that grades, and it stays on the instructor side."""
from __future__ import annotations

import subprocess

from netralitas import paths
from netralitas.build.notebooks import FINAL_EXAM, final_exam_items
from netralitas.content.loader import load_quiz_items, quiz_ids
from netralitas.facilitator.answer_key import CSV_NAME, KEY_DIR, read_key


def test_answer_key_equals_the_quiz_keys(bank, built_kit):
    _, kunci = built_kit
    written = read_key(kunci / CSV_NAME)
    expected = {(q, item.id): item.key for q in quiz_ids() for item in load_quiz_items(q, bank)}
    expected |= {(FINAL_EXAM, item.id): item.key for item in final_exam_items(bank)}
    assert len(expected) > 80
    assert written == expected
    for quiz in {q for q, _ in expected}:
        page = (kunci / f"{quiz}.md").read_text(encoding="utf-8")
        assert "Hanya untuk pengajar" in page
        assert all(i in page for q, i in expected if q == quiz)


def test_key_folder_is_instructor_side_and_never_committed():
    assert KEY_DIR.parent == paths.GRADING_DIR
    assert "facilitator_guide" not in KEY_DIR.parts
    ignored = subprocess.run(["git", "check-ignore", "-q", str(KEY_DIR / CSV_NAME)], cwd=paths.REPO_ROOT)
    assert ignored.returncode == 0
    tracked = subprocess.run(["git", "ls-files", "grading/kunci_jawaban"], cwd=paths.REPO_ROOT,
                             capture_output=True, text=True, check=True).stdout
    assert tracked == ""
