"""The scoring workbook read back with openpyxl: a ranking sheet, then one sheet per branch in the office layout."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client

from committees import models as m
from reporting.scoring.models import Scheme
from tests.reporting.scoring.conftest import World

pytestmark = pytest.mark.django_db


def workbook(user: m.User, path: str) -> openpyxl.Workbook:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_scoring_workbook(world: World, s1: Scheme, hlj_clerk: m.User) -> None:
    book = workbook(hlj_clerk, f"/scoring/230000/2020/export.xlsx?scheme={s1.pk}")
    assert book.sheetnames == ["汇总", "省直第一支部", "哈尔滨工程大学支部", "哈尔滨第二支部"]
    summary = book["汇总"]
    assert summary["A1"].value == "2020年度基层支部工作量化考核汇总表"
    assert summary["A3"].value == "名次" and summary["D3"].value == "各类得分" and summary["D4"].value == "A 组织建设"
    merged = {str(r) for r in summary.merged_cells.ranges}
    assert "D3:H3" in merged and "A3:A4" in merged  # the categories under one merged header; rank merged down
    header = [summary.cell(3, c).value for c in range(1, 12)]
    assert header[8:11] == ["总分", "等级", "状态"]
    first = [summary.cell(5, c).value for c in range(1, 12)]
    assert first[:3] == [1, "民进黑龙江省委会", "省直第一支部"]
    # Z before any review: A 30 (no plan yet), B 10 + 40 capped at 40, C 30, no deduction, no veto.
    assert first[3:9] == [30, 40, 30, 0, 0, 100]
    assert isinstance(first[8], int | float) and first[9] == "优秀" and first[10] == "草稿"

    x = book["哈尔滨工程大学支部"]
    assert x["A1"].value == "哈尔滨工程大学支部2020年度工作量化考核评分表"
    assert [x.cell(3, c).value for c in range(1, 8)] == ["类别", "考核内容", "评分标准", "数量", "得分", None, "备注"]
    assert [x.cell(4, c).value for c in (5, 6)] == ["自评得分", "审核得分"]
    assert "E3:F3" in {str(r) for r in x.merged_cells.ranges}
    rows = {x.cell(r, 2).value: [x.cell(r, c).value for c in range(1, 8)] for r in range(5, x.max_row + 1)}
    split = rows["B2 提案"]
    assert split[2] == "每项10分（联名按作者拆分，第一作者占0.6），最高40分"
    assert split[3] == pytest.approx(1.8) and split[5] == 18 and isinstance(split[5], int | float)
    assert rows["C1 报送比例"][3] == pytest.approx(0.5) and rows["C1 报送比例"][5] == 15
    total = next(v for v in rows.values() if v[0] == "总分")
    assert total[5] == 73 and total[6] == "合格"
    assert x.page_setup.paperSize == 9 and x.print_title_rows == "$3:$4"


def test_the_workbook_needs_a_scheme_and_scope(world: World, hlj_clerk: m.User, gz_clerk: m.User, s1: Scheme) -> None:
    client = Client()
    client.force_login(gz_clerk)
    assert client.get("/scoring/230000/2020/export.xlsx").status_code == 404
    client.force_login(hlj_clerk)
    assert client.get("/scoring/230000/2019/export.xlsx").status_code == 404
