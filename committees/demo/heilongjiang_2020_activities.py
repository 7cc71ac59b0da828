"""民进黑龙江省委会 2020: study, 宣讲, consultation, 民主监督, social service and training, deed by deed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from committees.models import Activity, Member, Tier, TitleLevel, TrainingEvent

from .members import Roster
from .records import Batch, activity, training
from .sync import rng
from .tree import HEILONGJIANG, Tree

D = dt.date
SS = Activity.ServiceCategory

# (committee code, branch or None, title, cash, goods, date): the 4150余万元 of 2020, deed by deed.
EPIDEMIC_DONATIONS = (
    ("230000", None, "省直会员抗击新冠肺炎疫情捐款", 386_000, 0, D(2020, 2, 6)),
    ("230000", "黑龙江省医院支部", "向抗疫一线医护人员捐赠防护物资", 0, 1_260_000, D(2020, 2, 12)),
    ("230000", "省直第二支部", "向定点医院捐赠中药饮片", 0, 980_000, D(2020, 2, 20)),
    ("230000", "省直第三支部", "会员抗疫爱心捐款", 148_000, 0, D(2020, 2, 25)),
    ("230100", None, "哈尔滨市委会会员抗疫捐款", 265_000, 0, D(2020, 2, 3)),
    ("230100", "哈尔滨市经济界支部", "会员企业捐赠消毒液及防护用品", 300_000, 12_800_000, D(2020, 1, 30)),
    ("230100", "哈尔滨医科大学总支", "捐赠医用口罩和防护服", 0, 3_460_000, D(2020, 2, 9)),
    ("230100", "哈尔滨市道里区支部", "捐赠社区防疫物资", 0, 1_540_000, D(2020, 2, 17)),
    ("230200", None, "齐齐哈尔市委会会员抗疫捐款", 148_000, 0, D(2020, 2, 8)),
    ("230200", "齐齐哈尔市经济支部", "捐赠测温仪和消毒设备", 0, 2_180_000, D(2020, 2, 14)),
    ("230300", None, "鸡西市委会会员捐款捐物", 64_000, 980_000, D(2020, 2, 11)),
    ("230400", None, "鹤岗市委会会员捐款捐物", 58_000, 762_000, D(2020, 2, 13)),
    ("230600", "大庆市经济支部", "会员企业捐赠抗疫物资", 180_000, 8_650_000, D(2020, 2, 4)),
    ("230800", None, "佳木斯市委会会员捐款捐物", 87_000, 1_540_000, D(2020, 2, 18)),
    ("231000", None, "牡丹江市委会会员抗疫捐款", 122_000, 0, D(2020, 2, 21)),
    ("231000", "绥芬河支部", "支援绥芬河口岸疫情防控捐赠物资", 96_000, 4_370_000, D(2020, 4, 16)),
    ("231200", None, "绥化市委会会员捐款捐物", 71_000, 1_090_000, D(2020, 2, 24)),
)
CITY_LECTURES = (
    ("230100", D(2020, 6, 11)),
    ("230200", D(2020, 6, 23)),
    ("230300", D(2020, 7, 7)),
    ("230400", D(2020, 7, 21)),
    ("230600", D(2020, 8, 12)),
    ("230800", D(2020, 8, 27)),
    ("231000", D(2020, 9, 15)),
    ("231200", D(2020, 10, 20)),
)
CONSULTATIONS = (
    ("征求对省政府工作报告意见座谈会", "县域经济发展", D(2020, 1, 6)),
    ("中共省委党外人士座谈会（疫情防控和医疗资源）", "整合省市医疗机构人才资源", D(2020, 4, 21)),
    ("省委统战部党外人士协商座谈会（能源结构调整）", "清洁能源应用", D(2020, 7, 15)),
    ("省政府党外人士座谈会（中医药发展）", "发展中药产业", D(2020, 8, 26)),
    ("中共省委党外人士座谈会（“十四五”规划建议）", "做大做强冰雪产业", D(2020, 10, 23)),
    ("中共省委党外人士座谈会（年度经济工作）", "加快乳业高质量发展", D(2020, 12, 15)),
)
SUPERVISION = (
    # (title, start, end, forums, questionnaires, problems, suggestions)
    ("鹤岗市脱贫攻坚民主监督专项调研（第一次）", D(2020, 5, 12), D(2020, 5, 14), 1, 86, 9, 2),
    ("鹤岗市脱贫攻坚民主监督专项调研（第二次）", D(2020, 8, 18), D(2020, 8, 20), 1, 74, 8, 2),
    ("鹤岗市脱贫攻坚民主监督专项调研（第三次）", D(2020, 10, 27), D(2020, 10, 28), 1, 52, 5, 2),
)
# Trainings by higher bodies that Heilongjiang members were sent to: (title, organiser, name, level, kind,
# start, end, place, members sent).
HIGHER_TRAININGS = (
    (
        "民进中央骨干会员履职能力提升培训班",
        "party_higher",
        "民进中央",
        Tier.NATIONAL,
        "core_members",
        D(2020, 9, 7),
        D(2020, 9, 11),
        "北京",
        9,
    ),
    (
        "民进中央地方组织后备干部培训班",
        "party_higher",
        "民进中央",
        Tier.NATIONAL,
        "reserve_cadres",
        D(2020, 10, 12),
        D(2020, 10, 16),
        "北京",
        4,
    ),
    (
        "党外干部履职能力培训班",
        "cpc",
        "中共黑龙江省委统战部",
        Tier.PROVINCIAL,
        "core_members",
        D(2020, 8, 3),
        D(2020, 8, 7),
        "哈尔滨",
        12,
    ),
    (
        "党外代表人士理论研修班",
        "cpc",
        "中共黑龙江省委",
        Tier.PROVINCIAL,
        "other",
        D(2020, 11, 9),
        D(2020, 11, 13),
        "哈尔滨",
        8,
    ),
)


def _pick(rand_members: list[Member], count: int, before: dt.date) -> list[Member]:
    return [m for m in rand_members if m.joined_on is not None and m.joined_on < before][:count]


def build_activities(tree: Tree, roster: Roster) -> Batch:
    rand = rng("heilongjiang-2020/activities")
    hlj = tree.committees[HEILONGJIANG]
    members = list(roster.active[HEILONGJIANG])
    shuffled = rand.sample(members, len(members))
    senior = [m for m in shuffled if m.title_level in (TitleLevel.SENIOR, TitleLevel.VICE_SENIOR)]
    batch = Batch()

    def social(title: str, on: dt.date, category: str, **figures: object) -> Activity:
        return activity(
            hlj, Activity.Kind.SOCIAL_SERVICE, title, on, place="鹤岗市绥滨县", service_category=category, **figures
        )

    batch.activities += [
        activity(
            hlj,
            Activity.Kind.THEME_EDUCATION,
            "“不忘合作初心，继续携手前进”主题教育座谈会",
            D(2020, 5, 19),
            participants=46,
            topic="不忘合作初心，继续携手前进",
        ),
        activity(
            hlj,
            Activity.Kind.PUBLICITY,
            "编印会刊《黑龙江民进》抗击新冠肺炎疫情专刊",
            D(2020, 4, 30),
            topic="抗击新冠肺炎疫情",
        ),
        activity(
            hlj, Activity.Kind.PUBLICITY, "编印“我身边的先进”先进人物事迹", D(2020, 11, 10), topic="庆祝民进成立75周年"
        ),
        activity(
            hlj,
            Activity.Kind.PUBLICITY,
            "于铁夫同志先进事迹宣传",
            D(2020, 6, 5),
            topic="于铁夫",
            note="6月2日民进中央主席、省委书记、省长分别作出批示；民进网、新华网、中央电视台新闻联播、人民日报等媒体报道。",
        ),
        activity(
            hlj,
            Activity.Kind.SOCIAL_SERVICE,
            "慰问于铁夫同志亲属",
            D(2020, 6, 2),
            place="齐齐哈尔市",
            service_category=SS.CONDOLENCE,
            donation_cash=Decimal(100_000),
            beneficiaries=1,
            note="民进企业家汤怀胜捐赠慰问金",
        ),
        activity(
            hlj,
            Activity.Kind.RESEARCH,
            "关于发展职业教育助推乡村振兴战略实施专题调研",
            D(2020, 9, 8),
            ended_on=D(2020, 9, 10),
            participants=9,
        ),
        social(
            "为绥滨县贫困大中学生捐赠助学金",
            D(2020, 8, 25),
            SS.SCHOLARSHIP,
            donation_cash=Decimal(130_000),
            beneficiaries=55,
        ),
        social("为绥滨县人民医院捐赠医疗设备", D(2020, 9, 16), SS.MEDICAL, donation_goods=Decimal(200_000)),
        social("协调建设绥滨县群众健身路径", D(2020, 7, 8), SS.FITNESS, quantity=2, quantity_unit="条"),
        social("向绥滨县中小学捐赠图书", D(2020, 10, 13), SS.BOOKS, quantity=1020, quantity_unit="册"),
    ]
    batch.activities += [
        activity(
            tree.committees[code],
            Activity.Kind.LECTURE,
            f"主委班子宣讲辅导（{tree.committees[code].short_name}）",
            on,
            participants=rand.randint(40, 90),
            topic="不忘合作初心，继续携手前进",
        )
        for code, on in CITY_LECTURES
    ]
    batch.activities += [
        activity(hlj, Activity.Kind.CONSULTATION, title, on, topic=topic, participants=rand.randint(20, 40))
        for title, topic, on in CONSULTATIONS
    ]
    batch.activities += [
        activity(
            hlj,
            Activity.Kind.SUPERVISION,
            title,
            start,
            ended_on=end,
            place="鹤岗市绥滨县",
            topic="脱贫攻坚民主监督（绥滨县）",
            participants=rand.randint(8, 14),
            forums=forums,
            questionnaires=q,
            problems_found=p,
            suggestions_made=s,
        )
        for title, start, end, forums, q, p, s in SUPERVISION
    ]
    batch.activities += [
        activity(
            tree.branch(code, branch) if branch else tree.committees[code],
            Activity.Kind.SOCIAL_SERVICE,
            title,
            on,
            service_category=SS.EPIDEMIC,
            donation_cash=Decimal(cash),
            donation_goods=Decimal(goods),
            topic="抗击新冠肺炎疫情",
        )
        for code, branch, title, cash, goods, on in EPIDEMIC_DONATIONS
    ]

    leaders = [roster.leaders[b.pk] for b in tree.branches_of(HEILONGJIANG) if b.pk in roster.leaders]
    leading = set(leaders)
    others = [m for m in shuffled if m not in leading]
    batch.trainings += [
        training(
            hlj,
            TrainingEvent.Kind.BRANCH_LEADERS,
            "2020年基层组织负责人培训班（第一期）",
            D(2020, 7, 16),
            D(2020, 7, 17),
            _pick(others, 212, D(2020, 7, 16)),
            organiser_level=Tier.PROVINCIAL,
            place="哈尔滨",
        ),
        training(
            hlj,
            TrainingEvent.Kind.BRANCH_LEADERS,
            "2020年基层组织负责人培训班（第二期）",
            D(2020, 11, 26),
            D(2020, 11, 27),
            leaders + _pick(others[400:], 182 - len(leaders), D(2020, 11, 26)),
            organiser_level=Tier.PROVINCIAL,
            place="哈尔滨",
            extra_headcount=12,
        ),
    ]
    sent = iter(senior)
    batch.trainings += [
        training(
            hlj,
            kind,
            title,
            start,
            end,
            [next(sent) for _ in range(count)],
            organiser_kind=organiser,
            organiser_name=name,
            organiser_level=level,
            place=place,
        )
        for title, organiser, name, level, kind, start, end, place, count in HIGHER_TRAININGS
    ]
    return batch
