"""The bank is the one source: it must validate and be original."""
from __future__ import annotations

import re

import pytest

from netralitas.content.loader import load_quiz_items, quiz_ids

from ..conftest import SHARED


def test_module_02_has_enough_teaching_scenarios(bank):
    assert len(bank.module_scenarios("02")) >= 3


def test_every_quiz_has_at_least_five_items(bank):
    assert quiz_ids(), "no quiz bank found"
    for quiz in quiz_ids():
        assert len(load_quiz_items(quiz, bank)) >= 5


def test_quiz_items_are_not_teaching_scenarios(bank, quiz_items):
    teaching = {s.situasi for s in bank.scenarios.values()}
    assert not {i.situasi for i in quiz_items} & teaching


def test_verdict_questions_agree_with_putusan(bank, quiz_items):
    labels = {"melanggar": "melanggar", "tidak_melanggar": "tidak melanggar"}
    for s in [*bank.scenarios.values(), *quiz_items]:
        correct = s.option(s.key).teks.strip().lower()
        if correct in labels.values():
            assert correct == labels.get(s.putusan), s.id


def test_feedback_text_does_not_repeat_the_verdict_badge(bank, quiz_items):
    """Widgets and grading print "Tepat."/"Jawaban benar." themselves."""
    for s in [*bank.scenarios.values(), *quiz_items]:
        for o in s.pilihan:
            assert not re.match(r"(Tepat|Kurang tepat|Benar|Salah)\b", o.umpan_balik), (s.id, o.id)


def test_replaced_rules_are_not_cited_as_basis(bank, quiz_items):
    for s in [*bank.scenarios.values(), *quiz_items]:
        for basis in s.dasar_hukum:
            assert bank.regulations[basis.regulasi].status != "dicabut", (s.id, basis.regulasi)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 8]


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not (SHARED / "reference" / "seeds").is_dir(), reason="../shared not beside the repo")
def test_no_sentence_of_the_seed_articles_is_copied(bank, quiz_items):
    seeds = set()
    for path in (SHARED / "reference" / "seeds").glob("*.txt"):
        seeds |= _shingles(path.read_text(encoding="utf-8", errors="replace"))
    texts = [m.bacaan for m in bank.modules.values()]
    for s in [*bank.scenarios.values(), *quiz_items]:
        texts += [s.situasi, s.penjelasan, s.pertanyaan] + [o.umpan_balik for o in s.pilihan]
    copied = [t for t in texts if _shingles(t) & seeds]
    assert copied == []
