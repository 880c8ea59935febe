"""The doctor's sharing choices (``referrer_sees_progress``, ``employer_may_be_told``) now live in the
request's sharing agreement (supportpath/sharing). The sharing app's 0002 copies them there first."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0002_invitations_drafts_handover'),
        ('sharing', '0002_copy_earlier_choices'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='supportrequest',
            name='employer_may_be_told',
        ),
        migrations.RemoveField(
            model_name='supportrequest',
            name='referrer_sees_progress',
        ),
    ]
