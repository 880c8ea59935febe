""" "Send again" is limited, per referral, to REFERRAL_RESENDS_PER_DAY presses in any 24 hours, by the referrer and
the case manager together; a press over the limit is refused with a clear message and sends nothing."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.referrals.models import ReferralInvitation, Resend
from supportpath.testing.auth import login_as

from .test_referral import new_doctor, refer

START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def press(client, url, capture, token=None):
    with capture(execute=True):
        return client.post(url, {"action": "send_again", "token": str(token or uuid.uuid4())}, follow=True)


@pytest.mark.django_db
def test_the_referrer_can_send_again_a_few_times_a_day_and_is_told_when_they_can_next(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_RESENDS_PER_DAY = 2
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    login_as(client, world.referrer)
    assert "up to 2 times in any 24 hours" in client.get(url).content.decode()
    with time_machine.travel(START, tick=False):
        press(client, url, django_capture_on_commit_callbacks)
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        press(client, url, django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 2
        refused = press(client, url, django_capture_on_commit_callbacks)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "The email was not sent. It has already been sent again 2 times in the last 24 hours" in page
    assert "You can send it again from Wednesday 2 December 2026 at 9:00am." in page
    # The doctor shares no stage with the referrer here, so a press that sends says it in SendAgain's words.
    assert "we have emailed them again." not in page
    assert len(mail.outbox) == 2 and Resend.objects.count() == 2
    # The page and the referral are as they were.
    assert world.referral.reference in page and "Email the doctor again" in page
    with time_machine.travel(START + dt.timedelta(hours=24, minutes=1), tick=False):
        login_as(client, world.referrer)  # signed out meanwhile, after a quiet spell
        again = press(client, url, django_capture_on_commit_callbacks)
    assert "If Dr Ada Example has not replied to the support service yet, we have emailed them again." in (
        again.content.decode()
    )
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_double_click_on_the_last_allowed_press_is_not_called_a_refusal(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_RESENDS_PER_DAY = 1
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    login_as(client, world.referrer)
    token = uuid.uuid4()
    press(client, url, django_capture_on_commit_callbacks, token)
    second = press(client, url, django_capture_on_commit_callbacks, token)
    assert "was not sent" not in second.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_referrer_and_the_case_manager_share_the_limit_and_an_invitation_is_left_as_it_was(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_RESENDS_PER_DAY = 2
    login_as(client, world.referrer)
    with django_capture_on_commit_callbacks(execute=True):
        refer(client, new_doctor())
    invitation = ReferralInvitation.objects.get()
    status_url = reverse("referrals:referral_status", args=[invitation.request.reference])
    press(client, status_url, django_capture_on_commit_callbacks)
    login_as(client, world.case_manager)
    detail_url = reverse("casework:request_detail", args=[invitation.request.reference])
    assert "up to 2 times in any 24 hours" in client.get(detail_url).content.decode()
    press(client, detail_url, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    before = (invitation.token_hash, invitation.expires_at, invitation.times_sent)
    refused = press(client, detail_url, django_capture_on_commit_callbacks)
    assert "The email was not sent." in refused.content.decode()
    assert "A new invitation is on its way" not in refused.content.decode()
    invitation.refresh_from_db()
    assert (invitation.token_hash, invitation.expires_at, invitation.times_sent) == before
    assert before[2] == 3
    assert len(mail.outbox) == 3
    link = re.search(r"https?://[^/\s]+(/referrals/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.logout()
    assert client.get(link).status_code == 200, "the last link sent still works"
