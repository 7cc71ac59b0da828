"""The year summary of the demo data shows the seeds' figures on the page, in the workbook and in the draft."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.utils import translation
from docx import Document

from committees import models as m
from reporting.metrics import registry

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(m.User.objects.get(username=username))
    return client


@pytest.fixture
def hlj(demo_data: None) -> Client:
    return client_for("hlj_clerk")


def row_of(page: str, metric: str) -> str:
    start = page.index(f'data-metric="{metric}"')
    return page[start : page.index("</tr>", start)]


def test_the_heilongjiang_2020_page_shows_the_seed_figures(hlj: Client) -> None:
    response = hlj.get("/summary/230000/2020/")
    assert response.status_code == 200
    page = response.content.decode()
    expected = {
        "branches.founded": ">7<",
        "training.classes.branch_leaders": ">2<",
        "research.key_topics": ">12<",
        "activities.supervision": ">3<",
        "supervision.forums": ">3<",
        "supervision.problems": ">22<",
        "supervision.suggestions": ">6<",
        "service.scholarship.cash": ">13<",
        "service.scholarship.beneficiaries": ">55<",
        "service.medical.goods": ">20<",
        "service.fitness.quantity": ">2<",
    }
    for metric, cell in expected.items():
        assert cell in row_of(page, metric), metric
    for sentence in (
        "举办基层组织负责人培训班2次，培训400余人次。",
        "推荐会员参加上级举办的培训30余人次。",
        "开展民主监督专项调研3次，累计召开座谈会3场，发放调查问卷200余份，梳理问题22项，提出建议6项。",
        "捐赠助学金13万元，资助学生55名。",
        "捐赠价值20万元医疗设备。",
        "捐赠图书1000余册。",
        "抗击疫情中累计捐款捐物4150余万元，其中捐款190余万元，捐赠物资价值3960余万元。",
        "各专委会确定12项重点调研课题。",
        "新成立基层组织7个",
    ):
        assert sentence in page, sentence
    assert "省级领导（省委书记、省长）" in page  # the endorsements by level


def test_the_guizhou_2019_page_shows_the_member_structure(demo_data: None) -> None:
    page = client_for("gz_leader").get("/summary/520000/2019/").content.decode()
    assert ">1,071<" in row_of(page, "members.senior_titles")
    assert ">24.0%<" in row_of(page, "members.senior_share")
    assert ">94<" in row_of(page, "members.doctorates")


def test_the_workbook_carries_the_same_figures(hlj: Client) -> None:
    response = hlj.get("/summary/230000/2020/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    figures = {row[1]: row[3] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[1]}
    with translation.override("zh-hans"):

        def cell(code: str) -> object:
            return figures[str(registry[code].label)]

        assert cell("branches.founded") == 7
        assert cell("research.key_topics") == 12
        assert cell("supervision.problems") == 22
        assert cell("training.person_times.branch_leaders") >= 400
        assert 190 <= cell("service.epidemic.cash") < 200  # 万元
        assert 3960 <= cell("service.epidemic.goods") < 3970
        assert cell("service.scholarship.cash") == 13
    by_committee = book.worksheets[1]
    assert by_committee.title == "分委员会"


def test_the_draft_reads_like_the_report(hlj: Client) -> None:
    response = hlj.get("/summary/230000/2020/export.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "举办基层组织负责人培训班2次，培训400余人次。" in text
    assert "累计捐款捐物4150余万元，其中捐款190余万元，捐赠物资价值3960余万元" in text
    assert "一、" in text and "八、" in text


def test_the_draft_is_set_in_chinese_office_fonts(hlj: Client) -> None:
    document = Document(io.BytesIO(hlj.get("/summary/230000/2020/export.docx").content))
    east_asian = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    fonts = {
        name: document.styles[name].element.rPr.rFonts.get(east_asian) for name in ("Normal", "Heading 1", "Heading 2")
    }
    assert fonts == {"Normal": "宋体", "Heading 1": "黑体", "Heading 2": "黑体"}
    assert str(document.styles["Heading 2"].font.color.rgb) == "000000"


def test_a_guizhou_user_cannot_open_heilongjiangs_summary(demo_data: None) -> None:
    client = client_for("gz_clerk")
    for path in ("/summary/230000/2020/", "/summary/230000/2020/export.xlsx", "/summary/230000/2020/export.docx"):
        assert client.get(path).status_code == 404, path
    assert client.get("/evidence/230000/2020/branches.founded/").status_code == 404


def test_every_figure_links_to_its_records(hlj: Client) -> None:
    page = hlj.get("/summary/230000/2020/").content.decode()
    assert "/evidence/230000/2020/branches.founded/" in page
    evidence = hlj.get("/evidence/230000/2020/branches.founded/").content.decode()
    for university in ("哈尔滨工程大学", "东北农业大学", "黑龙江应用职业学院"):
        assert university in evidence
    # Branches have no date of their own: the date column says so instead of repeating the branch's name.
    rows = re.findall(r"<tr>\s*<td>(?:<a [^>]*>)?([^<]*)(?:</a>)?</td>\s*<td>([^<]*)</td>", evidence)
    assert rows and all(date == "–" for _name, date in rows), rows[:3]


def test_office_staff_write_the_narrative_of_a_section(hlj: Client) -> None:
    response = hlj.post("/summary/230000/2020/narrative/training/", {"text": "加大了履职能力培训。"})
    assert response.status_code == 302
    assert "加大了履职能力培训。" in hlj.get("/summary/230000/2020/").content.decode()
    leader = client_for("hlj_leader")
    assert leader.post("/summary/230000/2020/narrative/training/", {"text": "改写"}).status_code == 404


def test_reading_a_committees_name_is_not_reading_its_figures(demo_data: None) -> None:
    # The clerk sees 民进中央 in the breadcrumb, but the nation's figures are not hers; a branch chair reads
    # her own branch, not a committee's report.
    assert client_for("hlj_clerk").get("/summary/000000/2020/").status_code == 404
    assert client_for("hrb_clerk").get("/summary/230000/2020/").status_code == 404
    assert client_for("hrb_clerk").get("/summary/230100/2020/").status_code == 200
    assert client_for("branch_chair").get("/summary/230100/2020/").status_code == 404
