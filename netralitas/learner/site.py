"""The learner site: a non-editable copy of the learner runtime, the only
netralitas code a learner's server and kernel see (on their PYTHONPATH).

Built from the project's wheel (what `pip install` would install, never the
checkout itself), keeping only the modules the learner runtime imports, the
teaching bank and the JupyterLab extension, plus the policy in force (how many
attempts the "Kirim jawaban" button allows). A quiz item, the quiz sources,
grading and report code are not in it, so there is nothing to import.
"""
from __future__ import annotations

import ast
import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .. import paths

# What a learner's kernel starts from: the notebooks import these.
ENTRY_MODULES = ["netralitas.learner.widgets", "netralitas.learner.exchange", "netralitas.learner.record",
                 "netralitas.learner.home"]
# Instructor side: never in the learner runtime's imports (checked by learner_modules).
INSTRUCTOR_PREFIXES = ("netralitas.grading", "netralitas.report", "netralitas.facilitator",
                       "netralitas.build", "netralitas.demo", "netralitas.hub", "netralitas.testing",
                       "netralitas.cli", "netralitas.server")
# Data the runtime reads: the teaching bank (no quiz item), the lab extension.
DATA = ["netralitas/content/bank/regulasi.yaml", "netralitas/content/bank/modul/*.yaml",
        # The behaviour table and the uncertain facts: the loader expands their markers.
        "netralitas/content/bank/perilaku.yaml", "netralitas/content/bank/ragu.yaml",
        "netralitas/labextension/*/package.json", "netralitas/labextension/*/static/*.js"]
MARKER = "netralitas-peserta.txt"
# Imported at interpreter start (first on PYTHONPATH): an editable install in
# the same environment (a developer's .venv) would otherwise resolve
# `netralitas.grading` and friends from the checkout behind this site's back.
SITECUSTOMIZE = """\
# netralitas learner site: the learner runtime comes from this folder only.
import sys

def _editable(obj):
    return getattr(obj, "__module__", "").startswith("__editable__")

sys.meta_path[:] = [f for f in sys.meta_path if not _editable(f)]
sys.path_hooks[:] = [h for h in sys.path_hooks if not _editable(h)]
sys.path[:] = [p for p in sys.path if "__editable__" not in str(p)]
sys.path_importer_cache.clear()
"""


class InstructorImport(RuntimeError):
    """The learner runtime would import instructor-side code."""


def _imports(source: str, module: str, is_package: bool) -> set[str]:
    """netralitas.* modules a source file imports, at any depth (function-level too)."""
    out = set()
    base = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("netralitas")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = ".".join(base[: len(base) - node.level + 1])
                target = f"{parent}.{node.module}" if node.module else parent
            else:
                target = node.module or ""
            if target.startswith("netralitas"):
                out.add(target)
                out |= {f"{target}.{a.name}" for a in node.names}  # `from . import record`
    return out


def learner_modules(root: Path) -> dict[str, Path]:
    """Module name -> file (relative to root) of everything the learner runtime
    imports, with their packages' __init__; raises InstructorImport when that
    reaches the instructor side."""
    root = Path(root)
    found: dict[str, Path] = {}
    todo = list(ENTRY_MODULES)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if name.startswith(INSTRUCTOR_PREFIXES):
            raise InstructorImport(f"the learner runtime imports {name} (instructor side)")
        rel = Path(*name.split("."))
        if (root / rel / "__init__.py").exists():
            path, package = rel / "__init__.py", True
        elif (root / rel.with_suffix(".py")).exists():
            path, package = rel.with_suffix(".py"), False
        else:
            continue  # a name imported from a module (`from .x import y`), not a module
        found[name] = path
        parts = name.split(".")
        todo += [".".join(parts[:n]) for n in range(1, len(parts))]
        todo += sorted(_imports((root / path).read_text(encoding="utf-8"), name, package))
    return found


def build_wheel(project: Path = paths.REPO_ROOT) -> Path:
    """The project's wheel, built from a copy of the tracked sources (an in-tree
    build would leave build/ in the checkout)."""
    work = Path(tempfile.mkdtemp(prefix="netralitas-wheel-"))
    src = work / "src"
    shutil.copytree(project / "netralitas", src / "netralitas",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(project / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work), str(src)],
                   check=True, capture_output=True, text=True)
    return next(work.glob("netralitas-*.whl"))


def build_site(dest: Path, wheel: Path | None = None, policy: Path | None = None) -> Path:
    """Write the learner site into dest (replaced whole): readable by every
    learner, writable by nobody but its owner."""
    from ..policy import policy_file

    dest = Path(dest)
    own_wheel = wheel is None
    wheel = Path(wheel) if wheel else build_wheel()
    staging = Path(tempfile.mkdtemp(prefix="netralitas-site-"))
    try:
        unpacked = staging / "wheel"
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(unpacked)
        keep = [str(p) for p in learner_modules(unpacked).values()]
        names = [str(p.relative_to(unpacked)) for p in unpacked.rglob("*") if p.is_file()]
        keep += [n for n in names if any(fnmatch.fnmatch(n, pattern) for pattern in DATA)]
        site = staging / "site"
        for rel in sorted(set(keep)):
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(unpacked / rel, site / rel)
        # policy.py looks for grading/kebijakan.yaml beside the package
        rules = Path(policy or policy_file())
        if rules.exists():
            (site / "grading").mkdir()
            shutil.copy(rules, site / "grading" / "kebijakan.yaml")
        (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        (site / MARKER).write_text(f"netralitas learner runtime, from {wheel.name}\n", encoding="utf-8")
        for path in [site, *site.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(site), dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if own_wheel:
            shutil.rmtree(wheel.parent, ignore_errors=True)
    return dest
