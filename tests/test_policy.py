from __future__ import annotations

import pytest

from netralitas.policy import pass_mark


def test_default_and_per_quiz_pass_marks(tmp_path):
    path = tmp_path / "kebijakan.yaml"
    path.write_text("batas_lulus: 0.8\nper_kuis: {ujian_akhir: 0.75}\n", encoding="utf-8")
    assert pass_mark("kuis_02", path) == 0.8
    assert pass_mark("ujian_akhir", path) == 0.75


def test_a_percentage_written_as_80_is_refused(tmp_path):
    path = tmp_path / "kebijakan.yaml"
    path.write_text("batas_lulus: 80\n", encoding="utf-8")
    with pytest.raises(ValueError, match="antara 0 dan 1"):
        pass_mark("kuis_02", path)


def test_committed_policy_is_valid():
    assert 0 < pass_mark("kuis_02") <= 1
