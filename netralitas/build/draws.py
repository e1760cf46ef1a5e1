"""Which quiz-bank items make up each pre-test and the final exam: quizzes/undian_soal.yaml.

The file is the record (an inspector can read which items a learner was given); `make build`
adds a seeded draw for an assignment that has no entry yet and never redraws an existing one.
To change a pre-test or the exam, edit the file and run `make build`.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import RootModel, ValidationError, field_validator

from .. import paths
from ..assignments import Assignment, Kind
from ..content.schema import ContentError, Scenario

DRAWS_FILE = paths.QUIZZES_DIR / "undian_soal.yaml"

HEADER = """\
# Soal yang diundi untuk setiap tes awal (tes_awal_NN) dan ujian akhir, menurut id soal bank kuis
# (quizzes/bank/). Berkas ini catatan resmi isi setiap penilaian: `make build` hanya menambah
# undian untuk penilaian yang belum tercatat dan tidak pernah mengundi ulang yang sudah ada.
# Untuk mengganti soal, ubah daftar di sini lalu jalankan `make build`.
"""


class Draws(RootModel[dict[str, tuple[str, ...]]]):
    """assignment id -> item ids, in the order the notebook asks them."""

    @field_validator("root")
    @classmethod
    def _known_ids(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for assignment_id, items in value.items():
            a = Assignment.parse(assignment_id)
            if a.kind is Kind.QUIZ:
                raise ValueError(f"{assignment_id}: a quiz asks its whole bank; only pre-tests and exams are drawn")
            if len(set(items)) != len(items):
                raise ValueError(f"{assignment_id}: an item is listed twice")
            if not items:
                raise ValueError(f"{assignment_id}: no items")
        return value


def load(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    path = Path(path or DRAWS_FILE)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Draws.model_validate(data).root
    except ValidationError as exc:
        wrong = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}".lstrip(": ")
                          for e in exc.errors())
        raise ContentError(f"{path.name}: {wrong}") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from None


def items_of(assignment_id: str, pool: list[Scenario], fresh: Callable[[], list[Scenario]],
             path: Path | None = None) -> list[Scenario]:
    """The items the draws file lists for assignment_id, from pool; fresh() when it lists none."""
    listed = load(path).get(assignment_id)
    if listed is None:
        return fresh()
    by_id = {i.id: i for i in pool}
    unknown = [i for i in listed if i not in by_id]
    if unknown:
        raise ContentError(f"{Path(path or DRAWS_FILE).name}: {assignment_id} lists items that are not in its "
                           f"quiz bank: {', '.join(unknown)}")
    return [by_id[i] for i in listed]


def render(draws: dict[str, list[str]]) -> str:
    Draws.model_validate({k: tuple(v) for k, v in draws.items()})
    # Short lists on one line; the exam's one item a line, so a change shows as one line in git.
    body = "".join(f"{a}: [{', '.join(ids)}]\n" if len(ids) <= 10 else f"{a}:\n" + "".join(f"  - {i}\n" for i in ids)
                   for a, ids in draws.items())
    return HEADER + "\n" + body
