"""Nothing a facilitator hands out or projects carries quiz key material.

Learner-visible here: the committed guide (Markdown, live notebook), the PDFs
and the attendance template, and everything the live session can put on the
projector. Quiz items (with their keys) must appear in none of them.
"""
from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from netralitas import paths
from netralitas.facilitator.live import LiveSession


def _norm(text: str) -> str:
    return " ".join(text.split())


def key_markers(items) -> list[str]:
    """Strings only a quiz item holds: its id, the openings of its situation,
    explanation and option feedback, its title. An opening that a teaching
    scenario shares (a stock sentence about a regulation) is already public in
    the modules, so it is not key material and is left out."""
    public = _norm(" ".join(p.read_text(encoding="utf-8") for p in (paths.BANK_DIR / "modul").glob("*.yaml")))
    markers = ["BEGIN HIDDEN TESTS", "score_item", "key="]
    for item in items:
        texts = [_norm(item.situasi)[:60], _norm(item.penjelasan)[:60]]
        texts += [_norm(o.umpan_balik)[:60] for o in item.pilihan]
        texts += [item.judul] if len(item.judul) >= 20 else []
        markers += [item.id] + [t for t in texts if t not in public]
    return markers


def readable(path) -> str:
    if path.suffix == ".pdf":
        return _norm(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))
    raw = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix == ".ipynb":
        raw += "\n" + json.dumps(json.loads(raw), ensure_ascii=False)
    return _norm(raw)


def leaks(files, markers) -> list[tuple[str, str]]:
    found = []
    for f in files:
        text = readable(f)
        found += [(f.name, m) for m in markers if m in text]
    return found


def learner_visible(built_kit) -> list:
    cetak, _ = built_kit
    guide = paths.REPO_ROOT / "facilitator_guide"
    files = [p for p in guide.rglob("*") if p.is_file() and "cetak" not in p.parts and "hasil_sesi" not in p.parts]
    return files + [p for p in cetak.iterdir() if p.is_file()]


def test_no_key_material_in_guide_slides_handouts_or_forms(built_kit, all_quiz_items):
    files = learner_visible(built_kit)
    assert {".md", ".ipynb", ".pdf", ".csv"} <= {f.suffix for f in files}
    assert len([f for f in files if f.suffix == ".pdf"]) == 21
    assert leaks(files, key_markers(all_quiz_items)) == []


def test_no_key_material_on_the_projector(bank, kit, tmp_path, all_quiz_items):
    session = LiveSession(bank, kit, out_dir=tmp_path)
    shown = []
    for module_id in bank.modules:
        session.start(f"modul_{module_id}")
        for _ in session.ids:
            session.reveal_button.click()
            shown += [session.card.value, session.verdict.value, session.chart.value]
            session.next_button.click()
        session.summary_button.click()
        shown.append(session.summary_html.value)
    screen = tmp_path / "layar.html"
    screen.write_text("\n".join(shown), encoding="utf-8")
    assert leaks([screen], key_markers(all_quiz_items)) == []


def test_the_scan_would_catch_a_leak(built_kit, all_quiz_items, tmp_path):
    """Not vacuous: the key files hit, and a handout carrying a quiz case would too."""
    _, kunci = built_kit
    markers = key_markers(all_quiz_items)
    assert len(markers) > 5 * len(all_quiz_items)  # filtering public text left most markers in
    assert {m for _, m in leaks(list(kunci.iterdir()), markers)} >= {i.id for i in all_quiz_items}
    leaked = tmp_path / "handout_bocor.md"
    item = all_quiz_items[5]
    leaked.write_text(f"Kasus latihan:\n{item.situasi}", encoding="utf-8")
    assert leaks([leaked], markers)


@pytest.mark.parametrize("name", ["facilitator_guide/cetak", "facilitator_guide/hasil_sesi"])
def test_generated_folders_are_not_committed(name):
    import subprocess
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{name}/x.pdf"], cwd=paths.REPO_ROOT)
    assert ignored.returncode == 0
