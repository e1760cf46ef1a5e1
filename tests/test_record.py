from __future__ import annotations

import json

from netralitas import record


def test_save_then_load_roundtrip(tmp_path):
    path = tmp_path / "jawaban.json"
    record.save_answer(path, "K02-01", "b")
    record.save_answer(path, "K02-02", "a")
    record.save_answer(path, "K02-01", "c")  # changing one's mind keeps the latest
    assert record.load(path).answers == {"K02-01": "c", "K02-02": "a"}
    assert record.load(path).problem is None


def test_save_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "jawaban.json"
    for i in range(20):
        record.save_answer(path, f"K{i}", "a")
    assert [p.name for p in tmp_path.iterdir()] == ["jawaban.json"]


def test_missing_and_corrupt_are_reported_not_raised(tmp_path):
    path = tmp_path / "jawaban.json"
    assert record.load(path).problem == "missing"
    path.write_text('{"answers": {"K02-01": {"opt', encoding="utf-8")
    assert record.load(path).problem == "corrupt"
    path.write_text('[1, 2, 3]', encoding="utf-8")
    assert record.load(path).problem == "corrupt"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert record.load(path).problem == "corrupt"


def test_load_never_writes(tmp_path):
    path = tmp_path / "jawaban.json"
    path.write_text("not json", encoding="utf-8")
    before = path.stat().st_mtime_ns
    record.load(path)
    assert path.read_text(encoding="utf-8") == "not json" and path.stat().st_mtime_ns == before


def test_corrupt_record_is_kept_aside_when_learner_clicks_again(tmp_path):
    path = tmp_path / "jawaban.json"
    path.write_text("not json", encoding="utf-8")
    record.save_answer(path, "K02-01", "a")
    backups = list(tmp_path.glob("jawaban.json.rusak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "not json"
    assert record.load(path).answers == {"K02-01": "a"}


def test_record_format_is_versioned(tmp_path):
    path = tmp_path / "jawaban.json"
    record.save_answer(path, "K02-01", "a", context="kuis")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == record.FORMAT and data["answers"]["K02-01"]["option"] == "a"
    assert "at" in data["answers"]["K02-01"]


def test_pilih_semua_scoring_is_all_or_nothing(tmp_path):
    from netralitas.grading.check import evaluate

    path = tmp_path / "jawaban.json"
    options = {"a": "A", "b": "B", "c": "C", "d": "D"}
    args = dict(item_id="K", key="a,c", options=options, points=1, feedback={}, basis="", multi=True,
                record_path=path)
    for chosen, reason in [("a,c", "correct"), ("c,a", "correct"), ("a", "wrong"), ("a,b,c", "wrong"),
                           ("a,z", "unknown_option"), (None, "unanswered")]:
        record.save_answer(path, "K", chosen)
        earned, _, payload, _ = evaluate(**args)
        assert payload["reason"] == reason, chosen
        assert earned == (1.0 if reason == "correct" else 0.0)


def _click_many(args):
    path, learner_tab = args
    for n in range(25):
        record.save_answer(path, f"{learner_tab}-{n}", "a")


def test_clicks_saved_at_once_from_many_processes_are_all_kept(tmp_path):
    """Six processes (tabs, a widget firing twice) save into one record at the
    same time: the locked read-modify-write keeps every click (unlocked: about
    a fifth survived)."""
    import multiprocessing

    path = tmp_path / "jawaban.json"
    with multiprocessing.get_context("fork").Pool(6) as pool:
        pool.map(_click_many, [(path, f"tab{t}") for t in range(6)])
    assert len(record.load(path).answers) == 6 * 25
    assert [p.name for p in tmp_path.iterdir()] == ["jawaban.json"]  # no lock file to submit


def test_record_is_private_to_its_owner(tmp_path):
    path = tmp_path / "jawaban.json"
    record.save_answer(path, "K02-01", "a")
    assert path.stat().st_mode & 0o077 == 0
