"""The course home reads results from released feedback pages only, and
never breaks on a strange page."""
from __future__ import annotations

from netralitas.learner.home import _new_result, _score_text, results


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


def test_the_watcher_takes_only_the_page_of_the_submission_just_sent(tmp_path):
    """An older submission's page fetched while waiting is not 'Hasil kiriman ini'."""
    older, newer = "2026-01-02 03:04:05.000001 UTC", "2026-01-02 03:14:05.000001 UTC"
    _page(tmp_path, "kuis_01", older, "<h4>Nilai: 5 dari 9</h4>")
    assert _new_result("kuis_01", tmp_path, 0, newer) is None
    assert _new_result("kuis_01", tmp_path, 0, None).score == 5  # its time unknown: counted as before
    _page(tmp_path, "kuis_01", newer, "<h4>Nilai: 9 dari 9</h4>")
    assert _new_result("kuis_01", tmp_path, 1, newer).score == 9
    assert [r.score for r in results("kuis_01", tmp_path, older)] == [5]
