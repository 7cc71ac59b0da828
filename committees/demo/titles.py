"""Titles for generated proposals, 社情民意信息 and service deeds."""

from __future__ import annotations

import random

from committees.models import Activity, Sector

from .tree import GUIZHOU, HEILONGJIANG

# Issue → category (类别) of the work that raises it.
COMMON_ISSUES = {
    "农村留守儿童关爱": "社会治理",
    "乡村教师队伍建设": "教育",
    "职业教育产教融合": "教育",
    "基层医疗卫生服务能力": "医疗卫生",
    "中医药传承创新": "医疗卫生",
    "农村人居环境整治": "生态环境",
    "民营企业融资": "经济发展",
    "非物质文化遗产保护": "文化",
    "老年人运用智能技术": "社会治理",
    "学前教育普惠发展": "教育",
    "食品安全监管": "社会治理",
    "城市社区治理": "社会治理",
    "农产品品牌建设": "经济发展",
    "公共文化服务": "文化",
    "高校毕业生就业创业": "教育",
    "营商环境优化": "经济发展",
    "数字经济发展": "经济发展",
    "全民阅读推广": "文化",
    "校园周边安全": "教育",
    "中小学生心理健康教育": "教育",
    "居家社区养老服务": "社会治理",
    "医保异地就医结算": "医疗卫生",
    "县域医共体建设": "医疗卫生",
    "城市生活垃圾分类": "生态环境",
    "义务教育阶段课后服务": "教育",
}
PROVINCE_ISSUES = {
    HEILONGJIANG: {
        "黑土地保护": "生态环境",
        "冰雪旅游": "经济发展",
        "寒地黑土农产品": "经济发展",
        "对俄经贸合作": "经济发展",
        "老工业基地转型": "经济发展",
        "边境口岸建设": "经济发展",
    },
    GUIZHOU: {
        "大数据产业": "经济发展",
        "山地特色农业": "经济发展",
        "易地扶贫搬迁后续扶持": "社会治理",
        "乡村旅游": "经济发展",
        "民族文化传承": "文化",
        "喀斯特石漠化治理": "生态环境",
    },
}
VERBS = ("加强", "完善", "推进", "进一步做好", "规范", "促进", "加快")


def _issue(rand: random.Random, province: str) -> tuple[str, str]:
    return rand.choice([*COMMON_ISSUES.items(), *PROVINCE_ISSUES[province].items()])


def proposal_title(rand: random.Random, province: str, place: str, suggestion: bool) -> tuple[str, str]:
    """A title and its category."""
    issue, category = _issue(rand, province)
    end = "的建议" if suggestion else "的提案"
    verb = rand.choice(VERBS)
    return rand.choice((f"关于{verb}{issue}工作{end}", f"关于{verb}{place}{issue}{end}")), category


def social_info_title(rand: random.Random, province: str, place: str) -> tuple[str, str]:
    """A title and its category."""
    issue, category = _issue(rand, province)
    title = rand.choice(
        (
            f"{place}{issue}存在的问题及建议",
            f"关于{rand.choice(VERBS)}{issue}的建议",
            f"{issue}亟待{rand.choice(('加强', '规范', '破题', '提速'))}",
            f"{place}{issue}情况调查与思考",
        )
    )
    return title, category


SERVICE_DEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    Sector.EDUCATION: (
        ("送教下乡", Activity.ServiceCategory.OTHER),
        ("为山区学校捐赠图书", Activity.ServiceCategory.BOOKS),
        ("资助贫困学生", Activity.ServiceCategory.SCHOLARSHIP),
    ),
    Sector.MEDICINE: (
        ("送医下乡义诊", Activity.ServiceCategory.MEDICAL),
        ("健康知识进社区", Activity.ServiceCategory.MEDICAL),
    ),
    Sector.ECONOMY: (
        ("产业帮扶", Activity.ServiceCategory.POVERTY),
        ("爱心助学捐款", Activity.ServiceCategory.SCHOLARSHIP),
    ),
}
GENERIC_DEEDS = (
    ("结对帮扶贫困户", Activity.ServiceCategory.POVERTY),
    ("文化惠民进乡村", Activity.ServiceCategory.OTHER),
    ("爱心书屋捐赠图书", Activity.ServiceCategory.BOOKS),
)


def service_deed(rand: random.Random, sector: str) -> tuple[str, str]:
    return rand.choice(SERVICE_DEEDS.get(sector, GENERIC_DEEDS))
