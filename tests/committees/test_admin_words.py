"""Every admin page of every model, as an administrator and as a clerk, reads in Chinese: no "None" for an empty
value, none of Django's English words (a msgid left untranslated, or one our catalogue overrode), no code names."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from committees import models as m

pytestmark = pytest.mark.django_db

# Words of Django's admin, simple_history and our own pages that show when a string is not translated, and
# what Python prints for an empty or a yes/no value.
ENGLISH = re.compile(
    r"\b(None|True|False|Add|Change|Delete|Save|Search|Filter|History|Choose|Remove|Available|Chosen|Permissions?"
    r"|Groups?|Yes|No|Unknown|Today|Now|Show all|entries|After you|user options|Model name|Deleted|Close|View"
    r"|Home|Select|Go|Clear|Action|Submit|Log out|Password|Username)\b|pk="
    # A code name: a metric's ("activities.study"), not an e-mail address's domain.
    r"|(?<![@\w.])[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*\b"
)


def visible_text(html: str) -> str:
    """The text a user reads: no scripts, styles, comments or tags (the labels of buttons kept)."""
    html = re.sub(r"(?s)<(script|style|template)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    html = re.sub(r'(?s)<input[^>]*\btype="submit"[^>]*\bvalue="([^"]*)"[^>]*>', r" \1 ", html)
    html = re.sub(r"(?s)<[^>]+>", " ", html)
    return unescape(html)


def admin_pages(user: m.User) -> list[str]:
    """The index, and for every model the user may see: its list, its add form, and the change form and history
    of one record she may see."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        record = model_admin.get_queryset(request).order_by("-pk").first()
        if record is not None:
            pages.append(reverse(f"{name}_change", args=[record.pk]))
            try:
                pages.append(reverse(f"{name}_history", args=[record.pk]))
            except NoReverseMatch:
                pass
    return pages


@pytest.mark.parametrize("username", ["admin", "hlj_clerk"])
def test_every_admin_page_reads_in_chinese(demo_data: None, username: str) -> None:
    user = m.User.objects.get(username=username)
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    pages = admin_pages(user)
    assert len(pages) > 40, pages
    english = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = sorted({match.group(0) for match in ENGLISH.finditer(visible_text(response.content.decode()))})
        if found:
            english[url] = found
    assert not english, english


def test_the_user_form_offers_no_groups_nor_permissions(demo_data: None) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    admin_user = m.User.objects.get(username="admin")
    client.force_login(admin_user)
    clerk = m.User.objects.get(username="hlj_clerk")
    page = client.get(reverse("admin:committees_user_change", args=[clerk.pk])).content.decode()
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    assert ('name="is_superuser"' in page) == admin_user.is_superuser
    add = client.get(reverse("admin:committees_user_add")).content.decode()
    assert "创建用户后，你可以编辑更多的用户选项。" in add
    assert client.get("/admin/auth/group/").status_code == 404


@pytest.mark.parametrize("username", ["admin", "hlj_clerk", "hlj_leader", "branch_chair"])
def test_the_report_pages_read_in_chinese(demo_data: None, username: str) -> None:
    from reporting.scoring.models import Sheet

    user = m.User.objects.get(username=username)
    branch = user.branch or m.Branch.objects.filter(committee__code="230100").order_by("pk").first()
    assert branch is not None
    sheet = Sheet.objects.filter(branch=branch).order_by("-scheme__year").first()
    pages = ["/", f"/dashboard/branch/{branch.pk}/2020/", "/scoring/230000/2020/", "/scoring/230000/2019/"]
    if sheet is not None:
        pages.append(f"/scoring/sheets/{sheet.pk}/")
    if username != "branch_chair":
        pages += [
            "/dashboard/230000/2020/",
            "/summary/230000/2020/",
            "/tables/branches/230000/2020/",
            "/tables/members/230000/2020/",
            "/evidence/230000/2020/members.total/",
            "/imports/",
        ]
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    english = {}
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        found = sorted({match.group(0) for match in ENGLISH.finditer(visible_text(response.content.decode()))})
        if found:
            english[url] = found
    assert not english, english
