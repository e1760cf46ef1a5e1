"""Generate module notebooks and nbgrader quiz sources from the bank.

Output is deterministic (fixed cell ids, no outputs) so `build --check` can
tell whether a committed notebook still matches the bank.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .. import paths
from ..files import write_changed
from . import draws
from ..assignments import FINAL_EXAM, Kind, pretest_id
from ..content.loader import Bank, load_quiz_items, quiz_ids
from ..content.schema import PHASES, Scenario
from ..grading.attempts import CONTENT_VERSION_KEY
from ..grading.check import BACK_LINK_TEXT, GRADE_ID_PREFIX, HOW_TO_HEADING, INTRO_ID
from ..policy import assignment_kind, attempts, pass_mark

KERNEL = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}

HOW_TO_RUN = (
    f"{HOW_TO_HEADING} (tidak perlu menulis kode):\n\n"
    # `make lab` runs learner notebooks on open (netralitas/labextension); the
    # menu route stays as the fallback, with the labels the id_ID pack shows.
    "1. Tunggu beberapa detik setelah halaman terbuka: kasus dan pilihan jawaban muncul sendiri. "
    "Bila belum muncul, muat ulang halaman ini.\n"
    "2. Baca setiap kasus, lalu klik satu pilihan jawaban (dengan papan ketik: tombol Tab untuk "
    "berpindah, Spasi untuk memilih). Jawaban langsung tersimpan; bila halaman ditutup dan dibuka "
    "lagi, jawaban Anda tetap ada.\n"
)


def _hidden(cell, label: str):
    """Learners never see code: collapsed input in JupyterLab, hide-input for Voila/nbconvert.

    A collapsed cell still shows its first line in JupyterLab, so that line is
    a plain-language label rather than code.
    """
    cell.source = f"# {label}\n{cell.source}"
    cell.metadata["jupyter"] = {"source_hidden": True}
    cell.metadata["tags"] = ["hide-input"]
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False
    return cell


def _finish(nb, stem: str):
    for i, cell in enumerate(nb.cells):
        cell.id = f"{stem}-{i:03d}"
    nb.metadata.update(KERNEL)
    return nb


def _bullets(items) -> str:
    return "\n".join(f"- {x}" for x in items)


def module_notebook(bank: Bank, module_id: str):
    mod = bank.modules[module_id]
    scenarios = bank.module_scenarios(module_id)
    cells = [
        new_markdown_cell(
            f"{BACK_LINK_TEXT}({HOME_NOTEBOOK}.ipynb)\n\n"
            f"# Modul {mod.id}: {mod.judul}\n\n"
            f"**Perkiraan waktu:** {mod.durasi_menit} menit\n\n"
            f"## Tujuan pembelajaran\n\nSetelah modul ini, Anda mampu:\n\n{_bullets(mod.tujuan)}\n\n"
            + HOW_TO_RUN
            + f"\n*Sudah menguasai materi ini?* Kerjakan **Tes Awal Modul {mod.id}** dari "
              f"[Beranda Kursus]({HOME_NOTEBOOK}.ipynb). Bila lulus, modul ini tercatat selesai tanpa perlu "
              "mengikuti modul dan kuisnya.\n"
        ),
        _hidden(new_code_cell("from netralitas.learner.widgets import cek_mandiri, kartu"), "Persiapan tampilan kasus"),
        new_markdown_cell(f"## Bacaan singkat\n\n{mod.bacaan}"),
        new_markdown_cell(
            f"## Kasus untuk dipelajari\n\nAda {len(scenarios)} kasus. Setelah Anda memilih jawaban, "
            "penjelasan, dasar hukum, dan sanksinya langsung tampil. Anda boleh mengganti pilihan."
        ),
    ]
    cells += [_hidden(new_code_cell(f'kartu("{s.id}")'), f"Kasus {n}: {s.judul}")
              for n, s in enumerate(scenarios, start=1)]
    cells.append(new_markdown_cell(f"## Poin kunci\n\n{_bullets(mod.poin_kunci)}"))
    if mod.cek_mandiri:
        cells.append(new_markdown_cell(
            "## Cek mandiri\n\nApakah pernyataan berikut benar atau salah? Klik salah satu tombol; "
            "penjelasannya langsung tampil. Cek mandiri tidak dinilai."))
        cells.append(_hidden(new_code_cell(f'cek_mandiri("{mod.id}")'), "Cek mandiri"))
    cells.append(new_markdown_cell(
        # The nbgrader panel is English-only and lives under its own menu.
        f"## Langkah berikutnya\n\nKerjakan **Kuis Modul {mod.id}** dari [Beranda Kursus]({HOME_NOTEBOOK}.ipynb): "
        f"tombol **Kerjakan** pada Kuis Modul {mod.id}. Batas lulus {pass_mark(mod.quiz_id):.0%}."
    ))
    nb = new_notebook(cells=cells)
    return _finish(nb, f"m{mod.id}")


def _nbg(grade_id: str, *, grade: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": True, "schema_version": 3,
            "solution": False, "task": False}
    if grade:
        meta["points"] = points
    return meta


def _question_md(n: int, s: Scenario) -> str:
    hint = " *(Pilih semua yang sesuai; bisa lebih dari satu.)*" if s.multi else ""
    return (f"### Soal {n}. {s.judul}\n\n*{PHASES[s.fase]} · berlaku bagi {', '.join(s.berlaku_untuk)}*\n\n"
            f"{s.situasi}\n\n**{s.pertanyaan}**{hint}")


def _hidden_test(bank: Bank, n: int, s: Scenario, points: float) -> str:
    options = {o.id: o.teks for o in s.pilihan}
    feedback = {o.id: " ".join(x for x in (o.umpan_balik, o.verdict_note, s.penjelasan if o.benar else "") if x)
                for o in s.pilihan}
    args = ",\n    ".join([
        json.dumps(s.id),
        f"key={json.dumps(s.key)}",
        f"options={json.dumps(options, ensure_ascii=False)}",
        f"points={points:g}",
        f"feedback={json.dumps(feedback, ensure_ascii=False)}",
        f"basis={json.dumps('; '.join(bank.cite(s)), ensure_ascii=False)}",
    ] + (["multi=True"] if s.multi else []))
    return ("### BEGIN HIDDEN TESTS\n"
            "from netralitas.grading.check import score_item\n"
            f"score_item(\n    {args},\n)\n"
            "### END HIDDEN TESTS")


FINAL_PER_MODULE = 3
# The final exam always holds the pilih_semua item of this many modules
# (drawn with a fixed seed); the other draws may include them too.
FINAL_MULTI_MODULES = 3
PRETEST_ITEMS = 6


def _draw(pool: list[Scenario], n: int, seed: str, must: Scenario | None = None) -> list[Scenario]:
    """n items of the pool by a seeded draw (with `must` among them), in bank order."""
    import random

    rng = random.Random(seed)
    rest = [i for i in pool if i is not must]
    chosen = ([must] if must else []) + rng.sample(rest, n - (1 if must else 0))
    return [i for i in pool if any(i is c for c in chosen)]


def drawn_final_exam(bank: Bank) -> list[Scenario]:
    """A fresh draw of the final exam: FINAL_PER_MODULE items from every module's quiz bank,
    with a fixed seed; the pilih_semua item of FINAL_MULTI_MODULES modules is always drawn.
    Used only where quizzes/undian_soal.yaml has no entry yet."""
    import random

    pools = {mod.id: load_quiz_items(mod.quiz_id, bank) for mod in bank.modules.values()}
    with_multi = [m for m, pool in pools.items() if any(i.multi for i in pool)]
    forced = set(random.Random(f"{FINAL_EXAM}|pilih_semua").sample(
        with_multi, min(FINAL_MULTI_MODULES, len(with_multi))))
    items = []
    for module_id, pool in pools.items():
        must = random.Random(f"{FINAL_EXAM}|{module_id}|pilih_semua").choice(
            [i for i in pool if i.multi]) if module_id in forced else None
        items += _draw(pool, FINAL_PER_MODULE, f"{FINAL_EXAM}|{module_id}", must)
    return items


def drawn_pretest(bank: Bank, module_id: str) -> list[Scenario]:
    """A fresh draw of a module's pre-test: PRETEST_ITEMS items of its quiz bank, seeded."""
    pool = load_quiz_items(bank.modules[module_id].quiz_id, bank)
    return _draw(pool, min(PRETEST_ITEMS, len(pool)), pretest_id(module_id))


def final_exam_items(bank: Bank) -> list[Scenario]:
    """The final exam as quizzes/undian_soal.yaml lists it (a fresh draw if it has no entry)."""
    pool = [i for mod in bank.modules.values() for i in load_quiz_items(mod.quiz_id, bank)]
    return draws.items_of(FINAL_EXAM, pool, lambda: drawn_final_exam(bank))


def pretest_items(bank: Bank, module_id: str) -> list[Scenario]:
    """The module's pre-test (tes awal) as quizzes/undian_soal.yaml lists it."""
    pool = load_quiz_items(bank.modules[module_id].quiz_id, bank)
    return draws.items_of(pretest_id(module_id), pool, lambda: drawn_pretest(bank, module_id))


def _attempts_text(assignment_id: str) -> str:
    rule = attempts(assignment_id)
    if rule.maximum == 1:
        return "Kuis ini hanya dapat dikirim **satu kali**; periksa kembali jawaban Anda sebelum mengirim.\n"
    counted = ("nilai tertinggi dari semua kiriman" if rule.counted == "terbaik"
               else "nilai kiriman terakhir")
    return (f"Anda boleh mengirim paling banyak **{rule.maximum} kali**; yang dihitung adalah {counted}. "
            "Setiap kiriman, dari halaman ini atau dari Beranda Kursus, memakai satu kesempatan.\n")


def quiz_notebook(bank: Bank, assignment_id: str, items: list[Scenario], points: float = 1.0):
    kind, module_id = assignment_kind(assignment_id)
    mod = bank.modules.get(module_id or "")
    if kind == Kind.PRETEST:
        title = f"Tes Awal Modul {mod.id}: {mod.judul}"
        about = (f"Tes awal ini untuk peserta yang merasa sudah menguasai Modul {mod.id}. Bila Anda lulus, "
                 f"Modul {mod.id} tercatat selesai (**lulus tes awal**) dan Anda tidak perlu mengikuti modul "
                 f"maupun Kuis {mod.id}. Bila belum lulus, pelajari modulnya lalu kerjakan Kuis {mod.id}; "
                 "hasil tes awal tidak mengurangi kesempatan Anda pada kuis. Umpan balik tes awal tidak "
                 "menampilkan jawaban yang benar, karena soalnya berasal dari bank soal kuis yang sama.\n\n")
    else:
        title = (f"Kuis {mod.id}: {mod.judul}" if mod
                 else "Ujian Akhir: Netralitas ASN" if assignment_id == FINAL_EXAM else assignment_id)
        about = ""
    intro = new_markdown_cell(
        # The quiz lives in <learner>/<id>/<id>.ipynb, the home in <learner>/modules/.
        f"{BACK_LINK_TEXT}(../modules/{HOME_NOTEBOOK}.ipynb)\n\n"
        f"# {title}\n\n{about}Berisi {len(items)} soal. Batas lulus {pass_mark(assignment_id):.0%}.\n\n"
        + HOW_TO_RUN
        + "3. Setelah semua soal dijawab, klik tombol **Kirim jawaban** di bagian bawah halaman; "
          "nilainya tampil di sini beberapa detik kemudian. "
        + _attempts_text(assignment_id)
    )
    intro.metadata["nbgrader"] = _nbg(INTRO_ID)
    setup = _hidden(new_code_cell("from netralitas.learner.widgets import kemajuan, soal, soal_semua, tombol_kirim"),
                    "Persiapan tampilan soal")
    setup.metadata["nbgrader"] = _nbg("persiapan")
    cells = [intro, setup]
    for n, s in enumerate(items, start=1):
        question = new_markdown_cell(_question_md(n, s))
        question.metadata["nbgrader"] = _nbg(f"soal_{s.id}")
        choices = [(o.id, o.teks) for o in s.pilihan]
        call = "soal_semua" if s.multi else "soal"
        widget = _hidden(new_code_cell(f"{call}({json.dumps(s.id)}, {json.dumps(choices, ensure_ascii=False)}, "
                                       f"kuis={json.dumps(assignment_id)})"),
                         f"Pilihan jawaban soal {n}")
        widget.metadata["nbgrader"] = _nbg(f"pilihan_{s.id}")
        test = _hidden(new_code_cell(_hidden_test(bank, n, s, points)),
                       f"Penilaian otomatis soal {n}: dijalankan pengajar setelah jawaban dikirim.")
        test.metadata["nbgrader"] = _nbg(f"{GRADE_ID_PREFIX}{s.id}", grade=True, points=points)
        cells += [question, widget, test]
    progress = _hidden(new_code_cell("kemajuan()"), "Kemajuan pengerjaan")
    progress.metadata["nbgrader"] = _nbg("kemajuan")
    submit = _hidden(new_code_cell(f'tombol_kirim("{assignment_id}")'), "Tombol kirim jawaban")
    submit.metadata["nbgrader"] = _nbg("kirim")
    cells += [progress, submit]
    nb = _finish(new_notebook(cells=cells), assignment_id)
    # The attempts ledger records which content a learner answered (audit):
    # a short hash of everything the bank put into this notebook.
    nb.metadata["netralitas"] = {CONTENT_VERSION_KEY: hashlib.sha256(render(nb).encode("utf-8")).hexdigest()[:12]}
    return nb


HOME_NOTEBOOK = "00_beranda"


def home_notebook():
    """The learner's landing page (learner/home.py), opened as a Voila app."""
    cells = [_hidden(new_code_cell("from netralitas.learner.home import beranda\nberanda()"), "Beranda kursus")]
    return _finish(new_notebook(cells=cells), "beranda")


def render(nb) -> str:
    return nbformat.writes(nb) + "\n"


def targets(bank: Bank, root: Path | None = None) -> dict[Path, str]:
    """Every generated file and its content."""
    root = Path(root or paths.REPO_ROOT)
    out: dict[Path, str] = {}
    for mod in bank.modules.values():
        if bank.module_scenarios(mod.id):
            out[root / "modules" / f"{mod.name}.ipynb"] = render(module_notebook(bank, mod.id))
    for assignment_id in quiz_ids():
        items = load_quiz_items(assignment_id, bank)
        out[root / "quizzes" / "source" / assignment_id / f"{assignment_id}.ipynb"] = \
            render(quiz_notebook(bank, assignment_id, items))
    for mod in bank.modules.values():
        if mod.quiz_id in quiz_ids():
            pretest = pretest_id(mod.id)
            out[root / "quizzes" / "source" / pretest / f"{pretest}.ipynb"] = \
                render(quiz_notebook(bank, pretest, pretest_items(bank, mod.id)))
    drawn: dict[str, list[Scenario]] = {}
    for mod in bank.modules.values():
        if mod.quiz_id in quiz_ids():
            drawn[pretest_id(mod.id)] = pretest_items(bank, mod.id)
    if all(m.quiz_id in quiz_ids() for m in bank.modules.values()):
        drawn[FINAL_EXAM] = final_exam_items(bank)
        out[root / "quizzes" / "source" / FINAL_EXAM / f"{FINAL_EXAM}.ipynb"] = \
            render(quiz_notebook(bank, FINAL_EXAM, drawn[FINAL_EXAM]))
    out[root / "quizzes" / draws.DRAWS_FILE.name] = draws.render({a: [i.id for i in items] for a, items in drawn.items()})
    out[root / "modules" / f"{HOME_NOTEBOOK}.ipynb"] = render(home_notebook())
    from .reference import targets as reference_pages

    return out | reference_pages(root)


def build(bank: Bank, root: Path | None = None, check: bool = False) -> list[Path]:
    """Write generated files; with check=True write nothing and return the stale ones."""
    return write_changed(targets(bank, root), check)
