"""The kit built once per test session, by the same one command a facilitator runs."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def kit(bank):
    from netralitas.facilitator.content import load_kit
    return load_kit(bank)


@pytest.fixture(scope="session")
def built_kit(tmp_path_factory):
    """`netralitas kit --sesi sesi_120 --tanggal ...` into temporary print and key folders."""
    from netralitas.cli import main

    root = tmp_path_factory.mktemp("kit")
    cetak, kunci = root / "cetak", root / "kunci"
    # Everything into tmp: the committed guide is only compared, never rewritten, by tests.
    assert main(["kit", "--sesi", "sesi_120", "--tanggal", "2024-09-18", "--panduan", str(root / "panduan"),
                 "--cetak", str(cetak), "--kunci", str(kunci)]) == 0
    assert (root / "panduan" / "rencana_sesi.md").exists()
    return cetak, kunci
