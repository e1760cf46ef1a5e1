"""The course home reads results from released feedback pages only, and
never breaks on a strange page."""
from __future__ import annotations

from netralitas.learner.home import _score_text, results


def _page(home, aid, stamp, body):
    folder = home / aid / "feedback" / stamp
    folder.mkdir(parents=True)
    (folder / f"{aid}.html").write_text(body, encoding="utf-8")


def test_results_in_time_order_with_verdict(tmp_path):
    _page(tmp_path, "kuis_01", "2026-01-02 03:04:05.000001 UTC",
          "<p class='netralitas-putusan'><b style='x'>BELUM LULUS</b></p><h4>Nilai: 7 dari 9</h4>")
    _page(tmp_path, "kuis_01", "2026-01-02 03:14:05.000001 UTC",
          "<p class=\"netralitas-putusan\" style=''>\n <b style='x'>LULUS</b></p><h4>Nilai: 8,5 dari 9</h4>")
    found = results("kuis_01", tmp_path)
    assert [(r.score, r.maximum, r.passed) for r in found] == [(7, 9, False), (8.5, 9, True)]
    assert _score_text(found[1]).startswith("Nilai 8,5 dari 9")
    assert "LULUS" in _score_text(found[1]) and "BELUM" not in _score_text(found[1])


def test_strange_pages_are_skipped_not_fatal(tmp_path):
    _page(tmp_path, "kuis_02", "a", "")
    (tmp_path / "kuis_02" / "feedback" / "a" / "kuis_02.html").write_bytes(b"\xff\xfe Nilai: \xff dari")
    _page(tmp_path, "kuis_02", "b", "<h4>Nilai: x dari y</h4>")
    _page(tmp_path, "kuis_02", "c", "<h4>Nilai: 3 dari 9</h4>")  # no verdict line (older template)
    found = results("kuis_02", tmp_path)
    assert [(r.score, r.passed) for r in found] == [(3, None)]
    assert results("kuis_03", tmp_path) == []
