"""What nbgrader's hidden test cells call to score one quiz item.

The generated hidden test passes the key in; this module holds none. The cell
evaluates to the points earned, which nbgrader takes as partial credit, so a
wrong or broken answer never raises: feedback shows a sentence, not a traceback.
"""
from __future__ import annotations

import json
from pathlib import Path

from IPython.display import display

from .. import record
from ..paths import ANSWER_RECORD

MIME = "application/vnd.netralitas.item+json"
# Output metadata flag of the "correct answer" note: feedback keeps it only
# when the feedback policy allows (see preprocessors.RedactForLearner).
REVEAL_FLAG = "netralitas_jawaban_benar"
REVEAL_HEAD = "Jawaban yang benar:"
# nbgrader grade_id of an item's scoring cell; the batch report finds items by it.
GRADE_ID_PREFIX = "nilai_"
# A quiz's opening cell (build/notebooks.py writes it): the link back to the
# home, the title and what the quiz is, then how to answer and send. Its
# feedback page keeps only the title part (intro_for_feedback).
INTRO_ID = "petunjuk"
BACK_LINK_TEXT = "[← Kembali ke Beranda Kursus]"
HOW_TO_HEADING = "**Cara memakai halaman ini**"


def intro_for_feedback(source: str) -> str:
    """The opening cell as a feedback page shows it: the page is read inside the
    course home (a link back there would open the home inside itself) and the
    quiz is already answered (how to answer and send would mislead)."""
    text = source.split(HOW_TO_HEADING, 1)[0]
    if text.startswith(BACK_LINK_TEXT):
        text = text.partition("\n\n")[2]
    return text.rstrip() + "\n"

REASONS = {
    "correct": "Jawaban benar.",
    "wrong": "Jawaban belum tepat.",
    "unanswered": "Soal ini tidak dijawab.",
    "record_missing": "Berkas jawaban (jawaban.json) tidak ada dalam kiriman, sehingga tidak ada jawaban yang dapat dinilai.",
    "record_corrupt": "Berkas jawaban rusak atau telah diubah sehingga tidak dapat dibaca.",
    "unknown_option": "Pilihan yang tercatat tidak termasuk pilihan soal ini.",
}


def evaluate(item_id: str, key: str, options: dict[str, str], points: float,
             feedback: dict[str, str], basis: str, multi: bool = False,
             record_path: str | Path = ANSWER_RECORD) -> tuple[float, str, dict, str]:
    """Score one item from the answer record: (points earned, message, payload,
    reveal). `reveal` names the correct option(s) with their explanation when
    the item was not answered correctly ("" otherwise); it is a separate output
    so feedback can withhold it per policy.

    A pilih_semua item (multi) stores its choices as sorted ids joined by
    commas and scores all or nothing: every right option and no wrong one.
    """
    loaded = record.load(Path(record_path))
    chosen = loaded.answers.get(item_id)
    picked = (chosen.split(",") if multi else [chosen]) if chosen else []
    if loaded.problem:
        reason = f"record_{loaded.problem}"
    elif chosen is None:
        reason = "unanswered"
    elif not picked or any(p not in options for p in picked):
        reason = "unknown_option"
    else:
        reason = "correct" if sorted(picked) == sorted(key.split(",")) else "wrong"
    earned = float(points) if reason == "correct" else 0.0

    lines = [f"Nilai: {earned:g} dari {points:g}. {REASONS[reason]}"]
    if picked and all(p in options for p in picked):
        # The text, not the letter: each learner saw the options in their own order.
        lines.append("Jawaban Anda: " + "; ".join(options[p] for p in picked))
        lines += [feedback.get(p, "") for p in picked]
        lines.append(f"Dasar hukum: {basis}")
    payload = {"item": item_id, "reason": reason, "chosen": chosen, "earned": earned,
               "points": float(points), "detail": loaded.detail}
    right = [k for k in key.split(",") if k in options]
    reveal = "" if reason == "correct" else "\n".join(x for x in [
        f"{REVEAL_HEAD} " + "; ".join(options[k] for k in right), *(feedback.get(k, "") for k in right)] if x)
    return earned, "\n".join(x for x in lines if x), payload, reveal


def score_item(item_id: str, key: str, options: dict[str, str], points: float,
               feedback: dict[str, str], basis: str, multi: bool = False,
               record_path: str | Path = ANSWER_RECORD) -> float:
    """Called by hidden test cells in a kernel; the value is nbgrader's partial credit."""
    earned, message, payload, reveal = evaluate(item_id, key, options, points, feedback, basis, multi,
                                                record_path)
    print(message)
    if reveal:
        display({"text/plain": reveal}, raw=True, metadata={REVEAL_FLAG: True})
    display({MIME: payload}, raw=True)
    return earned


def outcomes_from_notebook(nb) -> list[dict]:
    """The per-item outcomes that score_item left in an autograded notebook."""
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                value = data[MIME]
                out.append(json.loads(value) if isinstance(value, str) else dict(value))
    return out
