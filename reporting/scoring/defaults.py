"""The default 100-point scheme (DOMAIN.md): a starting point administrators copy and adjust, and the demo's scheme.

Written as data in the shape the admin edits; :func:`default_scheme_create` stores it for a committee and year.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from committees.models import Committee

from .models import Category, GradeBand, Item, LadderStep, Scheme

D = Decimal
K = Item.Kind

# (code, name, cap, floor, items); an item is (name, kind, metric, points, options)
ItemSpec = tuple[str, str, str, Decimal, dict[str, object]]
DEFAULT: list[tuple[str, str, Decimal | None, Decimal | None, list[ItemSpec]]] = [
    ("A", "组织建设", D(20), None, [
        ("年度工作计划和总结", K.MANUAL, "", D(4), {}),
        ("开展组织生活（每次2分）", K.PER_UNIT, "activities.organisational_life", D(2), {"cap": D(8)}),
        ("召开支委会（每季度1次）", K.PER_UNIT, "activities.meeting", D(1), {"cap": D(4)}),
        ("会员信息及时更新", K.MANUAL, "", D(2), {}),
        ("发展新会员", K.PER_UNIT, "members.joined", D(1), {"cap": D(2)}),
    ]),
    ("B", "思想建设与学习培训", D(10), None, [
        ("支部负责人参加培训", K.RULE, "branches.leader_trained", D(3), {}),
        ("会员参加培训（每人次0.5分）", K.PER_UNIT, "training.attendances", D("0.5"), {"cap": D(4)}),
        ("宣传报道", K.PER_UNIT, "activities.publicity", D(1), {"cap": D(3)}),
    ]),
    ("C", "参政议政", D(30), None, [
        ("三个一：提交提案或建议", K.RULE, "branches.three_ones.proposal", D(6), {}),
        ("提案（联名按作者拆分）", K.PER_UNIT, "proposals.proposal", D(2), {"cap": D(8), "joint_credit": True}),
        ("建议", K.PER_UNIT, "proposals.suggestion", D(2), {"cap": D(6)}),
        ("大会发言", K.PER_UNIT, "proposals.plenary_speeches", D(3), {"cap": D(6)}),
        ("获奖", K.PER_UNIT, "outcomes.awarded", D(3), {"cap": D(6)}),
        ("建议获采用或批示", K.LADDER, "proposals.suggestion", D(0), {
            "cap": D(10),
            "steps": [("city_leader", D(2)), ("provincial_leader", D(4)), ("state_leader", D(10))],
        }),
    ]),
    ("D", "社情民意", D(20), None, [
        ("报送社情民意信息的会员比例（10分×比例）", K.SHARE, "three_ones.social_info_rate", D(10), {}),
        ("社情民意信息采用", K.LADDER, "proposals.social_info", D(0), {
            "cap": D(10),
            "steps": [("city", D(1)), ("provincial", D(3)), ("party_central", D(5)), ("national_cppcc", D(10)),
                      ("state_leader", D(20))],
        }),
    ]),
    ("E", "社会服务", D(15), None, [
        ("三个一：开展社会服务", K.RULE, "branches.three_ones.service", D(8), {}),
        ("社会服务活动", K.PER_UNIT, "activities.social_service", D(2), {"cap": D(4)}),
        ("捐款捐物（每万元1分）", K.PER_UNIT, "service.total", D("0.0001"), {"cap": D(3)}),
    ]),
    ("F", "表彰", D(5), None, [
        ("支部获得表彰", K.PER_UNIT, "honors.total", D("2.5"), {"cap": D(5)}),
    ]),
    ("G", "扣分", D(0), D(-10), [
        ("统计报送不及时", K.DEDUCTION, "", D(3), {}),
        ("无故缺席上级会议", K.DEDUCTION, "", D(2), {}),
        ("全年组织生活少于2次", K.DEDUCTION, "activities.organisational_life", D(5),
         {"threshold": D(2), "below": True}),
    ]),
    ("H", "一票否决", None, None, [
        ("违反政治纪律或出现重大违纪", K.VETO, "", D(1), {}),
    ]),
]  # fmt: skip

BANDS = (("优秀", D(90)), ("良好", D(80)), ("合格", D(60)), ("不合格", D(0)))
NAME = "基层支部年度工作量化考核评分表"


@transaction.atomic
def default_scheme_create(*, committee: Committee, year: int, published: bool = True) -> Scheme:
    """The default scheme for ``committee`` and ``year``; an existing scheme of that committee and year is kept
    as it is."""
    found = Scheme.objects.filter(committee=committee, year=year).first()
    if found is not None:
        return found
    scheme = Scheme.objects.create(
        committee=committee,
        year=year,
        name=NAME,
        total_cap=D(100),
        first_author_share=D("0.6"),
        status=Scheme.Status.PUBLISHED if published else Scheme.Status.DRAFT,
    )
    for order, (code, name, cap, floor, items) in enumerate(DEFAULT, start=1):
        category = Category.objects.create(scheme=scheme, order=order, code=code, name=name, cap=cap, floor=floor)
        for number, (item_name, kind, metric, points, options) in enumerate(items, start=1):
            steps: list[tuple[str, Decimal]] = options.get("steps", [])  # type: ignore[assignment]
            item = Item.objects.create(
                scheme=scheme,
                category=category,
                order=number,
                name=item_name,
                kind=kind,
                metric=metric,
                points=points,
                **{k: v for k, v in options.items() if k != "steps"},
            )
            LadderStep.objects.bulk_create(LadderStep(item=item, level=level, bonus=bonus) for level, bonus in steps)
    GradeBand.objects.bulk_create(GradeBand(scheme=scheme, name=name, minimum=minimum) for name, minimum in BANDS)
    return scheme
