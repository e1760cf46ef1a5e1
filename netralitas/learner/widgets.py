"""Click-only widgets for module and quiz notebooks.

Every click goes through one observer that saves the answer record at once, so
a browser click, a keyboard selection and the demo's simulated learner all take
the same path. Nothing here knows a quiz key.
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from ..content.loader import Bank, default_bank
from ..content.schema import PHASES, SANCTIONS, VERDICTS, Scenario
from ..paths import ANSWER_RECORD
from . import record
from .exchange import learner_config, learner_id, run_exchange, submissions_made, warm_up

# Live widgets of this kernel, by item id: lets `klik` drive exactly what a
# mouse click drives (used by the demo and the tests).
_LIVE: dict = {}
_PROGRESS: list["_Progress"] = []

_CARD_CSS = (
    "border:1px solid #c8ccd2;border-radius:6px;padding:12px 16px;margin:8px 0;"
    "background:#fafbfc;line-height:1.5;max-width:52em"
)


# Long option texts must wrap instead of overlapping the next option; big
# enough targets for a touch screen too.
_STYLE = """<style>
.netralitas-pilihan .widget-radio-box label {
  white-space: normal; height: auto; line-height: 1.4; display: flex; align-items: flex-start;
  flex-direction: row-reverse; justify-content: flex-end; margin: 0 0 8px 0; }
.netralitas-pilihan .widget-radio-box input { margin: 3px 8px 0 0; flex-shrink: 0; }
.netralitas-pilihan .widget-checkbox { height: auto; }
.netralitas-pilihan .widget-checkbox .widget-label-basic { white-space: normal; height: auto; line-height: 1.4; }
</style>"""


def _with_style(box: w.Box) -> w.Box:
    # Every item carries the (idempotent) style: a rerun replaces earlier
    # outputs, so a style shown only once per kernel would be lost.
    return w.VBox([w.HTML(_STYLE), box])


def _radio(options: list[tuple[str, str]], item_id: str) -> w.RadioButtons:
    # value=None: nothing preselected, so an unanswered item stays unanswered.
    # Letters follow the order shown; the value is the stable option id.
    radio = w.RadioButtons(
        options=[(f"{chr(ord('a') + n)}. {label}", oid) for n, (oid, label) in enumerate(options)],
        value=None,
        description="Jawaban Anda:",
        style={"description_width": "initial"},
        layout=w.Layout(width="auto", max_width="52em"),
    )
    radio.add_class("netralitas-pilihan")
    _LIVE[item_id] = radio
    return radio


def klik(item_id: str, option_id: str | None) -> None:
    """Select an option as a click would (same observer, same save)."""
    _LIVE[item_id].value = option_id


# ---------------------------------------------------------------- quiz items

class _Progress:
    def __init__(self, record_path: Path, total_ids: list[str]):
        self.record_path = record_path
        self.ids = total_ids
        self.label = w.HTML()
        self.refresh()

    def refresh(self) -> None:
        answers = record.load(self.record_path).answers
        done = sum(1 for i in self.ids if i in answers)
        self.label.value = (
            f"<b>Kemajuan:</b> {done} dari {len(self.ids)} soal sudah dijawab dan tersimpan."
            + ("" if done < len(self.ids) else " Semua soal sudah dijawab; silakan kirim jawaban.")
        )


_QUIZ_ITEMS: list[str] = []


def _here(path: str | Path) -> Path:
    """The path fixed when the widget is built: nbgrader's exchange steps change
    the kernel's working folder while they run (also from the result watcher's
    thread), so a click must never resolve a relative path later."""
    return Path(path).absolute()


def current_learner() -> str:
    """The learner's id (NIP) as the kernel can know it, by the same rule the
    submit button uses (`exchange.learner_id`): the learner's nbgrader config
    beside the assignment, else NETRALITAS_NIP, else the JupyterHub user."""
    return str(learner_id(learner_config()) or "")


def variant(options: list[tuple[str, str]], learner: str, assignment_id: str, item_id: str) -> list:
    """This learner's option order: seeded by NIP, assignment and item, so two
    neighbours see different orders and a reopened notebook shows the same one.
    Grading uses option ids, never positions."""
    import random

    if not learner:
        return list(options)
    shuffled = list(options)
    random.Random(f"{learner}|{assignment_id}|{item_id}").shuffle(shuffled)
    return shuffled


_SAVED = "✓ Jawaban tersimpan."
# An empty status line keeps its height: the saved mark appears a moment after
# the click (the kernel's reply), and a line appearing then would push every
# item below down under a pointer already on its way to the next answer.
_NO_STATUS = "&nbsp;"
_CORRUPT = ("<span style='color:#a40000'>Berkas jawaban rusak; jawaban baru akan disimpan di "
            "berkas baru dan berkas lama disimpan sebagai cadangan.</span>")


def _quiz_item(item_id: str, chooser, widget: w.Widget, valid: set[str], path: Path,
               head: tuple = ()) -> None:
    """What every quiz item shares: restore the saved choice, save each click
    at once, keep the progress line current, show it."""
    status = w.HTML(_NO_STATUS)
    loaded = record.load(path)
    if loaded.problem == "corrupt":
        status.value = _CORRUPT
    saved = loaded.answers.get(item_id)
    if saved and set(saved.split(",")) <= valid:
        chooser.value = saved  # restore before observing: reloading never writes
        status.value = _SAVED

    def on_change(change):
        record.save_answer(path, item_id, change["new"], context="kuis")
        status.value = _SAVED if change["new"] else _NO_STATUS
        for bar in _PROGRESS:
            bar.refresh()

    chooser.observe(on_change, names="value")
    _LIVE[item_id] = chooser
    if item_id not in _QUIZ_ITEMS:
        _QUIZ_ITEMS.append(item_id)
    display(_with_style(w.VBox([*head, widget, status])))


def soal(item_id: str, options: list[tuple[str, str]], kuis: str = "",
         record_path: str | Path = ANSWER_RECORD) -> None:
    """One quiz item: options to click, saved to the answer record at once."""
    radio = _radio(variant(options, current_learner(), kuis, item_id), item_id)
    _quiz_item(item_id, radio, radio, {oid for oid, _ in options}, _here(record_path))


class _Checkboxes:
    """A 'pilih semua' item: one checkbox per option. Its value is the sorted
    option ids joined by commas (None when nothing is ticked), the same form
    the answer record stores, so `klik` and grading treat it like a radio."""

    def __init__(self, options: list[tuple[str, str]]):
        self.boxes = {oid: w.Checkbox(value=False, description=f"{chr(ord('a') + n)}. {label}", indent=False,
                                      layout=w.Layout(width="auto", max_width="52em"))
                      for n, (oid, label) in enumerate(options)}
        self.widget = w.VBox(list(self.boxes.values()))
        self.widget.add_class("netralitas-pilihan")

    @property
    def value(self) -> str | None:
        return ",".join(sorted(oid for oid, box in self.boxes.items() if box.value)) or None

    @value.setter
    def value(self, value: str | None) -> None:
        wanted = set((value or "").split(","))
        for oid, box in self.boxes.items():
            box.value = oid in wanted

    def observe(self, handler, names: str = "value") -> None:
        for box in self.boxes.values():
            box.observe(lambda _change: handler({"new": self.value}), names=names)


def soal_semua(item_id: str, options: list[tuple[str, str]], kuis: str = "",
               record_path: str | Path = ANSWER_RECORD) -> None:
    """A 'pilih semua yang sesuai' quiz item, saved to the answer record at once."""
    group = _Checkboxes(variant(options, current_learner(), kuis, item_id))
    _quiz_item(item_id, group, group.widget, set(group.boxes), _here(record_path),
               head=(w.HTML("<i>Pilih semua yang sesuai.</i>"),))


def kemajuan(record_path: str | Path = ANSWER_RECORD) -> None:
    """Answered / total for the items shown so far in this notebook."""
    bar = _Progress(_here(record_path), list(_QUIZ_ITEMS))
    _PROGRESS.append(bar)
    display(bar.label)


# ----------------------------------------------------------- module scenarios

def _verdict_html(s: Scenario, option) -> str:
    """One verdict, never two side by side: an action option is judged itself
    ("Tindakan yang Anda pilih: melanggar."); when the options are claims
    ("Melanggar, karena ...") the learner's claim is in the option text, so the
    card gives the case's verdict, named as the right answer."""
    if option is not None and option.verdict_note:
        line = f"<b>Tindakan yang Anda pilih:</b> {html.escape(VERDICTS[option.putusan].lower())}."
        depends = option.putusan == "tergantung"
    else:
        line = f"<b>Putusan yang tepat untuk kasus ini:</b> {html.escape(VERDICTS[s.putusan].lower())}."
        depends = s.putusan == "tergantung"
    if depends and s.tergantung_pada:
        line += f" <i>Bergantung pada:</i> {html.escape(s.tergantung_pada)}"
    return f"<p>{line}</p>"


def sanction_text(s: Scenario) -> str:
    """The sanction said once: the category unless the explanation already opens
    with it ("Tidak ada sanksi, karena ..." becomes "tidak ada, karena ...")."""
    label = SANCTIONS[s.sanksi.kategori]
    text = s.sanksi.keterangan.strip()
    if text.lower().startswith(label.lower()):
        rest = text[len(label):]
        if s.sanksi.kategori == "tidak_ada":
            return "tidak ada" + rest
        return text
    return f"{label}. {text}"


def _feedback_html(bank: Bank, s: Scenario, chosen: str) -> str:
    option = s.option(chosen)
    ok = option is not None and option.benar
    head = ("<b style='color:#1a7f37'>Tepat.</b>" if ok
            else "<b style='color:#a40000'>Belum tepat.</b>")
    by = ("" if s.sanksi.kategori == "tidak_ada"
          else f" <i>Dijatuhkan oleh:</i> {html.escape(s.sanksi.penjatuh)}")
    parts = [
        f"<p>{head} {html.escape(option.umpan_balik if option else '')}</p>",
        _verdict_html(s, option),
        f"<p><b>Mengapa:</b> {html.escape(s.penjelasan)}</p>",
        "<p><b>Dasar hukum:</b> " + html.escape("; ".join(bank.cite(s))) + "</p>",
        f"<p><b>Sanksi:</b> {html.escape(sanction_text(s))}{by}</p>",
    ]
    return f"<div role='status' style='{_CARD_CSS};background:#fff'>{''.join(parts)}</div>"


def progress_path(module_id: str) -> Path:
    return Path(".progres") / f"modul_{module_id}.json"


def module_progress(bank: Bank, module_id: str, folder: Path | None = None) -> tuple[int, int]:
    """(cases answered, cases in the module) from the module's progress record."""
    ids = [s.id for s in bank.module_scenarios(module_id)]
    answers = record.load(Path(folder or ".") / progress_path(module_id)).answers
    return sum(1 for i in ids if i in answers), len(ids)


def module_progress_text(bank: Bank, module_id: str, folder: Path | None = None) -> str:
    done, total = module_progress(bank, module_id, folder)
    if total and done >= total:
        return (f"<b>Modul {html.escape(module_id)} selesai:</b> semua {total} kasus sudah Anda kerjakan. "
                "Lanjutkan dengan kuis modul ini.")
    return f"<b>Kemajuan modul:</b> {done} dari {total} kasus sudah dijawab."


# Module progress lines shown in this kernel, refreshed after every case click.
_MODULE_BARS: dict[str, list[w.HTML]] = {}


def kartu(scenario_id: str, bank: Bank | None = None) -> None:
    """A teaching scenario: situation, question, options, immediate feedback."""
    bank = bank or default_bank()
    s = bank.scenarios[scenario_id]
    path = _here(progress_path(s.modul))
    ids = [x.id for x in bank.module_scenarios(s.modul)]
    header = w.HTML(
        f"<div style='{_CARD_CSS}'>"
        f"<p style='color:#555;margin:0 0 4px'><b>Kasus {ids.index(s.id) + 1} dari {len(ids)}</b></p>"
        f"<h3 style='margin-top:0'>{html.escape(s.judul)}</h3>"
        f"<p style='color:#555;margin:0 0 6px'>{html.escape(PHASES[s.fase])} · "
        f"{html.escape(', '.join(s.berlaku_untuk))}</p>"
        f"<p>{html.escape(s.situasi)}</p>"
        f"<p><b>{html.escape(s.pertanyaan)}</b></p></div>"
    )
    radio = _radio([(o.id, o.teks) for o in s.pilihan], s.id)
    feedback = w.HTML()
    bar = w.HTML(module_progress_text(bank, s.modul))
    bar.add_class("netralitas-kemajuan-modul")
    bars = _MODULE_BARS.setdefault(s.modul, [])
    bars.append(bar)
    del bars[:-len(ids)]  # a rerun replaces the cards; keep only the live ones
    saved = record.load(path).answers.get(s.id)
    if s.option(saved or ""):
        radio.value = saved
        feedback.value = _feedback_html(bank, s, saved)

    def on_change(change):
        record.save_answer(path, s.id, change["new"], context=f"modul_{s.modul}")
        feedback.value = _feedback_html(bank, s, change["new"]) if change["new"] else ""
        text = module_progress_text(bank, s.modul)
        for other in _MODULE_BARS.get(s.modul, []):
            other.value = text

    radio.observe(on_change, names="value")
    display(_with_style(w.VBox([header, radio, feedback, bar])))


# ------------------------------------------------------------------ self-check

def cek_mandiri(module_id: str, bank: Bank | None = None) -> None:
    """The module's short self-check: true/false statements, explained at once."""
    bank = bank or default_bank()
    mod = bank.modules[module_id]
    path = _here(progress_path(module_id))
    saved = record.load(path).answers
    rows = []
    for n, check in enumerate(mod.cek_mandiri, start=1):
        item_id = f"cek-{module_id}-{n}"
        buttons = w.ToggleButtons(options=[("Benar", "benar"), ("Salah", "salah")], value=None,
                                  description=f"{n}.", style={"description_width": "2em"})
        buttons.add_class("netralitas-cek")
        _LIVE[item_id] = buttons
        statement = w.HTML(f"<p style='margin:4px 0'>{html.escape(check.pernyataan)}</p>")
        feedback = w.HTML()

        def show(value, check=check, feedback=feedback):
            if value is None:
                feedback.value = ""
                return
            ok = (value == "benar") == check.benar
            verdict = "benar" if check.benar else "salah"
            head = ("<b style='color:#1a7f37'>Tepat.</b>" if ok
                    else "<b style='color:#a40000'>Belum tepat.</b>")
            feedback.value = (f"<p role='status'>{head} Pernyataan ini {verdict}. "
                              f"{html.escape(check.penjelasan)}</p>")

        if saved.get(item_id) in ("benar", "salah"):
            buttons.value = saved[item_id]
            show(buttons.value)

        def on_change(change, item_id=item_id, show=show):
            record.save_answer(path, item_id, change["new"], context=f"modul_{module_id}")
            show(change["new"])

        buttons.observe(on_change, names="value")
        rows.append(w.VBox([statement, buttons, feedback],
                           layout=w.Layout(margin="0 0 8px 0", max_width="52em")))
    display(w.VBox(rows))


# ---------------------------------------------------------------- submit button

def _attempts_line(used: int, maximum: int) -> str:
    left = max(maximum - used, 0)
    return f"Percobaan: {used} dari {maximum} sudah dipakai; sisa {left} kali kirim."


def tombol_kirim(assignment_id: str, record_path: str | Path = ANSWER_RECORD) -> None:
    """'Kirim jawaban': nbgrader's own submit, from the notebook, for learners
    who never find the Assignments panel. Each submission uses one attempt
    (grading/kebijakan.yaml, percobaan); the button says how many remain and
    refuses once none do. The grader's attempts ledger counts the same way and
    never counts a submission above the maximum, whatever path it took."""
    from ..policy import attempts

    warm_up()  # nbgrader's exchange, imported while the learner answers, not at the click
    rule = attempts(assignment_id)
    record_path = _here(record_path)
    home = record_path.parent.parent  # the learner's folder: assignment folders and their config
    button = w.Button(description="Kirim jawaban", button_style="primary", icon="paper-plane",
                      tooltip="Kirim jawaban kuis ini untuk dinilai")
    info = w.HTML()
    status = w.HTML()
    result = w.HTML()
    state = {"confirmed": False}
    _LIVE[f"kirim-{assignment_id}"] = button
    counted = ("nilai tertinggi dari semua percobaan" if rule.counted == "terbaik"
               else "nilai percobaan terakhir")

    def show_attempts() -> int:
        used = submissions_made(assignment_id, home)
        info.value = f"{_attempts_line(used, rule.maximum)} Yang dihitung: {counted}."
        if used >= rule.maximum:
            button.disabled = True
            button.button_style = ""
        return used

    def refuse() -> None:
        status.value = (f"<span style='color:#a40000'>Batas {rule.maximum} kali kirim untuk kuis ini sudah "
                        "tercapai; jawaban tidak dikirim lagi. Hubungi fasilitator bila ada kendala.</span>")

    def on_click(_):
        if show_attempts() >= rule.maximum:
            refuse()
            return
        answers = record.load(record_path).answers
        missing = [i for i in _QUIZ_ITEMS if i not in answers]
        if missing and not state["confirmed"]:
            state["confirmed"] = True
            status.value = (f"<span style='color:#8a5300'>Masih ada {len(missing)} soal yang belum dijawab. "
                            "Klik <b>Kirim jawaban</b> sekali lagi bila tetap ingin mengirim.</span>")
            return
        button.disabled = True
        status.value = "Mengirim ..."
        try:
            run_exchange("Submit", assignment_id, home)
        except BaseException as exc:  # nbgrader signals failure with SystemExit too
            status.value = ("<span style='color:#a40000'>Jawaban belum terkirim. Periksa jaringan atau "
                            f"hubungi fasilitator. (Keterangan: {html.escape(str(exc) or type(exc).__name__)})</span>")
        else:
            left = max(rule.maximum - submissions_made(assignment_id, home), 0)
            status.value = (f"<span style='color:#1a7f37'>✓ Jawaban terkirim {_sent_at()}. "
                            + (f"Anda masih dapat mengirim ulang {left} kali.</span>" if left
                               else "Ini kiriman terakhir Anda untuk kuis ini.</span>"))
            # The grading service releases the result within seconds: show it here.
            from .home import follow_result

            follow_result(assignment_id, home, result)
        finally:
            button.disabled = False
            state["confirmed"] = False
            show_attempts()  # disables the button once the last attempt is used

    used = show_attempts()
    if used >= rule.maximum:
        refuse()
    button.on_click(on_click)
    from .home import HOME_LINK

    # At the bottom of a long quiz too (the page's first line has the same link).
    back = w.HTML(f"<p style='margin-top:12px'>{HOME_LINK.replace('>Beranda Kursus<', '>← Kembali ke Beranda Kursus<')}</p>")
    display(w.VBox([info, button, status, result, back]))


def _sent_at() -> str:
    """'pada 7 Desember 2026 pukul 18.25 WIB': now on the agency's clock, as a letter writes it."""
    from .. import clock
    from ..dates import long_day

    now = clock.local(clock.now_utc())
    return f"pada {long_day(now.date())} pukul {now:%H.%M} {clock.zone_label()}"


def tekan(name: str) -> None:
    """Press a live button as a click would (used by the demo and the tests)."""
    _LIVE[name].click()
