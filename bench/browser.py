"""Benchmark: how long a learner waits, in a real browser, from double-clicking
a module in JupyterLab to the first answer button that can be clicked.

Measured in one run against a baseline: a one-cell notebook (hidden code, one
ipywidgets button) opened the same way, so the figure separates what JupyterLab
and a fresh kernel cost from what the module itself adds (the netralitas
import, the bank, the cards). Every open starts a fresh kernel (the previous
one is shut down), as on a learner's first visit. Not a pass/fail test; the
issue's target (3 s) is reported beside the figures.

    make bench                                  # every module, 2 opens each
    python -m bench.browser --repeat 3 --modules 01 02

Figures are printed and written to bench/results/browser_<timestamp>.json.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from netralitas import paths
from netralitas.grading.course import Course
from netralitas.server import running_lab

from bench import save_results
from netralitas.clock import now_utc  # result times in UTC, named with Z, whatever the TZ

TARGET_S = 3.0
BASELINE = "00_dasar.ipynb"


def baseline_notebook(path: Path) -> None:
    """One hidden code cell showing one button: JupyterLab + kernel + widgets, nothing of ours."""
    cell = nbformat.v4.new_code_cell("import ipywidgets as w\nw.Button(description='Siap')")
    cell.metadata["jupyter"] = {"source_hidden": True}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Dasar"), cell])
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(nb, path)


def open_and_time(page, lab, name: str, ready: str) -> tuple[float, float]:
    """(seconds to the document's text, seconds to the first widget) after the double-click."""
    page.locator(".jp-DirListing-item", has_text=name).first.dblclick()
    start = time.monotonic()
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
    panel.locator(".jp-MarkdownOutput h1").first.wait_for(state="visible", timeout=60_000)
    doc = time.monotonic() - start
    panel.locator(ready).first.wait_for(state="visible", timeout=60_000)
    widget = time.monotonic() - start
    # Close it and end its kernel: the next open is a first visit again.
    page.wait_for_function("() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden)')]"
                           ".some(p => p.dataset.netralitasAutorun === 'done')", timeout=60_000)
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").click()
    for kernel in lab.api("/api/kernels"):
        lab.request("DELETE", f"/api/kernels/{kernel['id']}")
    page.wait_for_timeout(300)
    return doc, widget


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--modules", nargs="*", help="module ids (default: all)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(paths.REPO_ROOT))
    from tests.browser.conftest import chromium_path

    executable = chromium_path()
    if executable is None:
        print("Chromium tidak terpasang (make chromium); pengukuran peramban dilewati.")
        return {}
    from playwright.sync_api import sync_playwright

    modules = sorted(p.name for p in paths.MODULES_DIR.glob("*.ipynb")
                     if not args.modules or p.name[:2] in args.modules)
    tmp = Path(tempfile.mkdtemp(prefix="netralitas-bench-browser-"))
    try:
        root = tmp / "peserta"
        shutil.copytree(paths.MODULES_DIR, root / "modules", ignore=shutil.ignore_patterns(".progres"))
        baseline_notebook(root / "modules" / BASELINE)
        course = Course.init(tmp / "kursus", source=paths.QUIZ_SOURCE_DIR)
        load = os.getloadavg()
        with running_lab(root, course.root, nip="199001002020121001", home=tmp / "jupyter") as lab, \
                sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(lab.url("/lab/tree/modules", reset=""))
            page.locator(".jp-DirListing-item").first.wait_for(timeout=90_000)
            open_and_time(page, lab, BASELINE, ".widget-button")  # warm-up: JupyterLab's own first load
            runs: dict[str, list[tuple[float, float]]] = {BASELINE: []}
            for _ in range(args.repeat):
                # Interleaved, so load changes hit the baseline and the modules alike.
                runs[BASELINE].append(open_and_time(page, lab, BASELINE, ".widget-button"))
                for name in modules:
                    runs.setdefault(name, []).append(
                        open_and_time(page, lab, name, ".netralitas-pilihan input, .netralitas-cek button"))
            browser.close()
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def median(name, i):
        return round(statistics.median(r[i] for r in runs[name]), 3)

    base = median(BASELINE, 1)
    per_module = {name: {"dokumen_s": median(name, 0), "widget_pertama_s": median(name, 1),
                         "rasio_terhadap_dasar": round(median(name, 1) / base, 2),
                         "semua_s": [round(r[1], 3) for r in runs[name]]}
                  for name in modules}
    worst = max(v["widget_pertama_s"] for v in per_module.values())
    result = {
        "benchmark": "browser_first_widget",
        "when": now_utc().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "loadavg_before": [round(x, 2) for x in load], "loadavg_after": [round(x, 2) for x in load_after]},
        "repeat": args.repeat,
        "dasar_widget_pertama_s": base,
        "dasar_semua_s": [round(r[1], 3) for r in runs[BASELINE]],
        "modul": per_module,
        "terlama_s": worst,
        "target_s": TARGET_S,
        "dalam_target": worst <= TARGET_S,
    }
    out = save_results("browser", result)
    print(f"Dasar (1 tombol): widget pertama {base:.2f} s")
    for name, v in per_module.items():
        print(f"{name:58s} teks {v['dokumen_s']:.2f} s, widget pertama {v['widget_pertama_s']:.2f} s "
              f"({v['rasio_terhadap_dasar']:.2f}x dasar)")
    print(f"Terlama {worst:.2f} s (target {TARGET_S:.0f} s: {'terpenuhi' if worst <= TARGET_S else 'TIDAK terpenuhi'}); "
          f"beban mesin {load[0]:.2f} -> {load_after[0]:.2f}; hasil: {out}")
    return result


if __name__ == "__main__":
    main()
