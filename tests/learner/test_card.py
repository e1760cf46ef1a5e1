"""The module card's feedback: one verdict, the sanction once, progress shown."""
from __future__ import annotations

import re

import pytest

from netralitas.content.schema import SANCTIONS, VERDICTS
from netralitas.learner.widgets import _feedback_html, module_progress, module_progress_text, progress_path
from netralitas import record


def _text(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def _verdict_words(text: str) -> list[str]:
    # Longest first, so "tidak melanggar" is not also counted as "melanggar".
    names = sorted((v.lower() for v in VERDICTS.values()), key=len, reverse=True)
    return re.findall("|".join(re.escape(n) for n in names), text.lower())


def test_wrong_action_option_gets_its_own_verdict_only(bank):
    """S01-01: the case is 'tidak melanggar', option a is an action that violates.
    The card used to say both ("Tindakan ini: melanggar." then "Putusan: Tidak melanggar.")."""
    s = bank.scenarios["S01-01"]
    a = s.option("a")
    assert s.putusan == "tidak_melanggar" and a.putusan == "melanggar" and a.verdict_note
    text = _text(_feedback_html(bank, s, "a"))
    assert text.startswith("Belum tepat.")
    assert "Tindakan yang Anda pilih: melanggar." in text
    assert "Tindakan ini:" not in text and "Putusan" not in text
    verdict_line = text.split("Tindakan yang Anda pilih:")[1].split(".")[0]
    assert _verdict_words(verdict_line) == ["melanggar"]


@pytest.mark.parametrize("sid", ["S01-01", "S02-05", "S05-04", "S09-07"])
def test_no_sanction_said_once(bank, sid):
    s = bank.scenarios[sid]
    assert s.sanksi.kategori == "tidak_ada"
    text = _text(_feedback_html(bank, s, s.key))
    sanction = text.split("Sanksi:")[1]
    assert sanction.lower().count("tidak ada sanksi") == 0
    assert sanction.strip().startswith("tidak ada")
    assert "Dijatuhkan oleh" not in sanction  # "Dijatuhkan oleh: Tidak ada" said nothing


def test_every_card_states_one_verdict_and_each_sanction_once(bank):
    for s in bank.scenarios.values():
        for option in s.pilihan:
            text = _text(_feedback_html(bank, s, option.id))
            assert text.count("Sanksi:") == 1, s.id
            verdicts = text.count("Tindakan yang Anda pilih:") + text.count("Putusan yang tepat untuk kasus ini:")
            assert verdicts == 1, (s.id, option.id)
            label = SANCTIONS[s.sanksi.kategori].lower()
            # The sanction category never follows itself ("Hukuman disiplin berat. Hukuman disiplin berat ...").
            assert f"{label}. {label}" not in text.lower(), s.id


def test_claim_option_names_the_right_verdict(bank):
    s = next(s for s in bank.scenarios.values()
             if s.putusan == "melanggar" and all(not o.verdict_note for o in s.pilihan))
    wrong = next(o for o in s.pilihan if not o.benar)
    text = _text(_feedback_html(bank, s, wrong.id))
    assert "Putusan yang tepat untuk kasus ini: melanggar." in text


def test_module_progress_counts_cases_and_says_done(bank, tmp_path):
    ids = [s.id for s in bank.module_scenarios("01")]
    assert module_progress(bank, "01", tmp_path) == (0, len(ids))
    path = tmp_path / progress_path("01")
    path.parent.mkdir()
    for n, sid in enumerate(ids, start=1):
        record.save_answer(path, sid, "a", context="modul_01")
        if n < len(ids):
            assert f"{n} dari {len(ids)} kasus" in module_progress_text(bank, "01", tmp_path)
    # A self-check answer or an unknown id does not count as a case.
    record.save_answer(path, "cek-01-1", "benar", context="modul_01")
    assert module_progress(bank, "01", tmp_path) == (len(ids), len(ids))
    assert "Modul 01 selesai" in module_progress_text(bank, "01", tmp_path)
