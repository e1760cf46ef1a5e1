"""The facilitator guide as Markdown, generated from the bank and the kit content.

Deterministic text, so `netralitas kit --check` can tell when a committed file
drifts from the bank. Only teaching scenarios appear here: quiz items and keys
never do (the answer key is built separately, on the instructor side).
"""
from __future__ import annotations

from pathlib import Path

from ..content.loader import Bank
from ..content.schema import PHASES, SANCTIONS, VERDICTS, Scenario
from .content import Kit, cite
from .plans import jp_minutes, jp_note, plan_jp

GENERATED = "<!-- Dibangun dari bank konten oleh `netralitas kit`; jangan diedit langsung. -->\n\n"


def _bullets(items) -> str:
    return "\n".join(f"- {x}" for x in items)


def _scenario_refs(bank: Bank, ids) -> str:
    return "; ".join(f"{i} ({bank.scenarios[i].judul})" for i in ids)


def verdict_line(s: Scenario) -> str:
    return VERDICTS[s.putusan] + (f" (bergantung pada: {s.tergantung_pada})" if s.tergantung_pada else "")


def plans_md(bank: Bank, kit: Kit) -> str:
    out = [GENERATED, "# Rencana sesi sosialisasi\n\n",
           "Tiga rencana siap pakai. Setiap kasus dapat ditampilkan dengan "
           "[mode sesi langsung](sesi_langsung.ipynb) atau dengan salindia cetak per modul.\n\n",
           f"**Jam pelajaran (JP).** Rencana ini memakai {jp_minutes()} menit untuk 1 JP, konvensi yang "
           "umum dipakai dalam pelatihan ASN (diatur di `grading/kebijakan.yaml`, kunci `jp_menit`). "
           "Waktu istirahat tidak dihitung, dan JP dibulatkan ke bawah ke JP utuh. Ketentuan pengakuan "
           "JP pengembangan kompetensi dapat berbeda antarinstansi; tanyakan kepada BKPSDM sebelum "
           "mencantumkan JP di sertifikat atau laporan.\n\n",
           "| Rencana | Durasi | JP | Kasus | Modul |\n|---|---|---|---|---|\n"]
    for p in kit.plans.values():
        out.append(f"| [{p.judul}](#{p.id}) | {p.durasi_menit} menit | {plan_jp(p)} | {len(p.scenarios)} | "
                   f"{', '.join(p.modules)} |\n")
    for p in kit.plans.values():
        out.append(f"\n<a id=\"{p.id}\"></a>\n\n## {p.judul}\n\n"
                   f"**Id rencana:** `{p.id}` · **JP:** {jp_note(p)}\n\n"
                   f"**Sasaran:** {p.sasaran}\n\n### Tujuan\n\n{_bullets(p.tujuan)}\n\n"
                   "### Susunan waktu\n\n| Menit ke- | Durasi | Bagian | Kasus |\n|---|---|---|---|\n")
        start = 0
        for part in p.bagian:
            out.append(f"| {start}-{start + part.menit} | {part.menit} menit | {part.judul} | "
                       f"{', '.join(part.skenario) or '-'} |\n")
            start += part.menit
        out.append("\n### Cara memandu\n\n")
        for n, part in enumerate(p.bagian, start=1):
            out.append(f"{n}. **{part.judul}** ({part.menit} menit). {part.cara}")
            if part.skenario:
                out.append(f" Kasus: {_scenario_refs(bank, part.skenario)}.")
            if part.modul:
                out.append(" Bahan: " + ", ".join(
                    f"[Modul {m}](modul/{bank.modules[m].name}.md)" for m in part.modul) + ".")
            out.append("\n")
        out.append("\n### Memandu diskusi\n\n"
                   "- Bacakan kasus, beri waktu berpikir sekitar 20 detik, lalu hitung tangan per pilihan "
                   "**sebelum** putusan dibuka.\n"
                   "- Mintalah satu alasan dari pilihan terbanyak dan satu dari pilihan lain; hargai alasan, "
                   "bukan hanya jawaban yang tepat.\n"
                   "- Pada kasus berputusan *tergantung keadaan*, tanyakan: \"Keadaan apa yang membuat "
                   "jawabannya berubah?\" Jangan menutupnya dengan kepastian yang tidak ada.\n"
                   "- Jangan membahas kasus pribadi peserta di forum; tawarkan konsultasi atau rujuk ke BKPSDM.\n")
    return "".join(out)


def faq_md(bank: Bank, kit: Kit) -> str:
    out = [GENERATED, "# Tanya jawab untuk fasilitator\n\n",
           "Jawaban atas pertanyaan yang paling sering diajukan peserta. Bila jawaban menyebut "
           "**tanyakan BKPSDM**, aturan atau penafsirannya belum seragam: jangan memberi putusan pasti "
           "di forum.\n\n"]
    out += [f"{n}. [{f.pertanyaan}](#{f.id})\n" for n, f in enumerate(kit.faq, start=1)]
    for f in kit.faq:
        out.append(f"\n<a id=\"{f.id}\"></a>\n\n## {f.pertanyaan}\n\n{f.jawaban}\n\n"
                   f"**Dasar hukum:** {'; '.join(cite(bank, f.dasar_hukum))}\n")
        if f.tanyakan_bkpsdm:
            out.append("\n> **Tanyakan BKPSDM.** Ketentuan untuk keadaan ini belum seragam; "
                       "mintalah kepastian untuk kasus nyata.\n")
        if f.skenario:
            out.append(f"\n**Kasus untuk ditampilkan:** {_scenario_refs(bank, f.skenario)}\n")
    return "".join(out)


def texts_md(kit: Kit) -> str:
    t = kit.texts
    ikrar = "\n".join(f"{n}. {x}" for n, x in enumerate(t.ikrar, start=1))
    pakta = "\n".join(f"{n}. {x}" for n, x in enumerate(t.pakta, start=1))
    return (GENERATED + "# Ikrar netralitas dan pakta integritas\n\n"
            "Versi cetak: `facilitator_guide/cetak/ikrar_netralitas.pdf` dan "
            "`facilitator_guide/cetak/pakta_integritas.pdf` (dibangun dengan `make kit`).\n\n"
            "## Ikrar netralitas\n\n"
            "Pimpin pembacaan per butir; peserta berdiri dan menirukan.\n\n"
            f"{t.ikrar_pembuka}\n\n{ikrar}\n\n"
            "## Pakta integritas netralitas\n\n"
            "Setiap peserta mengisi nama, NIP (atau nomor identitas pegawai bagi non-ASN), jabatan, "
            "dan unit kerja, lalu menandatangani. Simpan formulir yang sudah diisi di unit kepegawaian; "
            "formulir memuat data pribadi.\n\n"
            f"Yang bertanda tangan di bawah ini: (nama, NIP, jabatan, unit kerja)\n\n{t.pakta_pembuka}\n\n{pakta}\n")


def module_md(bank: Bank, kit: Kit, module_id: str) -> str:
    mod, guide = bank.modules[module_id], kit.modules[module_id]
    scenarios = bank.module_scenarios(module_id)
    out = [GENERATED, f"# Panduan fasilitator Modul {mod.id}: {mod.judul}\n\n",
           f"**Waktu modul:** {mod.durasi_menit} menit · **Notebook peserta:** "
           f"[`modules/{mod.name}.ipynb`](../../modules/{mod.name}.ipynb) · "
           f"**Salindia dan handout:** `facilitator_guide/cetak/salindia_{mod.id}.pdf`, "
           f"`facilitator_guide/cetak/handout_{mod.id}.pdf`\n\n",
           f"## Tujuan pembelajaran\n\n{_bullets(mod.tujuan)}\n\n",
           f"## Poin bicara\n\n{_bullets(guide.poin_bicara)}\n\n",
           f"## Pertanyaan diskusi\n\n{_bullets(guide.pertanyaan_diskusi)}\n\n",
           "## Miskonsepsi dan cara menjawabnya\n\n"]
    for m in guide.miskonsepsi:
        out.append(f"### \"{m.anggapan}\"\n\n{m.jawaban}\n\n**Dasar hukum:** {'; '.join(cite(bank, m.dasar_hukum))}\n")
        if m.skenario:
            out.append(f"\n**Kasus pendukung:** {_scenario_refs(bank, m.skenario)}\n")
        out.append("\n")
    out.append("## Kasus abu-abu untuk diperdebatkan\n\n")
    for g in guide.kasus_abu_abu:
        out.append(f"### {g.judul}\n\n**Situasi.** {g.situasi}\n\n**Arah diskusi.** {g.arah_diskusi}\n\n"
                   f"**Dasar hukum:** {'; '.join(cite(bank, g.dasar_hukum))}\n")
        if g.skenario:
            out.append(f"\n**Kasus terkait di modul:** {_scenario_refs(bank, g.skenario)}\n")
        out.append("\n")
    out.append("## Kasus di modul ini\n\n| Id | Judul | Tahap | Berlaku bagi | Tingkat | Putusan |\n"
               "|---|---|---|---|---|---|\n")
    for s in scenarios:
        out.append(f"| {s.id} | {s.judul} | {PHASES[s.fase]} | {', '.join(s.berlaku_untuk)} | {s.tingkat} | "
                   f"{VERDICTS[s.putusan]} |\n")
    out.append("\n<details><summary>Putusan, alasan, dasar hukum, dan sanksi setiap kasus</summary>\n\n")
    for s in scenarios:
        right = [o for o in s.pilihan if o.benar]
        out.append(f"**{s.id}. {s.judul}.** Putusan: {verdict_line(s)}. "
                   f"Jawaban yang tepat: {'; '.join(o.teks for o in right)}. {s.penjelasan} "
                   f"*Dasar hukum:* {'; '.join(bank.cite(s))}. "
                   f"*Sanksi:* {SANCTIONS[s.sanksi.kategori]}. {s.sanksi.keterangan}\n\n")
    out.append("</details>\n\n")
    if mod.catatan_fasilitator:
        out.append(f"## Catatan penulis modul\n\n{_bullets(' '.join(c.split()) for c in mod.catatan_fasilitator)}\n\n")
    out.append(f"## Poin penutup\n\n{_bullets(mod.poin_kunci)}\n\n")
    regs = []
    for basis in [b for s in scenarios for b in s.dasar_hukum] + \
                 [b for m in guide.miskonsepsi for b in m.dasar_hukum] + \
                 [b for g in guide.kasus_abu_abu for b in g.dasar_hukum]:
        if basis.regulasi not in regs:
            regs.append(basis.regulasi)
    out.append("## Dasar hukum yang dikutip\n\n")
    for rid in regs:
        reg = bank.regulations[rid]
        articles = sorted({b.pasal for s in scenarios for b in s.dasar_hukum if b.regulasi == rid and b.pasal}
                          | {b.pasal for x in (*guide.miskonsepsi, *guide.kasus_abu_abu)
                             for b in x.dasar_hukum if b.regulasi == rid and b.pasal})
        status = {"berlaku": "", "tidak_pasti": " *(status keberlakuan belum pasti; tanyakan BKPSDM)*"}.get(reg.status, "")
        out.append(f"- **{reg.singkatan}**: {reg.jenis} Nomor {reg.nomor} Tahun {reg.tahun} tentang {reg.judul}"
                   + (f" ({'; '.join(articles)})" if articles else "") + f"{status}\n")
    used = [p for p in kit.plans.values() if module_id in p.modules]
    if used:
        out.append("\n## Dipakai dalam rencana sesi\n\n" + _bullets(
            f"[{p.judul}](../rencana_sesi.md#{p.id}): "
            + (", ".join(s for s in p.scenarios if bank.scenarios[s].modul == module_id) or "poin bicara")
            for p in used) + "\n")
    return "".join(out)


def targets(bank: Bank, kit: Kit, guide: Path) -> dict[Path, str]:
    """Committed guide files (Markdown) under the guide folder (facilitator_guide/)."""
    out = {guide / "rencana_sesi.md": plans_md(bank, kit),
           guide / "tanya_jawab.md": faq_md(bank, kit),
           guide / "ikrar_dan_pakta.md": texts_md(kit)}
    for module_id in bank.modules:
        out[guide / "modul" / f"{bank.modules[module_id].name}.md"] = module_md(bank, kit, module_id)
    return out
