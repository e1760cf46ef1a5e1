"""A simulated learner working through a notebook in a real kernel.

Used by the demo and the tests. Clicks are made by setting the value of the
live widget in the kernel, which fires the same observer as a mouse click in
JupyterLab; the answer record is written by the notebook's own code.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def work_through(notebook: Path, clicks: dict[str, str | None], timeout: int = 60,
                 save: bool = True, press: list[str] = ()) -> nbformat.NotebookNode:
    """Run All, click the given options, press the given buttons (e.g. the quiz's
    "Kirim jawaban"), and save the notebook as the learner would."""
    notebook = Path(notebook)
    nb = nbformat.read(notebook, as_version=4)
    n_cells = len(nb.cells)
    if clicks or press:
        lines = ["from netralitas.learner.widgets import klik, tekan"]
        lines += [f"klik({json.dumps(item)}, {json.dumps(option)})" for item, option in clicks.items()]
        lines += [f"tekan({json.dumps(name)})" for name in press]
        nb.cells.append(nbformat.v4.new_code_cell("\n".join(lines)))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    # The kernel's own stderr carries only start-up chatter (ipykernel warns about
    # loopback TCP); errors in the notebook arrive as cell outputs.
    client.execute(stderr=subprocess.DEVNULL)
    nb.cells = nb.cells[:n_cells]  # the clicking cell is ours, not the learner's
    if save:
        nbformat.write(nb, notebook)
    return nb
