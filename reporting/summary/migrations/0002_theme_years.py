"""The theme years set by 民进中央 (reference data, see DOMAIN.md)."""

from django.db import migrations

THEMES = {
    2018: "思想政治教育主题年",
    2019: "基层组织建设主题年",
    2020: "履职能力建设主题年",
    2022: "信息化建设主题年",
    2023: "作风建设主题年",
    2024: "内部监督主题年",
    2025: "会史工作主题年",
}


def add_themes(apps, schema_editor):
    ThemeYear = apps.get_model("summary", "ThemeYear")
    for year, theme in THEMES.items():
        ThemeYear.objects.get_or_create(year=year, defaults={"theme": theme})


def remove_themes(apps, schema_editor):
    apps.get_model("summary", "ThemeYear").objects.filter(year__in=THEMES).delete()


class Migration(migrations.Migration):
    dependencies = [("summary", "0001_initial")]
    operations = [migrations.RunPython(add_themes, remove_themes)]
