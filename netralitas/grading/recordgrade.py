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
own API's objects (the same rows formgrader and the reports read; one
transaction per worker group), and the full sanitised HTML exporter renders
each notebook once as a skeleton that every learner's page is filled into
(feedbackpage.py; the same bytes as rendering each page). No notebook cell is executed; the learner's notebook is only
read to see which grade cells it still has (a deleted one scores 0, as in
nbgrader).
"""
from __future__ import annotations

import copy
import hashlib
import json
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
    def _template_json(self, quiz: dict) -> str:
        """The quiz as nbformat writes it (lines split, transient keys
        stripped), serialised once: each learner's copy is one json.loads."""
        if "json" not in quiz:
            from nbformat.v4.rwbase import split_lines, strip_transient

            quiz["json"] = json.dumps(strip_transient(split_lines(copy.deepcopy(quiz["template"]))))
        return quiz["json"]

    @staticmethod
    def _present(path: Path) -> set:
        """grade ids of the code cells the learner's notebook still has. A
        plain v4 notebook is read as JSON; anything else goes through
        nbformat.read (conversion, and its error for the batch report)."""
        try:
            data = json.loads(path.read_bytes())
            if data.get("nbformat") == 4:
                return {_grade_id(c) for c in data["cells"] if c.get("cell_type") == "code"}
        except Exception:
            pass
        learner_nb = nbformat.read(path, as_version=4)
        return {_grade_id(c) for c in learner_nb.cells if c.get("cell_type") == "code"}

    def _score(self, student_id: str) -> tuple[dict, dict, dict, str | None]:
        """(results, graded notebooks as JSON-ready dicts, readable per
        notebook, problem) of one learner; writes nothing."""
        from nbformat.v4.rwbase import _split_mimebundle

        submitted = self.root / "submitted" / student_id / self.assignment_id
        results, graded, readable = {}, {}, {}
        problem = None
        for name, quiz in self.notebooks.items():
            try:
                present = self._present(submitted / f"{name}.ipynb")
            except Exception as exc:  # any bytes: the reason goes to the batch report
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
                present = None
            readable[name] = present is not None
            earned = {}
            if present is not None:
                nb = json.loads(self._template_json(quiz))
                kept = []
                for n, cell in enumerate(nb["cells"], start=1):
                    gid = _grade_id(cell)
                    if gid is None:
                        kept.append(cell)
                        continue
                    if gid not in present:
                        continue  # the learner deleted it: scores 0, as in nbgrader
                    score, message, payload, reveal = evaluate(**quiz["calls"][gid],
                                                               record_path=submitted / ANSWER_RECORD)
                    outputs = score_outputs(score, message, payload, reveal, n)
                    for output in outputs:  # as nbformat's split_lines
                        if output["output_type"] == "stream":
                            output["text"] = output["text"].splitlines(True)
                        else:
                            _split_mimebundle(output.get("data", {}))
                    cell["outputs"] = outputs
                    cell["execution_count"] = n
                    earned[gid] = score
                    kept.append(cell)
                nb["cells"] = kept
                graded[name] = nb
            results[name] = earned
        return results, graded, readable, problem

    def _write(self, student_id: str, graded: dict) -> None:
        """autograded/: the submission's other regular files and the graded
        notebooks, byte for byte what nbformat.write gives (not validated
        again: built from the released quiz and score_outputs)."""
        submitted = self.root / "submitted" / student_id / self.assignment_id
        dest = self.root / "autograded" / student_id / self.assignment_id
        dest.mkdir(parents=True)
        for item in submitted.iterdir():
            if item.suffix != ".ipynb" and item.is_file() and not item.is_symlink():
                shutil.copyfile(item, dest / item.name)
        for name, nb in graded.items():
            text = json.dumps(nb, sort_keys=True, indent=1, separators=(",", ": "), ensure_ascii=False)
            (dest / f"{name}.ipynb").write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")

    @staticmethod
    def _set_grades(submission, results: dict, readable: dict) -> None:
        for name, earned in results.items():
            notebook = next(x for x in submission.notebooks if x.name == name)
            for grade in notebook.grades:
                grade.auto_score = earned.get(grade.name, None if readable[name] else 0.0)
                grade.needs_manual_grade = False

    def autograde(self, gb, student_id: str, timestamp) -> dict:
        """Score one learner into the gradebook (own commit) and write
        autograded/; returns {notebook: {grade_id: earned}} or raises
        NotGradable. autograde_batch does the same for many learners."""
        from nbgrader.api import MissingEntry

        dest = self.root / "autograded" / student_id / self.assignment_id
        try:
            gb.find_student(student_id)
        except MissingEntry:
            gb.add_student(student_id)
        submission = gb.update_or_create_submission(self.assignment_id, student_id, timestamp=timestamp)
        if dest.exists():
            shutil.rmtree(dest)
        results, graded, readable, problem = self._score(student_id)
        self._set_grades(submission, results, readable)
        gb.db.commit()
        if problem:
            raise NotGradable(problem)
        self._write(student_id, graded)
        return results

    def autograde_batch(self, gb, learners: list[str], timestamps: dict) -> dict:
        """autograde for many learners in one gradebook transaction: the
        assignment, its cells and the existing submissions read once, every
        learner's rows added as nbgrader's add_submission builds them, one
        commit. {student: results | error text}; raises if the commit fails
        (the caller then grades them one by one)."""
        from nbgrader import utils
        from nbgrader.api import Comment, Grade, Student, SubmittedAssignment, SubmittedNotebook
        from sqlalchemy.orm import selectinload

        db = gb.db
        assignment = gb.find_assignment(self.assignment_id)
        notebooks = [(nb, list(nb.grade_cells), list(nb.solution_cells), list(nb.task_cells))
                     for nb in assignment.notebooks]
        students = {s.id: s for s in db.query(Student).filter(Student.id.in_(learners))}
        existing = {s.student_id: s for s in db.query(SubmittedAssignment)
                    .filter(SubmittedAssignment.assignment_id == assignment.id,
                            SubmittedAssignment.student_id.in_(learners))
                    .options(selectinload(SubmittedAssignment.notebooks).selectinload(SubmittedNotebook.notebook),
                             selectinload(SubmittedAssignment.notebooks).selectinload(SubmittedNotebook.grades)
                             .selectinload(Grade.cell))}
        out, files = {}, {}
        with db.no_autoflush:
            for student_id in learners:
                dest = self.root / "autograded" / student_id / self.assignment_id
                if dest.exists():
                    shutil.rmtree(dest)
                try:
                    results, graded, readable, problem = self._score(student_id)
                except Exception as exc:  # one learner never stops the others
                    out[student_id] = f"{type(exc).__name__}: {str(exc)[:200]}"
                    continue
                student = students.get(student_id)
                if student is None:
                    student = students[student_id] = Student(id=student_id)
                    db.add(student)
                submission = existing.get(student_id)
                if submission is None:  # what Gradebook.add_submission builds
                    submission = SubmittedAssignment(assignment=assignment, student=student,
                                                     timestamp=utils.parse_utc(timestamps[student_id]))
                    for notebook, grade_cells, solution_cells, task_cells in notebooks:
                        nb = SubmittedNotebook(notebook=notebook, assignment=submission)
                        for cell in grade_cells:
                            Grade(cell=cell, notebook=nb)
                        for cell in solution_cells:
                            Comment(cell=cell, notebook=nb)
                        for cell in task_cells:
                            Comment(cell=cell, notebook=nb)
                            Grade(cell=cell, notebook=nb)
                    db.add(submission)  # after its notebooks, grades and comments: add cascades to them
                    existing[student_id] = submission
                else:
                    submission.timestamp = utils.parse_utc(timestamps[student_id])
                self._set_grades(submission, results, readable)
                out[student_id] = problem if problem else results
                if not problem:
                    files[student_id] = graded
        db.commit()
        for student_id, graded in files.items():
            self._write(student_id, graded)
        return out

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
    """Autograde some learners in this process: {student: results | 'error text'}.
    One gradebook transaction for all of them; if it fails, one per learner."""
    from nbgrader.api import Gradebook

    grader = QuizGrader(course, assignment_id)
    with Gradebook(grader.db_url, course_id=COURSE_ID) as gb:
        try:
            return grader.autograde_batch(gb, learners, timestamps)
        except Exception:
            gb.db.rollback()
        out = {}
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
