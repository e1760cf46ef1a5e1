"""Reference pages generated from the declared models, so they cannot go stale:

    docs/PENGATURAN.md  environment variables (netralitas/settings.py)
    docs/KEBIJAKAN.md   keys of grading/kebijakan.yaml (netralitas/policy.py)
    docs/TABEL.md       roster and attendance columns, report sheets (netralitas/tables.py)
    docs/BANK_KONTEN.md fields of the content bank and the kit (content/schema.py, facilitator/content.py)

`make build` writes them and `make check` (`netralitas bangun --periksa`) fails when one drifts.
"""
from __future__ import annotations

import types
import typing
from pathlib import Path

import jinja2
from pydantic import BaseModel

from .. import paths

GENERATED = "<!-- Dibuat oleh `make build` dari {source}; jangan diedit langsung. -->"

_ENV = jinja2.Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                          undefined=jinja2.StrictUndefined, autoescape=False)
_ENV.filters["cell"] = lambda v: str(v if v is not None else "").replace("|", "\\|").replace("\n", " ")

SETTINGS = _ENV.from_string("""\
{{ generated }}

# Pengaturan lewat variabel lingkungan

Semua pengaturan yang dibaca dari lingkungan, dengan satu pola nama `NETRALITAS_<NAMA>`
(`NETRALITAS_HUB_...` untuk JupyterHub bersama). Nilai kosong sama dengan tidak diatur; nilai yang
salah jenis ditolak dengan pesan yang menyebut nama variabelnya. Nama lama masih dibaca:
{{ old | join(", ") }}.

| Variabel | Jenis | Bawaan | Arti |
|---|---|---|---|
{% for r in rows %}
| `{{ r.name }}` | {{ r.type | cell }} | {{ r.default | cell }} | {{ r.meaning | cell }} |
{% endfor %}
""")

POLICY = _ENV.from_string("""\
{{ generated }}

# Kunci berkas kebijakan (`grading/kebijakan.yaml`)

Berkas ini diperiksa utuh setiap kali dibaca: kunci yang tidak dikenal (salah ketik) dan nilai yang
salah jenis ditolak dengan pesan berbahasa Indonesia yang menyebut kuncinya. Instansi dapat memakai
berkas sendiri lewat `NETRALITAS_POLICY`. Setelah mengubahnya jalankan `make build`.

| Kunci | Jenis | Bawaan | Arti |
|---|---|---|---|
{% for r in rows %}
| `{{ r.name }}` | {{ r.type | cell }} | {{ r.default | cell }} | {{ r.meaning | cell }} |
{% endfor %}
""")

TABLES = _ENV.from_string("""\
{{ generated }}

# Tabel yang masuk dan keluar

Berkas yang diserahkan ke kursus (roster, daftar hadir) dan lembar laporan BKPSDM yang dihasilkan.
Judul kolom masukan tidak peka huruf besar-kecil dan spasi; judul lain yang juga diterima tercantum.
`M{m}` dan `selesai_M{m}` berarti satu kolom untuk setiap modul wajib (M01, M02, ...).
{% for t in inputs %}

## {{ t.title }} (masuk)

{{ t.about }}

| Judul kolom | Nama | Jenis | Wajib | Juga diterima | Arti |
|---|---|---|---|---|---|
{% for c in t.columns %}
| {{ c.label }} | `{{ c.name }}` | {{ c.type }} | {{ "ya" if c.required else "" }} | {{ c.aliases | join(", ") | cell }} | {{ c.meaning | cell }} |
{% endfor %}
{% endfor %}

## Laporan BKPSDM (keluar: `netralitas laporan`)

Satu berkas XLSX dengan lembar-lembar berikut (dan CSV untuk sebagian lembar).
{% for t in outputs %}

### {{ t.title }}

{{ t.about }}

| Kolom | Jenis | Arti |
|---|---|---|
{% for c in t.columns %}
| `{{ c.name }}` | {{ c.type }} | {{ c.meaning | cell }} |
{% endfor %}
{% endfor %}
""")

BANK = _ENV.from_string("""\
{{ generated }}

# Bank konten: berkas dan isian

Bank konten (`netralitas/content/bank/`, kunci kuis di `quizzes/bank/`) adalah sumber semua
notebook modul, kuis, tes awal, ujian akhir, dan panduan fasilitator (`make build`, `make kit`).
Setiap entri diperiksa utuh: isian yang tidak tercantum di sini (salah ketik) ditolak, begitu pula
isian wajib yang kosong dan nilai yang salah jenis; pesannya (bahasa Inggris) menyebut berkas, kode
entri, dan isiannya. Isian per jenis entri:
{% for t in types %}

## {{ t.name }}

{{ t.doc }}

| Isian | Jenis | Wajib | Bawaan | Arti |
|---|---|---|---|---|
{% for f in t.fields %}
| `{{ f.name }}` | {{ f.type | cell }} | {{ f.required }} | {{ f.default | cell }} | {{ f.meaning | cell }} |
{% endfor %}
{% endfor %}
""")


def _type(annotation) -> str:
    """A type as the reader of a reference page says it."""
    import re

    text = getattr(annotation, "__name__", None) if not typing.get_args(annotation) else None
    text = text or str(annotation).replace("typing.", "").replace("pathlib.", "").replace("datetime.", "")
    text = re.sub(r"Literal\[([^\]]*)\]", lambda m: "salah satu: " + m.group(1).replace("'", ""), text)
    text = re.sub(r"Optional\[(.*)\]$", r"\1 | None", text)
    text = re.sub(r"netralitas\.\w+(\.\w+)*\.(\w+)", lambda m: "jenis" if m.group(2) == "Kind" else "bagian", text)
    for old, new in (("NoneType", "None"), ("Annotated[tuple[str, ...], NoDecode]", "daftar, pisah koma"),
                     ("tuple[str, ...]", "daftar teks"), ("| None", "(boleh kosong)"), ("float", "angka"),
                     ("int", "bilangan bulat"), ("str", "teks"), ("bool", "ya/tidak"), ("date", "tanggal"),
                     ("Path", "folder/berkas"), ("dict", "peta")):
        text = text.replace(old, new)
    return text


def _default(value) -> str:
    if value is None or value == () or value == {}:
        return ""
    if isinstance(value, BaseModel):
        return "(bagian)"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def settings_page() -> str:
    from ..settings import OLD_NAMES, Settings, env_name

    rows = [{"name": env_name(n), "type": _type(f.annotation), "default": _default(f.default),
             "meaning": f.description} for n, f in Settings.model_fields.items()]
    return SETTINGS.render(generated=GENERATED.format(source="netralitas/settings.py"), rows=rows,
                           old=[f"`{name}`" for name in OLD_NAMES])


def _policy_rows(model: type[BaseModel], prefix: str = "") -> list[dict]:
    rows = []
    for name, f in model.model_fields.items():
        sub = f.annotation if isinstance(f.annotation, type) and issubclass(f.annotation, BaseModel) else None
        rows.append({"name": prefix + name, "type": "bagian" if sub else _type(f.annotation),
                     "default": "" if sub else _default(f.default), "meaning": f.description or ""})
        if sub:
            rows += _policy_rows(sub, f"{prefix}{name}.")
        args = typing.get_args(f.annotation)
        entry = args[-1] if args else None
        if typing.get_origin(f.annotation) is dict and isinstance(entry, type) and issubclass(entry, BaseModel):
            rows += _policy_rows(entry, f"{prefix}{name}.<{'jenis' if 'jenis' in name else 'kuis'}>.")
        if typing.get_origin(f.annotation) is tuple and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            rows += _policy_rows(args[0], f"{prefix}{name}[].")
    return rows


def policy_page() -> str:
    from ..policy import Kebijakan

    return POLICY.render(generated=GENERATED.format(source="netralitas/policy.py"), rows=_policy_rows(Kebijakan))


def tables_page() -> str:
    from ..tables import ATTENDANCE, REPORT_SHEETS, ROSTER

    return TABLES.render(generated=GENERATED.format(source="netralitas/tables.py"), inputs=[ROSTER, ATTENDANCE],
                         outputs=list(REPORT_SHEETS.values()))


def _plain(annotation):
    """The type without its validators (Annotated[str, ...] -> str), inside unions and tuples too."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _plain(args[0])
    if origin is tuple:
        return tuple[tuple(_plain(a) if a is not Ellipsis else a for a in args)]
    if args and origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_plain(a) for a in args)]
    return annotation


def _bank_type(annotation, info) -> str:
    """A bank field's type: a nested entry by its name, a bound where one is declared."""
    annotation = _plain(annotation)
    args = typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        text = f"bagian: {annotation.__name__}"
    elif typing.get_origin(annotation) is tuple and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        text = f"daftar {args[0].__name__}"
    elif typing.get_origin(annotation) is tuple and typing.get_origin(args[0]) is typing.Literal:
        text = f"daftar, tiap isian {_type(args[0])}"
    else:
        text = _type(annotation)
    bound = (info.json_schema_extra or {}).get("batas") if isinstance(info.json_schema_extra, dict) else None
    return text + (" ({}..{})".format(*bound) if bound else "")


def bank_page() -> str:
    from ..content import schema
    from ..facilitator.content import KIT_RECORDS

    types = []
    for cls in (schema.Regulation, schema.Behaviour, schema.UncertainFact, schema.Module, schema.SelfCheck,
                schema.Scenario, schema.Option, schema.LegalBasis, schema.Sanction, *KIT_RECORDS):
        fields = [{"name": n, "type": _bank_type(f.annotation, f),
                   "required": (f.json_schema_extra or {}).get("wajib", "ya" if f.is_required() else ""),
                   "default": "" if f.is_required() else ({True: "ya", False: "tidak"}[f.default]
                                                           if isinstance(f.default, bool) else _default(f.default)),
                   "meaning": f.description or ""}
                  for n, f in cls.model_fields.items()]
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        types.append({"name": cls.__name__, "doc": doc, "fields": fields})
    return BANK.render(generated=GENERATED.format(source="netralitas/content/schema.py dan "
                                                        "netralitas/facilitator/content.py"), types=types)


def targets(root: Path | None = None) -> dict[Path, str]:
    docs = Path(root or paths.REPO_ROOT) / "docs"
    return {docs / "PENGATURAN.md": settings_page(), docs / "KEBIJAKAN.md": policy_page(),
            docs / "TABEL.md": tables_page(), docs / "BANK_KONTEN.md": bank_page()}
