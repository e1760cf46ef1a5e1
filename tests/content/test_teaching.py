"""One answer to each question: every item names what teaches it and agrees with
it, every sanction category comes from the behaviour table, and every text that
relies on an uncertain fact carries its visible hedge (issue 19)."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from netralitas import paths
from netralitas.content.loader import _check_sanction, check_taught, load_quiz_items
from netralitas.content.schema import MARKER, SANCTIONS, ContentError


def items_and_scenarios(bank, all_quiz_items):
    return [*bank.scenarios.values(), *all_quiz_items]


# --- diajarkan_di -------------------------------------------------------------

def test_every_quiz_pretest_and_exam_item_names_what_teaches_it(bank, all_quiz_items):
    """Pre-tests and the final exam are drawn from these quiz banks."""
    assert all_quiz_items
    problems = [p for item in all_quiz_items for p in check_taught(item, bank)]
    assert problems == []
    assert all(item.diajarkan_di for item in all_quiz_items)


def test_drawn_pretest_and_exam_items_are_taught(bank):
    from netralitas.build.notebooks import final_exam_items, pretest_items
    drawn = final_exam_items(bank) + [i for m in bank.modules for i in pretest_items(bank, m)]
    assert drawn and all(i.diajarkan_di and not check_taught(i, bank) for i in drawn)


def _item(all_quiz_items, item_id):
    return next(i for i in all_quiz_items if i.id == item_id)


@pytest.mark.parametrize("refs, message", [
    ((), "no 'diajarkan_di'"),
    (("S99-99",), "is no teaching scenario"),
    (("modul 99 bacaan",), "no module 99"),
    # S04-07 teaches a case that is not a violation: verdict and sanction disagree.
    (("S04-07",), "verdict melanggar but S04-07 teaches tidak_melanggar"),
    # S05-01 (office car) is a violation, but of another behaviour.
    (("S05-01",), "teaches its behaviour"),
    # Module 01's reading quotes no behaviour of the table.
    (("modul 01 bacaan",), "teaches its behaviour"),
])
def test_a_wrong_teaching_link_is_named(bank, all_quiz_items, refs, message):
    item = _item(all_quiz_items, "K02-01").model_copy(update={"diajarkan_di": refs})
    assert any(message in p for p in check_taught(item, bank)), check_taught(item, bank)


def test_a_sanction_that_disagrees_with_the_named_scenario_is_named(bank, all_quiz_items):
    item = _item(all_quiz_items, "K09-03")       # taught by S09-01: disiplin berat
    assert "S09-01" in item.diajarkan_di and not check_taught(item, bank)
    wrong = item.model_copy(update={"sanksi": item.sanksi.model_copy(update={"kategori": "etik"})})
    assert any("sanction etik but S09-01 teaches disiplin_berat" in p for p in check_taught(wrong, bank))


def test_the_loader_refuses_a_quiz_bank_with_an_untaught_item(bank, tmp_path):
    src = paths.quiz_bank_dir() / "kuis_02.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data[0].pop("diajarkan_di")
    (tmp_path / "kuis_02.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="no 'diajarkan_di'"):
        load_quiz_items("kuis_02", bank, tmp_path)
    data[0]["diajarkan_di"] = ["modul 02 ringkasan"]
    (tmp_path / "kuis_02.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="diajarkan_di"):
        load_quiz_items("kuis_02", bank, tmp_path)


# --- the behaviour table --------------------------------------------------------

def test_the_table_covers_what_the_issue_names(bank):
    groups = {b.kelompok for b in bank.behaviours.values()}
    assert {"pp94-5n", "skb", "uu-7-2017", "uu-10-2016"} <= groups
    forms = [b for b in bank.behaviours.values() if b.kelompok == "pp94-5n"]
    assert [b.pasal for b in forms] == [f"Pasal 5 huruf n angka {k}" for k in range(1, 8)]
    # Fact sheet §4.1: sedang = angka 1-2; berat = angka 3-7 (incl. the KTP support letter).
    assert [b.kategori for b in forms] == [("disiplin_sedang",)] * 2 + [("disiplin_berat",)] * 5
    assert all(set(b.kategori) <= set(SANCTIONS) for b in bank.behaviours.values())


def test_every_sanction_category_in_the_bank_comes_from_the_table(bank, all_quiz_items):
    drawn = 0
    for s in items_and_scenarios(bank, all_quiz_items):
        table = set(bank.tables.categories(s.perilaku))
        if s.putusan == "melanggar":
            assert s.perilaku, f"{s.id}: a violation names no behaviour"
        if s.sanksi.kategori in table:
            drawn += 1
            continue
        # Only "no sanction" for no violation, and "it depends" for an open verdict
        # or for a select-all item whose options carry different sanctions.
        assert (s.putusan, s.sanksi.kategori) in {("tidak_melanggar", "tidak_ada"), ("tergantung", "tergantung")} \
            or (s.multi and s.sanksi.kategori == "tergantung"), (s.id, s.sanksi.kategori, s.perilaku)
    assert drawn >= 90  # 96 of 143 when this test was written


def test_a_category_the_table_does_not_give_is_refused(bank):
    s = bank.scenarios["S05-01"]                     # office car: PP94-5N-4, disiplin berat
    _check_sanction(s, bank.tables, "x")
    for kategori in ("etik", "disiplin_sedang", "tergantung"):
        wrong = s.model_copy(update={"sanksi": s.sanksi.model_copy(update={"kategori": kategori})})
        with pytest.raises(ContentError, match="not what perilaku.yaml gives"):
            _check_sanction(wrong, bank.tables, "x")
    fine = s.model_copy(update={"putusan": "tidak_melanggar"})
    with pytest.raises(ContentError, match="not what perilaku.yaml gives"):
        _check_sanction(fine, bank.tables, "x")     # no violation, yet a heavy penalty
    _check_sanction(fine.model_copy(update={"sanksi": s.sanksi.model_copy(update={"kategori": "tidak_ada"})}),
                    bank.tables, "x")
    with pytest.raises(ContentError, match="must name its behaviour"):
        _check_sanction(s.model_copy(update={"perilaku": ()}), bank.tables, "x")
    with pytest.raises(ContentError, match="not in perilaku.yaml"):
        _check_sanction(s.model_copy(update={"perilaku": ("PP94-5N-9",)}), bank.tables, "x")


def test_a_cited_form_of_pasal_5_huruf_n_is_a_named_behaviour(bank, all_quiz_items):
    """'Pasal 5 huruf n angka 4' in the legal basis means the item is about that form."""
    for s in items_and_scenarios(bank, all_quiz_items):
        for basis in s.dasar_hukum:
            if basis.regulasi == "PP-94-2021":
                for k in re.findall(r"angka (\d)", basis.pasal):
                    assert f"PP94-5N-{k}" in s.perilaku or s.putusan == "tidak_melanggar", (s.id, k)


def test_ppnpn_only_cases_do_not_cite_the_pns_discipline_rule(bank, all_quiz_items):
    """PP 94/2021 binds PNS only (S05-02 once cited it for a PPNPN driver)."""
    for s in items_and_scenarios(bank, all_quiz_items):
        if s.sanksi.kategori == "kontrak" and s.berlaku_untuk == ("PPNPN",) or s.id == "S05-02":
            assert "PP-94-2021" not in {b.regulasi for b in s.dasar_hukum}, s.id


def test_the_seven_forms_are_taught_with_their_category(bank):
    for module_id in ("04", "09"):
        reading = bank.modules[module_id].bacaan
        for b in (x for x in bank.behaviours.values() if x.kelompok == "pp94-5n"):
            row = next((line for line in reading.splitlines() if b.pasal in line and line.startswith("|")), "")
            assert row and b.keterangan in row, (module_id, b.id)
    assert re.search(r"KTP[^|]*\| PP 94/2021 Pasal 5 huruf n angka 7 \| Hukuman disiplin berat",
                     bank.modules["04"].bacaan)


# --- uncertain facts ------------------------------------------------------------

def _units(bank, all_quiz_items, kit):
    """Each text a reader sees as one piece, with the citations shown beside it."""
    for m in bank.modules.values():
        yield f"modul {m.id} bacaan", [m.bacaan]
        yield from ((f"modul {m.id} poin_kunci {i}", [p]) for i, p in enumerate(m.poin_kunci, 1))
        yield from ((f"modul {m.id} cek_mandiri {i}", [c.pernyataan, c.penjelasan])
                    for i, c in enumerate(m.cek_mandiri, 1))
        yield from ((f"modul {m.id} catatan {i}", [c]) for i, c in enumerate(m.catatan_fasilitator, 1))
    for s in items_and_scenarios(bank, all_quiz_items):
        yield s.id, [s.penjelasan, s.tergantung_pada or "", s.sanksi.keterangan,
                     *(o.umpan_balik for o in s.pilihan), *bank.cite(s)]
    for g in kit.modules.values():
        yield from ((f"kit {g.modul} poin {i}", [p]) for i, p in enumerate(g.poin_bicara, 1))
        yield from ((f"kit {g.modul} miskonsepsi {i}", [x.anggapan, x.jawaban, *bank.cite_bases(x.dasar_hukum)])
                    for i, x in enumerate(g.miskonsepsi, 1))
        yield from ((f"kit {g.modul} abu-abu {i}", [x.situasi, x.arah_diskusi, *bank.cite_bases(x.dasar_hukum)])
                    for i, x in enumerate(g.kasus_abu_abu, 1))
    yield from ((f"faq {f.id}", [f.jawaban, *bank.cite_bases(f.dasar_hukum)]) for f in kit.faq)
    yield from ((f"sesi {p.id} {i}", [part.cara]) for p in kit.plans.values() for i, part in enumerate(p.bagian, 1))
    t = kit.texts
    yield "naskah", [t.ikrar_pembuka, *t.ikrar, t.pakta_pembuka, *t.pakta]


def unhedged(bank, units) -> list[tuple[str, str]]:
    out = []
    for where, texts in units:
        text = " ".join(texts)
        for fact in bank.uncertain.values():
            hedged = fact.hedge in text or (fact.singkat and f"[{fact.singkat}]" in text)
            if fact.relied_on_by(text) and not hedged:
                out.append((where, fact.id))
    return out


@pytest.fixture(scope="module")
def kit(bank):
    from netralitas.facilitator.content import load_kit
    return load_kit(bank)


def test_every_text_relying_on_an_uncertain_fact_says_so(bank, all_quiz_items, kit):
    assert unhedged(bank, _units(bank, all_quiz_items, kit)) == []


def test_the_hedge_check_finds_a_missing_hedge(bank, all_quiz_items, kit):
    s = bank.scenarios["S07-03"]                 # relies on the CLTN list from a regional FAQ
    fact = bank.uncertain["cltn-rincian"]
    stripped = s.model_copy(update={"penjelasan": s.penjelasan.replace(fact.hedge, ""),
                                    "sanksi": s.sanksi.model_copy(update={"keterangan": "-"})})
    found = unhedged(bank, [(s.id, [stripped.penjelasan, *(o.umpan_balik for o in s.pilihan)])])
    assert (s.id, "cltn-rincian") in found
    assert unhedged(bank, [("x", ["PPK mengabaikan rekomendasi itu tanpa akibat."])]) == [("x", "tenggat-ppk")]


def test_facts_the_issue_names_are_in_the_uncertain_list(bank):
    assert {"status-skb", "status-pp42", "acara-keluarga", "cltn-rincian", "kesan-dukungan",
            "hadir-deklarasi", "hadir-pasif"} <= set(bank.uncertain)
    assert bank.regulations["SKB-NETRALITAS-2022"].ragu == "status-skb"
    assert bank.regulations["PP-42-2004"].ragu == "status-pp42"
    assert bank.regulations["PP-42-2004"].status == "tidak_pasti"
    # Every citation of the SKB shows its hedge, in every item that cites it.
    cites = [c for s in bank.scenarios.values() for c in bank.cite(s) if c.startswith("SKB")]
    assert cites and all("[status setelah KASN dibubarkan belum pasti]" in c for c in cites)


def test_markers_turn_into_reader_text_everywhere(bank, all_quiz_items, kit):
    assert bank.tables.expand("A {ragu:status-skb}", "x").startswith("A (Belum pasti: SKB Netralitas 2022")
    leftovers = [where for where, texts in _units(bank, all_quiz_items, kit) if MARKER.search(" ".join(texts))]
    assert leftovers == []
    for path in [*paths.MODULES_DIR.glob("*.ipynb"), *paths.QUIZ_SOURCE_DIR.glob("*/*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        assert not MARKER.search(text) and "{ragu:" not in text and "{perilaku:" not in text, path


@pytest.mark.parametrize("marker, message", [
    ("{ragu:tidak-ada}", "unknown marker {ragu:tidak-ada}"),
    ("{perilaku:PP94-5N-8}", "unknown marker {perilaku:PP94-5N-8}"),
    ("{tabel_perilaku:uu-99}", "no such kelompok"),
])
def test_an_unknown_marker_is_an_error(bank, marker, message):
    with pytest.raises(ContentError, match=re.escape(message)):
        bank.tables.expand({"penjelasan": f"Teks {marker}."}, "modul/x.yaml")


def test_a_broken_table_row_is_refused(tmp_path):
    """A pasal with commas left unquoted splits the flow mapping: refused, not truncated."""
    from netralitas.content.loader import load_bank
    bank_dir = tmp_path / "bank"
    shutil.copytree(paths.BANK_DIR, bank_dir)
    table = bank_dir / "perilaku.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace(
        'pasal: "Lampiran (tim ahli, tim pemenangan, atau konsultan)"',
        "pasal: Lampiran (tim ahli, tim pemenangan, atau konsultan)"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"SKB-TIM.*dasar_hukum must be"):
        load_bank(bank_dir)


# --- the seven contradictions, kept fixed -----------------------------------------

def test_one_answer_for_each_contradiction(bank, all_quiz_items, kit):
    items = {i.id: i for i in all_quiz_items}
    cat = {k: v.sanksi.kategori for k, v in {**bank.scenarios, **items}.items()}
    # 1. Attending a declaration without active support is taught as "tergantung".
    assert items["K04-07"].putusan == "tergantung"
    # 2. An appeal to vote: one category everywhere.
    assert {cat[i] for i in ("S01-06", "S09-01", "K09-03", "K07-01")} == {"disiplin_berat"}
    # 3. Candidate attributes at a campaign activity.
    assert cat["K04-01"] == cat["K07-03"] == "disiplin_sedang"
    # 4. The duty does not end when the winner is set.
    for s in items_and_scenarios(bank, all_quiz_items):
        for text in [s.penjelasan, *(o.umpan_balik for o in s.pilihan)]:
            assert not re.search(r"(sebelum|selama) pemenang (belum )?ditetapkan|pemenang belum ditetapkan",
                                 text, re.I), s.id
    # 5. The 60-minute plan does not list attendance as a frequent violation.
    assert "kehadiran di kampanye," not in " ".join(kit.plans["sesi_60"].tujuan)
    # 6. Joining a campaign-team group alone is the violation.
    faq = next(f for f in kit.faq if f.id == "grup_relawan")
    assert "Bergabung dan aktif" not in faq.jawaban and "sudah termasuk pelanggaran" in faq.jawaban
    # 7. The pledge: every kind of gift.
    assert "segala jenis pemberian dalam bentuk apa pun" in kit.texts.ikrar[3]
    assert "dimaksudkan" not in kit.texts.ikrar[3]
    narrowed = [where for where, texts in _units(bank, all_quiz_items, kit)
                if re.search(r"ikrar[^.]*pemberian[^.]{0,40}dimaksudkan untuk memengaruhi", " ".join(texts), re.I)]
    assert narrowed == []


def test_module_02_tells_the_two_hearts_apart(bank):
    """A side-by-side table: the one-hand finger heart is avoided, the two-hand heart is safe."""
    rows = [line for line in bank.modules["02"].bacaan.splitlines() if line.startswith("|")]
    header = next(r for r in rows if "Finger heart" in r)
    assert re.search(r"\*Finger heart\* \(hindari\) \| Hati dari dua tangan \(aman\)", header)
    hands = next(r for r in rows if r.startswith("| Tangan yang dipakai"))
    assert re.fullmatch(r"\| Tangan yang dipakai \| \*\*satu tangan\*\* \| \*\*kedua tangan\*\* \|", hands)
    assert any("nomor urut" in r for r in rows), "why the finger heart counts"
