"""Writing files so that a reader never sees half of one: the one atomic-write helper, and the
one "rewrite what drifted" writer behind `make build`, `make kit` and their --periksa checks.

Standard library only: the learner's kernel saves every click through here.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary file beside `path` for a writer that wants a file name (pandas, reportlab,
    csv); renamed over `path` when the block ends, removed if it fails. A crash leaves either
    the old file or the new one, never a mix. mode None: what the umask allows, as open() would
    give (the commands run under umask 077: personal data stays its owner's)."""
    if mode is None:
        current = os.umask(0)
        os.umask(current)
        mode = 0o666 & ~current
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | Path, data: str | bytes, mode: int | None = None) -> Path:
    """Write text (UTF-8) or bytes to path atomically."""
    with atomic_path(path, mode) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
    return Path(path)


def write_changed(targets: dict[Path, str], check: bool = False) -> list[Path]:
    """Generated files: write those whose content differs (atomically); with check=True write
    nothing. Returns the paths that differed, in the order given."""
    stale = []
    for path, text in targets.items():
        path = Path(path)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                atomic_write(path, text)
    return stale
