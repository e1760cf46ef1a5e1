"""Per-learner option order (variants)."""
from __future__ import annotations

import json

import pytest

from netralitas.widgets import variant

OPTIONS = [("a", "Melanggar"), ("b", "Tidak melanggar"), ("c", "Tergantung"), ("d", "Lainnya")]


def test_same_learner_same_order_and_all_options_kept():
    first = variant(OPTIONS, "198609262015051001", "kuis_02", "K02-01")
    assert first == variant(OPTIONS, "198609262015051001", "kuis_02", "K02-01")
    assert sorted(first) == sorted(OPTIONS)


def test_neighbours_see_different_orders():
    items = [f"K02-0{i}" for i in range(1, 9)]
    one = [variant(OPTIONS, "198609262015051001", "kuis_02", i) for i in items]
    two = [variant(OPTIONS, "198609262015051002", "kuis_02", i) for i in items]
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
