"""What issue 16 found when the service was tried as a new user would, each kept fixed."""

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from supportpath.accounts.forms import contract_type_for
from supportpath.accounts.models import CareerStage, ContractType
from supportpath.pathway.models import InitialConversation
from supportpath.referrals.forms_referral import ReferralDetailsForm
from supportpath.referrals.referral_services import SendAgain
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "jinja2"


def test_the_start_pages_main_button_comes_before_the_longer_reading(client):
    page = client.get(reverse("core:start")).content.decode()
    button = page.index("Ask for support\n")
    assert button < page.index("What support can help with")
    assert reverse("referrals:self_referral_step", args=["reasons"]) in page[: page.index("What support can help")]


def test_the_account_form_asks_career_stage_and_locum_not_an_overlapping_contract(client, world):
    page = client.get(reverse("accounts:register")).content.decode()
    assert "Your career stage" in page and "Do you work as a locum?" in page
    assert "Your contract" not in page


@pytest.mark.parametrize(
    ("stage", "locum", "contract"),
    [
        (CareerStage.FOUNDATION, False, ContractType.RESIDENT),
        (CareerStage.SPECIALTY_TRAINEE, False, ContractType.RESIDENT),
        (CareerStage.CONSULTANT, False, ContractType.CONSULTANT),
        (CareerStage.GP, True, ContractType.LOCUM),
        (CareerStage.OTHER, False, ContractType.LOCALLY_EMPLOYED),
    ],
)
def test_the_contract_is_worked_out_from_career_stage_and_locum(stage, locum, contract):
    assert contract_type_for(stage, locum=locum) == contract


def test_where_do_you_work_lists_employers_not_support_services(client, world):
    page = client.get(reverse("accounts:register")).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert world.trust.name in options
    assert world.service.name not in options and world.other_service.name not in options


def test_a_referrer_is_asked_how_they_know_the_doctor():
    assert ReferralDetailsForm().fields["route"].label == "How do you know the doctor?"


def test_every_email_ends_with_the_same_sign_off():
    endings = {path.name: path.read_text().rstrip().splitlines()[-1] for path in TEMPLATES.glob("*/email/*.txt")}
    assert endings and set(endings.values()) == {"supportpath"}, endings


def test_no_email_the_doctor_again_once_they_have_read_the_referral(client, world):
    referral = world.referral
    assert SendAgain(referral).sends
    referral.doctor_seen_referral_at = timezone.now()
    referral.save(update_fields=["doctor_seen_referral_at"])
    send_again = SendAgain(referral)
    assert not send_again.sends
    assert "already read the referral" in send_again.refusal()
    login_as(client, world.case_manager)
    page = client.get(reverse("casework:request_detail", args=[referral.reference])).content.decode()
    assert "They read the referral on" in page
    assert "Email the doctor again" not in page
    sent = len(mail.outbox)
    url = reverse("casework:request_detail", args=[referral.reference])
    page = client.post(url, {"action": "send_again", "token": str(uuid.uuid4())}, follow=True).content.decode()
    assert "The doctor has already read the referral" in page
    assert len(mail.outbox) == sent


def test_an_evaluator_lands_on_the_service_insights(client, world):
    login_as(client, world.evaluator)
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("insights:service")
    page = client.get(response["Location"]).content.decode()
    assert "How the service is doing" in page
    # Their home page says what the role is for and links the reports (supportpath/insights registers them).
    page = client.get(reverse("accounts:evaluator_home")).content.decode()
    assert "learn what works" in page and reverse("insights:board") in page
    assert "The programme theory" in page
    login_as(client, world.case_manager)
    assert client.get(reverse("accounts:evaluator_home")).status_code == 403


def test_the_urgent_help_bar_and_the_back_link_sit_in_landmarks(client):
    page = client.get(reverse("referrals:self_referral_step", args=["reasons"])).content.decode()
    assert '<aside class="app-urgent-help" aria-label="Urgent help">' in page
    back_nav = re.search(r'<nav class="app-back-nav" aria-label="Back">(.*?)</nav>', page, re.DOTALL)
    assert back_nav and 'class="nhsuk-back-link"' in back_nav.group(1)
    # A page without a back link has no empty landmark.
    assert "app-back-nav" not in client.get(reverse("core:start")).content.decode()


def test_an_arranged_conversation_reads_in_the_one_date_format_on_the_case_page(client, world):
    when = timezone.now() + dt.timedelta(days=3)
    InitialConversation.objects.create(
        case=world.case, scheduled_for=when, mode="video", arranged_by=world.case_manager
    )
    login_as(client, world.case_manager)
    page = client.get(reverse("pathway:case_detail", args=[world.case.pk])).content.decode()
    local = timezone.localtime(when)
    assert f"Arranged for {local:%A} {local.day} {local:%B %Y} at" in page
    assert not re.search(r"\b\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", page)
