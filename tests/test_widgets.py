"""Per-learner option order (variants)."""
from __future__ import annotations

import json

import pytest

from netralitas.learner.widgets import variant

OPTIONS = [("a", "Melanggar"), ("b", "Tidak melanggar"), ("c", "Tergantung"), ("d", "Lainnya")]


def test_same_learner_same_order_and_all_options_kept():
    first = variant(OPTIONS, "198613262015051001", "kuis_02", "K02-01")
    assert first == variant(OPTIONS, "198613262015051001", "kuis_02", "K02-01")
    assert sorted(first) == sorted(OPTIONS)


def test_neighbours_see_different_orders():
    items = [f"K02-0{i}" for i in range(1, 9)]
    one = [variant(OPTIONS, "198613262015051001", "kuis_02", i) for i in items]
    two = [variant(OPTIONS, "198613262015051002", "kuis_02", i) for i in items]
    assert sum(a != b for a, b in zip(one, two)) >= 4


def test_unknown_learner_gets_the_bank_order():
    assert variant(OPTIONS, "", "kuis_02", "K02-01") == OPTIONS


@pytest.mark.slow
def test_saved_quiz_notebooks_show_each_learner_their_own_order(cycle):
    """The real learners of the cycle: widget state saved in their notebooks."""
    orders = {}
    for person in cycle.people:
        path = cycle.course.root.parent / "peserta" / person.nip / "kuis_02" / "kuis_02.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        orders[person.nip] = [tuple(m["state"]["_options_labels"]) for m in state.values()
                              if m["model_name"] == "RadioButtonsModel"]
    distinct = {tuple(o) for o in orders.values()}
    assert len(distinct) == len(orders)  # nine learners, nine different papers


def _widget_states(nb) -> list[dict]:
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return [{"model": m["model_name"], **m["state"]} for m in state.values()]


@pytest.mark.slow
def test_submit_button_counts_attempts_and_refuses_beyond_the_maximum(tmp_path, bank):
    """A real kernel presses 'Kirim jawaban' four times; the policy allows three.
    Reopening the notebook shows the button already closed."""
    from netralitas.content.loader import load_quiz_items
    from netralitas.grading.course import Course, Learner
    from netralitas.testing.learner import work_through
    from netralitas.paths import COURSE_ID
    from netralitas.policy import attempts

    assert attempts("kuis_01").maximum == 3
    course = Course.init(tmp_path / "kursus")
    course.publish("kuis_01")
    nip = "199213152019032004"
    learner = Learner(tmp_path / "peserta" / nip, nip, course)
    notebook = learner.fetch("kuis_01") / "kuis_01.ipynb"
    clicks = {i.id: i.key for i in load_quiz_items("kuis_01", bank)}

    nb = work_through(notebook, clicks, press=["kirim-kuis_01"] * 4, timeout=120)
    inbound = list((course.exchange / COURSE_ID / "inbound").glob(f"{nip}+kuis_01+*"))
    assert len(inbound) == 3  # the fourth press sent nothing
    texts = " ".join(str(s.get("value", "")) for s in _widget_states(nb) if s["model"] == "HTMLModel")
    assert "Batas 3 kali kirim untuk kuis ini sudah tercapai" in texts
    assert "Percobaan: 3 dari 3 sudah dipakai; sisa 0 kali kirim." in texts

    reopened = work_through(notebook, {}, save=False)
    button = next(s for s in _widget_states(reopened) if s["model"] == "ButtonModel")
    assert button["description"] == "Kirim jawaban" and button["disabled"] is True
    texts = " ".join(str(s.get("value", "")) for s in _widget_states(reopened) if s["model"] == "HTMLModel")
    assert "sudah tercapai" in texts


@pytest.mark.slow
def test_submit_button_tells_how_many_attempts_remain(tmp_path, bank):
    from netralitas.content.loader import load_quiz_items
    from netralitas.grading.course import Course, Learner
    from netralitas.testing.learner import work_through

    course = Course.init(tmp_path / "kursus")
    course.publish("kuis_01")
    nip = "199213152019032005"
    learner = Learner(tmp_path / "peserta" / nip, nip, course)
    notebook = learner.fetch("kuis_01") / "kuis_01.ipynb"
    fresh = work_through(notebook, {}, save=False)
    texts = " ".join(str(s.get("value", "")) for s in _widget_states(fresh) if s["model"] == "HTMLModel")
    assert "Percobaan: 0 dari 3 sudah dipakai; sisa 3 kali kirim." in texts
    learner.submit("kuis_01")  # from the Assignments panel: it uses an attempt too
    clicks = {i.id: i.key for i in load_quiz_items("kuis_01", bank)}
    nb = work_through(notebook, clicks, press=["kirim-kuis_01"])
    texts = " ".join(str(s.get("value", "")) for s in _widget_states(nb) if s["model"] == "HTMLModel")
    assert "Anda masih dapat mengirim ulang 1 kali." in texts
    assert "Percobaan: 2 dari 3 sudah dipakai; sisa 1 kali kirim." in texts
