"""The demo data: every seed figure is counted from individual records, and loading is idempotent.

The demo is loaded once for the module inside a transaction that is rolled back afterwards, so the rest
of the suite still starts from an empty database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.test import Client

from committees import models as m
from committees.access import may_write
from committees.demo import DEMO_PASSWORD, LOGINS, table_counts
from committees.demo.members import build_members
from committees.demo.people import id_check_digit
from committees.demo.tree import load_tree

pytestmark = pytest.mark.django_db

SENIOR = (m.TitleLevel.SENIOR, m.TitleLevel.VICE_SENIOR)
UNIVERSITIES = {
    "哈尔滨工程大学",
    "东北农业大学",
    "哈尔滨商业大学",
    "东北林业大学",
    "黑龙江中医药大学",
    "哈尔滨音乐学院",
    "黑龙江应用职业学院",
}


@dataclass
class Demo:
    output: str
    counts: dict[str, int]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Demo]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        yield Demo(out.getvalue(), table_counts())
        transaction.set_rollback(True)


def hlj() -> m.Committee:
    return m.Committee.objects.get(code="230000")


def gz() -> m.Committee:
    return m.Committee.objects.get(code="520000")


def in_hlj(prefix: str = "committee__") -> Q:
    return hlj().subtree_q(prefix)


def person_times(events: QuerySet[m.TrainingEvent]) -> int:
    """人次: attendances on the roster plus attendees who are not on it."""
    return sum(e.roster + e.extra_headcount for e in events.annotate(roster=Count("attendances")))


def test_committee_tree(demo: Demo) -> None:
    central = m.Committee.objects.get(code="000000")
    assert central.kind == m.Committee.Kind.CENTRAL
    assert {c.code for c in central.get_children()} == {"230000", "520000"}
    hlj_cities = hlj().get_children()
    assert hlj_cities.count() >= 8
    assert all(c.kind == m.Committee.Kind.CITY and c.name.startswith("民进") for c in hlj_cities)
    assert {c.code for c in gz().get_children()} == {
        "520100", "520200", "520300", "520400", "520500", "520600", "522300", "522600", "522700"
    }  # fmt: skip
    assert m.Committee.objects.get(code="230100").short_name == "哈尔滨市委会"
    assert m.Branch.objects.filter(committee=hlj(), name__startswith="省直").exists()
    assert m.Branch.objects.filter(committee=gz(), name__startswith="省直").exists()


def test_seven_university_branches_founded_in_heilongjiang_2020(demo: Demo) -> None:
    founded = m.Branch.objects.filter(in_hlj(), founded_on__year=2020)
    assert founded.count() == 7
    assert set(founded.values_list("host_institution", flat=True)) == UNIVERSITIES


def test_branches_are_linked_and_led(demo: Demo) -> None:
    branches = m.Branch.objects.all()
    assert branches.filter(in_hlj(), cpc_organisation="").count() == 0
    assert branches.filter(leader__isnull=False).count() > 0.9 * branches.count()
    led = branches.filter(leader__isnull=False).values_list("pk", "leader__branch")
    assert all(branch == leader_branch for branch, leader_branch in led)


def test_guizhou_members_titles_and_doctorates(demo: Demo) -> None:
    members = m.Member.objects.in_subtree(gz()).filter(status=m.Member.Status.ACTIVE)
    active = members.count()
    senior = members.filter(title_level__in=SENIOR).count()
    assert active == 4460
    assert senior == 1071
    assert round(100 * senior / active) == 24
    assert members.filter(degree=m.Degree.DOCTOR).count() == 94
    assert members.filter(degree=m.Degree.DOCTOR).exclude(education=m.Education.DOCTORATE).count() == 0
    everyone = m.Member.objects.in_subtree(gz())
    assert everyone.filter(title_level__in=SENIOR).count() == 1071
    assert everyone.filter(Q(degree=m.Degree.DOCTOR) | Q(education=m.Education.DOCTORATE)).count() == 94


def test_heilongjiang_roster(demo: Demo) -> None:
    members = m.Member.objects.in_subtree(hlj())
    assert 2000 <= members.filter(status=m.Member.Status.ACTIVE).count() <= 3000
    assert set(members.values_list("ethnicity", flat=True)) >= {"汉族", "满族", "朝鲜族"}
    assert {"张显友", "汤怀胜", "于铁夫"} <= set(members.values_list("name", flat=True))


def test_members_have_valid_personal_data(demo: Demo) -> None:
    rows = m.Member.objects.values_list("id_number", "birth_date", "gender", "joined_on", "phone", "committee__code")
    for number, birth, gender, joined, phone, code in rows:
        assert re.fullmatch(r"[0-9]{17}[0-9X]", number)
        assert birth is not None and joined is not None
        assert number[-1] == id_check_digit(number[:17])
        assert number[6:14] == birth.strftime("%Y%m%d")
        assert int(number[16]) % 2 == (1 if gender == m.Gender.MALE else 0)
        assert number[:2] == code[:2]
        assert dt.date(1950, 1, 1) <= birth <= dt.date(1995, 12, 31)
        assert joined >= birth.replace(year=birth.year + 22, day=min(birth.day, 28))
        assert re.fullmatch(r"1[358][0-9]{9}", phone)
    leavers = m.Member.objects.exclude(status=m.Member.Status.ACTIVE)
    assert leavers.exists()
    assert leavers.filter(status_changes__isnull=True).count() == 0


def test_yu_tiefu(demo: Demo) -> None:
    yu = m.Member.objects.get(name="于铁夫")
    assert yu.committee.code == "231000"
    assert (yu.status, yu.status_changed_on) == (m.Member.Status.DECEASED, dt.date(2020, 6, 1))
    assert yu.status_changes.filter(status=m.Member.Status.DECEASED, changed_on=dt.date(2020, 6, 1)).exists()
    honor = yu.honors.get()
    assert (honor.title, honor.level, honor.year) == ("全国抗击新冠肺炎疫情先进个人", m.Tier.NATIONAL, 2020)


def test_branch_leader_training_2020(demo: Demo) -> None:
    classes = m.TrainingEvent.objects.filter(
        in_hlj(),
        kind=m.TrainingEvent.Kind.BRANCH_LEADERS,
        organiser_kind=m.TrainingEvent.Organiser.OWN,
        started_on__year=2020,
    )
    assert classes.count() == 2
    assert 400 <= person_times(classes) < 500


def test_members_sent_to_higher_training_2020(demo: Demo) -> None:
    attendances = m.Attendance.objects.filter(
        in_hlj("member__committee__"),
        event__started_on__year=2020,
    ).exclude(event__organiser_kind=m.TrainingEvent.Organiser.OWN)
    assert 30 <= attendances.count() <= 39
    assert set(attendances.values_list("event__organiser_kind", flat=True)) == {"party_higher", "cpc"}


def test_endorsed_suggestions_2020(demo: Demo) -> None:
    endorsed = m.Proposal.objects.filter(
        in_hlj(),
        kind=m.Proposal.Kind.SUGGESTION,
        submitted_on__year=2020,
        outcomes__kind=m.Outcome.Kind.ENDORSED,
        outcomes__level=m.Level.PROVINCIAL_LEADER,
    ).distinct()
    assert {p.title for p in endorsed} == {
        "关于大力发展我省县域经济",
        "关于利用工厂旧址创建大庆“红色工业文化小镇”的建议",
        "关于建立黑龙江省医疗器械产业基地的建议",
    }
    leaders = m.Outcome.objects.filter(proposal__in=endorsed).values_list("by_whom", flat=True)
    assert set(leaders) == {"省委书记", "省长"}


def test_other_participation_in_governance_2020(demo: Demo) -> None:
    works = m.Proposal.objects.filter(in_hlj())
    awarded = works.filter(submitted_on__year=2020, kind="proposal", outcomes__kind="awarded", is_excellent=True)
    assert awarded.distinct().count() == 3
    paper = works.get(kind="theory_paper", title="民主党派如何在依法治国中发挥作用")
    assert paper.outcomes.filter(kind="awarded", level=m.Level.PROVINCIAL, note__contains="特别奖").exists()
    flag_day = works.get(title="关于将9月27日设立为我国国旗日的提案")
    assert flag_day.authorships.get(order=1).member.name == "张显友"
    assert (flag_day.submitted_on.year, flag_day.venue_level) == (2019, m.Tier.NATIONAL)
    assert flag_day.outcomes.filter(kind="replied", occurred_on__year=2019).exists()
    assert flag_day.outcomes.filter(kind="forwarded", occurred_on=dt.date(2020, 10, 14)).exists()
    speech = works.get(kind="speech", occasion="plenary", title="加快发展鹅产业 促进农民脱贫增收")
    assert speech.outcomes.filter(kind="endorsed", by_whom="省长").exists()
    assert works.filter(kind="speech", occasion="consultation", submitted_on__year=2020).count() == 2
    topics = m.ResearchTopic.objects.filter(committee=hlj(), year=2020)
    assert topics.filter(source="party_central", status="concluded").count() == 2
    assert topics.filter(is_key=True).count() == 12
    honours = set(m.Honor.objects.filter(committee=hlj(), year=2020).values_list("title", flat=True))
    assert honours == {"政协工作创新奖", "人民建议征集活动优秀组织单位"}


def test_key_topics_2020(demo: Demo) -> None:
    key = m.ResearchTopic.objects.filter(in_hlj(), year=2020, is_key=True)
    assert key.count() == 12
    assert key.exclude(special_committee="").count() == 12


def test_lectures_consultations_and_supervision_2020(demo: Demo) -> None:
    activities = m.Activity.objects.filter(in_hlj(), held_on__year=2020)
    lectures = activities.filter(kind="lecture", title__contains="主委班子宣讲辅导")
    assert lectures.count() == 8
    assert lectures.values("committee").distinct().count() == 8
    assert activities.filter(kind="consultation").count() == 6
    supervision = activities.filter(kind="supervision").aggregate(
        n=Count("id"), forums=Sum("forums"), q=Sum("questionnaires"), p=Sum("problems_found"), s=Sum("suggestions_made")
    )
    assert (supervision["n"], supervision["forums"], supervision["p"], supervision["s"]) == (3, 3, 22, 6)
    assert supervision["q"] >= 200


def test_social_service_2020(demo: Demo) -> None:
    service = m.Activity.objects.filter(in_hlj(), held_on__year=2020, kind="social_service")
    epidemic = service.filter(service_category="epidemic").aggregate(
        cash=Sum("donation_cash"), goods=Sum("donation_goods")
    )
    assert Decimal(1_900_000) <= epidemic["cash"] < Decimal(2_000_000)
    assert Decimal(39_600_000) <= epidemic["goods"] < Decimal(39_700_000)
    assert Decimal(41_500_000) <= epidemic["cash"] + epidemic["goods"] < Decimal(41_600_000)
    suibin = service.filter(place__contains="绥滨")
    scholarship = suibin.get(service_category="scholarship")
    assert (scholarship.donation_cash, scholarship.beneficiaries) == (Decimal(130_000), 55)
    assert suibin.get(service_category="medical").donation_goods == Decimal(200_000)
    assert suibin.get(service_category="fitness").quantity == 2
    assert suibin.get(service_category="books").quantity >= 1000
    condolence = service.get(service_category="condolence")
    assert condolence.donation_cash == Decimal(100_000)


def test_guizhou_three_ones_2019(demo: Demo) -> None:
    branches = m.Branch.objects.filter(gz().subtree_q())
    works = m.Proposal.objects.filter(submitted_on__year=2019)
    proposing = branches.filter(pk__in=works.filter(kind__in=["proposal", "suggestion"]).values("branch"))
    deeds = m.Activity.objects.filter(held_on__year=2019, kind="social_service")
    serving = branches.filter(pk__in=deeds.values("branch"))
    members = m.Member.objects.in_subtree(gz()).filter(status="active")
    authorships = m.Authorship.objects.filter(proposal__in=works.filter(kind="social_info"))
    writing = members.filter(pk__in=authorships.values("member"))
    first_authors = members.filter(pk__in=authorships.filter(order=1).values("member"))
    for part, whole in (
        (proposing.count(), branches.count()),
        (serving.count(), branches.count()),
        (writing.count(), members.count()),
        (first_authors.count(), members.count()),
    ):
        assert 0.6 <= part / whole <= 0.95


def test_guizhou_training_and_supervision(demo: Demo) -> None:
    events = m.TrainingEvent.objects.filter(gz().subtree_q())
    for year in (2017, 2018, 2019):
        assert events.filter(kind="new_members", organiser_kind="own", started_on__year=year).exists()
    joint = events.filter(organiser_kind="academy", started_on__year__gte=2016, started_on__year__lte=2019)
    assert 500 <= person_times(joint) < 600
    inspections = m.Activity.objects.filter(committee=gz(), kind="inspection", held_on__year=2018)
    assert inspections.count() == gz().get_children().count()
    assert m.Honor.objects.filter(committee=gz(), title="省直机关目标考核创新奖", year=2018).exists()
    assert m.Activity.objects.filter(
        committee=gz(), kind="meeting", title="基层组织建设主题年工作推进会", held_on__year=2019, held_on__month=8
    ).exists()


def test_authors_belong_to_the_province_of_the_work(demo: Demo) -> None:
    rows = m.Authorship.objects.values_list("member__committee__code", "proposal__committee__code")
    assert all(a[:2] == p[:2] for a, p in rows)
    orders = m.Authorship.objects.values("proposal").annotate(first=Count("pk", filter=Q(order=1)))
    assert all(row["first"] == 1 for row in orders)


def test_demo_logins(demo: Demo) -> None:
    assert DEMO_PASSWORD in demo.output
    for login in LOGINS:
        assert login.username in demo.output
        assert Client().login(username=login.username, password=DEMO_PASSWORD), login.username
    chair = m.User.objects.get(username="branch_chair")
    assert chair.branch is not None and chair.branch.committee.code == "230100"
    clerk = m.User.objects.get(username="hlj_clerk")
    assert may_write(clerk, m.Member) and not clerk.is_superuser
    assert not may_write(m.User.objects.get(username="hlj_leader"), m.Member)
    assert m.User.objects.get(username="admin").is_superuser


def test_every_name_is_spelled_in_pinyin_and_users_are_named_family_name_first(demo: Demo) -> None:
    for model in (m.Committee, m.Branch, m.Member):
        assert not model.objects.filter(name_pinyin="").exists(), model
    namesakes = m.Member.objects.values("name").annotate(n=Count("pk")).filter(n__gt=1)
    assert namesakes.exists()  # the choosers must tell them apart
    assert str(m.User.objects.get(username="hlj_leader")) == "张显友"


def test_second_run_changes_nothing(demo: Demo) -> None:
    call_command("load_demo", stdout=io.StringIO())
    assert table_counts() == demo.counts
    assert Client().login(username="hlj_clerk", password=DEMO_PASSWORD)


def test_members_are_generated_deterministically(demo: Demo) -> None:
    tree = load_tree()
    fields = ("name", "gender", "birth_date", "id_number", "phone", "joined_on", "title_level", "degree", "branch_id")
    first, second = build_members(tree), build_members(tree)
    assert [tuple(getattr(x, f) for f in fields) for x in first] == [
        tuple(getattr(x, f) for f in fields) for x in second
    ]
    stored = dict(m.Member.objects.values_list("id_number", "name"))
    assert {x.id_number: x.name for x in first} == stored


def test_id_check_digit() -> None:
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
