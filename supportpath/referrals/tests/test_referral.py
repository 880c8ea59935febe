import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, User
from supportpath.audit.models import AccessRecord
from supportpath.referrals.models import DoctorComment, ReferralInvitation, Route, Status, SupportRequest
from supportpath.sharing import agreement
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

DETAILS = {
    "route": "supervisor",
    "reasons": ["examinations", "confidence"],
    "description": "Since March, Dr Example has seemed anxious before exams. She is excellent with patients.",
    "discussed": "We talked on 3 November and she agreed a referral could help.",
    "urgent": "no",
    "mandated": "no",
}


@pytest.fixture
def referrer_client(client, world):
    return login_as(client, world.referrer)


def invitation_link(email) -> str:
    """The path of the invitation link in an email (only a hash of the token is stored)."""
    return re.search(r"https?://[^/\s]+(/referrals/invitation/[^/\s]+/)", email.body).group(1)


def new_doctor(**overrides):
    return {"gmc_number": "7999999", "full_name": "Dr New Starter", "email": "new.starter@example.test", **overrides}


def as_typed(world, user):
    """What a referrer types for an existing doctor: their GMC number, and a name and address of their own."""
    return {
        "gmc_number": user.doctor_profile.gmc_number,
        "full_name": "Dr B. Example",
        "email": "ben.at.work@example.test",
    }


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
def test_a_referrer_refers_a_registered_doctor_once_and_the_doctor_is_told_at_their_own_address(
    referrer_client, world, django_capture_on_commit_callbacks
):
    response = refer(referrer_client, as_typed(world, world.other_doctor), capture=django_capture_on_commit_callbacks)
    referral = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile)
    assert response["Location"] == reverse("referrals:referral_sent", args=[referral.reference])
    assert referral.route == Route.SUPERVISOR
    assert referral.referrer == world.referrer
    assert referral.service == world.service
    assert sorted(referral.reason_codes) == ["confidence", "examinations"]
    assert not ReferralInvitation.objects.exists()
    assert (referral.referred_name, referral.referred_email) == ("Dr B. Example", "ben.at.work@example.test")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.other_doctor.email], "the account's own address, not the one typed"
    assert "Dr Cara Supervisor" in email.body
    assert "anxious" not in email.body  # the referrer's words are on the page, never in email
    assert "not a disciplinary process" in email.body
    sent = referrer_client.get(response["Location"]).content.decode()
    assert "Dr B. Example" in sent and "Dr Ben Example" not in sent, "the referrer sees only what they typed"


def _pages_a_referrer_sees(client, doctor_answers):
    """Every page of the journey, with the things that differ between referrals masked out."""
    pages = [client.post(reverse("referrals:referral_doctor"), doctor_answers)]
    pages.append(client.get(pages[0]["Location"]))
    pages.append(client.post(reverse("referrals:referral_details"), DETAILS))
    pages.append(client.get(reverse("referrals:referral_check")))
    token = client.session["referral"]["token"]
    pages.append(client.post(reverse("referrals:referral_check"), {"token": token}))
    pages.append(client.get(pages[-1]["Location"]))
    texts = []
    for page in pages:
        text = page.content.decode() if page.status_code == 200 else page["Location"]
        text = re.sub(r"SP-[A-Z0-9]{4}-[A-Z0-9]{4}", "REF", text)
        text = re.sub(r'name="(csrfmiddlewaretoken|token)" value="[^"]*"', "", text)
        text = re.sub(r'nonce="[^"]*"', "", text)
        text = re.sub(r"\b7\d{6}\b", "GMC", text)
        texts.append((page.status_code, text))
    return texts


@pytest.mark.django_db
def test_the_referrer_cannot_tell_whether_the_doctor_already_has_an_account(client, world):
    """The same questions, the same pages and the same words, for a doctor with an account and without."""
    login_as(client, world.referrer)
    typed = {"full_name": "Dr Someone", "email": "someone@example.test"}
    registered = _pages_a_referrer_sees(client, {**typed, "gmc_number": world.other_doctor.doctor_profile.gmc_number})
    unknown = _pages_a_referrer_sees(client, {**typed, "gmc_number": "7999998"})
    assert registered == unknown
    assert SupportRequest.objects.filter(referrer=world.referrer).count() == 3  # the world's, and these two


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["123", "12345678", "abcdefg", "123 456"])
def test_an_invalid_gmc_number_gets_one_clear_message(referrer_client, number):
    page = referrer_client.post(reverse("referrals:referral_doctor"), new_doctor(gmc_number=number)).content.decode()
    assert "There is a problem" in page
    message = "Enter a GMC reference number of 7 digits, like 1234567"
    assert page.count(message) == 2, "once in the summary, once beside the field"
    assert "has 7 digits" not in page and "Ensure this value" not in page


@pytest.mark.django_db
def test_a_gmc_number_typed_with_spaces_is_accepted(referrer_client):
    response = referrer_client.post(reverse("referrals:referral_doctor"), new_doctor(gmc_number="79 99 999"))
    assert response.status_code == 302
    assert referrer_client.session["referral"]["doctor"]["gmc_number"] == "7999999"


@pytest.mark.django_db
def test_the_doctors_number_name_and_email_are_always_asked(referrer_client):
    page = referrer_client.post(
        reverse("referrals:referral_doctor"), {"gmc_number": "", "full_name": "", "email": ""}
    ).content.decode()
    assert "Enter the doctor&#39;s GMC reference number" in page
    assert "Enter the doctor&#39;s full name" in page
    assert "Enter the doctor&#39;s email address" in page
    page = referrer_client.post(
        reverse("referrals:referral_doctor"), new_doctor(full_name="x" * 151, email="not-an-address")
    ).content.decode()
    assert "The doctor&#39;s name must be 150 characters or fewer" in page
    assert "Enter an email address like name@example.com" in page
    assert "Up to 150 characters" in page


@pytest.mark.django_db
def test_details_need_what_was_discussed_and_keep_what_was_typed(referrer_client, world):
    referrer_client.post(reverse("referrals:referral_doctor"), as_typed(world, world.other_doctor))
    page = referrer_client.post(reverse("referrals:referral_details"), {**DETAILS, "discussed": ""}).content.decode()
    assert "Tell us what you have discussed with the doctor" in page
    assert "Since March, Dr Example has seemed anxious" in page


PROFILE = {"career_stage": "sas", "contract_type": "locum", "qualification_region": "eea"}


@pytest.mark.django_db
def test_an_unregistered_doctor_is_invited_and_the_invitation_works_once(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    refer(client, new_doctor(), capture=django_capture_on_commit_callbacks)
    invitation = ReferralInvitation.objects.get()
    link = invitation_link(mail.outbox[0])
    assert mail.outbox[0].to == ["new.starter@example.test"]
    assert "works until" in mail.outbox[0].body
    assert link.split("/")[-2] not in invitation.token_hash, "only a hash of the token is stored"
    client.logout()
    page = client.post(link, {"password": "short", **PROFILE}).content.decode()
    assert "at least 12 characters" in page
    page = client.post(link, {"password": "a perfectly long passphrase"}).content.decode()
    assert "Select your career stage" in page and "Select your type of contract" in page
    assert "Select where you gained your primary medical qualification" in page
    response = client.post(link, {"password": "a perfectly long passphrase", **PROFILE})
    assert response["Location"] == reverse("referrals:referral_for_doctor", args=[invitation.request.reference])
    assert "Dr New Starter" in client.get(response["Location"]).content.decode()
    profile = DoctorProfile.objects.get(user__email="new.starter@example.test")
    assert (profile.career_stage, profile.contract_type, profile.qualification_region) == ("sas", "locum", "eea")
    client.logout()
    used = client.get(link)
    assert used.status_code == 410
    assert "You have already created your account" in used.content.decode()


@pytest.mark.django_db
def test_the_case_manager_sees_the_invited_doctors_stage_and_contract(client, world):
    login_as(client, world.referrer)
    refer(client, new_doctor())
    invitation = ReferralInvitation.objects.get()
    ReferralInvitation.objects.filter(pk=invitation.pk).update(accepted_at=None)
    profile = invitation.request.doctor
    profile.career_stage, profile.contract_type, profile.qualification_region = "sas", "locum", "eea"
    profile.save()
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[invitation.request.reference])).content.decode()
    assert "Specialty and specialist (SAS) doctor" in page and "Locum" in page and "European Economic Area" in page


@pytest.mark.django_db
def test_an_invitation_expires_after_the_set_number_of_days_with_a_kind_page(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.REFERRAL_INVITATION_DAYS = 14
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login_as(client, world.referrer)
        refer(client, new_doctor(), capture=django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    client.logout()
    with time_machine.travel(start + dt.timedelta(days=13, hours=23), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(start + dt.timedelta(days=14, hours=1), tick=False):
        response = client.get(link)
        page = response.content.decode()
        assert response.status_code == 410
        assert "This link no longer works" in page
        assert "Dr Cara Supervisor" in page and "send it again" in page
        assert client.post(link, {"password": "a perfectly long passphrase", **PROFILE}).status_code == 410
    assert not ReferralInvitation.objects.get().accepted_at


@pytest.mark.django_db
def test_an_unknown_invitation_link_gets_the_same_kind_page(client):
    response = client.get(reverse("referrals:accept_invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "How to get a new link" in response.content.decode()


@pytest.mark.django_db
def test_the_referrer_can_send_the_invitation_again_once_per_press_and_the_old_link_stops(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    with django_capture_on_commit_callbacks(execute=True):
        refer(client, new_doctor())
    referral = SupportRequest.objects.get(doctor__user__email="new.starter@example.test")
    old_link = invitation_link(mail.outbox[0])
    url = reverse("referrals:referral_status", args=[referral.reference])
    page = client.get(url).content.decode()
    assert "Email the doctor again" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"action": "send_again", "token": token}, follow=True)
        client.post(url, {"action": "send_again", "token": token})  # a double click
    assert "If Dr New Starter has not replied to the support service yet, we have emailed them again." in (
        first.content.decode()
    )
    assert len(mail.outbox) == 2
    again = mail.outbox[1]
    assert again.to == ["new.starter@example.test"]
    assert "This is a new link. The link in our earlier email no longer works." in again.body
    new_link = invitation_link(again)
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 404
    assert "This link no longer works" in client.get(old_link).content.decode()
    assert client.get(new_link).status_code == 200
    assert ReferralInvitation.objects.get().times_sent == 2


@pytest.mark.django_db
def test_sending_again_looks_the_same_to_the_referrer_for_a_registered_doctor(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    page = client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "send_again", "token": token}, follow=True)
    assert "we have emailed them again." in response.content.decode()
    assert mail.outbox[0].to == [world.doctor.email]
    assert f"/my-support/{world.referral.reference}/about-your-referral/" in mail.outbox[0].body
    assert "new link" not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_tampered_send_again_token_gets_a_message_not_an_error(client, world):
    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    response = client.post(url, {"action": "send_again", "token": "not-a-uuid"}, follow=True)
    assert response.status_code == 200
    assert "could not be sent again" in response.content.decode()


@pytest.mark.django_db
def test_another_referrer_cannot_send_a_referral_again(client, world):
    another = f.MembershipFactory(organisation=world.trust, role="referrer").user
    login_as(client, another)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    token = "5b0c3f4e-6d0a-4d1e-9a51-0d3c2f9e7a10"
    assert client.post(url, {"action": "send_again", "token": token}).status_code == 404


@pytest.mark.django_db
def test_an_email_that_already_has_an_account_neither_crashes_nor_shows_and_the_owner_can_claim_it(
    client, world, django_capture_on_commit_callbacks
):
    """The GMC number matches nobody, but the address typed is another doctor's account (a mistyped number)."""
    owner = world.other_doctor
    login_as(client, world.referrer)
    response = refer(client, new_doctor(email=owner.email.upper()), capture=django_capture_on_commit_callbacks)
    referral = SupportRequest.objects.filter(referrer=world.referrer).exclude(pk=world.referral.pk).get()
    assert response["Location"] == reverse("referrals:referral_sent", args=[referral.reference])
    assert referral.doctor != owner.doctor_profile
    assert referral.doctor.user.email.endswith(".invalid"), "a placeholder, never a second account for one address"
    assert mail.outbox[0].to == [owner.email]
    link = invitation_link(mail.outbox[0])

    client.logout()
    page = client.get(link).content.decode()
    assert "You already have an account with us" in page
    assert "Sign in" in page
    login_as(client, owner)
    page = client.get(link).content.decode()
    assert "Add the referral to my account" in page
    response = client.post(link)
    assert response["Location"] == reverse("referrals:referral_for_doctor", args=[referral.reference])
    referral.refresh_from_db()
    assert referral.doctor == owner.doctor_profile
    assert not User.objects.filter(email__endswith=".invalid").exists(), "the placeholder account is gone"
    assert client.get(link).status_code == 410


@pytest.mark.django_db
def test_someone_else_signed_in_cannot_claim_an_invitation_for_another_address(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    refer(client, new_doctor(email=world.other_doctor.email), capture=django_capture_on_commit_callbacks)
    link = invitation_link(mail.outbox[0])
    login_as(client, world.doctor)
    page = client.get(link).content.decode()
    assert "Add the referral to my account" not in page
    client.post(link)
    assert (
        SupportRequest.objects.filter(referrer=world.referrer)
        .exclude(pk=world.referral.pk)
        .get()
        .doctor.user.email.endswith(".invalid")
    )


@pytest.mark.django_db
def test_a_second_referral_for_a_doctor_still_to_register_invites_them_again(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.referrer)
    refer(client, new_doctor(), capture=django_capture_on_commit_callbacks)
    refer(client, new_doctor(full_name="Dr N. Starter"), capture=django_capture_on_commit_callbacks)
    assert DoctorProfile.objects.with_gmc_number("7999999").count() == 1
    assert ReferralInvitation.objects.count() == 2
    assert [m.to for m in mail.outbox] == [["new.starter@example.test"]] * 2
    client.logout()
    second = invitation_link(mail.outbox[1])
    client.post(second, {"password": "a perfectly long passphrase", **PROFILE})
    assert not ReferralInvitation.objects.filter(accepted_at__isnull=True).exists(), "both invitations are used up"


@pytest.mark.django_db
def test_a_tampered_token_on_the_referral_check_gets_a_clear_message(referrer_client, world):
    referrer_client.post(reverse("referrals:referral_doctor"), new_doctor())
    referrer_client.post(reverse("referrals:referral_details"), DETAILS)
    response = referrer_client.post(reverse("referrals:referral_check"), {"token": "not-a-uuid"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The referral could not be sent" in page and "There is a problem" in page
    assert not SupportRequest.objects.exclude(pk=world.referral.pk).filter(referrer=world.referrer).exists()


@pytest.mark.django_db
def test_referrers_choose_reasons_in_words_about_the_doctor_and_can_say_something_else(referrer_client, world):
    referrer_client.post(reverse("referrals:referral_doctor"), new_doctor())
    page = referrer_client.get(reverse("referrals:referral_details")).content.decode()
    assert "Concerns about their work or progress" in page and "Concerns about my work" not in page
    assert "Their mental health or well-being" in page
    assert "Up to 200 characters" in page
    details = {**DETAILS, "reasons": ["other"]}
    page = referrer_client.post(reverse("referrals:referral_details"), details).content.decode()
    assert "Tell us what else support might help with" in page
    page = referrer_client.post(
        reverse("referrals:referral_details"), {**details, "other_reason": "x" * 201}
    ).content.decode()
    assert "must be 200 characters or fewer" in page
    referrer_client.post(reverse("referrals:referral_details"), {**details, "other_reason": "Leading a team"})
    check = referrer_client.get(reverse("referrals:referral_check")).content.decode()
    assert "Something else: Leading a team" in check
    token = referrer_client.session["referral"]["token"]
    referrer_client.post(reverse("referrals:referral_check"), {"token": token})
    referral = SupportRequest.objects.filter(referrer=world.referrer).exclude(pk=world.referral.pk).get()
    assert referral.other_reason == "Leading a team"
    assert referral.reason_codes == ["other"]


@pytest.mark.django_db
@pytest.mark.parametrize("field,value", [("route", "captain"), ("reasons", "fun"), ("mandated", "maybe")])
def test_a_choice_not_on_the_page_gets_plain_words(referrer_client, field, value):
    referrer_client.post(reverse("referrals:referral_doctor"), new_doctor())
    page = referrer_client.post(reverse("referrals:referral_details"), {**DETAILS, field: value}).content.decode()
    assert "Select one of the options shown" in page
    assert "Select a valid choice" not in page


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
def test_the_doctor_adds_their_own_account_once_per_press(client, world):
    login_as(client, world.doctor)
    url = reverse("referrals:referral_for_doctor", args=[world.referral.reference])
    page = client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    data = {"action": "comment", "text": "The rota changed in September; I asked for help then.", "token": token}
    client.post(url, data)
    client.post(url, data)  # a double click
    assert DoctorComment.objects.get(request=world.referral).text.startswith("The rota changed")
    client.post(
        url, {**data, "token": re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode()).group(1)}
    )
    assert DoctorComment.objects.filter(request=world.referral).count() == 2, "a new press adds a new account"
    page = client.post(url, {"action": "comment", "text": "x" * 3001, "token": token}).content.decode()
    assert "must be 3,000 characters or fewer" in page


@pytest.mark.django_db
def test_the_doctors_own_account_reaches_the_case_manager_and_the_case_page(client, world):
    comment = DoctorComment.objects.create(request=world.referral, text="Nights have been hard since March.")
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[world.referral.reference])).content.decode()
    assert "In the doctor's own words" in page
    assert "Nights have been hard since March." in page
    assert timezone.localtime(comment.created_at).strftime("%-d %B %Y") in page
    case = f.CaseFactory(request=world.referral, case_manager=world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[case.pk])).content.decode()
    assert "Nights have been hard since March." in page
    assert AccessRecord.objects.filter(actor=world.case_manager, doctor=world.doctor.doctor_profile).count() == 2


@pytest.mark.django_db
def test_the_doctors_own_account_stays_with_their_own_service(client, world):
    DoctorComment.objects.create(request=world.referral, text="Nights have been hard since March.")
    login_as(client, world.other_case_manager)
    assert client.get(reverse("casework:request_detail", args=[world.referral.reference])).status_code == 404


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
def test_my_referrals_query_count_is_flat(client, world, django_assert_num_queries):
    login_as(client, world.referrer)
    with django_assert_num_queries(pinned(13, 14)):  # the first sight of the world's doctor today is logged
        client.get(reverse("referrals:my_referrals"))
    more = [
        f.SupportRequestFactory(
            service=world.service, route=Route.SUPERVISOR, referrer=world.referrer, referrer_organisation=world.trust
        )
        for _ in range(10)
    ]
    with django_assert_num_queries(pinned(13, 14)):  # ten doctors first seen today, logged in one batch
        page = client.get(reverse("referrals:my_referrals")).content.decode()
    assert all(r.reference in page for r in more)
    with django_assert_num_queries(pinned(8)):  # all seen today already
        client.get(reverse("referrals:my_referrals"))


@pytest.mark.django_db
def test_my_referrals_decrypts_only_the_names_it_shows(client, world, monkeypatch):
    # Each row names the doctor as the referrer typed the name (encrypted): one decryption a row, and none of
    # the request's or the doctor's other encrypted fields, which the list never shows (docs/scale.md).
    from supportpath.core import encryption

    typed = [
        f.SupportRequestFactory(
            service=world.service,
            route=Route.SUPERVISOR,
            referrer=world.referrer,
            referrer_organisation=world.trust,
            referred_name=f"Dr Typed Name {n}",
            referral_description="Words the list does not show",
        )
        for n in range(3)
    ]
    login_as(client, world.referrer)
    client.get(reverse("referrals:my_referrals"))  # the first sight of the day is logged
    decrypted = []
    real = encryption.decrypt
    monkeypatch.setattr(encryption, "decrypt", lambda stored: decrypted.append(stored) or real(stored))
    page = client.get(reverse("referrals:my_referrals")).content.decode()
    assert len(decrypted) == SupportRequest.objects.filter(referrer=world.referrer).count() == 4
    assert all(f"Dr Typed Name {n}" in page and r.reference in page for n, r in enumerate(typed))
    assert world.referral.name_for_referrer in page


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


@pytest.mark.django_db
def test_a_tampered_comment_token_still_saves_the_doctors_words_once(client, world):
    login_as(client, world.doctor)
    url = reverse("referrals:referral_for_doctor", args=[world.referral.reference])
    response = client.post(url, {"action": "comment", "text": "My own words.", "token": "not-a-uuid"})
    assert response.status_code == 302
    assert DoctorComment.objects.get(request=world.referral).text == "My own words."


@pytest.mark.django_db
def test_a_referral_begun_before_the_doctor_step_changed_asks_for_the_doctor_again(referrer_client):
    session = referrer_client.session
    session["referral"] = {"token": "5b0c3f4e-6d0a-4d1e-9a51-0d3c2f9e7a10", "doctor": {"gmc_number": "7999999"}}
    session["referral"]["details"] = DETAILS
    session.save()
    assert referrer_client.get(reverse("referrals:referral_check"))["Location"] == reverse("referrals:referral_doctor")


def _press_send_again(client, url):
    return client.post(url, {"action": "send_again", "token": str(uuid.uuid4())}, follow=True).content.decode()


@pytest.mark.django_db
def test_email_the_doctor_again_is_offered_only_while_the_referral_waits_and_a_late_press_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    from supportpath.casework import services as casework
    from supportpath.sharing.choices import Audience, Item

    # The doctor shares the stage with the person who referred them, so the referrer can see it is accepted.
    agreement.set_audience(world.referral, Audience.REFERRER, [Item.STAGE], by=world.doctor, based_on=0)
    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    assert "Email the doctor again" in client.get(url).content.decode()
    page = client.get(url).content.decode()  # a form kept open in another tab while the case manager works

    casework.record_first_contact(world.referral, by=world.case_manager, on=timezone.localdate(), method="phone")
    casework.accept(world.referral, by=world.case_manager)
    assert "Email the doctor again" not in client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {"action": "send_again", "token": token}, follow=True).content.decode()
    assert "Dr Ada Example has already been in touch with the support service, so we have not emailed them" in refused
    assert mail.outbox == [] and not world.referral.resends.exists()

    SupportRequest.objects.filter(pk=world.referral.pk).update(status=Status.CLOSED)
    assert "Email the doctor again" not in client.get(url).content.decode()
    assert "This referral is closed, so there is nothing to send again." in _press_send_again(client, url)
    assert not world.referral.resends.exists()


@pytest.mark.django_db
def test_when_the_stage_is_not_shared_the_button_stays_but_an_accepted_doctor_is_not_emailed_again(
    client, world, django_capture_on_commit_callbacks
):
    """Hiding the button on acceptance would tell the referrer a stage the doctor has not shared with them."""
    from supportpath.casework import services as casework

    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = _press_send_again(client, url)
    assert "If Dr Ada Example has not replied to the support service yet, we have emailed them again." in waiting
    assert len(mail.outbox) == 1

    casework.record_first_contact(world.referral, by=world.case_manager, on=timezone.localdate(), method="phone")
    casework.accept(world.referral, by=world.case_manager)
    assert "Email the doctor again" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _press_send_again(client, url)
    assert "If Dr Ada Example has not replied to the support service yet, we have emailed them again." in accepted
    assert len(mail.outbox) == 1 and world.referral.resends.count() == 1


def _referrer_log(world):
    """What the doctor's "who has seen my record" holds of the person who referred, oldest first."""
    return list(
        AccessRecord.objects.filter(actor=world.referrer, doctor=world.doctor.doctor_profile)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_the_doctors_log_shows_a_change_only_when_emailing_again_sent_an_email(
    client, world, django_capture_on_commit_callbacks
):
    """The stage is not shared, so the button stays once the doctor is accepted and a press sends nothing: the
    referrer is told the same words either way, and the doctor's log says they looked, not that they changed."""
    from supportpath.casework import services as casework

    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    said = "If Dr Ada Example has not replied to the support service yet, we have emailed them again."
    with django_capture_on_commit_callbacks(execute=True):
        waiting = _press_send_again(client, url)
    assert said in waiting and len(mail.outbox) == 1
    # The press (a change: an email went) and the page it comes back to (a read).
    assert _referrer_log(world) == [AccessRecord.Action.CHANGED, AccessRecord.Action.VIEWED]

    casework.record_first_contact(world.referral, by=world.case_manager, on=timezone.localdate(), method="phone")
    casework.accept(world.referral, by=world.case_manager)
    before = len(_referrer_log(world))
    with django_capture_on_commit_callbacks(execute=True):
        accepted = _press_send_again(client, url)
    assert said in accepted and len(mail.outbox) == 1
    assert _referrer_log(world)[before:] == [AccessRecord.Action.VIEWED, AccessRecord.Action.VIEWED]

    # A press refused for a bad token, or the same press sent twice, changes nothing either.
    before = len(_referrer_log(world))
    client.post(url, {"action": "send_again", "token": "not-a-uuid"})
    assert _referrer_log(world)[before:] == [AccessRecord.Action.VIEWED]


@pytest.mark.django_db
def test_a_double_click_on_email_the_doctor_again_logs_one_change(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.referrer)
    url = reverse("referrals:referral_status", args=[world.referral.reference])
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send_again", "token": token})
        client.post(url, {"action": "send_again", "token": token})
    assert len(mail.outbox) == 1
    assert _referrer_log(world) == [AccessRecord.Action.CHANGED, AccessRecord.Action.VIEWED]
