"""Record-mode grading in one process: what `nbgrader autograde`,
`generate_feedback` and `release_feedback` do for a generated quiz, without
their per-notebook overhead.

Profiling 100 record-mode submissions through stock nbgrader (cProfile) put
the time in: nbgrader's cell-metadata JSON-schema validation, run three times
per notebook (about a third), one ORM query per cell and per step (about a
third), converting every notebook twice (sanitise, then autograde), and for
feedback a fresh template render with the gradebook read cell by cell. Here the
quiz's scoring calls are read once from the gradebook's own copy of the grade
cells (what nbgrader's OverwriteCells restores, so a learner cannot change
them), every learner's items are scored from their answer record with the
same `check.evaluate`, the grades go into nbgrader's gradebook through its
own API (the same rows formgrader and the reports read), and one HTML
exporter renders every feedback page with the same template and
preprocessors. No notebook cell is executed; the learner's notebook is only
read to see which grade cells it still has (a deleted one scores 0, as in
nbgrader).
"""
from __future__ import annotations

import copy
import hashlib
import os
import shutil
import stat
from pathlib import Path

import nbformat

from ..files import atomic_write
from ..paths import ANSWER_RECORD, COURSE_ID
from .check import evaluate
from .fastgrade import parse_call, score_outputs


class NotGradable(Exception):
    """This submission cannot be graded (the reason is its message)."""


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader") or {}
    return meta.get("grade_id") if meta.get("grade") else None


class QuizGrader:
    """One assignment's scoring calls and templates, shared by all its learners."""

    def __init__(self, course, assignment_id: str):
        from nbgrader.api import Gradebook

        self.course, self.assignment_id = course, assignment_id
        self.root = Path(course.root)
        self.db_url = course.db_url()
        release = self.root / "release" / assignment_id
        self.notebooks: dict[str, dict] = {}
        with Gradebook(self.db_url, course_id=COURSE_ID) as gb:
            assignment = gb.find_assignment(assignment_id)
            for nb in assignment.notebooks:
                sources = {c.name: c.source for c in nb.source_cells}
                points = {c.name: float(c.max_score) for c in nb.grade_cells}
                template = nbformat.read(release / f"{nb.name}.ipynb", as_version=4)
                calls = {}
                for cell in template.cells:
                    gid = _grade_id(cell)
                    if gid is None:
                        continue
                    cell.source = sources.get(gid, cell.source)  # the instructor's cell, as OverwriteCells
                    call = parse_call(cell.source) if cell.cell_type == "code" else None
                    if call is None:
                        raise ValueError(f"{nb.name}: grade cell {gid} is not a generated score_item call; "
                                         "record mode executes nothing")
                    calls[gid] = call
                    cell.outputs = []
                    cell.execution_count = None
                self.notebooks[nb.name] = {"template": template, "calls": calls, "points": points}

    # -- autograde
    def autograde(self, gb, student_id: str, timestamp) -> dict:
        """Score one learner into the gradebook and write autograded/; returns
        {notebook: {grade_id: earned}} or raises NotGradable."""
        from nbgrader.api import MissingEntry

        submitted = self.root / "submitted" / student_id / self.assignment_id
        dest = self.root / "autograded" / student_id / self.assignment_id
        try:
            gb.find_student(student_id)
        except MissingEntry:
            gb.add_student(student_id)
        submission = gb.update_or_create_submission(self.assignment_id, student_id, timestamp=timestamp)
        if dest.exists():
            shutil.rmtree(dest)
        results, graded = {}, {}
        problem = None
        for name, quiz in self.notebooks.items():
            path = submitted / f"{name}.ipynb"
            try:
                learner_nb = nbformat.read(path, as_version=4)
                present = {_grade_id(c) for c in learner_nb.cells if c.get("cell_type") == "code"}
            except Exception as exc:  # any bytes: the reason goes to the batch report
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
                present = None
            earned = {}
            if present is not None:
                nb = copy.deepcopy(quiz["template"])
                kept = []
                for n, cell in enumerate(nb.cells, start=1):
                    gid = _grade_id(cell)
                    if gid is None:
                        kept.append(cell)
                        continue
                    if gid not in present:
                        continue  # the learner deleted it: scores 0, as in nbgrader
                    score, message, payload, reveal = evaluate(**quiz["calls"][gid],
                                                               record_path=submitted / ANSWER_RECORD)
                    cell.outputs = score_outputs(score, message, payload, reveal, n)
                    cell.execution_count = n
                    earned[gid] = score
                    kept.append(cell)
                nb.cells = kept
                graded[name] = nb
            results[name] = earned
            notebook = next(x for x in submission.notebooks if x.name == name)
            for grade in notebook.grades:
                grade.auto_score = earned.get(grade.name, 0.0 if present is None else None)
                grade.needs_manual_grade = False
        gb.db.commit()
        if problem:
            raise NotGradable(problem)
        dest.mkdir(parents=True)
        for item in submitted.iterdir():
            if item.suffix != ".ipynb" and item.is_file() and not item.is_symlink():
                shutil.copyfile(item, dest / item.name)
        for name, nb in graded.items():
            nbformat.write(nb, dest / f"{name}.ipynb")
        return results

    # -- feedback
    def exporter(self):
        from nbconvert.exporters import HTMLExporter
        from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
        from nbconvert.preprocessors.sanitize import SanitizeHTML

        from .preprocessors import RedactForLearner

        import nbgrader

        config = self.course.config()
        # As nbgrader's GenerateFeedback: its template inlines bootstrap's CSS from here.
        config.HTMLExporter.extra_template_paths = [str(Path(nbgrader.__file__).parent / "server_extensions"
                                                        / "formgrader" / "static" / "node_modules" / "bootstrap"
                                                        / "dist" / "css")]
        exporter = HTMLExporter(config=config)
        # The notebook is validated once, after the last preprocessor, not
        # after each of them (an invalid one still raises).
        exporter.optimistic_validation = True
        exporter._preprocessors = []
        for pp in (RedactForLearner, SanitizeHTML, CSSHTMLHeaderPreprocessor):
            exporter.register_preprocessor(pp(config=config), enabled=True)
        return exporter

    def pages(self, exporter) -> dict | None:
        """Each notebook's page skeleton (feedbackpage.py), rendered once by
        `exporter`; None if one cannot be built (every page then takes the
        full exporter)."""
        from .feedbackpage import FeedbackPages

        try:
            return {name: FeedbackPages(exporter, name, self.assignment_id, quiz, self.root)
                    for name, quiz in self.notebooks.items()}
        except Exception:
            return None

    def feedback(self, exporter, student_id: str, results: dict, reveal: bool,
                 standing: dict | None = None, pages: dict | None = None) -> list[Path]:
        """The learner's pages: from the skeletons in `pages` when their
        notebook has the quiz's plain shape, else through the full exporter
        (the same bytes). `standing` is their learner_standing, read for many
        learners at once; without it the template reads the ledger."""
        import json

        from .standing import kedudukan

        graded = self.root / "autograded" / student_id / self.assignment_id
        dest = self.root / "feedback" / student_id / self.assignment_id
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        written = []
        for name, quiz in self.notebooks.items():
            text = (graded / f"{name}.ipynb").read_text(encoding="utf-8")
            earned = results.get(name, {})
            info = {"notebook": name, "assignment": self.assignment_id, "student": student_id,
                    "db_url": self.db_url, "reveal": reveal,
                    "score": sum(earned.values()), "max_score": sum(quiz["points"].values()),
                    "late_penalty": 0}
            if standing is not None:
                info["standing"] = standing
            html = None
            if pages and name in pages and standing is not None:
                html = pages[name].render(json.loads(text), earned, reveal, info, kedudukan(info))
            if html is None:
                # Written by autograde above (validated then); the exporter validates it again.
                nb = nbformat.convert(nbformat.reader.reads(text), 4)
                for cell in nb.cells:
                    gid = _grade_id(cell)
                    if gid is not None:
                        cell.metadata.nbgrader["score"] = earned.get(gid, 0.0)
                        cell.metadata.nbgrader["points"] = quiz["points"].get(gid, 0.0)
                resources = {"nbgrader": info, "metadata": {"name": name, "path": str(graded)}}
                html, _ = exporter.from_notebook_node(nb, resources=resources)
            page = dest / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            written.append(page)
        for keep in ("timestamp.txt", "submission_secret.txt"):
            if (graded / keep).is_file():
                shutil.copyfile(graded / keep, dest / keep)
        return written

    def release(self, exchange: Path, student_id: str) -> None:
        """nbgrader's release_feedback for one learner: the page under the hash
        of the submission's secret and the notebook id, swapped in atomically."""
        feedback = self.root / "feedback" / student_id / self.assignment_id
        outbound = Path(exchange) / COURSE_ID / "feedback"
        if not outbound.is_dir():
            outbound.mkdir(parents=True)
            os.chmod(outbound, stat.S_IRWXU | stat.S_IXGRP | stat.S_IXOTH)
        secret = (feedback / "submission_secret.txt").read_text()
        for page in feedback.glob("*.html"):
            checksum = hashlib.md5((secret + page.stem).encode("utf-8")).hexdigest()
            atomic_write(outbound / f"{checksum}.html", page.read_bytes(), mode=0o644)


def autograde_group(course, assignment_id: str, learners: list[str], timestamps: dict) -> dict:
    """Autograde some learners in this process: {student: results | 'error text'}."""
    from nbgrader.api import Gradebook

    grader = QuizGrader(course, assignment_id)
    out = {}
    with Gradebook(grader.db_url, course_id=COURSE_ID) as gb:
        for student_id in learners:
            try:
                out[student_id] = grader.autograde(gb, student_id, timestamps[student_id])
            except NotGradable as exc:
                out[student_id] = str(exc)
            except Exception as exc:  # one learner never stops the others
                gb.db.rollback()
                out[student_id] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return out


def feedback_group(course, assignment_id: str, results: dict, reveal: dict) -> dict:
    """Feedback pages and their release for learners autograded above: {student: error or None}."""
    from .attempts import learner_standings

    grader = QuizGrader(course, assignment_id)
    exporter = grader.exporter()
    pages = grader.pages(exporter)
    learners = [x for x, r in results.items() if not isinstance(r, str)]
    try:
        standings = learner_standings(grader.db_url, assignment_id, learners)
    except Exception:  # the template then reads each learner's standing itself
        standings = {}
    out = {}
    for student_id in learners:
        try:
            grader.feedback(exporter, student_id, results[student_id], reveal.get(student_id, False),
                            standing=standings.get(student_id), pages=pages)
            grader.release(course.exchange, student_id)
            out[student_id] = None
        except Exception as exc:
            out[student_id] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return out
