"""nbgrader configuration shared by every course folder of this project.

`grading/nbgrader_config.py` and the folders that `netralitas course init`
creates call `configure(c, root)`, so the demo, the tests and a real agency run
the same settings. Scale-out is configuration, not a fork:

- NETRALITAS_DB_URL      gradebook URL (default: SQLite file in the course root;
                         e.g. postgresql://user@host/netralitas)
- NETRALITAS_EXCHANGE    exchange folder (default: <root>/exchange; on JupyterHub
                         a shared volume)
- NETRALITAS_QUIZ_SOURCE nbgrader source folder (default: the repo's quizzes/source)
- NETRALITAS_NIP         the learner's id for fetch/submit in `make lab`
- NETRALITAS_CELL_TIMEOUT seconds one cell may run during autograde (default 30)
- NETRALITAS_GRADER      "record" (default: score generated quiz cells from the answer
                         record, no kernel, no learner code; what `netralitas grade`
                         and the formgrader use) or "kernel" (stock nbgrader executing
                         every notebook: only the benchmark's baseline, on a copy)

Every variable is declared, with its type and meaning, in netralitas/settings.py.
"""
from __future__ import annotations

from pathlib import Path

from .. import paths
from ..settings import settings

CELL_TIMEOUT_S = 30
# Parallel graders share one SQLite file: a writer waits this long for the
# lock instead of failing at once (pysqlite's default is 5 s).
SQLITE_BUSY_TIMEOUT_S = 60
# The feedback page's template (netralitas/grading/templates/umpan_balik).
TEMPLATES_DIR = Path(__file__).parent / "templates"
FEEDBACK_TEMPLATE = "umpan_balik"
SANITIZE = "nbconvert.preprocessors.sanitize.SanitizeHTML"


def default_db_url(root: str | Path) -> str:
    """NETRALITAS_DB_URL, else the SQLite file in the course folder."""
    path = Path(root).resolve() / "gradebook.db"
    return settings().db_url or f"sqlite:///{path}?timeout={SQLITE_BUSY_TIMEOUT_S}"


def configure(c, root, source: str | Path | None = None, exchange: str | Path | None = None,
              db_url: str | None = None) -> None:
    root = Path(root).resolve()
    source = Path(source or settings().quiz_source or paths.QUIZ_SOURCE_DIR).resolve()
    exchange = Path(exchange or settings().exchange or root / "exchange").resolve()

    c.CourseDirectory.course_id = paths.COURSE_ID
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.source_directory = str(source)
    c.CourseDirectory.db_url = db_url or default_db_url(root)
    if settings().nip:
        c.CourseDirectory.student_id = settings().nip
    c.Exchange.root = str(exchange)
    c.Exchange.path_includes_course = False
    # nbgrader's submit leaves the submission folder 0777 (any account could change it);
    # this one closes it (learner/submit.py); collect sets aside one still writable by others.
    c.ExchangeFactory.submit = "netralitas.learner.submit.PrivateSubmit"

    # A learner's clicks live in the answer record; autograde must grade that
    # file, never a copy from the source folder (nbgrader keys this by assignment).
    assignments = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
    c.Autograde.exclude_overwriting = {a: [paths.ANSWER_RECORD] for a in assignments}
    c.Execute.timeout = settings().cell_timeout or CELL_TIMEOUT_S
    c.Execute.interrupt_on_timeout = True

    if settings().grader != "kernel":
        from nbgrader.converters import Autograde

        from .fastgrade import ScoreFromRecord

        stock = Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default()
        c.Autograde.autograde_preprocessors = [
            ScoreFromRecord if pp.__name__ == "Execute" else pp for pp in stock]

    # Feedback goes to learners: strip hidden tests, code and widget blobs.
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "netralitas.grading.preprocessors.RedactForLearner",
        SANITIZE,
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    # The formgrader's exporter reads this config too: the instructor's view
    # of a submission is sanitised the same way (nbconvert's bleach-based
    # preprocessor; config-named preprocessors start disabled).
    c.HTMLExporter.preprocessors = [SANITIZE]
    c.SanitizeHTML.enabled = True
    # Learners read Bahasa Indonesia: our template (extending nbgrader's
    # "feedback" one, which must stay on the search path) labels the scores.
    import nbgrader

    c.HTMLExporter.template_name = FEEDBACK_TEMPLATE
    c.HTMLExporter.template_file = f"{FEEDBACK_TEMPLATE}.html.j2"
    c.HTMLExporter.extra_template_basedirs = [
        str(TEMPLATES_DIR),
        str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]
    # LULUS / BELUM LULUS and attempts left on the feedback page (standing.py).
    from .standing import FILTERS

    c.HTMLExporter.filters = FILTERS
    # A learner's markdown and outputs may carry <script> or onerror=: the
    # feedback page and the formgrader (same exporter config) render them inert.
    c.HTMLExporter.sanitize_html = True
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
