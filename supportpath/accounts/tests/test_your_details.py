"""A doctor changes their own details from "Your account"; nobody else can, and bad input is kept and explained."""

import pytest
from django.urls import reverse

from supportpath.accounts.models import Membership, Role
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

ACCOUNT = reverse("accounts:your_account")


def change(detail: str) -> str:
    return reverse("accounts:change_detail", args=[detail])


@pytest.mark.django_db
def test_your_account_lists_the_doctors_details_with_a_change_link_for_each(client, world):
    login_as(client, world.doctor)
    page = client.get(ACCOUNT).content.decode()
    assert "Your details" in page
    for slug in ("career-stage", "contract", "specialty", "primary-medical-qualification", "employer", "phone"):
        assert f'href="{change(slug)}"' in page
    assert world.trust.name in page
    assert "Specialty or GP trainee" in page


@pytest.mark.django_db
def test_staff_have_no_doctor_details(client, world):
    login_as(client, world.case_manager)
    assert "Your details" not in client.get(ACCOUNT).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("detail", "data", "attribute", "expected"),
    [
        ("career-stage", {"career_stage": "consultant"}, "career_stage", "consultant"),
        ("contract", {"contract_type": "locum"}, "contract_type", "locum"),
        ("specialty", {"specialty": "  Emergency medicine "}, "specialty", "Emergency medicine"),
        ("specialty", {"specialty": ""}, "specialty", ""),
        (
            "primary-medical-qualification",
            {"qualification_region": "international"},
            "qualification_region",
            "international",
        ),
        ("phone", {"phone": "07700 900 982"}, "phone", "07700 900 982"),
        ("phone", {"phone": ""}, "phone", ""),
    ],
)
def test_a_doctor_changes_a_detail(client, world, detail, data, attribute, expected):
    login_as(client, world.doctor)
    page = client.get(change(detail))
    assert page.status_code == 200
    response = client.post(change(detail), data)
    assert response.status_code == 302 and response["Location"] == ACCOUNT
    world.doctor.doctor_profile.refresh_from_db()
    assert getattr(world.doctor.doctor_profile, attribute) == expected
    assert "Your details are saved." in client.get(ACCOUNT).content.decode()


@pytest.mark.django_db
def test_the_current_answer_is_shown_when_changing_it(client, world):
    profile = world.doctor.doctor_profile
    profile.phone = "07700 900 111"
    profile.save()
    login_as(client, world.doctor)
    assert 'value="07700 900 111"' in client.get(change("phone")).content.decode()
    assert 'value="specialty_trainee" checked' in client.get(change("career-stage")).content.decode()
    assert f'value="{world.trust.pk}" selected' in client.get(change("employer")).content.decode()


@pytest.mark.django_db
def test_a_new_employer_moves_the_doctors_membership_and_not_listed_clears_it(client, world):
    Membership.objects.create(user=world.doctor, organisation=world.trust, role=Role.DOCTOR)
    new_trust = f.OrganisationFactory(name="Fictional Valley Hospitals", support_service=world.other_service)
    login_as(client, world.doctor)
    client.post(change("employer"), {"employer": str(new_trust.pk)})
    profile = world.doctor.doctor_profile
    profile.refresh_from_db()
    assert profile.employer == new_trust
    doctor_orgs = set(
        Membership.objects.filter(user=world.doctor, role=Role.DOCTOR).values_list("organisation", flat=True)
    )
    assert doctor_orgs == {new_trust.pk}
    client.post(change("employer"), {"employer": "not_listed"})
    profile.refresh_from_db()
    assert profile.employer is None
    assert not Membership.objects.filter(user=world.doctor, role=Role.DOCTOR).exists()


@pytest.mark.django_db
def test_changing_employer_leaves_support_already_asked_for_with_its_service(client, world):
    new_trust = f.OrganisationFactory(support_service=world.other_service)
    login_as(client, world.doctor)
    client.post(change("employer"), {"employer": str(new_trust.pk)})
    world.self_request.refresh_from_db()
    assert world.self_request.service == world.service


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("detail", "data", "message"),
    [
        ("career-stage", {"career_stage": "999"}, "Select your career stage from the list"),
        ("career-stage", {}, "Select your career stage"),
        ("contract", {"contract_type": "admiral"}, "Select your type of contract from the list"),
        ("specialty", {"specialty": "x" * 121}, "Your specialty must be 120 characters or fewer"),
        (
            "primary-medical-qualification",
            {"qualification_region": "999"},
            "Select where you gained your primary medical qualification from the list",
        ),
        ("employer", {"employer": "999999"}, "Select where you work from the list"),
        ("employer", {"employer": ""}, "Select where you work, or choose &#39;Not listed&#39;"),
        ("phone", {"phone": "call me maybe"}, "Enter a UK phone number, like 07700 900 982"),
        ("phone", {"phone": "0" * 21}, "Enter a UK phone number, like 07700 900 982"),
    ],
)
def test_bad_input_gets_plain_words_and_changes_nothing(client, world, detail, data, message):
    before = world.doctor.doctor_profile
    login_as(client, world.doctor)
    response = client.post(change(detail), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and "There is a problem" in page
    assert "Ensure this value" not in page and "Select a valid choice" not in page
    after = type(before).objects.get(pk=before.pk)
    for name in ("career_stage", "contract_type", "specialty", "qualification_region", "employer_id", "phone"):
        assert getattr(after, name) == getattr(before, name)


@pytest.mark.django_db
def test_what_was_typed_is_kept(client, world):
    login_as(client, world.doctor)
    page = client.post(change("phone"), {"phone": "not a number"}).content.decode()
    assert 'value="not a number"' in page
    page = client.post(change("specialty"), {"specialty": "<b>" + "x" * 130}).content.decode()
    assert "&lt;b&gt;xxx" in page


@pytest.mark.django_db
def test_the_limits_are_stated_on_the_page(client, world):
    login_as(client, world.doctor)
    assert "Up to 120 characters" in client.get(change("specialty")).content.decode()
    assert "A UK number, for example 07700 900 982" in client.get(change("phone")).content.decode()


@pytest.mark.django_db
def test_a_doctor_changes_only_their_own_details(client, world):
    login_as(client, world.other_doctor)
    client.post(change("specialty"), {"specialty": "Changed by Ben"})
    world.doctor.doctor_profile.refresh_from_db()
    world.other_doctor.doctor_profile.refresh_from_db()
    assert world.doctor.doctor_profile.specialty != "Changed by Ben"
    assert world.other_doctor.doctor_profile.specialty == "Changed by Ben"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["referrer", "case_manager", "other_case_manager", "facilitator"])
def test_staff_cannot_reach_or_post_to_the_change_pages(client, world, persona):
    login_as(client, world.persona(persona))
    for detail in ("career-stage", "phone"):
        assert client.get(change(detail)).status_code == 404
        assert client.post(change(detail), {"phone": "07700 900 982"}).status_code == 404


@pytest.mark.django_db
def test_an_unknown_detail_is_not_found(client, world):
    login_as(client, world.doctor)
    assert client.get(change("gmc-number")).status_code == 404
    assert client.post(change("gmc-number"), {"gmc_number": "1234567"}).status_code == 404


@pytest.mark.django_db
def test_signing_in_is_needed(client, world):
    response = client.post(change("phone"), {"phone": "07700 900 982"})
    assert response.status_code == 302 and reverse("accounts:sign_in") in response["Location"]
