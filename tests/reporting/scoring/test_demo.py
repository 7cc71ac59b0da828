"""The scoring demo (the default 100-point scheme for 2019 and 2020, sheets in every state) and its workbook in
LibreOffice."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from committees import models as m
from reporting.scoring.models import Scheme, Sheet, Transition
from tests.tools import require_program

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_default_scheme_and_sheets_in_every_state(demo_data: None) -> None:
    schemes = Scheme.objects.filter(committee__code="000000", status="published")
    assert sorted(schemes.values_list("year", flat=True)) == [2019, 2020]
    scheme = schemes.get(year=2020)
    assert scheme.total_cap == 100 and scheme.items.count() == 24 and scheme.bands.count() == 4
    heilongjiang = m.Committee.objects.get(code="230000")
    sheets = Sheet.objects.filter(scheme=scheme, branch__committee__path__startswith=heilongjiang.path)
    states = Counter(sheets.values_list("state", flat=True))
    assert {"draft", "submitted", "reviewed", "approved"} <= set(states)
    returned = Sheet.objects.filter(scheme=scheme, state="draft").exclude(returned_reason="")
    assert returned.count() == 1
    assert Transition.objects.filter(sheet__scheme__year=2019, action="approve").count() == 12
    # Idempotent: a second load writes no new scheme, sheet or step.
    before = (Scheme.objects.count(), Sheet.objects.count(), Transition.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Scheme.objects.count(), Sheet.objects.count(), Transition.objects.count()) == before


def test_the_branch_chair_lands_on_the_own_sheet(demo_data: None) -> None:
    client = Client()
    chair = m.User.objects.get(username="branch_chair")
    client.force_login(chair)
    response = client.get("/scoring/230100/2020/", follow=True)
    assert response.status_code == 200 and chair.branch.name in response.content.decode()
    assert 'name="self-' in response.content.decode()  # a draft the branch fills in


def test_the_scoring_workbook_converts_to_pdf(demo_data: None, tmp_path: Path) -> None:
    soffice = require_program("soffice", install_hint="apt-get install libreoffice-calc")
    client = Client()
    client.force_login(m.User.objects.get(username="hlj_clerk"))
    response = client.get("/scoring/230000/2020/export.xlsx")
    assert response.status_code == 200
    source = tmp_path / "scoring.xlsx"
    source.write_bytes(b"".join(response.streaming_content))
    profile = tmp_path / "profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "scoring.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, (result.stdout, result.stderr)
    assert pdf.read_bytes().startswith(b"%PDF")
