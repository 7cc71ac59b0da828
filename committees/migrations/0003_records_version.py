from django.db import migrations, models

from committees.models.versioning import COUNTED_TABLES, drop_version_triggers, install_version_triggers


def install(apps, schema_editor):
    install_version_triggers(schema_editor, COUNTED_TABLES)


def uninstall(apps, schema_editor):
    drop_version_triggers(schema_editor, COUNTED_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_export_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordsVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0, verbose_name="version")),
                ("token", models.CharField(default="initial", max_length=32, verbose_name="token")),
            ],
            options={
                "verbose_name": "records version",
                "verbose_name_plural": "records versions",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
