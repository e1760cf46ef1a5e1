"""The two README commands and their pinned environment stay consistent."""
from __future__ import annotations

import re
import tomllib

import yaml

from netralitas import paths


def _pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)\s*", line)
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = _pins(project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((paths.REPO_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "conda-forge" in env["channels"]
    assert _pins(conda + pip) == wanted


def test_readme_gives_the_two_commands():
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme and "make lab" in readme
    ci = (paths.REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_generated_course_folders_are_ignored_by_git():
    ignored = (paths.REPO_ROOT / ".gitignore").read_text()
    for folder in ["grading/release/", "grading/submitted/", "grading/autograded/",
                   "grading/feedback/", "grading/gradebook.db", "grading/reports/", ".venv/"]:
        assert folder in ignored


def test_readme_lists_every_module(bank):
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for mod in bank.modules.values():
        assert f"[{mod.judul}](modules/{mod.name}.ipynb)" in readme
        assert (paths.MODULES_DIR / f"{mod.name}.ipynb").exists()


def test_hub_learners_hide_what_local_learner_servers_hide():
    """hub/peserta's page_config disables the same plugins (instructor panels,
    Launcher) as `make lab NETRALITAS_NIP=...` does."""
    import json

    from netralitas.server import LEARNER_HIDDEN_PLUGINS

    config = json.loads((paths.REPO_ROOT / "hub" / "peserta" / "labconfig" / "page_config.json").read_text())
    assert {p for p, off in config["disabledExtensions"].items() if off} == set(LEARNER_HIDDEN_PLUGINS)


def test_ruff_finds_nothing():
    """`make check` lints with the pinned ruff; CI runs it here too."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(paths.REPO_ROOT)],
                          capture_output=True, text=True, cwd=paths.REPO_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
