"""People told apart: choosers label members with branch and birth year, search finds them by pinyin and
initials, a likely duplicate is pointed out on save, an import never renames a member through an ID number,
and users are named family name first."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from committees import models as m
from committees.pinyin import person_pinyin, place_pinyin
from tests.committees import admin_helpers as bulk
from tests.conftest import Tree
from tests.factories import BranchFactory, MemberFactory, ProposalFactory


@pytest.fixture
def namesakes(tree: Tree) -> tuple[m.Member, m.Member]:
    """Two members called 赵建国: one in a Harbin branch, one in a Guiyang branch, born in other years."""
    return (
        MemberFactory(branch=tree.harbin_branch, name="赵建国", birth_date=dt.date(1975, 4, 1)),
        MemberFactory(branch=tree.guiyang_branch, name="赵建国", birth_date=dt.date(1982, 9, 9)),
    )


def autocomplete(client: Client, term: str, model: str = "authorship", field: str = "member") -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "committees", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [r["text"] for r in json.loads(response.content)["results"]]


# ---- pinyin ---------------------------------------------------------------------------------------------------


def test_a_name_is_spelled_in_full_and_by_initials() -> None:
    assert person_pinyin("赵建国") == "zhaojianguo zjg"
    assert place_pinyin("哈尔滨工程大学支部") == "haerbingongchengdaxuezhibu hebgcdxzb"


@pytest.mark.parametrize(
    ("name", "spelled"),
    [("单建国", "shanjianguo"), ("曾国藩", "zengguofan"), ("解放", "xiefang"), ("尉迟恭", "yuchigong")],
)
def test_a_surname_is_read_as_a_surname_and_the_everyday_reading_is_kept_too(name: str, spelled: str) -> None:
    words = person_pinyin(name).split()
    assert words[0] == spelled
    if name == "单建国":
        assert "danjianguo" in words and "sjg" in words and "djg" in words


def test_saving_spells_the_name_again(tree: Tree) -> None:
    member = MemberFactory(branch=tree.harbin_branch, name="赵建国")
    assert member.name_pinyin == "zhaojianguo zjg"
    member.name = "单建国"
    member.save(update_fields=["name"])
    member.refresh_from_db()
    assert member.name_pinyin.startswith("shanjianguo sjg")
    assert m.Branch.objects.get(pk=tree.harbin_branch.pk).name_pinyin.startswith("haerbin")
    assert m.Committee.objects.get(pk=tree.hlj.pk).name_pinyin.startswith("minjinheilongjiang")


# ---- chooser labels ---------------------------------------------------------------------------------------------


def test_the_autocomplete_tells_two_members_of_the_same_name_apart(
    admin_client: Client, namesakes: tuple[m.Member, m.Member]
) -> None:
    assert sorted(autocomplete(admin_client, "赵建国")) == [
        "赵建国 · 哈尔滨工程大学支部 · 1975",
        "赵建国 · 贵州大学支部 · 1982",
    ]


def test_a_branch_chooser_names_the_committee(admin_client: Client, tree: Tree) -> None:
    BranchFactory(committee=tree.guiyang, name="哈尔滨工程大学支部")
    labels = autocomplete(admin_client, "工程大学", model="member", field="branch")
    assert sorted(labels) == ["哈尔滨工程大学支部 · 民进哈尔滨市委会", "哈尔滨工程大学支部 · 民进贵阳市委会"]


def test_the_rendered_selects_tell_namesakes_apart(admin_client: Client, namesakes: tuple[m.Member, m.Member]) -> None:
    harbin, guiyang = namesakes
    proposal = ProposalFactory(branch=harbin.branch, committee=harbin.committee)
    m.Authorship.objects.create(proposal=proposal, member=harbin, order=1)
    m.Authorship.objects.create(proposal=proposal, member=guiyang, order=2)
    honor = m.Honor.objects.create(
        title="优秀会员", level="city", year=2020, member=guiyang, committee=guiyang.committee
    )

    inline = admin_client.get(reverse("admin:committees_proposal_change", args=[proposal.pk])).content.decode()
    form = admin_client.get(reverse("admin:committees_honor_change", args=[honor.pk])).content.decode()

    assert f'<option value="{harbin.pk}" selected>赵建国 · 哈尔滨工程大学支部 · 1975</option>' in inline
    assert f'<option value="{guiyang.pk}" selected>赵建国 · 贵州大学支部 · 1982</option>' in inline
    assert f'<option value="{guiyang.pk}" selected>赵建国 · 贵州大学支部 · 1982</option>' in form


def test_a_member_of_no_branch_is_labelled_with_the_committee(admin_client: Client, tree: Tree) -> None:
    MemberFactory(committee=tree.harbin, branch=None, name="钱多多", birth_date=None)
    assert autocomplete(admin_client, "钱多多") == ["钱多多 · 民进哈尔滨市委会"]


# ---- search -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["zhaojianguo", "zjg", "ZJG", "zhao jianguo"])
def test_the_member_list_finds_a_member_by_pinyin_and_initials(
    admin_client: Client, namesakes: tuple[m.Member, m.Member], query: str
) -> None:
    MemberFactory(branch=namesakes[0].branch, name="张建军")
    response = admin_client.get(reverse("admin:committees_member_changelist"), {"q": query})
    assert sorted(r.pk for r in response.context["cl"].result_list) == sorted(n.pk for n in namesakes)


def test_the_autocomplete_finds_a_member_by_initials(
    admin_client: Client, namesakes: tuple[m.Member, m.Member]
) -> None:
    MemberFactory(branch=namesakes[0].branch, name="张建军", birth_date=dt.date(1970, 1, 1))
    assert len(autocomplete(admin_client, "zjg")) == 2
    assert autocomplete(admin_client, "zjj") == ["张建军 · 哈尔滨工程大学支部 · 1970"]


def test_a_surname_reading_finds_the_member(admin_client: Client, tree: Tree) -> None:
    shan = MemberFactory(branch=tree.harbin_branch, name="单立新")
    for query in ("shanlixin", "danlixin", "slx"):
        response = admin_client.get(reverse("admin:committees_member_changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [shan], query


def test_branches_and_committees_are_found_by_pinyin(admin_client: Client, tree: Tree) -> None:
    branches = admin_client.get(reverse("admin:committees_branch_changelist"), {"q": "hebgc"})
    assert list(branches.context["cl"].result_list) == [tree.harbin_branch]
    assert autocomplete(admin_client, "guiyang", model="member", field="committee") == ["民进贵阳市委会"]


def test_a_scoped_clerk_finds_only_members_of_the_own_committees(
    tree: Tree, hrb_clerk: m.User, namesakes: tuple[m.Member, m.Member]
) -> None:
    client = Client()
    client.force_login(hrb_clerk)
    assert autocomplete(client, "zjg") == ["赵建国 · 哈尔滨工程大学支部 · 1975"]


def test_the_autocomplete_costs_the_same_queries_for_3_and_30_members(
    admin_client: Client, tree: Tree, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n: int) -> None:
        for member in bulk.members(tree.harbin_branch, n):
            member.save()  # spells the name
        m.Member.objects.bulk_create(
            m.Member(committee=tree.guiyang, name=f"批量{i}", gender="male", name_pinyin="piliang") for i in range(n)
        )

    grow(3)
    with CaptureQueriesContext(connection) as small:
        autocomplete(admin_client, "pl")
    grow(30)
    # session, user, the count for the pager, the page of members joined with committee and branch
    with django_assert_num_queries(len(small.captured_queries)):
        labels = autocomplete(admin_client, "pl")
    assert len(labels) == 20


def test_the_member_changelist_search_costs_the_same_queries_for_3_and_30_members(
    admin_client: Client, tree: Tree, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = reverse("admin:committees_member_changelist")
    for member in bulk.members(tree.harbin_branch, 3):
        member.save()
    with CaptureQueriesContext(connection) as small:
        admin_client.get(path, {"q": "plhy"})
    for member in bulk.members(tree.harbin_branch, 30):
        member.save()
    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get(path, {"q": "plhy"})
    assert len(response.context["cl"].result_list) == 33


# ---- duplicates -------------------------------------------------------------------------------------------------


def _member_form(branch: m.Branch, name: str, birth: str) -> dict[str, str]:
    return {
        "name": name,
        "gender": "male",
        "birth_date": birth,
        "branch": str(branch.pk),
        "committee": "",
        "status": "active",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }


def _warnings(response: Any) -> list[str]:
    return [str(msg) for msg in get_messages(response.wsgi_request) if msg.level_tag == "warning"]


def test_saving_a_namesake_born_the_same_day_warns_with_a_link_and_saves(
    admin_client: Client, tree: Tree, namesakes: tuple[m.Member, m.Member]
) -> None:
    harbin, guiyang = namesakes
    other_branch = BranchFactory(committee=tree.harbin, name="哈尔滨医科大学支部")
    response = admin_client.post(
        reverse("admin:committees_member_add"), _member_form(other_branch, "赵建国", "1982-09-09"), follow=True
    )
    assert m.Member.objects.filter(name="赵建国").count() == 3  # saved: namesakes exist
    page = response.content.decode()
    link = reverse("admin:committees_member_change", args=[guiyang.pk])
    assert f'<a href="{link}">赵建国 · 贵州大学支部 · 1982</a>（同名且出生日期相同）' in page
    [warning] = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert reverse("admin:committees_member_change", args=[harbin.pk]) not in str(warning)
    assert str(warning).startswith("可能与已有会员重复")


def test_saving_a_namesake_in_the_same_branch_warns(
    admin_client: Client, tree: Tree, namesakes: tuple[m.Member, m.Member]
) -> None:
    harbin = namesakes[0]
    response = admin_client.post(
        reverse("admin:committees_member_add"), _member_form(tree.harbin_branch, "赵建国", "1990-01-01")
    )
    [warning] = _warnings(response)
    assert "同名且同一支部" in warning
    assert reverse("admin:committees_member_change", args=[harbin.pk]) in warning


def test_a_member_without_namesakes_gets_no_warning(admin_client: Client, tree: Tree) -> None:
    response = admin_client.post(
        reverse("admin:committees_member_add"), _member_form(tree.harbin_branch, "孙新人", "1990-01-01")
    )
    assert response.status_code == 302
    assert _warnings(response) == []


def test_the_warning_names_only_members_the_clerk_may_see(
    tree: Tree, hrb_clerk: m.User, namesakes: tuple[m.Member, m.Member]
) -> None:
    client = Client()
    client.force_login(hrb_clerk)
    response = client.post(
        reverse("admin:committees_member_add"), _member_form(tree.harbin_branch, "赵建国", "1982-09-09")
    )
    assert response.status_code == 302
    [warning] = _warnings(response)
    assert "贵州大学支部" not in warning and "哈尔滨工程大学支部" in warning


# ---- users ------------------------------------------------------------------------------------------------------


def test_users_are_named_family_name_first_without_a_space(tree: Tree) -> None:
    user = m.User(username="hlj_leader", last_name="张", first_name="显友")
    assert (user.get_full_name(), user.get_short_name(), str(user)) == ("张显友", "张显友", "张显友")
    assert str(m.User(username="nobody")) == "nobody"


def test_the_top_bar_the_admin_and_the_history_name_the_user_family_name_first(
    tree: Tree, hlj_clerk: m.User, hlj_member: m.Member
) -> None:
    hlj_clerk.last_name, hlj_clerk.first_name = "王", "秀梅"
    hlj_clerk.save()
    client = Client()
    client.force_login(hlj_clerk)
    form = _member_form(tree.harbin_branch, "张黑龙", "1970-01-01")
    form["job_title"] = "主任"
    change = reverse("admin:committees_member_change", args=[hlj_member.pk])
    assert client.post(change, form).status_code == 302

    history = client.get(reverse("admin:committees_member_history", args=[hlj_member.pk])).content.decode()
    admin_index = client.get(reverse("admin:index")).content.decode()
    home = client.get("/", follow=True).content.decode()

    assert "王秀梅" in history and "秀梅 王" not in history
    assert "王秀梅" in admin_index
    assert "王秀梅" in home and "秀梅 王" not in home


def test_a_renamed_members_history_shows_the_name_not_its_pinyin(
    admin_client: Client, tree: Tree, hlj_member: m.Member
) -> None:
    change = reverse("admin:committees_member_change", args=[hlj_member.pk])
    assert admin_client.post(change, _member_form(tree.harbin_branch, "张黑虎", "1975-05-01")).status_code == 302

    history = admin_client.get(reverse("admin:committees_member_history", args=[hlj_member.pk])).content.decode()

    assert "张黑龙" in history and "张黑虎" in history
    assert "zhangheilong" not in history and "拼音" not in history


def test_a_page_form_select_labels_namesakes_in_one_query(
    tree: Tree, namesakes: tuple[m.Member, m.Member], django_assert_num_queries: Any
) -> None:
    from django import forms

    from committees.choosers import ChooserField, for_chooser

    class PickForm(forms.Form):
        member = ChooserField(queryset=for_chooser(m.Member.objects.all()))

    bulk.members(bulk.branches(tree.hlj, 1)[0], 30)
    with django_assert_num_queries(1):  # the members joined with committee and branch
        html = str(PickForm()["member"])
    assert "赵建国 · 哈尔滨工程大学支部 · 1975" in html and "赵建国 · 贵州大学支部 · 1982" in html
