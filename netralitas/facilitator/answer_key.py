"""Answer key for every quiz: instructor side only (grading/kunci_jawaban/, git-ignored).

Read from quizzes/bank through the same loader the notebook builder uses, and the
final exam through the builder's own draw, so the key is the key that grades.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import paths
from ..build.notebooks import FINAL_EXAM, final_exam_items
from ..content.loader import Bank, load_quiz_items, quiz_ids
from ..content.schema import VERDICTS, Scenario

KEY_DIR = paths.GRADING_DIR / "kunci_jawaban"
CSV_NAME = "kunci_jawaban.csv"
COLUMNS = ["kuis", "no", "id_soal", "judul", "kunci", "teks_kunci", "putusan", "dasar_hukum"]


def quizzes(bank: Bank) -> dict[str, list[Scenario]]:
    """Every quiz the builder makes, in build order, with its items."""
    out = {q: load_quiz_items(q, bank) for q in quiz_ids()}
    if all(m.quiz_id in out for m in bank.modules.values()):
        out[FINAL_EXAM] = final_exam_items(bank)
    return out


def rows(bank: Bank) -> list[dict]:
    out = []
    for quiz, items in quizzes(bank).items():
        for n, item in enumerate(items, start=1):
            right = [o for o in item.pilihan if o.benar]
            out.append({"kuis": quiz, "no": n, "id_soal": item.id, "judul": item.judul, "kunci": item.key,
                        "teks_kunci": " | ".join(o.teks for o in right), "putusan": VERDICTS[item.putusan],
                        "dasar_hukum": "; ".join(bank.cite(item))})
    return out


def _quiz_md(quiz: str, items_rows: list[dict]) -> str:
    out = [f"# Kunci jawaban {quiz}\n\n",
           "**Hanya untuk pengajar.** Jangan dibagikan, dicetak untuk peserta, atau disalin ke folder "
           "`facilitator_guide/`, `modules/`, atau folder rilis. Urutan pilihan di notebook peserta "
           "diacak per NIP, jadi huruf yang dilihat peserta berbeda-beda: pakai teks kunci, bukan huruf.\n\n",
           "| No | Id soal | Judul | Kunci (id pilihan) | Teks kunci | Putusan | Dasar hukum |\n"
           "|---|---|---|---|---|---|---|\n"]
    for r in items_rows:
        out.append(f"| {r['no']} | {r['id_soal']} | {r['judul']} | {r['kunci']} | {r['teks_kunci']} | "
                   f"{r['putusan']} | {r['dasar_hukum']} |\n")
    return "".join(out)


def targets(bank: Bank, key_dir: Path | None = None) -> dict[Path, str]:
    key_dir = Path(key_dir or KEY_DIR)
    all_rows = rows(bank)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(all_rows)
    out = {key_dir / CSV_NAME: buf.getvalue()}
    for quiz in dict.fromkeys(r["kuis"] for r in all_rows):
        out[key_dir / f"{quiz}.md"] = _quiz_md(quiz, [r for r in all_rows if r["kuis"] == quiz])
    return out


def read_key(path: Path) -> dict[tuple[str, str], str]:
    """(quiz, item id) -> key, as written."""
    with open(path, encoding="utf-8", newline="") as f:
        return {(r["kuis"], r["id_soal"]): r["kunci"] for r in csv.DictReader(f)}
