"""Facilitator content: every reference resolves, and the required answers exist."""
from __future__ import annotations

import shutil

import pytest
import yaml

from netralitas.content.schema import ContentError
from netralitas.facilitator.content import KIT_DIR, load_kit
from netralitas.facilitator.plans import jp_minutes, plan_jp
from netralitas.facilitator.printables import latin1


def test_every_scenario_in_a_session_plan_exists_in_the_bank(bank, kit):
    assert set(kit.plans) == {"sesi_60", "sesi_120", "sesi_180"}
    for plan in kit.plans.values():
        assert plan.scenarios, plan.id
        for sid in plan.scenarios:
            assert sid in bank.scenarios, (plan.id, sid)
        assert sum(p.menit for p in plan.bagian) == plan.durasi_menit


def test_a_plan_citing_an_unknown_scenario_is_refused(tmp_path, bank):
    shutil.copytree(KIT_DIR, tmp_path / "fasilitator")
    path = tmp_path / "fasilitator" / "sesi.yaml"
    plans = yaml.safe_load(path.read_text(encoding="utf-8"))
    plans[0]["bagian"][2]["skenario"].append("S02-99")
    path.write_text(yaml.safe_dump(plans, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="S02-99"):
        load_kit(bank, tmp_path / "fasilitator")


def test_a_plan_whose_parts_do_not_add_up_is_refused(tmp_path, bank):
    shutil.copytree(KIT_DIR, tmp_path / "fasilitator")
    path = tmp_path / "fasilitator" / "sesi.yaml"
    plans = yaml.safe_load(path.read_text(encoding="utf-8"))
    plans[1]["bagian"][0]["menit"] += 5
    path.write_text(yaml.safe_dump(plans, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="add up to 125"):
        load_kit(bank, tmp_path / "fasilitator")


def test_jp_follows_the_policy_file(kit):
    assert jp_minutes() == 45
    assert [plan_jp(kit.plans[p]) for p in ("sesi_60", "sesi_120", "sesi_180")] == [1, 2, 3]
    assert kit.plans["sesi_180"].learning_minutes == 165  # the break does not count


@pytest.mark.parametrize("topic, words", [
    ("hadir_kampanye", ["kampanye", "penonton"]),
    ("suka_unggahan_sepupu", ["sepupu", "suka"]),
    ("pasangan_calon", ["istri", "calon"]),
    ("menerima_amplop", ["amplop"]),
    ("pegawai_non_asn", ["non-ASN"]),
])
def test_the_questions_staff_ask_are_answered_with_legal_basis(bank, kit, topic, words):
    faq = {f.id: f for f in kit.faq}[topic]
    assert all(w.lower() in faq.pertanyaan.lower() for w in words)
    assert faq.dasar_hukum and all(b.regulasi in bank.regulations for b in faq.dasar_hukum)


def test_uncertain_answers_send_people_to_bkpsdm(kit):
    uncertain = [f for f in kit.faq if f.tanyakan_bkpsdm]
    assert {"hadir_kampanye", "pasangan_calon", "pegawai_non_asn"} <= {f.id for f in uncertain}
    assert all("BKPSDM" in f.jawaban for f in uncertain)


def test_an_uncertain_answer_without_bkpsdm_is_refused(tmp_path, bank):
    shutil.copytree(KIT_DIR, tmp_path / "fasilitator")
    path = tmp_path / "fasilitator" / "tanya_jawab.yaml"
    faq = yaml.safe_load(path.read_text(encoding="utf-8"))
    faq[0]["jawaban"] = "Boleh saja."
    path.write_text(yaml.safe_dump(faq, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="BKPSDM"):
        load_kit(bank, tmp_path / "fasilitator")


def test_every_module_has_its_guide_with_misconceptions_and_grey_cases(bank, kit):
    assert set(kit.modules) == set(bank.modules)
    for guide in kit.modules.values():
        assert len(guide.poin_bicara) >= 3 and len(guide.pertanyaan_diskusi) >= 2
        assert len(guide.miskonsepsi) >= 2 and guide.kasus_abu_abu


def test_kit_text_prints_in_base_fonts():
    for path in KIT_DIR.rglob("*.yaml"):
        latin1(path.read_text(encoding="utf-8"))


def test_no_sentence_of_the_seed_articles_is_copied(kit):
    from tests.conftest import SHARED
    from tests.content.test_bank import _shingles

    seeds_dir = SHARED / "reference" / "seeds"
    if not seeds_dir.is_dir():
        pytest.skip("../shared not beside the repo")
    seeds = set()
    for path in seeds_dir.glob("*.txt"):
        seeds |= _shingles(path.read_text(encoding="utf-8", errors="replace"))
    texts = [t for path in KIT_DIR.rglob("*.yaml") for t in [path.read_text(encoding="utf-8")]]
    assert [t[:80] for t in texts if _shingles(t) & seeds] == []
