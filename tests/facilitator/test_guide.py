"""The committed guide and live notebook: generated from the bank, clean, not drifting."""
from __future__ import annotations

import json
import re

from netralitas import paths
from netralitas.facilitator.build import LIVE_NOTEBOOK, committed_targets, write

GUIDE = paths.REPO_ROOT / "facilitator_guide"


def test_committed_guide_matches_the_bank(bank, kit):
    stale = write(committed_targets(bank, kit), check=True)
    assert stale == [], "run `make kit` and commit the result"


def test_check_reports_a_hand_edit(tmp_path, bank, kit):
    write(committed_targets(bank, kit, tmp_path))
    assert write(committed_targets(bank, kit, tmp_path), check=True) == []
    page = tmp_path / "tanya_jawab.md"
    page.write_text(page.read_text(encoding="utf-8").replace("BKPSDM", "KASN", 1), encoding="utf-8")
    assert write(committed_targets(bank, kit, tmp_path), check=True) == [page]


def test_cli_check_passes_on_the_committed_guide():
    from netralitas.cli import main
    assert main(["kit", "--check"]) == 0


def test_module_guides_carry_every_part(bank, kit):
    for mod in bank.modules.values():
        text = (GUIDE / "modul" / f"{mod.name}.md").read_text(encoding="utf-8")
        for heading in ["## Poin bicara", "## Pertanyaan diskusi", "## Miskonsepsi dan cara menjawabnya",
                        "## Kasus abu-abu untuk diperdebatkan", "## Dasar hukum yang dikutip"]:
            assert heading in text, (mod.id, heading)
        for s in bank.module_scenarios(mod.id):
            assert s.id in text


def test_session_plans_state_jp_and_every_scenario(kit):
    text = (GUIDE / "rencana_sesi.md").read_text(encoding="utf-8")
    assert "1 JP = 45 menit" in text and "tanyakan kepada BKPSDM" in text
    for plan in kit.plans.values():
        assert all(s in text for s in plan.scenarios)


def test_live_notebook_is_clean_and_shows_no_code():
    nb = json.loads((GUIDE / LIVE_NOTEBOOK).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1
    for cell in nb["cells"]:
        assert not cell.get("outputs") and not cell.get("execution_count")
    assert code[0]["metadata"]["jupyter"]["source_hidden"] and "hide-input" in code[0]["metadata"]["tags"]


def test_readme_links_resolve():
    readme = (GUIDE / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if not link.startswith("http")]
    assert len(local) >= 6
    for link in local:
        assert (GUIDE / link).exists(), link
