"""The scoring demo: the default 100-point scheme of 民进中央 for 2019 and 2020, and sheets in every workflow state.

Called by ``manage.py load_demo`` (registered in ``ScoringConfig.ready``). Idempotent: the schemes are matched
by committee and year, and a sheet that already has a workflow history is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from committees.models import Branch, Committee, User

from .compute import compute_figures, compute_lines, load_scheme, schemes_for, scored_branches
from .defaults import default_scheme_create
from .models import Item, Sheet, Transition
from .services import Entered, sheet_move, sheet_save, sheets_ensure

Action = Transition.Action
# For each province and year: how many of its branches (in tree order) end in each state.
PLAN = (("230000", 2020, {"approved": 6, "reviewed": 4, "submitted": 3, "returned": 1}),
        ("520000", 2019, {"approved": 12, "reviewed": 3, "submitted": 2, "returned": 1}))  # fmt: skip
BRANCH_CHAIR = ("230100", "哈尔滨师范大学支部")


def load_scoring_demo() -> None:
    central = Committee.objects.get(code="000000")
    for year in (2019, 2020):
        default_scheme_create(committee=central, year=year)
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "hlj_clerk", "hlj_leader", "gz_clerk",
                                                                      "gz_leader"])}  # fmt: skip
    for code, year, plan in PLAN:
        province = Committee.objects.get(code=code)
        prefix = "hlj" if code == "230000" else "gz"
        _province(province, year, plan, users["admin"], users[f"{prefix}_clerk"], users[f"{prefix}_leader"])


def _province(province: Committee, year: int, plan: dict[str, int], admin: User, clerk: User, leader: User) -> None:
    schemes = schemes_for(province, year)
    scheme = schemes[0]
    branches = scored_branches(scheme, province, year, schemes)
    chair = Branch.objects.filter(committee__code=BRANCH_CHAIR[0], name=BRANCH_CHAIR[1]).first()
    # The branch chair's own sheet stays a draft for the demo login to fill in; the others go through the steps.
    candidates = [b for b in branches if chair is None or b.pk != chair.pk]
    sheets = sheets_ensure(scheme, branches)
    started = set(Transition.objects.filter(sheet__in=sheets.values()).values_list("sheet_id", flat=True))
    definition = load_scheme(scheme)
    figures = compute_figures(definition, province, year)
    index = 0
    for state, count in plan.items():
        for branch in candidates[index : index + count]:
            sheet = sheets[branch.pk]
            if sheet.pk not in started:
                _walk(sheet, state, definition, figures, admin, clerk, leader)
        index += count


def _walk(sheet: Sheet, state: str, scheme: object, figures: object, admin: User, clerk: User, leader: User) -> None:
    lines = compute_lines(scheme, figures, sheet.branch_id)  # type: ignore[arg-type]
    claimed = {}
    for line in lines:
        item = line.item
        if item.kind == Item.Kind.MANUAL:
            claimed[item.pk] = Entered(item.points)
        elif item.kind in (Item.Kind.DEDUCTION, Item.Kind.VETO) and line.points is None:
            claimed[item.pk] = Entered(Decimal(0))
        else:
            claimed[item.pk] = Entered(line.points)
    sheet_save(user=admin, sheet=sheet, self_points=claimed)
    sheet_move(user=admin, sheet=sheet, action=Action.SUBMIT)
    if state == "submitted":
        return
    if state == "returned":
        sheet_move(user=clerk, sheet=sheet, action=Action.RETURN, reason="会员信息未及时更新，请补充后重新提交。")
        return
    reviewed = {}
    for line in lines:
        if line.item.kind == Item.Kind.MANUAL:
            reviewed[line.item.pk] = Entered(line.item.points - 1, "材料基本齐全，略有欠缺")
        elif line.item.kind == Item.Kind.DEDUCTION and line.points is None and sheet.branch_id % 3 == 0:
            reviewed[line.item.pk] = Entered(Decimal(-1), "统计报表迟报一次")
    sheet_save(user=clerk, sheet=sheet, reviewed=reviewed)
    sheet_move(user=clerk, sheet=sheet, action=Action.REVIEW)
    if state == "approved":
        sheet_move(user=leader, sheet=sheet, action=Action.APPROVE)
