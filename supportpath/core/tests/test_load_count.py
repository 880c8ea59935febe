"""The load test's count (supportpath/testing/load.py): what the load test was told was stored, against what is."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from supportpath.notifications.models import EmailStatus, SentEmail
from supportpath.referrals.models import SupportRequestReason
from supportpath.testing.factories import SupportRequestFactory
from supportpath.testing.load import count

pytestmark = pytest.mark.django_db


def _request_with_everything():
    support_request = SupportRequestFactory(submission_token=uuid.uuid4())
    SupportRequestReason.objects.create(request=support_request, reason="career")
    SentEmail.objects.create(
        key=f"self-referral-received:{support_request.pk}",
        to="a@example.test",
        subject="s",
        template="t",
        context={},
        status=EmailStatus.SENT,
        message_id=f"<{support_request.pk}@example.test>",
    )
    return support_request


def _acknowledged(tmp_path, *tokens):
    path = tmp_path / "submissions.jsonl"
    path.write_text("".join(json.dumps({"kind": "self_referral", "token": str(t)}) + "\n" for t in tokens))
    return str(path)


def _since():
    return (timezone.now() - dt.timedelta(minutes=1)).isoformat()


def test_everything_acknowledged_is_stored_once(tmp_path):
    stored = _request_with_everything()
    since = _since()
    figures = count(_acknowledged(tmp_path, stored.submission_token, stored.submission_token), since)
    assert figures["ok"], figures["problems"]
    assert figures["kinds"]["self_referral"] == {
        "submitted": 1,
        "sent_twice_by_the_client": 1,
        "stored": 1,
        "lost": 0,
        "duplicated": 0,
    }


def test_an_acknowledged_submission_not_stored_is_lost(tmp_path):
    stored = _request_with_everything()
    figures = count(_acknowledged(tmp_path, stored.submission_token, uuid.uuid4()), _since())
    assert not figures["ok"]
    assert figures["kinds"]["self_referral"]["lost"] == 1


def test_a_stored_row_nobody_submitted_is_a_duplicate(tmp_path):
    stored = _request_with_everything()
    _request_with_everything()
    figures = count(_acknowledged(tmp_path, stored.submission_token), _since())
    assert not figures["ok"]
    assert figures["kinds"]["self_referral"]["duplicated"] == 1


def test_a_request_without_its_reasons_or_its_email_is_half_written(tmp_path):
    half = SupportRequestFactory(submission_token=uuid.uuid4())
    SupportRequestReason.objects.filter(request=half).delete()
    figures = count(_acknowledged(tmp_path, half.submission_token), _since())
    assert figures["half_written"] == 2
    assert not figures["ok"]


def test_an_email_delivered_twice_or_never_is_reported(tmp_path):
    stored = _request_with_everything()
    other = _request_with_everything()
    sink = tmp_path / "mail.jsonl"
    message_id = SentEmail.objects.get(key=f"self-referral-received:{stored.pk}").message_id
    sink.write_text((json.dumps({"message_id": message_id}) + "\n") * 2)
    figures = count(_acknowledged(tmp_path, stored.submission_token, other.submission_token), _since(), str(sink))
    assert figures["emails"]["twice"] == 1
    assert figures["emails"]["never_delivered"] == 1
    assert not figures["ok"]
