import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from supportpath.referrals.models import Route, SelfReferralDraft, SupportRequest
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as
from supportpath.testing.queries import pinned

# Monday 21 December 2026: five working days later skips Christmas Day and the Boxing Day substitute
# (Monday 28th), landing on Wednesday 30 December.
MONDAY_BEFORE_CHRISTMAS = dt.datetime(2026, 12, 21, 10, 0, tzinfo=dt.UTC)

ANSWERS = {
    "reasons": {"reasons": ["career", "other"], "other_reason": "Thinking about less than full-time training"},
    "account": {"account": "I am exhausted after nights and unsure whether to carry on in this specialty."},
    "contact": {"contact_method": "phone", "phone": "07700 900982", "contact_times": "Weekday evenings"},
    "employer": {"employer_may_be_told": "no"},
    "urgency": {"urgent": "no"},
}


def step(name):
    return reverse("referrals:self_referral_step", args=[name])


def answer_everything(client, **overrides):
    for name, data in {**ANSWERS, **overrides}.items():
        response = client.post(step(name), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert "/account/sign-in/" not in response["Location"]
    return response


@pytest.fixture
def doctor_client(client, world):
    login_as(client, world.doctor)
    return client


@pytest.mark.django_db
def test_the_start_page_lets_visitors_start_without_an_account(client):
    page = client.get(reverse("referrals:self_referral_start")).content.decode()
    assert 'href="/ask-for-support/reasons/"' in page
    assert "You do not need an account to start" in page
    assert "/account/create/" not in page


@pytest.mark.django_db
def test_each_question_leads_to_the_next_and_then_to_check_your_answers(doctor_client):
    assert doctor_client.post(step("reasons"), ANSWERS["reasons"])["Location"] == step("account")
    assert doctor_client.post(step("account"), ANSWERS["account"])["Location"] == step("contact")
    assert doctor_client.post(step("contact"), ANSWERS["contact"])["Location"] == step("employer")
    assert doctor_client.post(step("employer"), ANSWERS["employer"])["Location"] == step("urgency")
    response = doctor_client.post(step("urgency"), ANSWERS["urgency"])
    assert response["Location"] == reverse("referrals:self_referral_check")
    page = doctor_client.get(response["Location"]).content.decode()
    assert "Something else: Thinking about less than full-time training" in page
    assert "07700 900982" in page


@pytest.mark.django_db
def test_a_reason_is_required_and_something_else_needs_words(doctor_client):
    page = doctor_client.post(step("reasons"), {}).content.decode()
    assert "Select at least one thing you would like help with" in page
    assert "<title>Error:" in page
    page = doctor_client.post(step("reasons"), {"reasons": ["other"]}).content.decode()
    assert "Tell us what else you would like help with" in page


@pytest.mark.django_db
def test_an_over_long_account_is_refused_and_what_was_typed_is_kept(doctor_client):
    text = "a" * 5001
    page = doctor_client.post(step("account"), {"account": text}).content.decode()
    assert "What is happening must be 5,000 characters or fewer" in page
    assert text in page
    assert "Up to 5,000 characters" in page


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["", "12345", "call me maybe"])
def test_a_phone_number_is_needed_and_checked_when_we_are_to_phone(doctor_client, phone):
    page = doctor_client.post(step("contact"), {"contact_method": "phone", "phone": phone}).content.decode()
    assert "phone number" in page
    assert "There is a problem" in page


@pytest.mark.django_db
def test_the_employer_question_defaults_to_no(doctor_client):
    page = doctor_client.get(step("employer")).content.decode()
    assert 'value="no" checked' in page


@pytest.mark.django_db
def test_check_answers_sends_you_back_to_the_first_unanswered_question(doctor_client):
    doctor_client.post(step("reasons"), ANSWERS["reasons"])
    assert doctor_client.get(reverse("referrals:self_referral_check"))["Location"] == step("account")


@pytest.mark.django_db
def test_changing_an_answer_returns_to_check_your_answers(doctor_client):
    answer_everything(doctor_client)
    response = doctor_client.post(step("account"), {"account": "Changed my mind about wording.", "change": "1"})
    assert response["Location"] == reverse("referrals:self_referral_check")
    assert "Changed my mind about wording." in doctor_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@time_machine.travel(MONDAY_BEFORE_CHRISTMAS, tick=False)
def test_sending_makes_one_request_with_a_working_day_deadline_and_one_email(
    client, world, django_capture_on_commit_callbacks
):
    doctor_client = login_as(client, world.doctor)  # signed in at the frozen time
    answer_everything(doctor_client)
    check = reverse("referrals:self_referral_check")
    token = SelfReferralDraft.objects.get(doctor=world.doctor.doctor_profile).answers["token"]
    with django_capture_on_commit_callbacks(execute=True):
        first = doctor_client.post(check, {"token": token})
        second = doctor_client.post(check, {"token": token})  # a double click
    mine = SupportRequest.objects.filter(doctor=world.doctor.doctor_profile, route=Route.SELF)
    new = mine.exclude(pk=world.self_request.pk).get()
    assert first["Location"] == second["Location"] == reverse("referrals:self_referral_done", args=[new.reference])
    assert new.service == world.service
    assert new.first_contact_due == dt.date(2026, 12, 30)
    assert sorted(new.reason_codes) == ["career", "other"]
    assert not new.employer_may_be_told
    assert len(mail.outbox) == 1
    assert new.reference in mail.outbox[0].body
    assert "Wednesday 30 December 2026" in mail.outbox[0].body
    assert "exhausted" not in mail.outbox[0].body  # the doctor's account never goes into email
    page = doctor_client.get(first["Location"]).content.decode()
    assert new.reference in page
    assert "Wednesday 30 December 2026" in page


@pytest.mark.django_db
def test_urgency_flags_the_request_and_points_to_urgent_help_at_once(
    doctor_client, world, django_capture_on_commit_callbacks
):
    answer_everything(doctor_client, urgency={"urgent": "yes", "urgency_details": "I do not feel safe at the moment."})
    with django_capture_on_commit_callbacks(execute=True):
        response = doctor_client.post(reverse("referrals:self_referral_check"), {})
    new = SupportRequest.objects.filter(urgent=True).get()
    assert new.urgency_details == "I do not feel safe at the moment."
    page = doctor_client.get(response["Location"]).content.decode()
    for expected in ["999", "NHS 111", "116 123", "Practitioner Health"]:
        assert expected in page
        assert expected in mail.outbox[0].body


@pytest.mark.django_db
def test_html_typed_into_the_account_is_kept_as_typed_and_shown_escaped(doctor_client):
    answer_everything(doctor_client, account={"account": "<script>alert('hi')</script> & <b>bold</b>"})
    page = doctor_client.get(reverse("referrals:self_referral_check")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    doctor_client.post(reverse("referrals:self_referral_check"), {})
    assert SupportRequest.objects.filter(doctor_account__isnull=False).count() >= 1


@pytest.mark.django_db
def test_a_doctor_with_no_employer_chooses_between_services(client, world):
    doctor = f.DoctorFactory(employer=None).user
    login_as(client, doctor)
    answer_everything(client)
    response = client.get(reverse("referrals:self_referral_check"))
    assert response["Location"] == step("service")
    page = client.get(step("service")).content.decode()
    assert world.service.name in page and world.other_service.name in page
    client.post(step("service"), {"service": str(world.other_service.pk)})
    client.post(reverse("referrals:self_referral_check"), {})
    assert SupportRequest.objects.get(doctor=doctor.doctor_profile).service == world.other_service


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["referrer", "case_manager", "facilitator"])
def test_staff_accounts_cannot_self_refer(client, world, persona):
    login_as(client, world.persona(persona))
    assert client.post(step("reasons"), ANSWERS["reasons"]).status_code == 403


@pytest.mark.django_db
def test_another_doctor_cannot_open_the_confirmation(client, world):
    login_as(client, world.other_doctor)
    url = reverse("referrals:self_referral_done", args=[world.self_request.reference])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_my_support_shows_each_request_and_what_happens_next(client, world):
    login_as(client, world.doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert world.self_request.reference in page
    assert world.referral.reference in page
    assert "will contact you by" in page
    assert "Dr Cara Supervisor" in page


@pytest.mark.django_db
def test_my_support_shows_nothing_of_another_doctors_requests(client, world):
    login_as(client, world.other_doctor)
    page = client.get(reverse("referrals:my_support")).content.decode()
    assert world.self_request.reference not in page
    assert "You have not asked for support yet" in page


@pytest.mark.django_db
def test_my_support_query_count_does_not_grow_with_requests(client, world, django_assert_num_queries):
    login_as(client, world.doctor)
    with django_assert_num_queries(pinned(23)) as small:
        client.get(reverse("referrals:my_support"))
    small_count = len(small.captured_queries)
    for _ in range(8):
        f.SupportRequestFactory(doctor=world.doctor.doctor_profile, service=world.service)
    with django_assert_num_queries(small_count):
        client.get(reverse("referrals:my_support"))


@pytest.mark.django_db
def test_the_something_else_text_states_its_limit_and_keeps_to_it(doctor_client):
    page = doctor_client.get(step("reasons")).content.decode()
    assert "Up to 200 characters" in page
    page = doctor_client.post(step("reasons"), {"reasons": ["other"], "other_reason": "x" * 201}).content.decode()
    assert "What else you would like help with must be 200 characters or fewer" in page
    assert "Ensure this value" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,data",
    [
        ("reasons", {"reasons": ["not-a-reason"]}),
        ("contact", {"contact_method": "pigeon"}),
        ("employer", {"employer_may_be_told": "perhaps"}),
        ("urgency", {"urgent": "sometimes"}),
    ],
)
def test_a_choice_not_on_the_page_gets_plain_words(doctor_client, name, data):
    page = doctor_client.post(step(name), data).content.decode()
    assert "Select one of the options shown" in page
    assert "Select a valid choice" not in page


@pytest.mark.django_db
def test_an_over_long_phone_number_gets_one_message(doctor_client):
    page = doctor_client.post(step("contact"), {"contact_method": "phone", "phone": "0" * 21}).content.decode()
    assert page.count("Enter a UK phone number, like 07700 900 982 or +44 7700 900 982") == 2
    assert "so that we can call you" not in page


@pytest.mark.django_db
def test_a_tampered_token_on_check_your_answers_gets_a_clear_message(doctor_client, world):
    answer_everything(doctor_client)
    response = doctor_client.post(reverse("referrals:self_referral_check"), {"token": "not-a-uuid"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your request could not be sent" in page and "There is a problem" in page
    assert "I am exhausted after nights" in page, "the answers are still there"
    assert SupportRequest.objects.filter(doctor=world.doctor.doctor_profile).count() == 2  # the world's two


@pytest.mark.django_db
def test_answers_are_kept_encrypted_on_the_server_and_the_draft_goes_once_sent(doctor_client, world):
    from django.db import connection

    answer_everything(doctor_client)
    draft = SelfReferralDraft.objects.get(doctor=world.doctor.doctor_profile)
    assert draft.answers["account"]["account"].startswith("I am exhausted")
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM referrals_selfreferraldraft")
        stored = cursor.fetchone()[0]
    assert "exhausted" not in stored and stored.startswith("enc1:")
    doctor_client.post(reverse("referrals:self_referral_check"), {"token": draft.answers["token"]})
    assert not SelfReferralDraft.objects.exists()


@pytest.mark.django_db
def test_a_self_referral_in_progress_survives_the_idle_sign_out(client, world, settings):
    """Signed out after 30 quiet minutes, the doctor signs in again and carries on where they were."""
    settings.SESSION_IDLE_MINUTES_DOCTOR = 30
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login_as(client, world.doctor)
        client.post(step("reasons"), ANSWERS["reasons"])
        client.post(step("account"), ANSWERS["account"])
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.post(step("contact"), ANSWERS["contact"])
        assert "/account/sign-in/" in response["Location"], "signed out after a quiet spell"
        login_as(client, world.doctor)
        page = client.get(reverse("referrals:self_referral_start")).content.decode()
        assert "You have answers you have not sent yet" in page
        assert "Carry on with your request" in page
        assert client.get(reverse("referrals:self_referral_check"))["Location"] == step("contact")
        page = client.get(step("account")).content.decode()
        assert "unsure whether to carry on in this specialty" in page
        answer_everything(client)
        page = client.get(reverse("referrals:self_referral_check")).content.decode()
        assert "Something else: Thinking about less than full-time training" in page


@pytest.mark.django_db
def test_unsent_answers_are_deleted_after_the_stated_days(client, world, settings):
    settings.SELF_REFERRAL_DRAFT_DAYS = 7
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login_as(client, world.doctor)
        client.post(step("reasons"), ANSWERS["reasons"])
        assert "7 days" in client.get(reverse("referrals:self_referral_start")).content.decode()
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        login_as(client, world.doctor)
        assert client.get(reverse("referrals:self_referral_check"))["Location"] == step("reasons")
        assert (
            "You have answers you have not sent yet"
            not in client.get(reverse("referrals:self_referral_start")).content.decode()
        )
        other = f.DoctorFactory(employer=world.trust).user
        login_as(client, other)
        client.post(step("reasons"), ANSWERS["reasons"])
        assert list(SelfReferralDraft.objects.values_list("doctor", flat=True)) == [other.doctor_profile.pk]


@pytest.mark.django_db
def test_one_doctors_draft_is_never_shown_to_another(client, world):
    login_as(client, world.doctor)
    answer_everything(client)
    login_as(client, world.other_doctor)
    assert client.get(reverse("referrals:self_referral_check"))["Location"] == step("reasons")
    assert "exhausted after nights" not in client.get(step("account")).content.decode()
