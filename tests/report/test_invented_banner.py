"""The invented-data mark on the HR screens as on the documents: the HR app's
heading and the verification page carry it when the process declares invented
data (netralitas/invented.py), and nothing of it shows for real data."""
from __future__ import annotations

from netralitas.invented import SHORT_MARK, banner_html
from netralitas.report.app import ReportApp
from netralitas.report.verify_page import render
from netralitas.settings import overridden


def _app_heading(root) -> str:
    return ReportApp(root).widget.children[0].value


def test_hr_app_and_verification_page_carry_the_mark_only_for_invented_data(tmp_path):
    with overridden(invented_data="true"):
        assert SHORT_MARK in banner_html()
        assert SHORT_MARK in _app_heading(tmp_path)
        assert SHORT_MARK in render(tmp_path, "", None)
    with overridden(invented_data=None):
        assert banner_html() == ""
        assert "REKAAN" not in _app_heading(tmp_path)
        page = render(tmp_path, "", None)
        assert "REKAAN" not in page and "Verifikasi sertifikat" in page
