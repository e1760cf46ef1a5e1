"""Which items each pre-test and the final exam hold is a committed file (quizzes/undian_soal.yaml)."""
from __future__ import annotations

import nbformat
import pytest
import yaml

from netralitas.assignments import FINAL_EXAM, pretest_id
from netralitas.build import draws, notebooks
from netralitas.content.schema import ContentError


@pytest.fixture
def draws_copy(tmp_path, monkeypatch):
    path = tmp_path / "undian_soal.yaml"
    path.write_text(draws.DRAWS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(draws, "DRAWS_FILE", path)
    return path


def test_the_file_lists_every_pretest_and_the_exam(bank):
    listed = draws.load()
    assert set(listed) == {pretest_id(m) for m in bank.modules} | {FINAL_EXAM}
    for m in bank.modules:
        assert [i.id for i in notebooks.pretest_items(bank, m)] == list(listed[pretest_id(m)])
    assert [i.id for i in notebooks.final_exam_items(bank)] == list(listed[FINAL_EXAM])


def test_an_edited_draw_is_what_the_notebook_asks(bank, draws_copy, tmp_path):
    data = yaml.safe_load(draws_copy.read_text(encoding="utf-8"))
    pool = [i.id for i in notebooks.drawn_pretest(bank, "03")] + ["K03-05", "K03-06", "K03-07"]
    chosen = [i for i in dict.fromkeys(pool) if i not in data["tes_awal_03"]][:1] + data["tes_awal_03"][1:]
    data["tes_awal_03"] = chosen
    draws_copy.write_text(draws.render(data), encoding="utf-8")
    assert [i.id for i in notebooks.pretest_items(bank, "03")] == chosen
    out = tmp_path / "out"
    notebooks.build(bank, root=out)
    nb = nbformat.read(out / "quizzes" / "source" / "tes_awal_03" / "tes_awal_03.ipynb", as_version=4)
    graded = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded == [f"nilai_{i}" for i in chosen]


def test_a_missing_entry_is_drawn_once_and_others_are_never_redrawn(bank, draws_copy, tmp_path):
    data = yaml.safe_load(draws_copy.read_text(encoding="utf-8"))
    data["tes_awal_05"] = data["tes_awal_05"][::-1]         # hand-ordered: kept as written
    del data["tes_awal_07"]
    draws_copy.write_text(draws.render(data), encoding="utf-8")
    text = notebooks.targets(bank, tmp_path)[tmp_path / "quizzes" / "undian_soal.yaml"]
    again = yaml.safe_load(text)
    assert again["tes_awal_05"] == data["tes_awal_05"]
    assert again["tes_awal_07"] == [i.id for i in notebooks.drawn_pretest(bank, "07")]


@pytest.mark.parametrize("change, message", [
    (lambda d: d["tes_awal_02"].__setitem__(0, "K02-99"), "tes_awal_02 lists items that are not in its quiz bank: K02-99"),
    (lambda d: d["tes_awal_02"].__setitem__(0, "K01-01"), "tes_awal_02 lists items that are not in its quiz bank: K01-01"),
    (lambda d: d["tes_awal_02"].__setitem__(1, d["tes_awal_02"][0]), "listed twice"),
    (lambda d: d.__setitem__("kuis_02", ["K02-01"]), "only pre-tests and exams are drawn"),
])
def test_a_wrong_draw_stops_the_build_naming_the_file(bank, draws_copy, change, message):
    data = yaml.safe_load(draws_copy.read_text(encoding="utf-8"))
    change(data)
    draws_copy.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match="undian_soal.yaml: .*" + message.replace("(", r"\(")):
        notebooks.targets(bank)
