"""A small world holding a row of every model the admin and the pages show, and a user of every role.

Used by the site-wide safety tests (every admin action as every role, no GET writes anywhere): the two-province
tree of ``tests/conftest.py``, a record of each kind in Harbin (a branch, its members, their work), one in Guizhou,
the default scoring scheme published for 2020 by 黑龙江省委会 with one stored sheet, and the summary's rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group

from committees import models as m
from reporting.scoring.defaults import default_scheme_create
from reporting.scoring.models import Scheme, Sheet
from reporting.scoring.services import sheets_ensure
from reporting.summary.models import Narrative, ThemeYear
from tests.conftest import Tree, make_user
from tests.factories import ActivityFactory, MemberFactory, ProposalFactory, TrainingEventFactory

YEAR = 2020
D = dt.date(YEAR, 5, 1)


@dataclass
class SiteWorld:
    tree: Tree
    users: dict[str, m.User]  # by role name: admin, province_staff, city_staff, leader, branch, outsider
    scheme: Scheme
    sheet: Sheet
    member: m.Member


def build(tree: Tree) -> SiteWorld:
    users = {
        "admin": m.User.objects.create_superuser("root", "root@example.invalid", "a-test-password-2020"),
        "province_staff": make_user("hlj_staff", m.User.Role.STAFF, committee=tree.hlj),
        "city_staff": make_user("hrb_staff", m.User.Role.STAFF, committee=tree.harbin),
        "leader": make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj),
        "branch": make_user("chair", m.User.Role.BRANCH, branch=tree.harbin_branch),
        "outsider": make_user("nobody"),
    }
    branch = tree.harbin_branch
    member = MemberFactory(branch=branch, name="张黑龙", birth_date=dt.date(1970, 3, 1))
    other = MemberFactory(branch=branch, name="李哈尔")
    MemberFactory(branch=tree.guiyang_branch, name="李贵州")
    m.MemberStatusChange.objects.create(member=other, status=m.Member.Status.ACTIVE, changed_on=D)
    m.Position.objects.create(member=member, kind=m.Position.Kind.CPPCC_MEMBER, level=m.Tier.CITY)
    for owner in (branch, tree.guiyang_branch):
        proposal = ProposalFactory(branch=owner, title=f"{owner.name}的提案", submitted_on=D)
        author = member if owner == branch else m.Member.objects.filter(branch=owner).first()
        m.Authorship.objects.create(proposal=proposal, member=author, order=1)
        m.Outcome.objects.create(proposal=proposal, kind="adopted", level="provincial", occurred_on=D)
        ActivityFactory(branch=owner, kind=m.Activity.Kind.ORGANISATIONAL_LIFE, held_on=D)
    event = TrainingEventFactory(committee=tree.hlj, started_on=D, ended_on=D)
    m.Attendance.objects.create(event=event, member=member)
    m.ResearchTopic.objects.create(committee=tree.harbin, title="冰雪经济调研", year=YEAR)
    m.Honor.objects.create(committee=tree.harbin, branch=branch, title="先进支部", level=m.Tier.CITY, year=YEAR)
    m.ExportLog.objects.create(user=users["admin"], username="root", kind="summary", committee=tree.hlj, year=YEAR)
    ThemeYear.objects.get_or_create(year=YEAR, defaults={"theme": "履职能力建设主题年"})
    Narrative.objects.create(committee=tree.harbin, year=YEAR, section="organisation", text="组织建设稳步推进。")
    Group.objects.create(name="测试组")
    scheme = default_scheme_create(committee=tree.hlj, year=YEAR)
    sheet = sheets_ensure(scheme, [branch])[branch.pk]
    return SiteWorld(tree=tree, users=users, scheme=scheme, sheet=sheet, member=member)
