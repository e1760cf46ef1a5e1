"""Feedback pages from one render of the quiz: nbconvert once per notebook,
then a few strings per learner.

Every learner's feedback page of a generated quiz is the same page but for
the verdict and score heading, each item's score label, its message and (per
the feedback policy) the note naming the correct option. So the full,
sanitised HTML exporter (`QuizGrader.exporter`: RedactForLearner,
SanitizeHTML, the course's template, nbconvert's BeautifulSoup pass) renders
the released quiz ONCE, with a unique marker in each of those places (the
skeleton); a learner's page is the skeleton with the markers filled in:

- the heading by a small Jinja template (templates/umpan_balik/kepala.html.j2,
  compiled once) that writes what the course template writes, in the form
  nbconvert's BeautifulSoup pass leaves it;
- messages and notes as escaped text (html.escape), never as markup: learner
  bytes cannot become a tag. The markdown of the page is the instructor's
  released quiz, sanitised when the skeleton was rendered; the learner's own
  notebook never reaches it.

`render` returns None whenever a notebook is not the plain shape this relies
on (a grade cell deleted, cells added, outputs of another kind, text with
terminal escapes): the caller then renders that page with the full exporter.
tests/grading/test_feedback_page.py checks that both give the same bytes.
"""
from __future__ import annotations

import copy
import html
from pathlib import Path

from .check import MIME, REVEAL_FLAG

TEMPLATE = Path(__file__).parent / "templates" / "umpan_balik" / "kepala.html.j2"
_HEAD_START = '<div class="panel-heading">\n'
_HEAD_END = '<div class="panel-body">'
_TOKEN = "QQNETRALITAS{kind}{i:03d}QQ"
_SCORE_BASE = 900000  # skeleton item i scores 900000+i+0.5: its label reads "9000ii,5"


def _grade_id(cell) -> str | None:
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    return meta.get("grade_id") if meta.get("grade") else None


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def angka(x) -> str:
    """The course template's number: 8.0 -> "8", 7.5 -> "7,5"."""
    v = float(x)
    return str(int(v)) if v.is_integer() else ("%.1f" % v).replace(".", ",")


def _plain(text) -> str:
    return html.escape(str(text), quote=False)


def _escape(text: str) -> str | None:
    # What nbconvert's ansi2html (markupsafe.escape) then BeautifulSoup's
    # minimal formatter leave of plain text. Terminal escapes and carriage
    # returns take the full exporter instead.
    if "\x1b" in text or "\r" in text or "\x00" in text:
        return None
    return html.escape(text, quote=False)


class FeedbackPages:
    """The pages of one notebook of an assignment (QuizGrader.notebooks[name])."""

    def __init__(self, exporter, name: str, assignment_id: str, quiz: dict, root: Path):
        import jinja2

        self.name = name
        self.points = quiz["points"]
        template = quiz["template"]
        self.cells = [(c.get("id"), c.get("cell_type"), _grade_id(c)) for c in template.cells]
        skeleton = copy.deepcopy(template)
        from nbformat import NotebookNode

        self.items: list[str] = []
        for cell in skeleton.cells:
            gid = _grade_id(cell)
            if gid is None:
                continue
            i = len(self.items)
            self.items.append(gid)
            cell.outputs = [
                NotebookNode(output_type="stream", name="stdout", text=_TOKEN.format(kind="S", i=i)),
                NotebookNode(output_type="display_data", metadata=NotebookNode({REVEAL_FLAG: True}),
                             data=NotebookNode({"text/plain": _TOKEN.format(kind="R", i=i)}))]
            cell.metadata.nbgrader["score"] = _SCORE_BASE + i + 0.5
            cell.metadata.nbgrader["points"] = self.points.get(gid, 0.0)
        resources = {"nbgrader": {"notebook": name, "assignment": assignment_id, "student": "",
                                  "db_url": "", "reveal": True, "score": 0, "max_score": 0,
                                  "late_penalty": 0, "standing": {}},
                     "metadata": {"name": name, "path": str(root)}}
        page, _ = exporter.from_notebook_node(skeleton, resources=resources)
        self.parts = self._split(page)
        self.heading = jinja2.Environment(keep_trailing_newline=True).from_string(
            TEMPLATE.read_text(encoding="utf-8"))

    def _split(self, page: str) -> list:
        """The skeleton as literal strings and slots: ("heading",),
        ("label", i), ("stream", i), ("reveal", i, before, after)."""
        start = page.index(_HEAD_START) + len(_HEAD_START)
        end = page.index(_HEAD_END, start)
        parts: list = [page[:start], ("heading",)]
        pos = end
        for i in range(len(self.items)):
            label = angka(_SCORE_BASE + i + 0.5)
            for kind, marker in (("label", f"nilai {label} dari"), ("stream", _TOKEN.format(kind="S", i=i))):
                at = page.index(marker, pos)
                if page.count(marker, end) != 1:
                    raise ValueError(f"marker {marker!r} not unique in the skeleton")
                if kind == "label":
                    at += len("nilai ")
                    marker = label
                parts += [page[pos:at], (kind, i)]
                pos = at + len(marker)
            token = _TOKEN.format(kind="R", i=i)
            if token in page:  # a note this item may show (never on a final-exam item)
                at = page.index(token, pos)
                block = page.rfind('<div class="output_area">', pos, at)
                close = page.index("</div>\n</div>\n", at) + len("</div>\n</div>\n")
                if block < 0 or page.count(token, end) != 1:
                    raise ValueError(f"reveal block of item {i} not found in the skeleton")
                parts += [page[pos:block], ("reveal", i, page[block:at], page[at + len(token):close])]
                pos = close
        parts.append(page[pos:])
        return parts

    def render(self, nb: dict, earned: dict, reveal: bool, info: dict, standing: dict) -> str | None:
        """The learner's page from their autograded notebook (a dict as read
        from its JSON), or None when only the full exporter may render it."""
        cells = nb.get("cells") or []
        if [(c.get("id"), c.get("cell_type"), _grade_id(c)) for c in cells] != self.cells:
            return None
        streams, notes = [], []
        for cell in cells:
            if _grade_id(cell) is None:
                if cell.get("cell_type") == "code" and cell.get("outputs"):
                    return None
                if (cell.get("metadata", {}).get("nbgrader") or {}).get("comment"):
                    return None
                continue
            stream, note = None, None
            for output in cell.get("outputs") or []:
                kind, data = output.get("output_type"), output.get("data") or {}
                if kind == "stream" and output.get("name") == "stdout" and stream is None:
                    stream = _escape(_text(output.get("text", "")))
                elif kind == "execute_result" or (kind == "display_data" and set(data) == {MIME}):
                    continue
                elif (kind == "display_data" and set(data) == {"text/plain"}
                      and (output.get("metadata") or {}).get(REVEAL_FLAG) and note is None):
                    note = _escape(_text(data["text/plain"]))
                    if note is None:
                        return None
                else:
                    return None
            if stream is None:
                return None
            streams.append(stream)
            notes.append(note)
        toc = [{"href": gid, "label": f"Soal {n} — nilai {angka(earned.get(gid, 0.0))} dari "
                                      f"{angka(self.points.get(gid, 0.0))}"}
               for n, gid in enumerate(self.items, start=1)]
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "heading":
                out.append(self.heading.render(st=standing, info=info, toc=toc, angka=angka, t=_plain))
            elif part[0] == "label":
                out.append(angka(earned.get(self.items[part[1]], 0.0)))
            elif part[0] == "stream":
                out.append(streams[part[1]])
            elif reveal and notes[part[1]] is not None:
                out += [part[2], notes[part[1]], part[3]]
        return "".join(out)

