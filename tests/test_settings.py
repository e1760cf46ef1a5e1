"""Every environment variable is declared once (netralitas/settings.py) and read only there."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from netralitas import paths
from netralitas.settings import (FOREIGN, OLD_NAMES, Settings, SettingsError, child_env, env_name, overridden,
                                 settings)

DECLARED = {env_name(f) for f in Settings.model_fields}


def _tracked_text() -> str:
    files = subprocess.run(["git", "ls-files", "*.py", "*.md", "*.yaml", "*.yml", "Makefile", ".ci/run"],
                           cwd=paths.REPO_ROOT, capture_output=True, text=True, check=True).stdout.split()
    return "\n".join((paths.REPO_ROOT / f).read_text(encoding="utf-8", errors="replace")
                     for f in files if (paths.REPO_ROOT / f).is_file())


def test_every_variable_named_anywhere_is_declared():
    named = set(re.findall(r"\bNETRALITAS_[A-Z][A-Z0-9_]*[A-Z0-9]\b", _tracked_text()))
    assert named - DECLARED - set(OLD_NAMES) == set()


def test_one_name_scheme_and_a_description_each():
    for name, info in Settings.model_fields.items():
        variable = env_name(name)
        assert variable in FOREIGN or variable == "NETRALITAS_" + name.upper(), variable
        assert info.description and len(info.description) > 20, name


def test_nothing_else_in_the_package_reads_the_environment():
    hits = [f"{p.relative_to(paths.REPO_ROOT)}:{n}" for p in paths.PACKAGE_DIR.rglob("*.py")
            if p.name != "settings.py"
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if "os.environ" in line or "getenv(" in line]
    assert hits == []


def test_old_names_still_work_and_new_ones_win(monkeypatch):
    monkeypatch.setenv("NETRALITAS_RAHASIA", "lama")
    monkeypatch.setenv("NETRALITAS_KURSUS", "/srv/kursus")
    monkeypatch.setenv("NETRALITAS_HUB_INSTRUKTUR", "guru1, guru2,")
    assert settings().secret == "lama" and str(settings().course) == "/srv/kursus"
    assert settings().hub_instructors == ("guru1", "guru2")
    monkeypatch.setenv("NETRALITAS_SECRET", "baru")
    assert settings().secret == "baru"


def test_empty_means_unset_and_values_are_read_afresh(monkeypatch):
    monkeypatch.setenv("NETRALITAS_DB_URL", "")
    assert settings().db_url is None
    monkeypatch.setenv("NETRALITAS_DB_URL", "sqlite:///x.db")
    assert settings().db_url == "sqlite:///x.db"
    monkeypatch.setenv("NETRALITAS_HUB_PORT", "9001")
    assert settings().hub_port == 9001


@pytest.mark.parametrize("variable, value", [("NETRALITAS_HUB_PORT", "delapan ribu"), ("NETRALITAS_GRADER", "cepat"),
                                             ("NETRALITAS_CELL_TIMEOUT", "-5"), ("NETRALITAS_HUB_CULL_SERVER_S", "0")])
def test_a_bad_value_names_its_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"{variable}: .*{re.escape(repr(value))}"):
        settings()


def test_overridden_restores_and_reaches_subprocesses(monkeypatch):
    monkeypatch.delenv("NETRALITAS_POLICY", raising=False)
    monkeypatch.setenv("NETRALITAS_NIP", "199001002020121001")
    with overridden(policy="/tmp/kebijakan_uji.yaml", nip=None):
        assert str(settings().policy) == "/tmp/kebijakan_uji.yaml" and settings().nip is None
        out = subprocess.run([sys.executable, "-c", "from netralitas.settings import settings; print(settings().policy)"],
                             capture_output=True, text=True, check=True, env=child_env()).stdout
        assert out.strip() == "/tmp/kebijakan_uji.yaml"
    assert "NETRALITAS_POLICY" not in os.environ and settings().nip == "199001002020121001"


def test_child_env_changes_only_the_copy(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRALITAS_EXCHANGE", "/srv/exchange")
    env = child_env(tmp_path, NETRALITAS_EXCHANGE=None, NETRALITAS_GRADER="record")
    assert "NETRALITAS_EXCHANGE" not in env and env["NETRALITAS_GRADER"] == "record"
    assert env["PATH"].split(os.pathsep)[0] == str(tmp_path)
    assert os.environ["NETRALITAS_EXCHANGE"] == "/srv/exchange" and "NETRALITAS_GRADER" not in os.environ
