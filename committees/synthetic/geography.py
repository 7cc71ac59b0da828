"""The 31 provinces of the national dataset and the tables their members are drawn from.

Province codes are the real GB/T 2260 codes. City committees get the codes ``PP0100``, ``PP0200`` …: the
capital (always ``PP0100`` in GB/T 2260) carries its real name, the others an ordinal name such as
民进河北第3市委会, since many real prefecture codes are not consecutive.
"""

from __future__ import annotations

from dataclasses import dataclass

from committees.demo.people import ETHNICITIES as DEMO_ETHNICITIES
from committees.models import Sector


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    short: str
    """北京, 河北, 内蒙古 …"""
    place: str
    """北京市, 河北省, 内蒙古自治区 …"""
    suffix: str
    """市, 省 or 区: 民进北京市委会, 民进河北省委会, 民进内蒙古区委会."""
    weight: float
    """Relative size of the membership; branches and members are apportioned by it."""
    cities: int
    """City (district, for the four municipalities) committees at full scale."""
    capital: str
    """The capital's name, or "" for a municipality."""

    @property
    def municipality(self) -> bool:
        return not self.capital


PROVINCES: tuple[Province, ...] = (
    Province("110000", "北京", "北京市", "市", 4.0, 10, ""),
    Province("120000", "天津", "天津市", "市", 2.5, 9, ""),
    Province("130000", "河北", "河北省", "省", 3.5, 11, "石家庄"),
    Province("140000", "山西", "山西省", "省", 2.5, 11, "太原"),
    Province("150000", "内蒙古", "内蒙古自治区", "区", 1.8, 11, "呼和浩特"),
    Province("210000", "辽宁", "辽宁省", "省", 3.5, 12, "沈阳"),
    Province("220000", "吉林", "吉林省", "省", 2.2, 9, "长春"),
    Province("230000", "黑龙江", "黑龙江省", "省", 3.0, 12, "哈尔滨"),
    Province("310000", "上海", "上海市", "市", 4.0, 10, ""),
    Province("320000", "江苏", "江苏省", "省", 5.5, 13, "南京"),
    Province("330000", "浙江", "浙江省", "省", 4.5, 11, "杭州"),
    Province("340000", "安徽", "安徽省", "省", 3.5, 13, "合肥"),
    Province("350000", "福建", "福建省", "省", 3.2, 9, "福州"),
    Province("360000", "江西", "江西省", "省", 2.5, 11, "南昌"),
    Province("370000", "山东", "山东省", "省", 4.5, 14, "济南"),
    Province("410000", "河南", "河南省", "省", 4.0, 14, "郑州"),
    Province("420000", "湖北", "湖北省", "省", 3.5, 13, "武汉"),
    Province("430000", "湖南", "湖南省", "省", 3.5, 13, "长沙"),
    Province("440000", "广东", "广东省", "省", 5.5, 15, "广州"),
    Province("450000", "广西", "广西壮族自治区", "区", 2.5, 12, "南宁"),
    Province("460000", "海南", "海南省", "省", 1.0, 5, "海口"),
    Province("500000", "重庆", "重庆市", "市", 2.5, 10, ""),
    Province("510000", "四川", "四川省", "省", 4.0, 15, "成都"),
    Province("520000", "贵州", "贵州省", "省", 2.5, 9, "贵阳"),
    Province("530000", "云南", "云南省", "省", 2.5, 12, "昆明"),
    Province("540000", "西藏", "西藏自治区", "区", 0.3, 5, "拉萨"),
    Province("610000", "陕西", "陕西省", "省", 3.0, 10, "西安"),
    Province("620000", "甘肃", "甘肃省", "省", 1.8, 11, "兰州"),
    Province("630000", "青海", "青海省", "省", 0.6, 6, "西宁"),
    Province("640000", "宁夏", "宁夏回族自治区", "区", 0.7, 5, "银川"),
    Province("650000", "新疆", "新疆维吾尔自治区", "区", 1.2, 10, "乌鲁木齐"),
)
# 331 city committees at full scale.

# Ethnicity mixes of the membership, weights in per cent; provinces not listed use DEFAULT_ETHNICITIES.
DEFAULT_ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("汉族", 96.6),
    ("回族", 1.2),
    ("满族", 1.0),
    ("蒙古族", 0.4),
    ("土家族", 0.4),
    ("壮族", 0.4),
)
ETHNICITIES: dict[str, tuple[tuple[str, float], ...]] = {
    **DEMO_ETHNICITIES,
    "130000": (("汉族", 95.5), ("满族", 3.0), ("回族", 1.0), ("蒙古族", 0.5)),
    "150000": (("汉族", 80.0), ("蒙古族", 15.0), ("满族", 2.0), ("回族", 1.5), ("达斡尔族", 0.5), ("鄂温克族", 1.0)),
    "210000": (("汉族", 84.0), ("满族", 12.0), ("蒙古族", 2.0), ("回族", 1.0), ("朝鲜族", 1.0)),
    "220000": (("汉族", 90.0), ("朝鲜族", 5.0), ("满族", 4.0), ("蒙古族", 0.5), ("回族", 0.5)),
    "420000": (("汉族", 95.5), ("土家族", 4.0), ("苗族", 0.5)),
    "430000": (("汉族", 89.0), ("土家族", 5.0), ("苗族", 4.0), ("侗族", 1.5), ("瑶族", 0.5)),
    "450000": (("汉族", 66.0), ("壮族", 28.0), ("瑶族", 2.5), ("苗族", 1.2), ("侗族", 1.2), ("仫佬族", 1.1)),
    "460000": (("汉族", 84.0), ("黎族", 15.0), ("苗族", 1.0)),
    "500000": (("汉族", 94.0), ("土家族", 5.0), ("苗族", 1.0)),
    "510000": (("汉族", 94.0), ("彝族", 3.0), ("藏族", 2.5), ("羌族", 0.5)),
    "530000": (
        ("汉族", 70.0),
        ("彝族", 8.0),
        ("白族", 5.0),
        ("哈尼族", 4.0),
        ("傣族", 3.0),
        ("壮族", 3.0),
        ("苗族", 3.0),
        ("回族", 2.0),
        ("纳西族", 2.0),
    ),
    "540000": (("藏族", 60.0), ("汉族", 37.0), ("回族", 1.5), ("门巴族", 0.8), ("纳西族", 0.7)),
    "620000": (("汉族", 90.0), ("回族", 6.0), ("藏族", 2.0), ("东乡族", 2.0)),
    "630000": (("汉族", 55.0), ("藏族", 22.0), ("回族", 15.0), ("土族", 4.0), ("撒拉族", 2.0), ("蒙古族", 2.0)),
    "640000": (("汉族", 68.0), ("回族", 31.0), ("满族", 1.0)),
    "650000": (("汉族", 50.0), ("维吾尔族", 35.0), ("哈萨克族", 8.0), ("回族", 5.0), ("蒙古族", 1.0), ("锡伯族", 1.0)),
}

# 界别 of the branches (the members mostly follow their branch), in per cent.
BRANCH_SECTORS: tuple[tuple[str, float], ...] = (
    (Sector.EDUCATION, 40.0),
    (Sector.MEDICINE, 14.0),
    (Sector.CULTURE, 9.0),
    (Sector.PUBLISHING, 4.0),
    (Sector.SCIENCE, 9.0),
    (Sector.ECONOMY, 12.0),
    (Sector.LAW, 4.0),
    (Sector.OTHER, 8.0),
)

# Host institutions of branches per sector; ``{place}`` is the city or province, ``{n}`` a Chinese ordinal.
HOSTS: dict[str, tuple[str, ...]] = {
    Sector.EDUCATION: (
        "{place}第{n}中学",
        "{place}实验小学",
        "{place}第{n}小学",
        "{place}大学",
        "{place}师范学院",
        "{place}职业技术学院",
        "{place}教育局",
        "{place}第{n}幼儿园",
        "{place}开放大学",
        "{place}教育科学研究院",
        "{place}外国语学校",
        "{place}第{n}职业中学",
    ),
    Sector.MEDICINE: (
        "{place}第{n}人民医院",
        "{place}中医医院",
        "{place}妇幼保健院",
        "{place}疾病预防控制中心",
        "{place}医学院",
        "{place}卫生健康委员会",
        "{place}口腔医院",
    ),
    Sector.CULTURE: (
        "{place}文化馆",
        "{place}图书馆",
        "{place}博物馆",
        "{place}群众艺术馆",
        "{place}文学艺术界联合会",
        "{place}歌舞剧院",
    ),
    Sector.PUBLISHING: ("{place}日报社", "{place}新华书店", "{place}广播电视台", "{place}出版集团"),
    Sector.SCIENCE: (
        "{place}农业科学院",
        "{place}科学技术协会",
        "{place}气象局",
        "{place}林业科学研究院",
        "{place}科技大学",
        "{place}环境监测中心",
    ),
    Sector.ECONOMY: ("", "{place}经济技术开发区", "{place}工商业联合会", "{place}高新技术产业开发区"),
    Sector.LAW: ("{place}中级人民法院", "{place}律师协会", "{place}人民检察院"),
    Sector.OTHER: ("", "", "{place}自然资源局", "{place}统计局"),
}
# Names of branches without a host institution.
HOSTLESS: dict[str, str] = {
    Sector.ECONOMY: "经济界",
    Sector.OTHER: "综合",
}

DISTRICTS = ("城区", "城东区", "城西区", "城南区", "城北区", "新城区", "高新区", "开发区")
ROADS = ("人民路", "中山路", "解放路", "建设路", "和平路", "长江路", "新华路", "文化路", "学府路", "友谊路", "北京路")
