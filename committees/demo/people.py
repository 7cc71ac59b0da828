"""Names, ID numbers, phones, work units and job titles that look like a real roster."""

from __future__ import annotations

import datetime as dt
import random

from committees.models import Sector, TitleLevel

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Common surnames first: a Zipf-like weight keeps 王/李/张 frequent and 孔/向 rare.
SURNAME_WEIGHTS = [1 / (rank + 6) for rank in range(len(SURNAMES))]
MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰"
    "涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦"
    "奇固之翰朗伯宏言鸣朋斌栋维启克伦翔旭鹏泽晨辰士以建家致树德行时泰盛雄琛钧冠策腾楠航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱霞香月媛艳瑞佳嘉琼勤珍"
    "贞莉桂叶璐娅琦晶妍茜秋珊莎锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚苑婕馨韵园艺卿澜纯悦昭冰爽"
    "茗羽希宁欣育滢筠柔竹凝晓欢枫芸菲寒伊亚宜可舒影思丽"
)
# Real people of the seed reports; random names never take them.
RESERVED_NAMES = frozenset({"于铁夫", "张显友", "汤怀胜"})

ETHNICITIES = {
    "230000": (("汉族", 93.0), ("满族", 4.0), ("朝鲜族", 1.8), ("蒙古族", 0.7), ("回族", 0.5)),
    "520000": (
        ("汉族", 76.0),
        ("苗族", 8.0),
        ("布依族", 6.5),
        ("侗族", 4.0),
        ("土家族", 2.5),
        ("彝族", 1.5),
        ("仡佬族", 1.0),
        ("水族", 0.5),
    ),
}

# Two-digit county parts of the GB/T 2260 code used for ID numbers; city districts and counties exist
# for every prefix used here (01 is the city's own code in the registers, 02-04 districts, 2x counties).
COUNTY_SUFFIXES = ("02", "03", "04", "21", "22", "23", "24")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character of an 18-digit citizen ID number."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number(region: str, birth: dt.date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + id_check_digit(body)


def random_id_number(rand: random.Random, city_code: str, birth: dt.date, male: bool, taken: set[str]) -> str:
    """A valid ID number: region, birth date, a sequence whose last digit is odd for men, check digit."""
    while True:
        region = city_code[:4] + rand.choice(COUNTY_SUFFIXES)
        sequence = rand.randint(0, 499) * 2 + (1 if male else 0)
        number = id_number(region, birth, sequence)
        if number not in taken:
            taken.add(number)
            return number


def random_name(rand: random.Random, male: bool) -> str:
    while True:
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = "".join(rand.choice(chars) for _ in range(1 if rand.random() < 0.3 else 2))
        name = rand.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given
        if name not in RESERVED_NAMES:
            return name


def random_phone(rand: random.Random) -> str:
    return rand.choice(("13", "15", "18")) + "".join(str(rand.randint(0, 9)) for _ in range(9))


def random_ethnicity(rand: random.Random, province: str) -> str:
    names, weights = zip(*ETHNICITIES[province], strict=True)
    return rand.choices(names, weights)[0]


ROADS = ("人民路", "中山路", "解放路", "建设路", "和平路", "长江路", "新华路", "文化路", "学府路", "友谊路", "北京路")
COMPANY_WORDS = ("恒信", "华远", "鑫达", "宏图", "盛世", "金源", "聚丰", "新天地", "华晟", "瑞丰", "博远")
INDUSTRIES = ("科技", "建设", "贸易", "食品", "医药", "农业开发", "信息技术", "文化传媒", "生物工程")


# Two districts or counties per city, for addresses and county-level seats.
COUNTIES = {
    "230100": ("南岗区", "道里区", "香坊区"),
    "230200": ("龙沙区", "建华区"),
    "230300": ("鸡冠区", "密山市"),
    "230400": ("向阳区", "绥滨县"),
    "230600": ("萨尔图区", "让胡路区"),
    "230800": ("前进区", "富锦市"),
    "231000": ("东安区", "绥芬河市"),
    "231200": ("北林区", "安达市"),
    "520100": ("云岩区", "南明区", "观山湖区"),
    "520200": ("钟山区", "盘州市"),
    "520300": ("红花岗区", "汇川区", "仁怀市"),
    "520400": ("西秀区", "平坝区"),
    "520500": ("七星关区", "大方县"),
    "520600": ("碧江区", "万山区"),
    "522300": ("兴义市", "安龙县"),
    "522600": ("凯里市", "镇远县"),
    "522700": ("都匀市", "福泉市"),
}


def random_address(rand: random.Random, city_code: str, place: str) -> str:
    return f"{place}{rand.choice(COUNTIES[city_code])}{rand.choice(ROADS)}{rand.randint(1, 320)}号"


def random_work_unit(rand: random.Random, place: str, sector: str) -> str:
    """A plausible employer in ``place`` for a member of ``sector``."""
    choices: dict[str, tuple[str, ...]] = {
        Sector.EDUCATION: (
            f"{place}第{rand.randint(1, 30)}中学",
            f"{place}实验小学",
            f"{place}职业技术学院",
            f"{place}教育局",
            f"{place}第{rand.randint(1, 12)}幼儿园",
        ),
        Sector.MEDICINE: (
            f"{place}第{rand.choice('一二三四')}人民医院",
            f"{place}中医医院",
            f"{place}妇幼保健院",
            f"{place}疾病预防控制中心",
        ),
        Sector.CULTURE: (f"{place}文化馆", f"{place}图书馆", f"{place}博物馆", f"{place}群众艺术馆"),
        Sector.PUBLISHING: (f"{place}日报社", f"{place}新华书店", f"{place}广播电视台"),
        Sector.SCIENCE: (f"{place}科学技术局", f"{place}农业科学院", f"{place}气象局"),
        Sector.ECONOMY: (f"{place}{rand.choice(COMPANY_WORDS)}{rand.choice(INDUSTRIES)}有限公司",),
        Sector.LAW: (f"{place}中级人民法院", f"{place}{rand.choice(COMPANY_WORDS)}律师事务所"),
        Sector.OTHER: (
            f"{place}统计局",
            f"{place}财政局",
            f"{place}自然资源局",
            f"{place}{rand.choice(COMPANY_WORDS)}{rand.choice(INDUSTRIES)}有限公司",
            f"{place}住房和城乡建设局",
        ),
    }
    return rand.choice(choices[sector])


JOB_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    Sector.EDUCATION: {
        TitleLevel.SENIOR: ("教授", "正高级教师"),
        TitleLevel.VICE_SENIOR: ("副教授", "高级教师"),
        TitleLevel.INTERMEDIATE: ("讲师", "一级教师"),
        TitleLevel.JUNIOR: ("助教", "二级教师"),
        TitleLevel.NONE: ("教师", "教务员"),
    },
    Sector.MEDICINE: {
        TitleLevel.SENIOR: ("主任医师", "主任药师"),
        TitleLevel.VICE_SENIOR: ("副主任医师", "副主任护师"),
        TitleLevel.INTERMEDIATE: ("主治医师", "主管护师"),
        TitleLevel.JUNIOR: ("医师", "护师"),
        TitleLevel.NONE: ("护士", "药剂员"),
    },
    Sector.SCIENCE: {
        TitleLevel.SENIOR: ("研究员",),
        TitleLevel.VICE_SENIOR: ("副研究员", "高级工程师"),
        TitleLevel.INTERMEDIATE: ("助理研究员", "工程师"),
        TitleLevel.JUNIOR: ("研究实习员", "助理工程师"),
        TitleLevel.NONE: ("科员",),
    },
    Sector.ECONOMY: {
        TitleLevel.SENIOR: ("正高级经济师", "董事长"),
        TitleLevel.VICE_SENIOR: ("高级经济师", "总经理"),
        TitleLevel.INTERMEDIATE: ("经济师", "部门经理"),
        TitleLevel.JUNIOR: ("助理经济师",),
        TitleLevel.NONE: ("总经理", "职员"),
    },
}
GENERIC_JOB_TITLES: dict[str, tuple[str, ...]] = {
    TitleLevel.SENIOR: ("正高级工程师", "研究馆员", "编审"),
    TitleLevel.VICE_SENIOR: ("高级工程师", "副研究馆员", "副编审"),
    TitleLevel.INTERMEDIATE: ("工程师", "馆员", "编辑"),
    TitleLevel.JUNIOR: ("助理工程师", "助理馆员"),
    TitleLevel.NONE: ("科员", "职员", "办事员"),
}


def random_job_title(rand: random.Random, sector: str, title_level: str) -> str:
    return rand.choice(JOB_TITLES.get(sector, GENERIC_JOB_TITLES)[title_level])
