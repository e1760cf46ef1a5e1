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


def write(tmp_path, text):
    path = tmp_path / "kebijakan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_attempts_policy_general_then_kind_then_quiz(tmp_path):
    from netralitas.policy import attempts

    path = write(tmp_path, "percobaan:\n  maksimum: 3\n  yang_dihitung: terbaik\n"
                           "  per_jenis: {tes_awal: {maksimum: 1, yang_dihitung: terakhir}}\n"
                           "  per_kuis: {ujian_akhir: {maksimum: 2}, tes_awal_04: {maksimum: 2}}\n")
    a = attempts("kuis_02", path)
    assert (a.maximum, a.counted) == (3, "terbaik")
    t = attempts("tes_awal_01", path)
    assert (t.maximum, t.counted) == (1, "terakhir")
    t = attempts("tes_awal_04", path)
    assert (t.maximum, t.counted) == (2, "terakhir")
    u = attempts("ujian_akhir", path)
    assert (u.maximum, u.counted) == (2, "terbaik")


@pytest.mark.parametrize("text, message", [
    ("percobaan: {maksimum: 0}\n", "bilangan bulat"),
    ("percobaan: {maksimum: tiga}\n", "bilangan bulat"),
    ("percobaan: {yang_dihitung: rata_rata}\n", "terbaik, terakhir"),
])
def test_bad_attempts_policy_gets_a_clear_message(tmp_path, text, message):
    from netralitas.policy import PolicyError, attempts

    with pytest.raises(PolicyError, match=message):
        attempts("kuis_02", write(tmp_path, text))


def test_feedback_policy_default_and_refusal(tmp_path):
    from netralitas.policy import PolicyError, show_correct_option

    assert show_correct_option(path=write(tmp_path, "batas_lulus: 0.8\n")) == "setelah_lulus_atau_percobaan_terakhir"
    (tmp_path / "b").mkdir()
    path = write(tmp_path / "b", "umpan_balik:\n  tampilkan_jawaban_benar: selalu\n"
                                 "  per_jenis: {tes_awal: tidak_pernah}\n")
    assert show_correct_option("kuis_03", path) == "selalu"
    assert show_correct_option("tes_awal_03", path) == "tidak_pernah"
    (tmp_path / "c").mkdir()
    with pytest.raises(PolicyError, match="tidak_pernah"):
        show_correct_option(path=write(tmp_path / "c", "umpan_balik: {tampilkan_jawaban_benar: kadang}\n"))


def test_assignment_kinds():
    from netralitas.policy import assignment_kind

    assert assignment_kind("kuis_07") == ("kuis", "07")
    assert assignment_kind("tes_awal_03") == ("tes_awal", "03")
    assert assignment_kind("ujian_akhir") == ("ujian", None)


def test_committed_attempts_and_feedback_policy_are_valid():
    from netralitas.policy import attempts, show_correct_option

    assert attempts("kuis_01").maximum >= 1 and attempts("tes_awal_01").maximum >= 1
    assert show_correct_option("kuis_01") == "setelah_lulus_atau_percobaan_terakhir"
    assert show_correct_option("tes_awal_01") == "tidak_pernah"  # its items are the quiz's


def test_hr_policy_follows_netralitas_policy_like_the_rest(tmp_path, monkeypatch):
    from netralitas.report.kebijakan import load_report_policy

    path = tmp_path / "kebijakan_instansi.yaml"
    path.write_text('batas_lulus: 0.8\nlaporan:\n  modul_wajib: ["02", 5]\n', encoding="utf-8")
    monkeypatch.setenv("NETRALITAS_POLICY", str(path))
    assert load_report_policy().modul_wajib == ("02", "05")
    monkeypatch.delenv("NETRALITAS_POLICY")
    assert load_report_policy().modul_wajib == ()  # the repository's: every module


def test_jp_minutes_follow_netralitas_policy_too(tmp_path, monkeypatch):
    from netralitas.facilitator.plans import jp_minutes

    assert jp_minutes() == 45
    path = tmp_path / "kebijakan_instansi.yaml"
    path.write_text("batas_lulus: 0.8\njp_menit: 40\n", encoding="utf-8")
    monkeypatch.setenv("NETRALITAS_POLICY", str(path))
    assert jp_minutes() == 40


@pytest.mark.parametrize("text, message", [
    ("batas_lulu: 0.8\n", r"batas_lulu: kunci tidak dikenal \(salah ketik\?\)"),
    ("laporan:\n  tenggat: 31-12-2026\n", "laporan.tenggat '31-12-2026': bukan tanggal YYYY-MM-DD"),
    ("laporan:\n  versi_aturan:\n    - {versi: '2025.1'}\n", r"laporan.versi_aturan.0.berlaku_sejak .*wajib diisi"),
    ("laporan: {masa_berlaku: 24}\n", "laporan.masa_berlaku: kunci tidak dikenal"),
    ("zona_waktu: Asia/Bangkok\n", "zona_waktu 'Asia/Bangkok': 'Asia/Bangkok' bukan zona waktu Indonesia; pilih salah satu"),
    ("jp_menit: 45.5\n", "jp_menit 45.5: harus bilangan bulat"),
    ("per_kuis: {ujian_akhir: 75}\n", "batas lulus ujian_akhir 75 harus di antara 0 dan 1"),
    ("percobaan:\n  per_jenis: {pretest: {maksimum: 1}}\n", "percobaan.per_jenis.pretest.*: harus salah satu dari: kuis, tes_awal, ujian"),
    ("- batas_lulus\n", "isi berkas harus berupa pasangan kunci: nilai"),
    ("batas_lulus: [0.8\n", "bukan YAML yang sah"),
])
def test_the_whole_file_is_checked_with_one_error_in_indonesian(tmp_path, monkeypatch, text, message):
    """Every reader (grading, kit, HR report) refuses the same wrong file with the same PolicyError."""
    from netralitas.facilitator.plans import jp_minutes
    from netralitas.policy import PolicyError, load_policy
    from netralitas.report.kebijakan import load_report_policy

    path = write(tmp_path, text)
    monkeypatch.setenv("NETRALITAS_POLICY", str(path))
    for read in (load_policy, lambda: pass_mark("kuis_01", path), load_report_policy, jp_minutes):
        with pytest.raises(PolicyError, match=f"kebijakan.yaml: .*{message}"):
            read()


def test_a_changed_file_is_read_again(tmp_path):
    path = write(tmp_path, "batas_lulus: 0.8\n")
    assert pass_mark("kuis_01", path) == 0.8
    path.write_text("batas_lulus: 0.7\nper_kuis: {kuis_01: 0.9}\n", encoding="utf-8")
    assert pass_mark("kuis_01", path) == 0.9 and pass_mark("kuis_02", path) == 0.7


def test_every_key_of_the_committed_file_is_declared():
    import yaml

    from netralitas.policy import POLICY_FILE, Kebijakan

    data = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    assert set(data) <= set(Kebijakan.model_fields)
    model = Kebijakan.model_validate(data)
    assert model.zona_waktu == "Asia/Jakarta" and model.laporan.masa_berlaku_bulan >= 1
