"""nbgrader's learner-side exchange steps (fetch, submit, fetch feedback), as
the Assignments panel runs them, and who the learner is. Learner runtime:
no instructor code."""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from .. import paths

# nbgrader's exchange runs in the working folder and is not thread-safe: the
# result watcher fetches feedback from a thread while the learner may submit.
_EXCHANGE = threading.Lock()


def learner_id(config) -> str | None:
    """Who is submitting: the config's student id (a learner's own nbgrader
    config holds the NIP), else NETRALITAS_NIP, else the JupyterHub user."""
    from ..settings import settings

    configured = config.CourseDirectory.get("student_id")
    return configured or settings().nip or settings().jupyterhub_user


def learner_config(folder: Path | None = None):
    """The learner's nbgrader config beside the assignment folder (empty if none)."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(folder or Path.cwd().parent) / "nbgrader_config.py"
    config = Config()
    if config_file.exists():
        try:
            config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
        except Exception:  # an unreadable config only means: nothing from it
            pass
    return config


def run_exchange(step: str, assignment_id: str, home: Path, student_id: str | None = None) -> None:
    """One exchange step (FetchAssignment, Submit, FetchFeedback) as nbgrader's
    Assignments panel runs it: config from the learner's folder, then start."""
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.apps.baseapp import NbGrader
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    with _EXCHANGE, contextlib.chdir(home):
        app = NbGrader()
        app.config_file_paths.append([str(home), *jupyter_config_path()])
        app.load_config_file()
        config = app.config
        config.CourseDirectory.course_id = config.CourseDirectory.get("course_id") or paths.COURSE_ID
        config.CourseDirectory.assignment_id = assignment_id
        student_id = student_id or learner_id(config)
        if student_id:
            config.CourseDirectory.student_id = student_id
        config.Exchange.assignment_dir = str(home)
        if step == "Submit":
            from .submit import PrivateSubmit

            # whatever the learner's config says: the submission folder is theirs alone to change
            config.ExchangeFactory.submit = PrivateSubmit
        coursedir = CourseDirectory(config=config)
        authenticator = Authenticator(config=config)
        exchange = getattr(ExchangeFactory(config=config), step)(
            coursedir=coursedir, authenticator=authenticator, config=config)
        exchange.start()


def submissions_made(assignment_id: str, folder: Path | None = None) -> int:
    """How many times this learner has submitted the assignment: nbgrader's
    submit keeps a copy of every submission in the learner's own exchange
    cache, whichever way it was sent (the quiz's button or the Assignments panel)."""
    from jupyter_core.paths import jupyter_data_dir

    config = learner_config(folder)
    learner = learner_id(config)
    if not learner:
        return 0
    cache = Path(config.Exchange.get("cache") or Path(jupyter_data_dir()) / "nbgrader_cache")
    course = config.CourseDirectory.get("course_id") or paths.COURSE_ID
    where = cache / course
    return sum(1 for p in where.glob(f"{learner}+{assignment_id}+*") if p.is_dir()) if where.is_dir() else 0
