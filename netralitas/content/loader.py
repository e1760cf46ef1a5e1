"""Load and cross-check the bank: regulations, modules, scenarios, quiz items."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .. import paths
from .schema import ContentError, Module, Regulation, Scenario


def _read_list(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ContentError(f"{path.name}: expected a YAML list of mappings")
    return data


@dataclass(frozen=True)
class Bank:
    regulations: dict[str, Regulation]
    modules: dict[str, Module]
    scenarios: dict[str, Scenario]

    def module_scenarios(self, module_id: str) -> list[Scenario]:
        return [s for s in self.scenarios.values() if s.modul == module_id]

    def cite(self, scenario: Scenario) -> list[str]:
        """Legal basis as learners read it: 'PP 94/2021 Pasal 5 huruf n'."""
        out = []
        for basis in scenario.dasar_hukum:
            reg = self.regulations[basis.regulasi]
            out.append(" ".join(x for x in (reg.singkatan, basis.pasal) if x))
        return out


def _check_references(scenarios: list[Scenario], regulations: dict, modules: dict, where: str):
    seen: set[str] = set()
    for s in scenarios:
        if s.id in seen:
            raise ContentError(f"{where}: duplicate scenario id {s.id}")
        seen.add(s.id)
        if s.modul not in modules:
            raise ContentError(f"{where} [{s.id}]: unknown modul {s.modul!r}")
        for basis in s.dasar_hukum:
            if basis.regulasi not in regulations:
                raise ContentError(f"{where} [{s.id}]: dasar_hukum cites unknown regulasi "
                                   f"{basis.regulasi!r} (add it to regulasi.yaml)")


def load_bank(bank_dir: Path | None = None) -> Bank:
    """The learner-side bank (teaching scenarios). Contains no quiz keys.

    One YAML file per module under modul/, named NN_slug.yaml, holding the
    module's metadata (`modul`) and its teaching scenarios (`skenario`).
    """
    bank_dir = Path(bank_dir or paths.BANK_DIR)
    regulations = {}
    for d in _read_list(bank_dir / "regulasi.yaml"):
        reg = Regulation.from_dict(d, "regulasi.yaml")
        if reg.id in regulations:
            raise ContentError(f"regulasi.yaml: duplicate id {reg.id}")
        regulations[reg.id] = reg
    for reg in regulations.values():
        if reg.diganti_oleh and reg.diganti_oleh not in regulations:
            raise ContentError(f"regulasi.yaml [{reg.id}]: diganti_oleh {reg.diganti_oleh!r} unknown")

    modules, scenarios = {}, []
    for path in sorted((bank_dir / "modul").glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("modul"), dict):
            raise ContentError(f"{path.name}: expected a mapping with 'modul' and 'skenario'")
        mod = Module.from_dict(data["modul"], path.name)
        if path.stem != mod.name:
            raise ContentError(f"{path.name}: file must be named {mod.name}.yaml")
        if mod.id in modules:
            raise ContentError(f"{path.name}: duplicate module id {mod.id}")
        modules[mod.id] = mod
        for d in data.get("skenario") or []:
            s = Scenario.from_dict(d, path.name)
            if s.modul != mod.id:
                raise ContentError(f"{path.name} [{s.id}]: modul {s.modul} but the file is module {mod.id}")
            scenarios.append(s)
    _check_references(scenarios, regulations, modules, "modul/")
    return Bank(regulations, modules, {s.id: s for s in scenarios})


def load_quiz_items(assignment_id: str, bank: Bank, quiz_dir: Path | None = None) -> list[Scenario]:
    """Quiz items with their keys: instructor side only (quizzes/bank/)."""
    path = Path(quiz_dir or paths.quiz_bank_dir()) / f"{assignment_id}.yaml"
    items = [Scenario.from_dict(d, path.name) for d in _read_list(path)]
    _check_references(items, bank.regulations, bank.modules, path.name)
    clash = {i.id for i in items} & set(bank.scenarios)
    if clash:
        raise ContentError(f"{path.name}: quiz ids reuse teaching scenario ids {sorted(clash)}")
    return items


def quiz_ids(quiz_dir: Path | None = None) -> list[str]:
    return sorted(p.stem for p in Path(quiz_dir or paths.quiz_bank_dir()).glob("*.yaml"))


@lru_cache(maxsize=1)
def default_bank() -> Bank:
    return load_bank()
