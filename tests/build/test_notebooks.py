"""Committed notebooks: generated from the bank, clean, and correctly marked."""
from __future__ import annotations

import json
import subprocess

import nbformat
import pytest

from netralitas import paths
from netralitas.build.notebooks import build


def committed_notebooks() -> list:
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=paths.REPO_ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return [paths.REPO_ROOT / p for p in out]


def test_committed_notebooks_match_the_bank(bank):
    stale = build(bank, check=True)
    assert stale == [], "run `make build` and commit the result"


def test_notebooks_are_committed_clean():
    notebooks = committed_notebooks()
    assert any("modules" in str(p) for p in notebooks) and any("quizzes" in str(p) for p in notebooks)
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            assert not cell.get("outputs") and not cell.get("execution_count"), path


def test_module_code_is_hidden_from_learners():
    for path in paths.MODULES_DIR.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code
        for cell in code:
            assert cell.metadata["jupyter"]["source_hidden"] is True
            assert "hide-input" in cell.metadata["tags"]


def test_quiz_source_carries_nbgrader_metadata(quiz_items):
    nb = nbformat.read(paths.QUIZ_SOURCE_DIR / "kuis_02" / "kuis_02.ipynb", as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == len(quiz_items)
    for cell, item in zip(graded, quiz_items):
        meta = cell.metadata["nbgrader"]
        assert meta["locked"] and meta["points"] == 1 and meta["grade_id"] == f"nilai_{item.id}"
        assert "### BEGIN HIDDEN TESTS" in cell.source and f'key="{item.key}"' in cell.source
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells]
    assert len(ids) == len(set(ids)) == len(nb.cells)


@pytest.mark.parametrize("check", [True])
def test_build_check_reports_drift(tmp_path, bank, check):
    """A hand edit to a generated notebook is caught."""
    from netralitas.build import notebooks

    targets = notebooks.targets(bank, root=tmp_path)
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert notebooks.build(bank, root=tmp_path, check=True) == []
    victim = next(iter(targets))
    victim.write_text(victim.read_text(encoding="utf-8").replace("Modul", "Modl", 1), encoding="utf-8")
    assert notebooks.build(bank, root=tmp_path, check=True) == [victim]


def test_final_exam_draws_across_all_modules(bank):
    from netralitas.build.notebooks import FINAL_EXAM, final_exam_items

    items = final_exam_items(bank)
    assert len(items) >= 20
    assert {i.modul for i in items} == set(bank.modules)
    assert items == final_exam_items(bank)  # the same exam on every build
    nb = nbformat.read(paths.QUIZ_SOURCE_DIR / FINAL_EXAM / f"{FINAL_EXAM}.ipynb", as_version=4)
    graded = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded == [f"nilai_{i.id}" for i in items]
