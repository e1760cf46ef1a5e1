"""Live session mode: one scenario at a time on the projector, the room's
show-of-hands count per option, the verdict on request, a chart of the room's
answers, and a summary at the end (optionally saved as CSV).

Widgets only, so the notebook runs in Voila or JupyterLab without a network
(no icons either: Voila fetches the icon font from a CDN).
Every control is an attribute of `LiveSession`, and `CURRENT` is the session
of this kernel: tests drive it with the same `.value =` and `.click()` a
mouse would trigger.
"""
from __future__ import annotations

import csv
import html
from dataclasses import dataclass

from pathlib import Path

import ipywidgets as w
from IPython.display import display

from .. import clock
from ..content.loader import Bank, default_bank
from ..files import atomic_path
from ..content.schema import PHASES, SANCTIONS, VERDICTS, Scenario
from .content import Kit, load_kit

CURRENT: "LiveSession | None" = None

# Sizes for a projector read from the back of a hall. Widget HTML does not
# inherit font size from its box, so every panel carries its own.
_CSS = """<style>
.netralitas-proyektor .widget-label { font-size: 20px; }
.netralitas-proyektor input { font-size: 20px !important; height: 34px !important; }
.netralitas-proyektor .widget-button { font-size: 18px; height: 40px; }
.netralitas-hitung .widget-label { white-space: normal; height: auto; line-height: 1.3; }
</style>"""
_TEXT = "font-size:21px;line-height:1.45"
HOW_TO = (
    "<div style='font-size:17px;line-height:1.5;max-width:60em'>"
    "<ol><li>Pilih <b>Materi sesi</b> (rencana 60/120/180 menit atau satu modul), lalu klik <b>Mulai sesi</b>.</li>"
    "<li>Bacakan kasus. Minta peserta mengangkat tangan untuk setiap pilihan dan isi <b>Jumlah tangan</b> "
    "per pilihan; grafik jawaban ruangan langsung berubah.</li>"
    "<li>Klik <b>Tampilkan putusan</b> untuk membuka putusan, alasan, dasar hukum, dan sanksi.</li>"
    "<li>Pindah dengan <b>Kasus berikutnya</b> dan <b>Sebelumnya</b>. Di akhir klik <b>Ringkasan sesi</b>, "
    "lalu <b>Simpan hasil (CSV)</b> bila perlu (tersimpan di folder <code>hasil_sesi/</code>, tidak dikirim "
    "ke mana pun).</li></ol></div>")
_BAR = "#4a6fa5"
_RIGHT = "#1a7f37"
_WRONG = "#a8a8a8"
MAX_HANDS = 1000  # a room holds at most a few hundred; a typo beyond this is refused


def letter(n: int) -> str:
    return chr(ord("a") + n)


@dataclass
class Tally:
    """The room's hands for one scenario."""
    scenario: Scenario
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def right(self) -> int:
        return sum(n for oid, n in self.counts.items() if self.scenario.option(oid).benar)

    @property
    def share_right(self) -> float | None:
        return self.right / self.total if self.total else None

    @property
    def room_wrong(self) -> bool:
        """Fewer than half of the hands went to a right option."""
        return self.total > 0 and self.right * 2 < self.total


def choices(bank: Bank, kit: Kit) -> list[tuple[str, str]]:
    out = [(f"{p.judul}: {len(p.scenarios)} kasus", p.id) for p in kit.plans.values()]
    out += [(f"Modul {m.id}: {m.judul} ({len(bank.module_scenarios(m.id))} kasus)", f"modul_{m.id}")
            for m in bank.modules.values() if bank.module_scenarios(m.id)]
    return out


def scenario_ids(bank: Bank, kit: Kit, choice: str) -> list[str]:
    if choice in kit.plans:
        return kit.plans[choice].scenarios
    if choice.startswith("modul_") and choice[6:] in bank.modules:
        return [s.id for s in bank.module_scenarios(choice[6:])]
    raise KeyError(f"unknown session choice {choice!r}")


class LiveSession:
    def __init__(self, bank: Bank | None = None, kit: Kit | None = None, out_dir: Path | None = None):
        self.bank = bank or default_bank()
        self.kit = kit or load_kit(self.bank)
        self.out_dir = Path(out_dir or Path.cwd() / "hasil_sesi")
        self.ids: list[str] = []
        self.index = 0
        self.tallies: dict[str, Tally] = {}
        self.revealed: set[str] = set()
        self.choice = ""

        self.picker = w.Dropdown(options=choices(self.bank, self.kit), description="Materi sesi:",
                                 style={"description_width": "initial"}, layout=w.Layout(width="48em"))
        self.start_button = w.Button(description="Mulai sesi", button_style="primary")
        self.start_button.on_click(lambda _: self.start(self.picker.value))
        self.position = w.HTML()
        self.card = w.HTML()
        self.inputs: dict[str, w.BoundedIntText] = {}
        self.inputs_box = w.VBox()
        self.chart = w.HTML()
        self.reveal_button = w.Button(description="Tampilkan putusan", button_style="warning",
                                      layout=w.Layout(width="auto"))
        self.reveal_button.on_click(lambda _: self.reveal())
        self.verdict = w.HTML()
        self.prev_button = w.Button(description="Sebelumnya")
        self.prev_button.on_click(lambda _: self.go(self.index - 1))
        self.next_button = w.Button(description="Kasus berikutnya", button_style="info")
        self.next_button.on_click(lambda _: self.go(self.index + 1))
        self.summary_button = w.Button(description="Ringkasan sesi", button_style="success")
        self.summary_button.on_click(lambda _: self.show_summary())
        self.summary_html = w.HTML()
        self.save_button = w.Button(description="Simpan hasil (CSV)")
        self.save_button.on_click(lambda _: self.save_csv())
        self.status = w.HTML()
        self.how_to = w.HTML(HOW_TO)
        for button in (self.prev_button, self.next_button, self.summary_button, self.save_button):
            button.layout = w.Layout(width="auto", min_width="12em", margin="0 8px 8px 0")
        nav = w.HBox([self.prev_button, self.next_button, self.summary_button, self.position],
                     layout=w.Layout(align_items="center", flex_flow="row wrap"))
        left = w.VBox([self.card, self.inputs_box], layout=w.Layout(width="58%", padding="0 24px 0 0"))
        right = w.VBox([self.chart, w.HBox([self.reveal_button]), self.verdict], layout=w.Layout(width="42%"))
        self.stage = w.VBox([nav, w.HBox([left, right], layout=w.Layout(width="100%"))])
        self.stage.add_class("netralitas-proyektor")
        self.stage.layout.display = "none"
        self.end = w.VBox([self.summary_html, w.HBox([self.save_button]), self.status])
        self.end.add_class("netralitas-proyektor")
        self.end.layout.display = "none"
        self.widget = w.VBox([w.HTML(_CSS), self.how_to, w.HBox([self.picker, self.start_button]),
                              self.stage, self.end])

    # ------------------------------------------------------------ navigation
    def start(self, choice: str) -> None:
        self.choice = choice
        self.ids = scenario_ids(self.bank, self.kit, choice)
        self.tallies = {i: Tally(self.bank.scenarios[i], {o.id: 0 for o in self.bank.scenarios[i].pilihan})
                        for i in self.ids}
        self.revealed = set()
        self.end.layout.display = "none"
        self.stage.layout.display = ""
        self.how_to.layout.display = "none"  # the projector shows the case, not the manual
        self.status.value = ""
        self.go(0)

    def go(self, index: int) -> None:
        if not self.ids:
            return
        self.index = max(0, min(index, len(self.ids) - 1))
        s = self.scenario
        # Boxes first: once "Kasus N" shows, its own (empty) boxes are on screen.
        self.inputs = {}
        rows = []
        for n, o in enumerate(s.pilihan):
            box = w.BoundedIntText(value=self.tallies[s.id].counts[o.id], min=0, max=MAX_HANDS,
                                   description=f"Jumlah tangan {letter(n)}.",
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="290px", min_width="290px", flex="0 0 auto"))
            box.observe(lambda change, oid=o.id: self._count(oid, change["new"]), names="value")
            self.inputs[o.id] = box
            label = w.HTML(f"<div style='font-size:20px;line-height:1.35'><b>{letter(n)}.</b> "
                           f"{html.escape(o.teks)}</div>", layout=w.Layout(flex="1 1 auto"))
            rows.append(w.HBox([box, label], layout=w.Layout(align_items="center")))
        self.inputs_box.children = [w.HTML("<p style='font-size:18px'><b>Pilihan jawaban</b> (isi jumlah "
                                           "tangan yang terangkat untuk setiap pilihan):</p>"), *rows]
        self.inputs_box.add_class("netralitas-hitung")
        self.position.value = (f"<span style='font-size:18px;color:#555;margin-left:12px'>Kasus {self.index + 1} "
                               f"dari {len(self.ids)} · {html.escape(s.id)}</span>")
        self.card.value = (
            f"<div style='{_TEXT}'><h2 style='font-size:32px;line-height:1.2;margin:8px 0'>{html.escape(s.judul)}</h2>"
            f"<p style='color:#555;margin:0;font-size:18px'>{html.escape(PHASES[s.fase])} · berlaku bagi "
            f"{html.escape(', '.join(s.berlaku_untuk))}</p>"
            f"<p>{html.escape(s.situasi)}</p><p><b>{html.escape(s.pertanyaan)}</b></p></div>")
        self.verdict.value = self._verdict_html(s) if s.id in self.revealed else ""
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.ids) - 1
        self._draw()

    @property
    def scenario(self) -> Scenario:
        return self.bank.scenarios[self.ids[self.index]]

    def _count(self, option_id: str, value: int) -> None:
        self.tallies[self.scenario.id].counts[option_id] = int(value or 0)
        self._draw()

    # ------------------------------------------------------------- verdict
    def reveal(self) -> None:
        s = self.scenario
        self.revealed.add(s.id)
        self.verdict.value = self._verdict_html(s)
        self._draw()

    def _verdict_html(self, s: Scenario) -> str:
        right = [f"{letter(n)}. {o.teks}" for n, o in enumerate(s.pilihan) if o.benar]
        depends = (f"<p><i>Bergantung pada:</i> {html.escape(s.tergantung_pada)}</p>" if s.tergantung_pada else "")
        return (
            "<div role='status' style='border:3px solid #1a7f37;border-radius:8px;padding:10px 16px;"
            "background:#f4fbf6;font-size:18px;line-height:1.4'>"
            f"<h2 style='color:#1a7f37;font-size:30px;margin:4px 0'>Putusan: {html.escape(VERDICTS[s.putusan])}</h2>{depends}"
            f"<p><b>Jawaban yang tepat:</b> {html.escape('; '.join(right))}</p>"
            f"<p><b>Mengapa:</b> {html.escape(s.penjelasan)}</p>"
            f"<p><b>Dasar hukum:</b> {html.escape('; '.join(self.bank.cite(s)))}</p>"
            f"<p><b>Sanksi:</b> {html.escape(SANCTIONS[s.sanksi.kategori])}. {html.escape(s.sanksi.keterangan)}"
            f" <i>Dijatuhkan oleh:</i> {html.escape(s.sanksi.penjatuh)}</p></div>")

    def _draw(self) -> None:
        """Bars of the room's answers; right options turn green only after the reveal."""
        s = self.scenario
        tally = self.tallies[s.id]
        shown = s.id in self.revealed
        rows = []
        for n, o in enumerate(s.pilihan):
            count = tally.counts[o.id]
            pct = 100 * count / tally.total if tally.total else 0
            color = (_RIGHT if o.benar else _WRONG) if shown else _BAR
            mark = " ✓" if shown and o.benar else ""
            rows.append(
                "<div style='display:flex;align-items:center;margin:4px 0'>"
                f"<div style='width:2em;font-weight:bold'>{letter(n)}.</div>"
                "<div style='flex:1;background:#eef0f3;height:1.5em;border-radius:4px'>"
                f"<div style='width:{pct:.1f}%;background:{color};height:100%;border-radius:4px'></div></div>"
                f"<div style='width:9em;text-align:right'>{count} ({pct:.0f}%){mark}</div></div>")
        head = f"<p><b>Jawaban ruangan:</b> {tally.total} tangan</p>"
        if shown and tally.total:
            head += f"<p><b>Memilih jawaban yang tepat:</b> {100 * tally.share_right:.0f}%</p>"
        self.chart.value = f"<div style='font-size:19px;max-width:34em'>{head}{''.join(rows)}</div>"

    # ------------------------------------------------------------- summary
    def summary(self) -> dict:
        counted = [t for t in self.tallies.values() if t.total]
        total = sum(t.total for t in counted)
        right = sum(t.right for t in counted)
        return {
            "sesi": self.choice,
            "kasus": len(self.ids),
            "dihitung": len(counted),
            "persen_benar": round(100 * right / total, 1) if total else None,
            "keliru": [t.scenario.id for t in counted if t.room_wrong],
            "per_kasus": {i: (round(100 * t.share_right, 1) if t.total else None) for i, t in self.tallies.items()},
        }

    def show_summary(self) -> None:
        data = self.summary()
        rows = []
        for n, i in enumerate(self.ids, start=1):
            t = self.tallies[i]
            state = ("belum dihitung" if not t.total else
                     "<b style='color:#a40000'>Ruangan keliru</b>" if t.room_wrong else "Ruangan tepat")
            share = "-" if not t.total else f"{100 * t.share_right:.0f}%"
            rows.append(f"<tr><td>{n}</td><td>{html.escape(i)}</td><td>{html.escape(t.scenario.judul)}</td>"
                        f"<td style='text-align:right'>{t.total}</td><td style='text-align:right'>{share}</td>"
                        f"<td>{state}</td></tr>")
        wrong = data["keliru"]
        overall = "-" if data["persen_benar"] is None else f"{data['persen_benar']:.0f}%"
        self.summary_html.value = (
            "<div style='font-size:19px;line-height:1.45'><h2 style='font-size:30px'>Ringkasan sesi</h2>"
            f"<p>{data['dihitung']} dari {data['kasus']} kasus dihitung. Seluruh tangan yang memilih jawaban "
            f"yang tepat: <b>{overall}</b>.</p>"
            + (f"<p><b>Kasus yang perlu dibahas ulang</b> (kurang dari separuh ruangan memilih jawaban yang tepat): "
               f"{html.escape(', '.join(f'{i} ({self.bank.scenarios[i].judul})' for i in wrong))}</p>"
               if wrong else "<p>Tidak ada kasus yang dijawab keliru oleh sebagian besar ruangan.</p>")
            + "<table style='border-collapse:collapse;font-size:18px' cellpadding='6'><tr><th>No</th><th>Kasus</th><th>Judul</th>"
              "<th>Tangan</th><th>Tepat</th><th>Keterangan</th></tr>" + "".join(rows) + "</table></div>")
        self.end.layout.display = ""

    def save_csv(self) -> Path:
        """One row per option: who chose what, and whether it was right."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        stamp = clock.now_utc().strftime("%Y%m%d-%H%M%SZ")
        path = self.out_dir / f"hasil_{self.choice}_{stamp}.csv"
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f, delimiter=";")
            out.writerow(["Tanggal", "Sesi", "No", "Kasus", "Judul", "Pilihan", "Teks pilihan", "Jumlah tangan",
                          "Jawaban tepat"])
            today = clock.today().isoformat()
            for n, i in enumerate(self.ids, start=1):
                s = self.bank.scenarios[i]
                for k, o in enumerate(s.pilihan):
                    out.writerow([today, self.choice, n, i, s.judul, letter(k), o.teks,
                                  self.tallies[i].counts[o.id], "ya" if o.benar else "tidak"])
        self.status.value = f"<p>✓ Hasil sesi tersimpan: <code>{html.escape(str(path))}</code></p>"
        return path


def sesi_langsung(bank: Bank | None = None, out_dir: str | Path | None = None) -> LiveSession:
    """Show the live-session app (the notebook's only call)."""
    global CURRENT
    CURRENT = LiveSession(bank, out_dir=Path(out_dir) if out_dir else None)
    display(CURRENT.widget)
    return CURRENT
