"""Authors get a precise message for each kind of mistake."""
from __future__ import annotations

import copy

import pytest

from netralitas.content.schema import MODULE_MINUTES, ContentError, Module, Regulation, Scenario

GOOD = {
    "id": "S99-01", "modul": "02", "judul": "Contoh", "fase": "kampanye", "pemilihan": "pilkada",
    "berlaku_untuk": ["PNS"], "peran": "staf", "tingkat": "dasar",
    "situasi": "Seorang staf berfoto.", "pertanyaan": "Apakah melanggar?",
    "pilihan": [
        {"id": "a", "teks": "Melanggar", "benar": True, "umpan_balik": "Tepat."},
        {"id": "b", "teks": "Tidak melanggar", "benar": False, "umpan_balik": "Kurang tepat."},
    ],
    "putusan": "melanggar", "tergantung_pada": None, "penjelasan": "Karena simbol.",
    "dasar_hukum": [{"regulasi": "PP-94-2021", "pasal": "Pasal 5 huruf n"}],
    "sanksi": {"kategori": "etik", "keterangan": "Sanksi moral.", "penjatuh": "PPK"},
}


def mutate(path: str, value):
    d = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = d
    for p in parents:
        target = target[int(p)] if p.isdigit() else target[p]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return d


def test_good_scenario_loads():
    s = Scenario.from_dict(GOOD, "x.yaml")
    assert s.key == "a" and s.option("b").teks == "Tidak melanggar"


@pytest.mark.parametrize("path, value, message", [
    ("situasi", KeyError, "missing required field 'situasi'"),
    ("putusan", "salah", "'putusan' is 'salah'"),
    ("pilihan.1.benar", True, "exactly one option"),
    ("pilihan.1.id", "a", "duplicate option ids"),
    ("putusan", "tergantung", "needs 'tergantung_pada'"),
    ("berlaku_untuk", ["Honorer"], "berlaku_untuk"),
    ("sanksi.kategori", "denda", "'kategori' is 'denda'"),
    ("penjelasn", "typo", "unknown field"),
    ("pilihan.0.benar", "ya", "'benar' must be true or false"),
    ("pilihan.1.teks", "Meneruskan foto itu ke grup", "is an action: give its 'putusan'"),
    ("pilihan.0.putusan", "dilarang", "'putusan' is 'dilarang'"),
    ("jenis", "pilih_banyak", "'jenis' is 'pilih_banyak'"),
])
def test_mistakes_are_named(path, value, message):
    with pytest.raises(ContentError) as err:
        Scenario.from_dict(mutate(path, value), "x.yaml")
    assert message in str(err.value) and "S99-01" in str(err.value)


def test_option_verdicts_are_given_or_claimed():
    d = mutate("pilihan.1.teks", "Meneruskan foto itu ke grup")
    d["pilihan"][1]["putusan"] = "melanggar"
    s = Scenario.from_dict(d, "x.yaml")
    assert s.option("b").putusan == "melanggar" and s.option("b").verdict_note == "Tindakan ini: melanggar."
    claim = mutate("pilihan.1.teks", "Tidak melanggar, karena fotonya di rumah")
    assert Scenario.from_dict(claim, "x.yaml").option("b").putusan == "tidak_melanggar"
    assert Scenario.from_dict(claim, "x.yaml").option("b").verdict_note == ""


def test_pilih_semua_needs_right_and_wrong_options():
    d = mutate("jenis", "pilih_semua")
    assert Scenario.from_dict(d, "x.yaml").key == "a"
    d["pilihan"][1]["benar"] = True
    with pytest.raises(ContentError, match="at least one right and one wrong"):
        Scenario.from_dict(d, "x.yaml")


@pytest.mark.parametrize("record, where", [
    (lambda: Regulation.from_dict({"id": "PP-1", "jenis": "PP", "nomor": 1, "tahun": 2021, "judul": "J",
                                   "singkatan": "PP 1/2021", "status": "berlaku", "sumbr": ["S1"]}, "regulasi.yaml"),
     "regulasi.yaml [PP-1]"),
    (lambda: Module.from_dict({"id": "02", "slug": "s", "judul": "J", "durasi_menit": 20, "tujuan": ["a"],
                               "bacaan": "b", "poin_kunci": ["c"], "sumbr": 1}, "02_s.yaml"), "02_s.yaml [modul 02]"),
    (lambda: Scenario.from_dict(mutate("sanksi.sumbr", "x"), "x.yaml"), "x.yaml [S99-01] sanksi"),
    (lambda: Scenario.from_dict(mutate("pilihan.0.sumbr", "x"), "x.yaml"), "x.yaml [S99-01] pilihan #1"),
])
def test_unknown_fields_are_refused_everywhere(record, where):
    """No record drops a key silently (regulasi.yaml's `sumber:` once was)."""
    with pytest.raises(ContentError) as err:
        record()
    assert str(err.value).startswith(where) and "unknown field(s) ['sumbr']" in str(err.value)


def test_module_minutes_have_one_declared_bound():
    d = {"id": "02", "slug": "s", "judul": "J", "tujuan": ["a"], "bacaan": "b", "poin_kunci": ["c"]}
    low, high = MODULE_MINUTES
    assert Module.from_dict({**d, "durasi_menit": high}, "x.yaml").durasi_menit == high
    with pytest.raises(ContentError, match=f"outside {low}..{high}"):
        Module.from_dict({**d, "durasi_menit": high + 1}, "x.yaml")
