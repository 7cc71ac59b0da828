"""The exported workbooks open in LibreOffice: converted to PDF without error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.test import Client

from committees import models as m
from tests.tools import require_program

pytestmark = pytest.mark.django_db

EXPORTS = {
    "summary": "/summary/230000/2020/export.xlsx",
    "branches": "/tables/branches/230000/2020/export.xlsx",
    "members": "/tables/members/230000/2020/export.xlsx",
}


def test_every_workbook_converts_to_pdf(demo_data: None, tmp_path: Path) -> None:
    soffice = require_program("soffice", install_hint="apt-get install libreoffice-calc")
    client = Client()
    client.force_login(m.User.objects.get(username="hlj_clerk"))
    for name, path in EXPORTS.items():
        response = client.get(path)
        (tmp_path / f"{name}.xlsx").write_bytes(b"".join(response.streaming_content))
    profile = tmp_path / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), *(str(tmp_path / f"{name}.xlsx") for name in EXPORTS)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in EXPORTS:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, (name, result.stdout, result.stderr)
        assert pdf.read_bytes().startswith(b"%PDF")
