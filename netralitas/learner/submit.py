"""nbgrader's submit, with the learner's submission folder closed to other learners.

nbgrader's ExchangeSubmit makes each submission folder in the exchange inbound 0777
("so the instructor can delete later"): any account that knows the folder's name
could add, delete or rename files in it. Here the folder and what it holds are
the learner's alone to change (folders 0755, files 0644: the instructor's collect
still reads them), right after nbgrader's own copy. Collect sets aside a
submission that is still writable by others (grading/collect.py,
`dapat_ditulis_akun_lain`). Configured as `c.ExchangeFactory.submit` in every
learner and course config, and forced by `run_exchange`. Learner runtime."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from nbgrader.exchange.default.submit import ExchangeSubmit

DIR_MODE, FILE_MODE = 0o755, 0o644
# The import path the nbgrader configs name (traitlets resolves it).
CLASS_PATH = "netralitas.learner.submit.PrivateSubmit"


def seal_submission(folder: Path) -> None:
    """The folder first (that closes it), then every folder and file below it;
    links are never followed (nbgrader's copy makes none)."""
    folder = Path(folder)
    os.chmod(folder, DIR_MODE)
    for here, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(here, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                os.chmod(path, DIR_MODE)
            elif stat.S_ISREG(mode):
                os.chmod(path, FILE_MODE)


class PrivateSubmit(ExchangeSubmit):
    """ExchangeSubmit whose inbound folder only its learner can change."""

    def copy_files(self):
        super().copy_files()
        seal_submission(Path(self.inbound_path) / self.assignment_filename)
