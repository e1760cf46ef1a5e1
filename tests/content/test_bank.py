"""The bank is the one source: it must validate and be original."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from netralitas.content.loader import load_quiz_items, quiz_ids
from netralitas.content.schema import MODULE_MINUTES

from ..conftest import SHARED


TEACHING_ORDER = ["mengapa_netral", "foto_simbol_dan_kedekatan", "media_sosial_dan_grup_pesan",
                  "kampanye_dan_kegiatan_politik", "fasilitas_anggaran_program_dan_keputusan",
                  "hadiah_dan_politik_uang", "keluarga_dan_pasangan_calon",
                  "konflik_kepentingan_intimidasi_dan_pelayanan", "melapor_dan_sanksi"]


def test_nine_modules_in_teaching_order(bank):
    assert [m.slug for m in bank.modules.values()] == TEACHING_ORDER
    assert list(bank.modules) == [f"{i:02d}" for i in range(1, 10)]


@pytest.mark.parametrize("module_id", [f"{i:02d}" for i in range(1, 10)])
def test_module_is_complete(bank, module_id):
    mod = bank.modules[module_id]
    assert MODULE_MINUTES[0] <= mod.durasi_menit <= MODULE_MINUTES[1]
    assert 2 <= len(mod.tujuan) <= 4 and 3 <= len(mod.poin_kunci) <= 5
    assert len(mod.bacaan.split()) >= 150, "bacaan is still a placeholder"
    assert len(mod.cek_mandiri) >= 3 and {c.benar for c in mod.cek_mandiri} == {True, False}
    assert len(bank.module_scenarios(module_id)) >= 5


def test_bank_size_and_verdict_mix(bank):
    scenarios = list(bank.scenarios.values())
    assert len(scenarios) >= 60
    verdicts = Counter(s.putusan for s in scenarios)
    assert verdicts["tidak_melanggar"] >= 5 and verdicts["tergantung"] >= 5 and verdicts["melanggar"] >= 20


def test_every_kind_of_learner_meets_themselves(bank):
    roles = {s.peran for s in bank.scenarios.values()}
    assert "guru" in roles
    assert any(s.berlaku_untuk == ("PPNPN",) or "non_asn" in s.peran or "ppnpn" in s.peran
               for s in bank.scenarios.values())
    assert any(r.startswith("kepala") or r == "camat" for r in roles)


@pytest.mark.parametrize("module_id, pattern", [
    ("02", r"\bjari\b"),                         # finger symbols of a candidate number
    ("02", r"berdiri|di samping|di sebelah"),     # standing next to a candidate
    ("06", r"amplop|sembako|hadiah"),             # gifts and envelopes
    ("07", r"suami|istri"),                       # a spouse who is a candidate
    ("03", r"suka|like|bagikan|membagikan"),      # liking or sharing a campaign post
    ("05", r"mobil dinas|kendaraan dinas"),       # office cars for a campaign
])
def test_the_courses_signature_cases_are_taught(bank, module_id, pattern):
    texts = " ".join(s.situasi.lower() for s in bank.module_scenarios(module_id))
    assert re.search(pattern, texts), f"module {module_id} lacks a case matching {pattern}"


def test_every_quiz_has_at_least_five_items(bank):
    assert quiz_ids(), "no quiz bank found"
    for quiz in quiz_ids():
        assert len(load_quiz_items(quiz, bank)) >= 5


def test_quiz_items_are_not_teaching_scenarios(bank, all_quiz_items):
    teaching = {s.situasi for s in bank.scenarios.values()}
    assert not {i.situasi for i in all_quiz_items} & teaching


def test_verdict_questions_agree_with_putusan(bank, all_quiz_items):
    labels = {"melanggar": "melanggar", "tidak_melanggar": "tidak melanggar"}
    for s in [*bank.scenarios.values(), *all_quiz_items]:
        if s.multi:
            continue
        correct = s.option(s.key).teks.strip().lower()
        if correct in labels.values():
            assert correct == labels.get(s.putusan), s.id


def test_feedback_text_does_not_repeat_the_verdict_badge(bank, all_quiz_items):
    """Widgets and grading print "Tepat."/"Jawaban benar." themselves."""
    for s in [*bank.scenarios.values(), *all_quiz_items]:
        for o in s.pilihan:
            assert not re.match(r"(Tepat|Kurang tepat|Benar|Salah)\b", o.umpan_balik), (s.id, o.id)


def test_replaced_rules_are_not_cited_as_basis(bank, all_quiz_items):
    for s in [*bank.scenarios.values(), *all_quiz_items]:
        for basis in s.dasar_hukum:
            assert bank.regulations[basis.regulasi].status != "dicabut", (s.id, basis.regulasi)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 8]


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not (SHARED / "reference" / "seeds").is_dir(), reason="../shared not beside the repo")
def test_no_sentence_of_the_seed_articles_is_copied(bank, all_quiz_items):
    seeds = set()
    for path in (SHARED / "reference" / "seeds").glob("*.txt"):
        seeds |= _shingles(path.read_text(encoding="utf-8", errors="replace"))
    texts = [m.bacaan for m in bank.modules.values()]
    for s in [*bank.scenarios.values(), *all_quiz_items]:
        texts += [s.situasi, s.penjelasan, s.pertanyaan] + [o.umpan_balik for o in s.pilihan]
    copied = [t for t in texts if _shingles(t) & seeds]
    assert copied == []


def test_the_rules_in_force_are_all_taught(bank):
    cited = {b.regulasi for s in bank.scenarios.values() for b in s.dasar_hukum}
    for reg in ["UU-20-2023", "PP-94-2021", "PP-42-2004", "SKB-NETRALITAS-2022", "UU-7-2017",
                "UU-10-2016", "SE-MENPANRB-18-2023", "SE-MENPANRB-01-2023"]:
        assert reg in cited, reg
        assert bank.regulations[reg].status != "dicabut"
    assert bank.regulations["UU-5-2014"].diganti_oleh == "UU-20-2023"
    assert bank.regulations["PP-53-2010"].diganti_oleh == "PP-94-2021"
    readings = " ".join(m.bacaan for m in bank.modules.values())
    assert "BKN" in readings and "KASN" in readings  # who handles cases now, and who no longer does
