"""Run nbgrader's own command line as a subprocess, as an instructor would."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class NbgraderError(RuntimeError):
    """An nbgrader step failed; carries its output for the log (English, developers)."""


def nbgrader_env() -> dict[str, str]:
    from ..settings import child_env

    # nbgrader shells out to `alembic`; it must come from this interpreter's venv.
    env = child_env(Path(sys.executable).parent)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def check_config_loaded(proc: subprocess.CompletedProcess, cwd: Path) -> None:
    # nbgrader logs a broken config file and carries on with defaults (another
    # gradebook, another exchange): never let a step run like that.
    if "Exception while loading config file" in proc.stderr + proc.stdout:
        raise NbgraderError(f"nbgrader could not load the course configuration in {cwd}:\n"
                            f"{proc.stderr[-4000:]}")


def nbgrader(args: list[str], cwd: Path, check: bool = True,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env={**nbgrader_env(), **(env or {})},
                          capture_output=True, text=True)
    check_config_loaded(proc, cwd)
    if check and proc.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}) in {cwd}:\n"
                            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc
