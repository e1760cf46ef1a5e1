"""Item types across the quiz banks, the final exam's draw, and the pre-tests."""
from __future__ import annotations

import copy
import re

import nbformat
import pytest
import yaml

from netralitas import paths
from netralitas.assignments import pretest_id
from netralitas.build.notebooks import (FINAL_MULTI_MODULES, PRETEST_ITEMS, final_exam_items,
                                        pretest_items)
from netralitas.content.loader import load_quiz_items, quiz_ids
from netralitas.content.schema import ContentError, Scenario


def multi_items(bank, quiz):
    return [i for i in load_quiz_items(quiz, bank) if i.multi]


def test_every_module_quiz_has_a_select_all_item(bank):
    for mod in bank.modules.values():
        assert multi_items(bank, mod.quiz_id), f"{mod.quiz_id} has no pilih_semua item"


def test_select_all_items_are_complete(bank, all_quiz_items):
    items = [i for i in all_quiz_items if i.multi]
    assert len(items) >= len(bank.modules)
    for item in items:
        assert re.search(r"\bpilih semua\b", item.pertanyaan, re.I), item.id
        right = [o for o in item.pilihan if o.benar]
        wrong = [o for o in item.pilihan if not o.benar]
        # More than a single-choice item in disguise, and not "tick everything".
        assert len(item.pilihan) >= 4 and len(right) >= 2 and wrong, item.id
        for option in item.pilihan:
            # Each option is judged on its own: its own verdict and explanation.
            assert option.putusan and len(option.umpan_balik.split()) >= 8, (item.id, option.id)
        verdicts_right = {o.putusan for o in right}
        verdicts_wrong = {o.putusan for o in wrong}
        if verdicts_right != verdicts_wrong:
            # Options are sorted by their verdict ("pilih semua yang melanggar"):
            # one verdict for the ticks, another for the rest.
            assert len(verdicts_right) == 1 and not verdicts_right & verdicts_wrong, item.id
        assert item.dasar_hukum and item.penjelasan and item.sanksi.keterangan, item.id
        for basis in item.dasar_hukum:
            assert bank.regulations[basis.regulasi].status != "dicabut", (item.id, basis.regulasi)


def test_select_all_item_with_every_option_right_is_refused():
    raw = yaml.safe_load((paths.QUIZ_BANK_DIR / "kuis_02.yaml").read_text(encoding="utf-8"))
    item = copy.deepcopy(next(d for d in raw if d.get("jenis") == "pilih_semua"))
    for option in item["pilihan"]:
        option["benar"] = True
    with pytest.raises(ContentError, match="pilih_semua needs at least one right and one wrong"):
        Scenario.from_dict(item, "kuis_02.yaml")


def test_select_all_items_reach_the_notebooks_as_checkboxes(bank):
    for quiz in quiz_ids():
        nb = nbformat.read(paths.QUIZ_SOURCE_DIR / quiz / f"{quiz}.ipynb", as_version=4)
        sources = "\n".join(c.source for c in nb.cells)
        for item in multi_items(bank, quiz):
            assert f'soal_semua("{item.id}"' in sources
            assert f'key="{item.key}"' in sources and "multi=True" in sources


def test_final_exam_always_holds_select_all_items(bank):
    items = final_exam_items(bank)
    multi = [i for i in items if i.multi]
    assert len({i.modul for i in multi}) >= FINAL_MULTI_MODULES
    nb = nbformat.read(paths.QUIZ_SOURCE_DIR / "ujian_akhir" / "ujian_akhir.ipynb", as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    assert all(f'soal_semua("{i.id}"' in sources for i in multi)


def test_every_module_has_a_pretest_assignment_with_its_own_draw(bank):
    for mod in bank.modules.values():
        pretest = pretest_id(mod.id)
        items = pretest_items(bank, mod.id)
        pool = load_quiz_items(mod.quiz_id, bank)
        assert len(items) == min(PRETEST_ITEMS, len(pool)) and {i.modul for i in items} == {mod.id}
        assert items == pretest_items(bank, mod.id)  # the same pre-test on every build
        nb = nbformat.read(paths.QUIZ_SOURCE_DIR / pretest / f"{pretest}.ipynb", as_version=4)
        graded = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade")]
        assert graded == [f"nilai_{i.id}" for i in items]
        intro = nb.cells[0].source
        assert f"Tes Awal Modul {mod.id}" in intro and "lulus tes awal" in intro
        assert "hanya dapat dikirim **satu kali**" in intro
        assert nb.metadata["netralitas"]["content_version"]
    draws = {tuple(i.id for i in pretest_items(bank, m)) for m in bank.modules}
    assert len(draws) == len(bank.modules)
