"""The final exam's keys are never shown by any feedback: not by the exam's
(policy), and not by a module quiz that shares an item with the exam
(RedactForLearner drops the correct-option note of every exam item)."""
from __future__ import annotations

import json

import nbformat
from traitlets.config import Config

from netralitas import paths, policy
from netralitas.grading.check import REVEAL_FLAG
from netralitas.grading.preprocessors import EXAM, RedactForLearner, exam_grade_ids


def exam_ids() -> list[str]:
    return sorted(exam_grade_ids(paths.QUIZ_SOURCE_DIR))


def test_committed_policy_never_shows_the_exam_key():
    assert policy.show_correct_option(EXAM) == "tidak_pernah"


def test_exam_items_are_read_from_the_exam_source():
    ids = exam_ids()
    assert len(ids) >= 9 and all(i.startswith("nilai_K") for i in ids)
    quiz = json.loads((paths.QUIZ_SOURCE_DIR / "kuis_01" / "kuis_01.ipynb").read_text(encoding="utf-8"))
    quiz_ids = {(c["metadata"].get("nbgrader") or {}).get("grade_id") for c in quiz["cells"]}
    assert set(ids) & quiz_ids, "the exam draws from the module quizzes: the case this guards"


def graded_cell(grade_id: str):
    cell = nbformat.v4.new_code_cell("")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True, "points": 1}
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/plain": "Jawaban yang benar: c"},
                                           metadata={REVEAL_FLAG: True}),
                    nbformat.v4.new_output("display_data", {"text/plain": "Jawaban belum tepat."})]
    return cell


def test_quiz_feedback_that_may_show_answers_still_hides_an_exam_item(tmp_path, monkeypatch):
    """A learner who passed kuis_01 (policy: show the correct option) sees it
    for a quiz-only item and never for an item that is also on the exam."""
    rules = tmp_path / "kebijakan.yaml"
    rules.write_text("umpan_balik:\n  tampilkan_jawaban_benar: selalu\n", encoding="utf-8")
    monkeypatch.setenv("NETRALITAS_POLICY", str(rules))
    on_exam = next(i for i in exam_ids() if i.startswith("nilai_K01-"))
    quiz = json.loads((paths.QUIZ_SOURCE_DIR / "kuis_01" / "kuis_01.ipynb").read_text(encoding="utf-8"))
    quiz_only = next(g for c in quiz["cells"] if (g := (c["metadata"].get("nbgrader") or {}).get("grade_id"))
                     and g.startswith("nilai_") and g not in exam_ids())
    nb = nbformat.v4.new_notebook(cells=[graded_cell(on_exam), graded_cell(quiz_only)])
    config = Config()
    config.CourseDirectory.source_directory = str(paths.QUIZ_SOURCE_DIR)
    out, _ = RedactForLearner(config=config).preprocess(nb, {"nbgrader": {"assignment": "kuis_01"}})
    texts = [[o["data"]["text/plain"] for o in c.outputs] for c in out.cells]
    assert texts[0] == ["Jawaban belum tepat."]
    assert texts[1] == ["Jawaban yang benar: c", "Jawaban belum tepat."]
