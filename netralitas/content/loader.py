"""Load and cross-check the bank: regulations, modules, scenarios, quiz items."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .. import paths
from .schema import (FREE_CATEGORIES, MARKER, TEACHING_REF, Behaviour, ContentError, Module,
                     Regulation, Scenario, UncertainFact)


def _read_list(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ContentError(f"{path.name}: expected a YAML list of mappings")
    return data


@dataclass(frozen=True)
class Tables:
    """The behaviour table and the uncertain facts, which texts quote by marker."""
    regulations: dict[str, Regulation]
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    uncertain: dict[str, UncertainFact] = field(default_factory=dict)

    def cite_one(self, regulasi: str, pasal: str = "") -> str:
        """'PP 94/2021 Pasal 5 huruf n'; a rule whose status is uncertain carries its hedge."""
        reg = self.regulations[regulasi]
        text = " ".join(x for x in (reg.singkatan, pasal) if x)
        if reg.ragu:
            fact = self.uncertain[reg.ragu]
            text += f" [{fact.singkat or fact.lindung}]"
        return text

    def categories(self, behaviour_ids) -> list[str]:
        return [c for b in behaviour_ids for c in self.behaviours[b].kategori]

    def quote(self, behaviour_id: str) -> str:
        """'<perbuatan> (<dasar hukum>; <kategori sanksi>)', the words of the table."""
        b = self.behaviours[behaviour_id]
        return f"{b.uraian} ({self.cite_one(b.regulasi, b.pasal)}; {b.keterangan[:1].lower() + b.keterangan[1:]})"

    def table(self, group: str) -> str:
        rows = [b for b in self.behaviours.values() if b.kelompok == group]
        out = "| Perbuatan | Dasar hukum | Kategori sanksi |\n|---|---|---|\n"
        for b in rows:
            out += (f"| {b.uraian[:1].upper() + b.uraian[1:]} | {self.cite_one(b.regulasi, b.pasal)} | "
                    f"{b.keterangan} |\n")
        return out

    def expand(self, value, where: str):
        """Turn every {perilaku:..}, {tabel_perilaku:..} and {ragu:..} marker into reader text."""
        if isinstance(value, dict):
            return {k: self.expand(v, where) for k, v in value.items()}
        if isinstance(value, list):
            return [self.expand(v, where) for v in value]
        if not isinstance(value, str) or "{" not in value:
            return value

        def one(m):
            kind, key = m.group(1), m.group(2)
            if kind == "ragu":
                if key not in self.uncertain:
                    raise ContentError(f"{where}: unknown marker {{ragu:{key}}} (see ragu.yaml)")
                return self.uncertain[key].hedge
            if kind == "perilaku":
                if key not in self.behaviours:
                    raise ContentError(f"{where}: unknown marker {{perilaku:{key}}} (see perilaku.yaml)")
                return self.quote(key)
            if not any(b.kelompok == key for b in self.behaviours.values()):
                raise ContentError(f"{where}: unknown marker {{tabel_perilaku:{key}}} (no such kelompok)")
            return self.table(key)

        return MARKER.sub(one, value)


@dataclass(frozen=True)
class Bank:
    regulations: dict[str, Regulation]
    modules: dict[str, Module]
    scenarios: dict[str, Scenario]
    tables: Tables | None = None
    # Behaviour ids each module reading quotes by marker (diajarkan_di checks).
    reading_quotes: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def behaviours(self) -> dict[str, Behaviour]:
        return self.tables.behaviours if self.tables else {}

    @property
    def uncertain(self) -> dict[str, UncertainFact]:
        return self.tables.uncertain if self.tables else {}

    def module_scenarios(self, module_id: str) -> list[Scenario]:
        return [s for s in self.scenarios.values() if s.modul == module_id]

    def cite_bases(self, bases) -> list[str]:
        tables = self.tables or Tables(self.regulations)
        return [tables.cite_one(b.regulasi, b.pasal) for b in bases]

    def cite(self, scenario: Scenario) -> list[str]:
        """Legal basis as learners read it: 'PP 94/2021 Pasal 5 huruf n'."""
        return self.cite_bases(scenario.dasar_hukum)

    def expand(self, value, where: str):
        return self.tables.expand(value, where) if self.tables else value


def _check_references(scenarios: list[Scenario], regulations: dict, modules: dict, where: str,
                      tables: Tables | None = None):
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
        if tables is not None:
            _check_sanction(s, tables, where)


def _check_sanction(s: Scenario, tables: Tables, where: str):
    """The sanction category comes from the behaviour table (or is 'tidak_ada' /
    'tergantung' where the verdict itself says so)."""
    unknown = [b for b in s.perilaku if b not in tables.behaviours]
    if unknown:
        raise ContentError(f"{where} [{s.id}]: perilaku {unknown} not in perilaku.yaml")
    if s.putusan == "melanggar" and not s.perilaku:
        raise ContentError(f"{where} [{s.id}]: a violation must name its behaviour(s) in 'perilaku'")
    allowed = set(FREE_CATEGORIES[s.putusan])
    if s.putusan != "tidak_melanggar":  # no violation: no sanction, whatever behaviour it is about
        allowed |= set(tables.categories(s.perilaku))
    if s.multi:  # options judged one by one; the item as a whole may say "it depends which"
        allowed.add("tergantung")
    if s.sanksi.kategori not in allowed:
        raise ContentError(f"{where} [{s.id}]: sanksi.kategori {s.sanksi.kategori!r} is not what perilaku.yaml "
                           f"gives for {list(s.perilaku)}: {sorted(allowed)}")


def check_taught(item: Scenario, bank: "Bank") -> list[str]:
    """Problems with an item's `diajarkan_di` (empty when it is sound)."""
    problems = []
    if not item.diajarkan_di:
        return [f"{item.id}: no 'diajarkan_di'"]
    shared = False
    for ref in item.diajarkan_di:
        m = TEACHING_REF.match(ref)
        if m["scenario"]:
            s = bank.scenarios.get(ref)
            if s is None:
                problems.append(f"{item.id}: diajarkan_di {ref} is no teaching scenario")
                continue
            if s.putusan != item.putusan:
                problems.append(f"{item.id}: verdict {item.putusan} but {ref} teaches {s.putusan}")
            if s.sanksi.kategori != item.sanksi.kategori:
                problems.append(f"{item.id}: sanction {item.sanksi.kategori} but {ref} teaches {s.sanksi.kategori}")
            shared |= bool(set(s.perilaku) & set(item.perilaku))
        else:
            mod = bank.modules.get(m["module"])
            if mod is None:
                problems.append(f"{item.id}: diajarkan_di {ref}: no module {m['module']}")
                continue
            if m["part"] == "cek_mandiri" and not mod.cek_mandiri:
                problems.append(f"{item.id}: diajarkan_di {ref}: module has no cek_mandiri")
            shared |= bool(bank.reading_quotes.get(mod.id, frozenset()) & set(item.perilaku))
    if item.perilaku and not shared:
        problems.append(f"{item.id}: none of {list(item.diajarkan_di)} teaches its behaviour(s) "
                        f"{list(item.perilaku)} (a scenario with the same perilaku, or a reading quoting it)")
    return problems


def _tables(bank_dir: Path, regulations: dict) -> Tables:
    behaviours, uncertain = {}, {}
    for d in _read_list(bank_dir / "ragu.yaml"):
        fact = UncertainFact.from_dict(d, "ragu.yaml")
        if fact.id in uncertain:
            raise ContentError(f"ragu.yaml: duplicate id {fact.id}")
        uncertain[fact.id] = fact
    for d in _read_list(bank_dir / "perilaku.yaml"):
        b = Behaviour.from_dict(d, "perilaku.yaml")
        if b.id in behaviours:
            raise ContentError(f"perilaku.yaml: duplicate id {b.id}")
        if b.regulasi not in regulations:
            raise ContentError(f"perilaku.yaml [{b.id}]: unknown regulasi {b.regulasi!r}")
        behaviours[b.id] = b
    for reg in regulations.values():
        if reg.ragu and reg.ragu not in uncertain:
            raise ContentError(f"regulasi.yaml [{reg.id}]: ragu {reg.ragu!r} not in ragu.yaml")
    return Tables(regulations, behaviours, uncertain)


def _quoted(text: str) -> frozenset[str]:
    return frozenset(m.group(2) for m in MARKER.finditer(text) if m.group(1) == "perilaku")


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

    tables = _tables(bank_dir, regulations)
    modules, scenarios, quotes = {}, [], {}
    for path in sorted((bank_dir / "modul").glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("modul"), dict):
            raise ContentError(f"{path.name}: expected a mapping with 'modul' and 'skenario'")
        raw_reading = str(data["modul"].get("bacaan") or "")
        data = tables.expand(data, path.name)
        mod = Module.from_dict(data["modul"], path.name)
        if path.stem != mod.name:
            raise ContentError(f"{path.name}: file must be named {mod.name}.yaml")
        if mod.id in modules:
            raise ContentError(f"{path.name}: duplicate module id {mod.id}")
        modules[mod.id] = mod
        groups = {m.group(2) for m in MARKER.finditer(raw_reading) if m.group(1) == "tabel_perilaku"}
        quotes[mod.id] = _quoted(raw_reading) | {b.id for b in tables.behaviours.values() if b.kelompok in groups}
        for d in data.get("skenario") or []:
            s = Scenario.from_dict(d, path.name)
            if s.modul != mod.id:
                raise ContentError(f"{path.name} [{s.id}]: modul {s.modul} but the file is module {mod.id}")
            scenarios.append(s)
    _check_references(scenarios, regulations, modules, "modul/", tables)
    return Bank(regulations, modules, {s.id: s for s in scenarios}, tables, quotes)


def load_quiz_items(assignment_id: str, bank: Bank, quiz_dir: Path | None = None) -> list[Scenario]:
    """Quiz items with their keys: instructor side only (quizzes/bank/)."""
    path = Path(quiz_dir or paths.quiz_bank_dir()) / f"{assignment_id}.yaml"
    items = [Scenario.from_dict(bank.expand(d, path.name), path.name) for d in _read_list(path)]
    _check_references(items, bank.regulations, bank.modules, path.name, bank.tables)
    clash = {i.id for i in items} & set(bank.scenarios)
    if clash:
        raise ContentError(f"{path.name}: quiz ids reuse teaching scenario ids {sorted(clash)}")
    if bank.tables is not None:  # every item names what teaches it, and agrees with it
        problems = [p for i in items for p in check_taught(i, bank)]
        if problems:
            raise ContentError(f"{path.name}: " + "; ".join(problems))
    return items


def quiz_ids(quiz_dir: Path | None = None) -> list[str]:
    return sorted(p.stem for p in Path(quiz_dir or paths.quiz_bank_dir()).glob("*.yaml"))


@lru_cache(maxsize=1)
def default_bank() -> Bank:
    return load_bank()
