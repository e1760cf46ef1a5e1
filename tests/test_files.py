"""The one atomic writer and the one 'rewrite what drifted' writer (netralitas/files.py)."""
from __future__ import annotations

import os

import pytest

from netralitas.files import atomic_path, atomic_write, write_changed


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "laporan.csv"
    path.write_text("lama\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("setengah", encoding="utf-8")
        raise RuntimeError("disk penuh")
    assert path.read_text(encoding="utf-8") == "lama\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.csv"]


def test_modes_follow_the_umask_unless_given(tmp_path):
    old = os.umask(0o077)
    try:
        assert atomic_write(tmp_path / "pribadi.txt", "NIP").stat().st_mode & 0o777 == 0o600
        assert atomic_write(tmp_path / "umum.json", b"{}", mode=0o644).stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_write_changed_writes_only_what_drifted(tmp_path):
    same, other, new = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "sub" / "c.md"
    same.write_text("A", encoding="utf-8")
    other.write_text("lama", encoding="utf-8")
    targets = {same: "A", other: "B", new: "C"}
    before = same.stat().st_mtime_ns
    assert write_changed(targets, check=True) == [other, new] and not new.exists()
    assert write_changed(targets) == [other, new]
    assert other.read_text(encoding="utf-8") == "B" and new.read_text(encoding="utf-8") == "C"
    assert same.stat().st_mtime_ns == before and write_changed(targets, check=True) == []
