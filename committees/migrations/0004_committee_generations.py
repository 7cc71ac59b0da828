from django.db import migrations, models

from committees.models.generations import drop_generation_triggers, install_generation_triggers


def install(apps, schema_editor):
    install_generation_triggers(schema_editor)


def uninstall(apps, schema_editor):
    drop_generation_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('committees', '0003_records_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='CommitteeGeneration',
            fields=[
                ('pk', models.CompositePrimaryKey('committee_id', 'table', blank=True, editable=False, primary_key=True, serialize=False)),
                ('committee_id', models.IntegerField(verbose_name='committee')),
                ('table', models.CharField(max_length=63, verbose_name='table')),
                ('generation', models.BigIntegerField(default=0, verbose_name='generation')),
            ],
            options={
                'verbose_name': 'committee generation',
                'verbose_name_plural': 'committee generations',
            },
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['submitted_on'], include=('kind', 'committee', 'branch', 'id'), name='proposal_year_cover'),
        ),
        migrations.RunPython(install, uninstall),
    ]
