import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_user_erased_at'),
        ('records', '0002_audit_purge_seam_on_postgresql'),
    ]

    operations = [
        migrations.CreateModel(
            name='DormancyWarning',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_seen', models.DateTimeField()),
                ('warned_at', models.DateTimeField()),
                ('closes_on', models.DateField()),
                ('doctor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dormancy_warnings', to='accounts.doctorprofile')),
            ],
            options={
                'ordering': ['warned_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('doctor', 'last_seen'), name='one_dormancy_warning_per_quiet_spell')],
            },
        ),
    ]
