"""A small verification page, so a reader without a terminal can check a certificate.

`netralitas halaman-verifikasi --course DIR` serves one page: a box for the
code, and the register's verdict with only what the certificate itself shows
(number, name, NIP, unit, agency, completion date, rules version, validity).
The QR code on a certificate links here when NETRALITAS_URL_VERIFIKASI is set.
On JupyterHub it runs as a service (JUPYTERHUB_SERVICE_PREFIX gives its path).
"""
from __future__ import annotations

import html
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .codes import KeyProblem, load_key
from ..invented import banner_html
from ..dates import long_day as tanggal
from .register import verify

MAX_CODE = 64
LABELS = {"sah": "SAH", "kedaluwarsa": "KEDALUWARSA", "dicabut": "DICABUT", "tidak_dikenal": "TIDAK DIKENAL",
          "diubah": "TIDAK SAH"}
COLOURS = {"sah": "#1b6e3a", "kedaluwarsa": "#8a5a00", "dicabut": "#a12020", "tidak_dikenal": "#a12020",
           "diubah": "#a12020"}
SHOWN = [("nomor", "Nomor sertifikat"), ("nama", "Nama"), ("nip", "NIP / ID"), ("unit_kerja", "Unit kerja"),
         ("instansi", "Instansi"), ("tanggal_sertifikasi", "Tanggal selesai"), ("versi_aturan", "Versi aturan"),
         ("berlaku_sampai", "Berlaku sampai")]
STATUS_TEXT = {"sah": "Sertifikat ini asli dan masih berlaku.",
               "kedaluwarsa": "Sertifikat ini asli, tetapi masa berlakunya sudah lewat.",
               "dicabut": "Sertifikat ini asli, tetapi telah dicabut oleh penerbitnya.",
               "tidak_dikenal": "Kode ini tidak tercatat dalam register sertifikat kursus ini. "
                                "Periksa penulisan kode; bila sudah benar, sertifikat itu bukan terbitan kursus ini.",
               "diubah": "Catatan sertifikat ini telah diubah setelah diterbitkan. Jangan terima sertifikat ini; "
                         "hubungi BKPSDM."}


def _today() -> date:
    from ..clock import today

    return today()


def render(course_root: Path, code: str | None, key: bytes | None, today: date | None = None) -> str:
    esc = html.escape
    body = []
    code = (code or "").strip()[:MAX_CODE]
    if key is None:
        body.append('<p class="v" style="color:#a12020">Pemeriksaan sedang tidak dapat dilakukan. '
                    "Hubungi BKPSDM.</p>")
    elif code:
        v = verify(course_root, code, key, today or _today())
        body.append(f'<p class="v" style="color:{COLOURS[v.status]}"><b>{LABELS[v.status]}</b></p>')
        body.append(f"<p>{esc(STATUS_TEXT[v.status])}</p>")
        if v.entry is not None and v.status != "diubah":
            rows = []
            for k, label in SHOWN:
                value = v.entry.get(k) or "-"
                if k in ("tanggal_sertifikasi", "berlaku_sampai") and value != "-":
                    value = tanggal(value)
                rows.append(f"<tr><th>{esc(label)}</th><td>{esc(str(value))}</td></tr>")
            body.append("<table>" + "".join(rows) + "</table>")
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verifikasi sertifikat Kursus Netralitas ASN</title>
<style>body{{font-family:sans-serif;font-size:18px;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5}}
input{{font-size:20px;padding:.3em;width:100%;box-sizing:border-box}} button{{font-size:20px;padding:.4em 1.2em;margin-top:.5em}}
.v{{font-size:28px}} th{{text-align:left;padding-right:1em;vertical-align:top}}</style></head>
<body><h1>Verifikasi sertifikat</h1>
{banner_html()}
<p>Kursus Netralitas ASN. Ketik kode verifikasi yang tercetak di sertifikat (mis. NA-ABCD-EFGH-JKLM-NPQR).</p>
<form method="get"><label for="kode">Kode verifikasi</label><br>
<input id="kode" name="kode" value="{esc(code)}" maxlength="{MAX_CODE}" autocomplete="off"><br>
<button type="submit">Periksa</button></form>
{''.join(body)}
</body></html>
"""


def make_server(course_root: Path, host: str = "127.0.0.1", port: int = 8090,
                prefix: str | None = None) -> ThreadingHTTPServer:
    course_root = Path(course_root).resolve()
    from ..settings import settings

    prefix = (prefix if prefix is not None else settings().jupyterhub_service_prefix).rstrip("/") + "/"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            if url.path.rstrip("/") + "/" != prefix:
                self.send_error(404, "Halaman tidak ada")
                return
            code = (parse_qs(url.query).get("kode") or [""])[0]
            try:
                key = load_key(course_root=course_root)
            except KeyProblem:
                key = None
            page = render(course_root, code, key).encode("utf-8")
            self.send_response(200 if key is not None else 503)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):  # the codes people check are nobody else's business
            pass

    return ThreadingHTTPServer((host, port), Handler)
