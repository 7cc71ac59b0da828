"""URLs for the page-chrome tests: stand-ins for the real pages, the switcher and what base.html links to.

``dashboard`` and ``summary`` exist here, ``scoring``, ``tables-*`` and ``imports`` do not, so the tests
can see links to pages not built yet left out of the top bar.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from committees.access import visible_to
from committees.models import Committee
from reporting.chrome import switch_urlpatterns

# A report page as the real ones will look: figures, a chart and a long table, so that a person looking at
# the screenshots sees the chrome around realistic content, on screen and in print.
PAGE = """{% extends "base.html" %}{% load i18n reporting_tags %}
{% block title %}Dashboard · {{ block.super }}{% endblock %}
{% block content %}
<h1 class="page-title">{{ committee.name }} {{ year }}</h1>
<div class="row g-2 mb-3">
  <div class="col-6 col-lg-3"><div class="figure-card">
    <div class="figure-label">会员总数</div>
    <div class="figure-value">{{ 4460|num }}<span class="figure-unit">人</span></div>
    <div class="figure-note">截至 {{ as_of|cn_date }}</div></div></div>
  <div class="col-6 col-lg-3"><div class="figure-card">
    <div class="figure-label">社会服务捐款</div>
    <div class="figure-value">{{ 41537000|wan }}<span class="figure-unit">万元</span></div>
    </div></div>
  <div class="col-6 col-lg-3"><div class="figure-card">
    <div class="figure-label">提案采用率</div><div class="figure-value">{{ rate|pct }}</div></div></div>
  <div class="col-6 col-lg-3"><div class="figure-card">
    <div class="figure-label">未填报</div><div class="figure-value">{{ missing|num }}</div></div></div>
</div>
<div class="figure-card mb-3"><div class="chart" data-chart="chart-members"></div></div>
{{ chart|json_script:"chart-members" }}
<div class="table-scroll">
<table class="table table-report">
  <thead><tr><th>支部</th><th class="num">会员</th><th class="num">提案</th><th class="num">捐款（万元）</th>
  <th class="num">采用率</th></tr></thead>
  <tbody>{% for row in rows %}<tr><td{% if row.indent %} class="indent-1"{% endif %}>{{ row.name }}</td>
  <td class="num">{{ row.members|num }}</td><td class="num">{{ row.proposals|num }}</td>
  <td class="num">{{ row.donation|wan }}</td><td class="num">{{ row.rate|pct }}</td></tr>{% endfor %}</tbody>
  <tfoot><tr><th>合计</th><td class="num">{{ 4460|num }}</td><td class="num">{{ 812|num }}</td>
  <td class="num">{{ 41537000|wan }}</td><td class="num">{{ rate|pct }}</td></tr></tfoot>
</table>
</div>
<section class="page-break"><h2 class="page-title">附表</h2><p>另起一页打印。</p></section>
{% endblock %}
{% block extra_js %}{% include "includes/echarts.html" %}{% endblock %}
"""


def committee_page(request: HttpRequest, code: str, year: int, page_name: str) -> HttpResponse:
    committee = get_object_or_404(visible_to(request.user, Committee), code=code)
    rows = [
        {
            "name": f"第{i}支部",
            "indent": i % 5 == 0,
            "members": 40 + i * 3,
            "proposals": i % 7,
            "donation": 12345 * i if i % 6 else None,
            "rate": Decimal(i % 10) / 10,
        }
        for i in range(1, 61)
    ]
    chart = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": ["2016", "2017", "2018", "2019", "2020"]},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": "会员", "data": [3820, 3990, 4150, 4302, 4460]}],
    }
    context = {
        "committee": committee,
        "year": year,
        "page_name": page_name,
        "as_of": dt.date(2020, 10, 14),
        "rate": Decimal("0.24"),
        "missing": None,
        "rows": rows,
        "chart": chart,
    }
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


def plain_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(engines["django"].from_string('{% extends "base.html" %}').render({}, request))


urlpatterns = [
    path("", plain_page, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("dashboard/<str:code>/<int:year>/", committee_page, {"page_name": "dashboard"}, name="dashboard"),
    path("summary/<str:code>/<int:year>/", committee_page, {"page_name": "summary"}, name="summary"),
    *switch_urlpatterns,
]
