"""Reference pages in docs/ are generated from the declared models and checked for drift."""
from __future__ import annotations

from netralitas import paths
from netralitas.build import reference
from netralitas.files import write_changed
from netralitas.policy import Kebijakan
from netralitas.settings import Settings, env_name
from netralitas.tables import REPORT_SHEETS


def test_the_committed_pages_are_what_the_models_say():
    assert write_changed(reference.targets(), check=True) == []


def test_every_declared_name_has_its_row():
    pages = {p.name: text for p, text in reference.targets().items()}
    assert all(f"`{env_name(n)}`" in pages["PENGATURAN.md"] for n in Settings.model_fields)
    assert all(f"`{n}`" in pages["KEBIJAKAN.md"] for n in Kebijakan.model_fields)
    assert "`laporan.versi_aturan[].berlaku_sejak`" in pages["KEBIJAKAN.md"]
    assert all(f"### {s}" in pages["TABEL.md"] for s in REPORT_SHEETS)
    assert "`durasi_menit`" in pages["BANK_KONTEN.md"] and "`pilihan`" in pages["BANK_KONTEN.md"]


def test_a_changed_model_makes_the_page_stale(monkeypatch, tmp_path):
    write_changed(reference.targets(tmp_path))
    field = Settings.model_fields["hub_port"]
    monkeypatch.setattr(field, "description", "Port baru.")
    stale = write_changed(reference.targets(tmp_path), check=True)
    assert stale == [tmp_path / "docs" / "PENGATURAN.md"]
    assert (paths.REPO_ROOT / "docs" / "PENGATURAN.md").exists()
