"""Live session mode: the counting, reveal, chart and summary logic, and the
notebook itself running headless with its widgets driven in a real kernel."""
from __future__ import annotations

import csv
import html
import json
import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from netralitas import paths
from netralitas.facilitator.build import LIVE_NOTEBOOK
from netralitas.facilitator.live import LiveSession, choices


@pytest.fixture
def session(bank, kit, tmp_path):
    return LiveSession(bank, kit, out_dir=tmp_path / "hasil_sesi")


def test_picker_offers_every_plan_and_module(bank, kit, session):
    values = [v for _, v in choices(bank, kit)]
    assert values[:3] == ["sesi_60", "sesi_120", "sesi_180"]
    assert {f"modul_{m}" for m in bank.modules} <= set(values)
    assert session.picker.description == "Materi sesi:"


def test_counts_chart_and_reveal(bank, session):
    session.picker.value = "sesi_60"
    session.start_button.click()
    s = session.scenario
    assert s.id == "S02-01" and html.escape(s.judul) in session.card.value
    labels = [box.description for box in session.inputs.values()]
    assert labels == [f"Jumlah tangan {c}." for c in "abc"]
    right = next(o.id for o in s.pilihan if o.benar)
    wrong = next(o.id for o in s.pilihan if not o.benar)
    session.inputs[right].value, session.inputs[wrong].value = 12, 28
    assert "40 tangan" in session.chart.value and "(70%)" in session.chart.value
    # Before the reveal nothing on screen tells the room which option is right.
    assert session.verdict.value == "" and "✓" not in session.chart.value and "#1a7f37" not in session.chart.value
    session.reveal_button.click()
    assert "Putusan: Melanggar" in session.verdict.value
    assert all(c in session.verdict.value for c in bank.cite(s)[0].split()[:2])
    assert "Sanksi:" in session.verdict.value and "30%" in session.chart.value


def test_navigation_keeps_each_rooms_counts(session):
    session.start("modul_02")
    first = session.scenario.id
    session.inputs["a"].value = 5
    session.next_button.click()
    assert session.scenario.id != first and session.inputs["a"].value == 0
    session.prev_button.click()
    assert session.scenario.id == first and session.inputs["a"].value == 5
    assert session.prev_button.disabled
    for _ in range(20):
        session.next_button.click()
    assert session.next_button.disabled and session.index == len(session.ids) - 1


def test_summary_names_what_the_room_got_wrong_and_saves_csv(bank, session):
    session.start("sesi_60")
    for n, sid in enumerate(session.ids):
        s = bank.scenarios[sid]
        right = next(o.id for o in s.pilihan if o.benar)
        wrong = next(o.id for o in s.pilihan if not o.benar)
        # the room gets the 2nd and 4th cases wrong
        session.inputs[right].value, session.inputs[wrong].value = (10, 30) if n in (1, 3) else (35, 5)
        session.next_button.click()
    session.summary_button.click()
    data = session.summary()
    assert data["keliru"] == [session.ids[1], session.ids[3]]
    assert data["persen_benar"] == pytest.approx(100 * (3 * 35 + 2 * 10) / 200, abs=0.1)
    assert "Ruangan keliru" in session.summary_html.value
    assert html.escape(bank.scenarios[session.ids[1]].judul) in session.summary_html.value
    session.save_button.click()
    saved = list(session.out_dir.glob("hasil_sesi_60_*.csv"))
    assert len(saved) == 1 and "tersimpan" in session.status.value
    with open(saved[0], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert sum(int(r["Jumlah tangan"]) for r in rows) == 200
    assert not list(session.out_dir.glob("*.tmp"))


def test_counts_cannot_go_negative_or_absurd(session):
    session.start("modul_06")
    box = session.inputs["a"]
    box.value = -3
    assert box.value == 0
    box.value = 100000
    assert box.value == box.max


@pytest.mark.slow
def test_live_notebook_runs_headless_and_its_widgets_work_in_a_real_kernel(tmp_path, bank):
    """The committed notebook, executed by nbclient; a cell added at the end presses
    the buttons and types the counts as a facilitator would."""
    shutil.copy(paths.REPO_ROOT / "facilitator_guide" / LIVE_NOTEBOOK, tmp_path / LIVE_NOTEBOOK)
    nb = nbformat.read(tmp_path / LIVE_NOTEBOOK, as_version=4)
    drive = """
import json
from netralitas.facilitator import live
s = live.CURRENT
s.picker.value = "sesi_60"
s.start_button.click()
for n in range(len(s.ids)):
    first, second = list(s.inputs)[:2]
    s.inputs[first].value = 20 if n % 2 else 4
    s.inputs[second].value = 6
    s.reveal_button.click()
    s.next_button.click()
s.summary_button.click()
s.save_button.click()
print(json.dumps({"summary": s.summary(), "verdict": s.verdict.value[:200], "status": s.status.value}))
"""
    nb.cells.append(nbformat.v4.new_code_cell(drive))
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(stderr=subprocess.DEVNULL)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    widget_views = [o for o in nb.cells[1].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widget_views  # the app rendered as widgets, not as text
    result = json.loads(nb.cells[-1].outputs[-1]["text"])
    assert result["summary"]["kasus"] == result["summary"]["dihitung"] == 5
    assert "Putusan:" in result["verdict"]
    expected_wrong = []
    for n, sid in enumerate(result["summary"]["per_kasus"]):
        first, second = bank.scenarios[sid].pilihan[:2]
        hands = {first.id: 20 if n % 2 else 4, second.id: 6}
        right = sum(count for oid, count in hands.items() if bank.scenarios[sid].option(oid).benar)
        if right * 2 < sum(hands.values()):
            expected_wrong.append(sid)
    assert expected_wrong  # the drive above makes the room wrong at least once
    assert result["summary"]["keliru"] == expected_wrong
    assert list((tmp_path / "hasil_sesi").glob("hasil_sesi_60_*.csv"))


@pytest.mark.slow
def test_sesi_command_serves_the_notebook_in_voila():
    """`netralitas sesi` on a free local port: the page renders the app as widgets, with no error."""
    import time
    import urllib.request

    from netralitas.facilitator.cli import serving_live_session

    with serving_live_session() as port:
        page, deadline = "", time.monotonic() + 90
        while time.monotonic() < deadline and "widget-view" not in page:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read().decode()
            except OSError:
                time.sleep(1)
        assert "Sesi langsung: kasus di layar proyektor" in page
        assert "application/vnd.jupyter.widget-view+json" in page
        assert "Traceback" not in page and '"output_type": "error"' not in page
