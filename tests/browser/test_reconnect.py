"""When a learner's kernel dies, the page says so in Bahasa Indonesia,
reconnects by itself, shows the saved answers again, and the next click is
saved: a click is never silently lost."""
from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from netralitas import record
from netralitas.content.loader import default_bank
from netralitas.learner.widgets import progress_path

from .jlab import current_notebook, open_in_file_browser, open_lab, output_with, wait_learner_notebook_ready

pytestmark = pytest.mark.slow

MODULE_ID = "09"


def kernel_pids(kernel_id: str) -> list[int]:
    """The kernel process this test's server started for that kernel id."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if f"kernel-{kernel_id}.json" in cmdline:
                pids.append(int(proc.name))
    return pids


def click_option(page, scenario, option_id):
    card = output_with(page, "h3", scenario.judul)
    text = scenario.option(option_id).teks
    card.locator(".netralitas-pilihan label",
                 has_text=re.compile(rf"^\s*[a-z]\.\s+{re.escape(text)}\s*$")).click()
    expect(card.locator("[role=status]")).to_be_visible()


def test_dead_kernel_is_announced_reconnected_and_no_click_is_lost(page, lab, course_state):
    bank = default_bank()
    module = bank.modules[MODULE_ID]
    first, second = bank.module_scenarios(MODULE_ID)[:2]
    learner_root = course_state[1]
    saved = learner_root / "modules" / progress_path(MODULE_ID)

    open_lab(page, lab)
    open_in_file_browser(page, f"{module.name}.ipynb")
    wait_learner_notebook_ready(page)
    click_option(page, first, first.key)
    assert record.load(saved).answers.get(first.id) == first.key

    # the kernel dies (killed, as the out-of-memory killer would)
    kernels = [k for k in lab.api("/api/sessions") if k["path"].endswith(f"{module.name}.ipynb")]
    assert len(kernels) == 1
    pids = kernel_pids(kernels[0]["kernel"]["id"])
    assert pids
    for pid in pids:
        os.kill(pid, signal.SIGKILL)

    alert = current_notebook(page).locator(".netralitas-sambungan")
    expect(alert).to_contain_text("Sambungan ke notebook terputus", timeout=30_000)
    expect(alert).to_contain_text("belum tersimpan")
    # it comes back by itself, with the saved answer shown again
    expect(alert).to_contain_text("Sambungan pulih", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden)')]"
        ".some(p => p.dataset.netralitasAutorun === 'done' && p.dataset.netralitasKernel === 'pulih')")
    card = output_with(page, "h3", first.judul)
    expect(card.locator("[role=status]")).to_contain_text(re.compile(r"^(Tepat|Belum tepat)\."))
    # and the next click is saved again
    click_option(page, second, second.key)
    page.wait_for_timeout(500)
    assert record.load(saved).answers == {first.id: first.key, second.id: second.key}
