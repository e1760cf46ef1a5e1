"""One self-contained HTML page: charts as inline PNG (base64), tables, no network."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .certification import Report  # noqa: E402
from ..files import atomic_write  # noqa: E402

STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:1100px;color:#1d2630;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:1.8em;border-bottom:2px solid #1f5f8b}
.meta{color:#555} table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ccd;padding:3px 6px;text-align:left} th{background:#e8f0f6}
td.n{text-align:right} .grid{display:flex;flex-wrap:wrap;gap:1em} .grid img{max-width:100%;border:1px solid #dde}
.card{background:#f3f7fa;border-radius:6px;padding:.6em 1em;min-width:10em}
.card b{display:block;font-size:1.6em;color:#1f5f8b}
"""


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return f'<img alt="grafik" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def unit_chart(units: pd.DataFrame) -> str:
    u = units.sort_values("persen_tersertifikasi")
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(u) + 1.2))
    started = 100 * u["sudah_mulai"] / u["jumlah_pegawai"]
    ax.barh(u["unit_kerja"], started, color="#bcd4e6", label="sudah mulai")
    ax.barh(u["unit_kerja"], u["persen_tersertifikasi"], color="#1f5f8b", label="tersertifikasi")
    for y, v in enumerate(u["persen_tersertifikasi"]):
        ax.text(v + 1, y, f"{v:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("% pegawai")
    ax.set_title("Penyelesaian per unit kerja")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def trend_chart(trend: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    if len(trend):
        ax.bar(trend["bulan"], trend["modul_selesai"], color="#bcd4e6", label="modul selesai per bulan")
        ax2 = ax.twinx()
        ax2.plot(trend["bulan"], trend["tersertifikasi_kumulatif"], color="#c0392b", marker="o", ms=3,
                 label="tersertifikasi (kumulatif)")
        ax2.set_ylabel("pegawai tersertifikasi")
        handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        ax2.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8)
        step = max(1, len(trend) // 12)
        ax.set_xticks(range(0, len(trend), step))
        ax.set_xticklabels(trend["bulan"].iloc[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("modul selesai")
    ax.set_title("Tren penyelesaian dari waktu ke waktu")
    return _png(fig)


def module_chart(modules: pd.DataFrame) -> str:
    fig, ax = plt.subplots(figsize=(7.5, 3))
    ax.bar("M" + modules["modul"], modules["persen_lulus"].fillna(0), color="#2e8b57")
    ax.set_ylim(0, 105)
    ax.set_ylabel("% lulus dari yang mencoba")
    ax.set_title("Kelulusan per modul")
    return _png(fig)


def _table(frame: pd.DataFrame, limit: int = 200) -> str:
    from .workbook import _readable

    frame = _readable(frame.head(limit))
    head = "".join(f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in frame.columns)
    rows = []
    for rec in frame.head(limit).itertuples(index=False):
        cells = "".join(f'<td class="n">{v}</td>' if isinstance(v, (int, float)) and not isinstance(v, bool)
                        else f"<td>{html.escape('' if v is None or v != v else str(v))}</td>" for v in rec)
        rows.append(f"<tr>{cells}</tr>")
    more = ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _more(frame: pd.DataFrame, limit: int) -> str:
    return f"<p class=meta>{len(frame) - limit} baris lainnya ada di berkas XLSX.</p>" if len(frame) > limit else ""


def write_html(path: Path, report: Report, title: str = "Laporan Penyelesaian Kursus Netralitas ASN") -> Path:
    L = report.learners
    cards = [("Pegawai", len(L)), ("Sudah mulai", int(L["mulai"].sum())),
             ("Tersertifikasi", int(L["tersertifikasi"].sum())), ("Terlambat", int(L["terlambat"].sum())),
             ("Perlu sertifikasi ulang", int(L["perlu_sertifikasi_ulang"].sum()))]
    units = report.units.drop(columns=[c for c in report.units if c.startswith("selesai_M")])
    from ..invented import banner_html

    mark = banner_html()
    mark += "\n" if mark else ""
    body = f"""<h1>{html.escape(title)}</h1>
{mark}<p class=meta>Per tanggal {report.as_of.isoformat()} &middot; modul wajib {', '.join(report.required)}
&middot; tenggat {report.policy.tenggat or '-'} &middot; berisi data pribadi (NIP): jangan disebarluaskan.</p>
<div class=grid>{''.join(f'<div class=card>{k}<b>{v}</b></div>' for k, v in cards)}</div>
<h2>Penyelesaian per unit kerja</h2><div class=grid>{unit_chart(report.units)}</div>
{_table(units)}
<h2>Tren dari waktu ke waktu</h2><div class=grid>{trend_chart(report.trend)}</div>
<h2>Per modul</h2><div class=grid>{module_chart(report.modules)}</div>{_table(report.modules)}
<h2>Soal yang paling sering salah per unit (bahan diskusi fasilitator)</h2>{_table(report.items)}
<h2>Terlambat (melewati tenggat)</h2>{_table(report.overdue, 100)}{_more(report.overdue, 100)}
<h2>Perlu sertifikasi ulang</h2>{_table(report.recertify, 100)}{_more(report.recertify, 100)}
"""
    page = (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>")
    return atomic_write(path, page)
