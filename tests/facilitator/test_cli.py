"""`netralitas kit`: bad arguments get a clear Indonesian message and write nothing."""
from __future__ import annotations

from netralitas.cli import main


def test_unknown_session_plan_is_refused(tmp_path, capsys):
    assert main(["kit", "--sesi", "sesi_90", "--cetak", str(tmp_path / "c"), "--kunci", str(tmp_path / "k"),
                 "--panduan", str(tmp_path / "p")]) == 2
    assert "sesi_60, sesi_120, sesi_180" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_unreadable_date_is_refused(tmp_path, capsys):
    assert main(["kit", "--tanggal", "18 September", "--cetak", str(tmp_path / "c"),
                 "--kunci", str(tmp_path / "k"), "--panduan", str(tmp_path / "p")]) == 2
    assert "YYYY-MM-DD atau DD/MM/YYYY" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
