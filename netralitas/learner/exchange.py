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
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeFactory

    with _EXCHANGE, contextlib.chdir(home):
        config = _load(home)
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


def _load(home: Path):
    """nbgrader's configuration as its Assignments panel loads it for this
    learner: their folder's nbgrader_config.py, then Jupyter's config path."""
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.apps.baseapp import NbGrader

    app = NbGrader()
    app.config_file_paths.append([str(home), *jupyter_config_path()])
    app.load_config_file()
    config = app.config
    config.CourseDirectory.course_id = config.CourseDirectory.get("course_id") or paths.COURSE_ID
    return config


def exchange_places(home: Path) -> tuple[Path | None, Path, str | None]:
    """(exchange root, this learner's submission cache of the course, learner id),
    exactly as the exchange steps above see them (whichever config file sets them)."""
    from jupyter_core.paths import jupyter_data_dir

    with _EXCHANGE, contextlib.chdir(home):
        config = _load(home)
    root = config.Exchange.get("root")
    cache = Path(config.Exchange.get("cache") or Path(jupyter_data_dir()) / "nbgrader_cache")
    return (Path(root) if root else None), cache / config.CourseDirectory.course_id, learner_id(config)


def _cached_submissions(assignment_id: str, folder: Path | None = None) -> list[Path]:
    from jupyter_core.paths import jupyter_data_dir

    config = learner_config(folder)
    learner = learner_id(config)
    if not learner:
        return []
    cache = Path(config.Exchange.get("cache") or Path(jupyter_data_dir()) / "nbgrader_cache")
    where = cache / (config.CourseDirectory.get("course_id") or paths.COURSE_ID)
    return [p for p in where.glob(f"{learner}+{assignment_id}+*") if p.is_dir()] if where.is_dir() else []


def latest_submission(assignment_id: str, folder: Path | None = None) -> str | None:
    """The time of this learner's newest submission, as nbgrader's cache names it
    (fetch feedback puts its page in feedback/<that time>/); None if none."""
    stamps = [p.name.split("+")[2] for p in _cached_submissions(assignment_id, folder) if p.name.count("+") == 2]
    return max(stamps) if stamps else None


def submissions_made(assignment_id: str, folder: Path | None = None) -> int:
    """How many times this learner has submitted the assignment: nbgrader's
    submit keeps a copy of every submission in the learner's own exchange
    cache, whichever way it was sent (the quiz's button or the Assignments panel)."""
    return len(_cached_submissions(assignment_id, folder))


def feedback_waiting(assignment_id: str, home: Path) -> bool:
    """Whether fetch feedback would bring something new: a page released for one
    of this learner's cached submissions and not yet in their folder. Looked up
    as nbgrader's fetch feedback looks it up (the page's name is the hash of the
    submission's secret and the notebook id), by file names only, so the result
    watcher can look often and run nbgrader's fetch only when there is a page.
    True whenever it cannot tell (no secret, no exchange in the learner's config):
    then nbgrader decides."""
    from nbgrader.utils import notebook_hash

    config = learner_config(home)
    learner = learner_id(config)
    root, cache = config.Exchange.get("root"), config.Exchange.get("cache")
    if not (learner and root and cache) or config.Exchange.get("path_includes_course", False):
        return True
    course = config.CourseDirectory.get("course_id") or paths.COURSE_ID
    outbound = Path(root) / course / "feedback"
    for submission in Path(cache, course).glob(f"{learner}+{assignment_id}+*"):
        timestamp = submission.name.split("+")[2] if submission.name.count("+") == 2 else None
        secret_file = submission / "submission_secret.txt"
        if timestamp is None or not secret_file.is_file():
            return True
        secret = secret_file.read_text()
        for notebook in submission.glob("*.ipynb"):
            if (Path(home) / assignment_id / "feedback" / timestamp / f"{notebook.stem}.html").exists():
                continue
            if (outbound / f"{notebook_hash(secret=secret, notebook_id=notebook.stem)}.html").exists():
                return True
    return False


def warm_up() -> threading.Thread:
    """Import nbgrader's exchange in the background (about 2-4 s on a loaded
    machine), so the learner's first Kirim does not wait for it."""
    def load():
        try:
            from nbgrader.apps.baseapp import NbGrader  # noqa: F401
            from nbgrader.exchange import ExchangeFactory  # noqa: F401
            from nbgrader.utils import notebook_hash  # noqa: F401
        except Exception:  # the click will say what is wrong
            pass

    thread = threading.Thread(target=load, daemon=True, name="netralitas-warm-up")
    thread.start()
    return thread
