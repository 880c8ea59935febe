import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.audit.models import AccessRecord
from supportpath.referrals.models import DoctorComment, ReferralInvitation, Route, Status, SupportRequest
from supportpath.sharing import agreement
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

DETAILS = {
    "route": "supervisor",
    "reasons": ["examinations", "confidence"],
    "description": "Since March, Dr Example has seemed anxious before exams. She is excellent with patients.",
    "discussed": "We talked on 3 November and she agreed a referral could help.",
    "mandated": "no",
}


@pytest.fixture
def referrer_client(client, world):
    return login_as(client, world.referrer)


def refer(client, doctor_answers, details=None, *, capture=None):
    assert client.post(reverse("referrals:referral_doctor"), doctor_answers).status_code == 302
    response = client.post(reverse("referrals:referral_details"), details or DETAILS)
    assert response["Location"] == reverse("referrals:referral_check")
    token = client.session["referral"]["token"]
    if capture is None:
        return client.post(reverse("referrals:referral_check"), {"token": token})
    with capture(execute=True):
        first = client.post(reverse("referrals:referral_check"), {"token": token})
        client.post(reverse("referrals:referral_check"), {"token": token})
    return first


@pytest.mark.django_db
def test_a_referrer_refers_a_registered_doctor_once_and_the_doctor_is_told(
    referrer_client, world, django_capture_on_commit_callbacks
):
    response = refer(
        referrer_client,
        {"gmc_number": world.other_doctor.doctor_profile.gmc_number},
        capture=django_capture_on_commit_callbacks,
    )
    referral = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile)
    assert response["Location"] == reverse("referrals:referral_sent", args=[referral.reference])
    assert referral.route == Route.SUPERVISOR
    assert referral.referrer == world.referrer
    assert referral.service == world.service
    assert sorted(referral.reason_codes) == ["confidence", "examinations"]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.other_doctor.email]
    assert "Dr Cara Supervisor" in email.body
    assert "anxious" not in email.body  # the referrer's words are on the page, never in email
    assert "not a disciplinary process" in email.body


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["123", "12345678", "abcdefg"])
def test_an_invalid_gmc_number_is_refused(referrer_client, number):
    page = referrer_client.post(reverse("referrals:referral_doctor"), {"gmc_number": number}).content.decode()
    assert "There is a problem" in page
    assert "GMC reference number" in page


@pytest.mark.django_db
def test_an_unknown_gmc_number_needs_a_name_and_email_to_invite(referrer_client):
    page = referrer_client.post(reverse("referrals:referral_doctor"), {"gmc_number": "7999999"}).content.decode()
    assert "enter their full name" in page
    assert "enter their email address" in page


@pytest.mark.django_db
def test_details_need_what_was_discussed_and_keep_what_was_typed(referrer_client, world):
    referrer_client.post(
        reverse("referrals:referral_doctor"), {"gmc_number": world.other_doctor.doctor_profile.gmc_number}
    )
    page = referrer_client.post(reverse("referrals:referral_details"), {**DETAILS, "discussed": ""}).content.decode()
    assert "Tell us what you have discussed with the doctor" in page
    assert "Since March, Dr Example has seemed anxious" in page


@pytest.mark.django_db
def test_an_unregistered_doctor_is_invited_and_the_invitation_works_once(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    refer(
        client,
        {"gmc_number": "7999999", "full_name": "Dr New Starter", "email": "new.starter@example.test"},
        capture=django_capture_on_commit_callbacks,
    )
    invitation = ReferralInvitation.objects.get()
    assert invitation.token in mail.outbox[0].body
    client.logout()
    url = reverse("referrals:accept_invitation", args=[invitation.token])
    page = client.post(url, {"password": "short"}).content.decode()
    assert "at least 12 characters" in page
    response = client.post(url, {"password": "a perfectly long passphrase"})
    assert response["Location"] == reverse("referrals:referral_for_doctor", args=[invitation.request.reference])
    assert "Dr New Starter" in client.get(response["Location"]).content.decode()
    client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_doctor_reads_who_referred_them_and_why_and_what_support_is(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:referral_for_doctor", args=[world.referral.reference])).content.decode()
    assert "Dr Cara Supervisor" in page
    assert "finding the rota exhausting" in page
    assert "not a disciplinary process" in page
    assert "What happens next" in page
    world.referral.refresh_from_db()
    assert world.referral.doctor_seen_referral_at is not None


@pytest.mark.django_db
def test_the_referrers_words_are_shown_escaped(client, world):
    world.referral.referral_description = "<script>alert(1)</script>"
    world.referral.save()
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:referral_for_doctor", args=[world.referral.reference])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_the_doctor_adds_their_own_account(client, world):
    login_as(client, world.doctor)
    url = reverse("referrals:referral_for_doctor", args=[world.referral.reference])
    client.post(url, {"action": "comment", "text": "The rota changed in September; I asked for help then."})
    assert DoctorComment.objects.get(request=world.referral).text.startswith("The rota changed")
    page = client.post(url, {"action": "comment", "text": "x" * 3001}).content.decode()
    assert "must be 3000 characters or fewer" in page


@pytest.mark.django_db
def test_the_referrer_sees_received_and_closed_only_unless_the_doctor_shares_progress(client, world):
    f.CaseFactory(request=world.referral, case_manager=world.case_manager, stage="support")
    world.referral.status = Status.ACCEPTED
    world.referral.save()
    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    page = client.get(url).content.decode()
    assert "Received" in page and "Support under way" not in page
    assert "finding the rota exhausting" not in page

    login_as(client, world.doctor)
    client.post(
        reverse("sharing:change", args=[world.referral.reference, "referrer"]),
        {"based_on": "0", "items": ["stage"]},
    )
    login_as(client, world.referrer)
    assert "Support under way" in client.get(url).content.decode()

    world.referral.status = Status.CLOSED
    world.referral.save()
    assert "Closed" in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_referrer_never_sees_the_doctors_own_account(client, world):
    DoctorComment.objects.create(request=world.referral, text="Private words of the doctor")
    login_as(client, world.referrer)
    for name in ["referrals:referral_status", "referrals:referral_sent"]:
        page = client.get(reverse(name, args=[world.referral.reference])).content.decode()
        assert "Private words of the doctor" not in page
    assert "Private words of the doctor" not in client.get(reverse("referrals:my_referrals")).content.decode()


@pytest.mark.django_db
def test_a_referrer_cannot_see_another_referrers_referral(client, world):
    another = f.MembershipFactory(organisation=world.trust, role="referrer").user
    login_as(client, another)
    assert client.get(reverse("referrals:referral_status", args=[world.referral.reference])).status_code == 404
    assert world.referral.reference not in client.get(reverse("referrals:my_referrals")).content.decode()


@pytest.mark.django_db
def test_the_referrers_look_at_the_status_is_logged_for_the_doctor(client, world):
    login_as(client, world.referrer)
    client.get(reverse("referrals:referral_status", args=[world.referral.reference]))
    record = AccessRecord.objects.get()
    assert (record.actor, record.actor_role, record.doctor) == (world.referrer, "referrer", world.doctor.doctor_profile)


@pytest.mark.django_db
def test_my_referrals_query_count_is_flat(client, world, django_assert_max_num_queries):
    login_as(client, world.referrer)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("referrals:my_referrals"))
    small_count = len(small.captured_queries)
    for _ in range(10):
        f.SupportRequestFactory(service=world.service, route=Route.SUPERVISOR, referrer=world.referrer)
    with django_assert_max_num_queries(small_count):
        client.get(reverse("referrals:my_referrals"))


@pytest.mark.django_db
def test_the_referrer_sees_exactly_the_plan_parts_the_doctor_agreed_to_share(client, world):
    import uuid

    from supportpath.pathway.models import SupportSession
    from supportpath.testing import factories as f

    case = f.CaseFactory(request=world.referral, case_manager=world.case_manager)
    SupportSession.objects.create(
        case=case,
        facilitator=world.facilitator,
        held_on=timezone.localdate(),
        mode="video",
        attendance="attended",
        shared_summary="We talked about sleep and low mood.",
        submission_token=uuid.uuid4(),
    )
    f.agreed_plan(case, by=world.case_manager, goals=[("Feel rested before night shifts", 2, 2)])
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    login_as(client, world.referrer)
    page = client.get(url).content.decode()
    assert "Feel rested before night shifts" not in page and "sleep and low mood" not in page

    def share(*items):
        referral = SupportRequest.objects.get(pk=world.referral.pk)
        agreement.set_audience(
            referral, "referrer", items, by=world.doctor, based_on=agreement.current_version(referral)
        )

    share("goals")
    page = client.get(url).content.decode()
    assert "Feel rested before night shifts" in page
    assert "sleep and low mood" not in page, "session summaries are not shared with the goals"

    share("goals", "session_summaries")
    assert "sleep and low mood" in client.get(url).content.decode()
