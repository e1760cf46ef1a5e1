"""Module and quiz notebooks run headless in a real kernel, and clicks persist."""
from __future__ import annotations

import shutil

import pytest

from netralitas import paths, record
from netralitas.content.loader import load_bank
from netralitas.testing.learner import work_through
from netralitas.learner.widgets import progress_path

pytestmark = pytest.mark.slow

RADIO = "RadioButtonsModel"


def radio_states(nb) -> list[dict]:
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return [m["state"] for m in state.values() if m["model_name"] == RADIO]


@pytest.mark.parametrize("module_id", sorted(load_bank().modules))
def test_every_module_notebook_runs_headless_with_every_click(tmp_path, bank, module_id):
    module = bank.modules[module_id]
    nb_path = tmp_path / f"{module.name}.ipynb"
    shutil.copy(paths.MODULES_DIR / nb_path.name, nb_path)
    clicks = {s.id: s.pilihan[-1].id for s in bank.module_scenarios(module_id)}
    clicks |= {f"cek-{module_id}-{n}": "benar" for n in range(1, len(module.cek_mandiri) + 1)}
    nb = work_through(nb_path, clicks, save=False)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert record.load(tmp_path / progress_path(module_id)).answers == clicks


def test_module_notebook_feedback_and_progress_survive_rerun(tmp_path, bank):
    module = bank.modules["02"]
    nb_path = tmp_path / f"{module.name}.ipynb"
    shutil.copy(paths.MODULES_DIR / nb_path.name, nb_path)
    scenarios = bank.module_scenarios("02")
    first, second = scenarios[0], scenarios[1]
    wrong = next(o.id for o in second.pilihan if not o.benar)
    work_through(nb_path, {first.id: first.key, second.id: wrong}, save=False)

    saved = record.load(tmp_path / progress_path("02")).answers
    assert saved == {first.id: first.key, second.id: wrong}

    # Reopen and Run All without clicking: the choices and their feedback come back.
    nb = work_through(nb_path, {}, save=False)
    states = radio_states(nb)
    assert len(states) == len(scenarios)
    ids = [o.id for o in first.pilihan]
    assert states[0]["index"] == ids.index(first.key)
    assert states[2].get("index") is None  # untouched scenario stays unanswered
    html = [m["state"]["value"] for m in nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"].values()
            if m["model_name"] == "HTMLModel"]
    assert any("Tepat." in h and "Dasar hukum" in h for h in html)
    assert any("Belum tepat." in h for h in html)
    assert any(f"Kasus 1 dari {len(scenarios)}" in h for h in html)
    assert any(f"2 dari {len(scenarios)} kasus sudah dijawab" in h for h in html)


@pytest.mark.parametrize("version", ["source", "release"])
def test_quiz_notebook_runs_and_saves_clicks(tmp_path, quiz_items, cycle, version):
    origin = {"source": paths.QUIZ_SOURCE_DIR, "release": cycle.course.root / "release"}[version]
    nb_path = tmp_path / "kuis_02.ipynb"
    shutil.copy(origin / "kuis_02" / "kuis_02.ipynb", nb_path)
    item = quiz_items[0]
    nb = work_through(nb_path, {item.id: item.pilihan[-1].id})
    assert record.load(tmp_path / paths.ANSWER_RECORD).answers == {item.id: item.pilihan[-1].id}
    assert all(o.get("output_type") != "error" for c in nb.cells for o in c.get("outputs", []))
    # No option is preselected: the other items stay unanswered.
    assert sum(s.get("index") is not None for s in radio_states(nb)) == 1

    # Reopened and rerun without clicking: the saved choice is shown again,
    # and rerunning never rewrites the record.
    before = (tmp_path / paths.ANSWER_RECORD).read_bytes()
    nb = work_through(nb_path, {}, save=False)
    states = radio_states(nb)
    assert states[0]["index"] == [o.id for o in item.pilihan].index(item.pilihan[-1].id)
    assert (tmp_path / paths.ANSWER_RECORD).read_bytes() == before


@pytest.mark.parametrize("assignment", sorted(p.name for p in paths.QUIZ_SOURCE_DIR.iterdir() if p.is_dir()))
def test_every_quiz_source_runs_headless(tmp_path, assignment):
    nb_path = tmp_path / f"{assignment}.ipynb"
    shutil.copy(paths.QUIZ_SOURCE_DIR / assignment / f"{assignment}.ipynb", nb_path)
    nb = work_through(nb_path, {}, save=False)
    assert all(o.get("output_type") != "error" for c in nb.cells for o in c.get("outputs", []))
    single = sum(1 for c in nb.cells if c.cell_type == "code" and "\nsoal(" in c.source)
    assert len(radio_states(nb)) == single
