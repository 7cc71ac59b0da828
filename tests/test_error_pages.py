"""Production error pages speak Chinese; the 500 page needs nothing that might be what failed; login lands home."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

from committees import models as m

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_address_gets_the_chinese_404_page() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面没有找到" in body and "返回首页" in body
    assert "Not Found" not in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_page_the_user_may_not_open_gets_the_chinese_403_page(branch_chair: m.User) -> None:
    client = Client()
    client.force_login(branch_chair)
    response = client.get("/admin/committees/user/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权访问" in body and "返回首页" in body
    assert "Forbidden" not in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_bad_request_gets_the_chinese_400_page() -> None:
    response = Client(HTTP_HOST="not a host!").get("/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求无效" in body and "Bad Request" not in body


@override_settings(DEBUG=False)
def test_the_500_page_is_chinese_and_needs_no_database_nor_context() -> None:
    # No django_db mark: any query here fails the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错" in body and "返回首页" in body
    source = (TEMPLATES / "500.html").read_text()
    assert "{%" not in source and "{{" not in source, "the 500 page must be plain HTML"
    # Its stylesheet and icon are plain static files, found without the manifest.
    assert finders.find("css/error.css") and finders.find("favicon.svg")
    assert get_template("500.html").render() == body


@pytest.mark.django_db
def test_login_with_another_sites_next_lands_on_the_home_page(hlj_clerk: m.User) -> None:
    client = Client()
    response = client.post(
        "/admin/login/?next=https://example.com/steal",
        {"username": "hlj_clerk", "password": "a-test-password-2020", "next": "https://example.com/steal"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_favicon_is_served_and_linked(hlj_clerk: m.User) -> None:
    client = Client()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico")
    assert b'rel="icon"' in client.get("/admin/login/").content
    client.force_login(hlj_clerk)
    assert b'rel="icon"' in client.get("/", follow=True).content
