# Invitations keep only a hash of their token and expire; a doctor's comment and a "send again" are made once
# per submission; handovers record who made them; self-referral answers are kept as an encrypted draft.

import datetime as dt
import hashlib
import uuid

import django.db.models.deletion
import supportpath.core.encryption
from django.conf import settings
from django.db import migrations, models


def hash_tokens_and_set_expiry(apps, schema_editor):
    Invitation = apps.get_model("referrals", "ReferralInvitation")
    days = getattr(settings, "REFERRAL_INVITATION_DAYS", 14)
    for invitation in Invitation.objects.all():
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.sent_at = invitation.created_at
        invitation.expires_at = invitation.created_at + dt.timedelta(days=days)
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])


def give_comments_tokens(apps, schema_editor):
    DoctorComment = apps.get_model("referrals", "DoctorComment")
    for comment in DoctorComment.objects.filter(submission_token__isnull=True):
        comment.submission_token = uuid.uuid4()
        comment.save(update_fields=["submission_token"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_gmc_number_encrypted_with_lookup_hash'),
        ('referrals', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='referralinvitation',
            name='token_hash',
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name='referralinvitation',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='referralinvitation',
            name='expires_at',
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(hash_tokens_and_set_expiry, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='referralinvitation',
            name='token',
        ),
        migrations.AlterField(
            model_name='referralinvitation',
            name='token_hash',
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name='referralinvitation',
            name='expires_at',
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name='referralinvitation',
            name='email',
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name='referralinvitation',
            name='times_sent',
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='doctorcomment',
            name='submission_token',
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_comments_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='doctorcomment',
            name='submission_token',
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name='supportrequest',
            name='handed_over_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='supportrequest',
            name='referred_email',
            field=supportpath.core.encryption.EncryptedTextField(blank=True),
        ),
        migrations.AddField(
            model_name='supportrequest',
            name='referred_name',
            field=supportpath.core.encryption.EncryptedTextField(blank=True),
        ),
        migrations.CreateModel(
            name='Resend',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('submission_token', models.UUIDField(unique=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resends', to='referrals.supportrequest')),
            ],
        ),
        migrations.CreateModel(
            name='SelfReferralDraft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('answers', supportpath.core.encryption.EncryptedJSONField(default=dict)),
                ('updated_at', models.DateTimeField(db_index=True)),
                ('doctor', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='self_referral_draft', to='accounts.doctorprofile')),
            ],
        ),
    ]
