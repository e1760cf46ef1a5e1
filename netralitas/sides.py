"""The two sides of a course installation, kept apart by file permissions.

Instructor side: the checkout (quiz bank and quiz sources with every key, its
git history, the `make lab` course folder with gradebook and signing key, demo
and test data) and the hub's instructor folder (course folder, gradebook,
submitted/, autograded/, `.rahasia`, database URL). Learner side: the learner
site (`netralitas.learner.site`), the exchange's released quizzes and their
own home. `seal_checkout` closes the checkout to every other account except
the few folders a learner's server must traverse; run as root before learners
get servers (hub/siapkan.py).
"""
from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

# What a learner's or instructor's server reads from the checkout: the hub's
# environment (interpreter and third-party packages) and its Jupyter configs.
PUBLIC = ("hub",)
# Inside hub/: nothing secret, but not for learners either.
PRIVATE_IN_HUB = ("siapkan.py", "jupyterhub_config.py", "package.json", "package-lock.json", "node_modules")
PRIVATE_UMASK = 0o077


def _close(path: Path) -> None:
    mode = path.lstat().st_mode
    if not stat.S_ISLNK(mode):
        os.chmod(path, stat.S_IMODE(mode) & ~0o077)


def seal_checkout(repo: Path, reachable: list[Path] = ()) -> list[Path]:
    """Close every top-level entry of the checkout to group and others except
    PUBLIC, leaving the checkout itself traversable but not listable; each
    path in `reachable` (e.g. a hub state folder inside the checkout) stays
    traversable along the way. Returns what was closed."""
    repo = Path(repo).resolve()
    keep: dict[Path, set[str]] = {repo: set(PUBLIC)}
    for target in reachable:
        target = Path(target).resolve()
        if repo not in target.parents:
            continue
        parts = target.relative_to(repo).parts
        for n in range(len(parts)):
            keep.setdefault(repo.joinpath(*parts[:n]), set()).add(parts[n])
    closed = []
    for folder, names in keep.items():
        os.chmod(folder, (stat.S_IMODE(folder.stat().st_mode) & ~0o077) | 0o011)
        for entry in folder.iterdir():
            if entry.name not in names:
                _close(entry)
                closed.append(entry)
    for target in reachable:  # usable by the others it is kept for (an earlier seal may have closed it)
        target = Path(target).resolve()
        if repo in target.parents and target.is_dir() and not target.stat().st_mode & 0o001:
            os.chmod(target, stat.S_IMODE(target.stat().st_mode) | 0o055)
    for name in PRIVATE_IN_HUB:
        if (repo / "hub" / name).exists():
            _close(repo / "hub" / name)
    # A worktree's .git is a file naming the real git folder: close that as well.
    gitfile = repo / ".git"
    if gitfile.is_file():
        line = gitfile.read_text(encoding="utf-8").strip()
        if line.startswith("gitdir:"):
            gitdir = Path(line.split(":", 1)[1].strip())
            common = gitdir.parent.parent if gitdir.parent.name == "worktrees" else gitdir
            for path in (gitdir, common / "objects", common / "refs"):
                if path.exists():
                    _close(path)
                    closed.append(path)
    return closed


@contextlib.contextmanager
def private_umask():
    """Files and folders made inside are readable by their owner only."""
    old = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(old)
