"""The organisations a service serves, and their referrers, responsible officers and organisation leads, through
HTTP."""

import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from supportpath.service.models import ChangeKind, StaffChange, StaffInvitation
from supportpath.testing import factories as f
from supportpath.testing.auth import current_code, login_as

pytestmark = pytest.mark.django_db


def test_an_organisation_is_added_with_a_checked_ods_code(client, world):
    login_as(client, world.service_admin)
    url = reverse("service:add_organisation")
    response = client.post(url, {"kind": "gp_practice", "name": "Fictional Brook Surgery", "ods_code": "RJ1"})
    assert "Enter an ODS code of a letter and five numbers" in response.content.decode()
    assert not Organisation.objects.filter(name="Fictional Brook Surgery").exists()
    response = client.post(url, {"kind": "gp_practice", "name": "Fictional Brook Surgery", "ods_code": "a81001"})
    brook = Organisation.objects.get(name="Fictional Brook Surgery")
    assert response["Location"] == reverse("service:organisation", args=[brook.pk])
    assert (brook.kind, brook.ods_code) == (OrganisationKind.GP_PRACTICE, "A81001")
    assert brook.support_service == world.service
    page = client.get(reverse("service:organisations")).content.decode()
    assert "Fictional Brook Surgery" in page and "A81001" in page


def test_a_name_or_ods_code_already_used_is_refused(client, world):
    world.trust.ods_code = "RX1"
    world.trust.save()
    login_as(client, world.service_admin)
    url = reverse("service:add_organisation")
    response = client.post(url, {"kind": "acute_trust", "name": world.trust.name.upper(), "ods_code": ""})
    assert "already on supportpath" in response.content.decode()
    response = client.post(url, {"kind": "acute_trust", "name": "Another Trust", "ods_code": "RX1"})
    assert "ODS code is already on supportpath" in response.content.decode()


def test_changing_an_organisations_details(client, world):
    login_as(client, world.service_admin)
    client.post(
        reverse("service:edit_organisation", args=[world.trust.pk]),
        {"kind": "mental_health_trust", "name": "Fictional Minds NHS Trust", "ods_code": "RXT"},
    )
    world.trust.refresh_from_db()
    assert (world.trust.name, world.trust.kind, world.trust.ods_code) == (
        "Fictional Minds NHS Trust",
        "mental_health_trust",
        "RXT",
    )


def test_a_referrer_is_invited_and_another_ended(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.service_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("service:invite_to_organisation", args=[world.trust.pk]),
            {
                "full_name": "Dr Rae Appraiser",
                "email": "rae@example.test",
                "role": "referrer",
                "job_title": "Appraiser",
            },  # noqa: E501
        )
    invitation = StaffInvitation.objects.get()
    assert (invitation.organisation, invitation.role, invitation.job_title) == (world.trust, "referrer", "Appraiser")
    assert mail.outbox[-1].to == ["rae@example.test"]
    assert "Dr Rae Appraiser" in client.get(reverse("service:organisation", args=[world.trust.pk])).content.decode()

    membership = Membership.objects.get(user=world.referrer, organisation=world.trust, role=Role.REFERRER)
    response = client.post(reverse("service:end_membership", args=[membership.pk]), {})
    assert response["Location"] == reverse("service:organisation", args=[world.trust.pk])
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert StaffChange.objects.filter(kind=ChangeKind.ENDED, person=world.referrer, by=world.service_admin).exists()


def test_an_organisation_lead_is_invited_joins_and_lands_on_their_culture_pages(
    client, world, django_capture_on_commit_callbacks
):
    login_as(client, world.service_admin)
    url = reverse("service:invite_to_organisation", args=[world.trust.pk])
    form = client.get(url).content.decode()
    assert "Organisation lead" in form and "medical director, practice manager or well-being lead" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "full_name": "Dr Wren Wellbeing",
                "email": "wren@example.test",
                "role": "organisation_lead",
                "job_title": "Well-being lead",
            },
        )
    assert response["Location"] == reverse("service:organisation", args=[world.trust.pk])
    message = mail.outbox[-1]
    assert message.to == ["wren@example.test"] and "as an organisation lead" in message.body
    link = re.search(r"https?://\S+/service/join/\S+/", message.body).group(0)

    client.logout()
    accept = client.get(link)["Location"]
    response = client.post(accept, {"password": "a long walk by the river"})
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    wren = User.objects.get(email="wren@example.test")
    lead = Membership.objects.get(user=wren, organisation=world.trust)
    assert (lead.role, lead.job_title) == (Role.ORGANISATION_LEAD, "Well-being lead")
    client.get(reverse("accounts:second_factor_setup"))
    device = TOTPDevice.objects.get(user=wren, confirmed=False)
    response = client.post(response["Location"], {"code": current_code(device)})
    assert response["Location"].startswith(reverse("accounts:backup_codes"))
    assert reverse("culture:home") in unquote(response["Location"])  # where they go once they have their codes
    response = client.get(reverse("culture:home"))
    assert response["Location"] == reverse("culture:organisation", args=[world.trust.pk])
    assert client.get(response["Location"]).status_code == 200

    login_as(client, world.service_admin)
    page = client.get(reverse("service:organisation", args=[world.trust.pk])).content.decode()
    assert "Dr Wren Wellbeing" in page and "Organisation lead (Well-being lead)" in page
    assert client.get(reverse("service:person", args=[lead.pk])).status_code == 200


def test_another_services_admin_cannot_invite_into_an_organisation_it_does_not_serve(client, world):
    other_admin = f.MembershipFactory(organisation=world.other_service, role=Role.SERVICE_ADMIN).user
    login_as(client, other_admin)
    url = reverse("service:invite_to_organisation", args=[world.trust.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"full_name": "Dr Wren Wellbeing", "email": "wren@example.test", "role": "organisation_lead"}
    )
    assert response.status_code == 404
    assert not StaffInvitation.objects.exists()


def test_withdrawing_an_invitation_stops_its_link(client, world, django_capture_on_commit_callbacks):
    login_as(client, world.service_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("service:invite_staff"), {"full_name": "Al Ready", "email": "al@example.test", "role": "evaluator"}
        )
    link = mail.outbox[-1].body.split("join/")[1].split("/")[0]
    invitation = StaffInvitation.objects.get()
    client.post(reverse("service:withdraw_invitation", args=[invitation.pk]))
    client.logout()
    assert "no longer works" in client.get(reverse("service:accept_invitation", args=[link])).content.decode()


def test_the_organisations_page_takes_the_same_queries_however_many(client, world, django_assert_num_queries):
    login_as(client, world.service_admin)
    client.get(reverse("service:organisations"))
    with django_assert_num_queries(5) as few:
        client.get(reverse("service:organisations"))
    for n in range(4):
        practice = f.OrganisationFactory(name=f"Fictional Practice {n}", support_service=world.service)
        f.MembershipFactory(organisation=practice, role=Role.REFERRER)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("service:organisations"))


def test_each_organisation_counts_its_referrers_officers_and_leads_but_not_its_doctors(client, world):
    trust = world.trust
    for _ in range(3):  # doctors the trust employs, as each registered doctor is a member of their employer
        f.MembershipFactory(organisation=trust, role=Role.DOCTOR)
    f.MembershipFactory(organisation=trust, role=Role.ORGANISATION_LEAD)
    expected = [
        Membership.objects.filter(organisation=trust, role=role).count()
        for role in (Role.REFERRER, Role.RESPONSIBLE_OFFICER, Role.ORGANISATION_LEAD)
    ]
    assert expected[2] >= 1 and Membership.objects.filter(organisation=trust, role=Role.DOCTOR).count() >= 3
    login_as(client, world.service_admin)
    page = client.get(reverse("service:organisations")).content.decode()
    row = page[page.index(trust.name) :].split("</tr>")[0]
    shown = re.findall(r"(?:Referrers|Responsible officers|Organisation leads) </span>(\d+)</td>", row)
    assert [int(n) for n in shown] == expected


def test_a_long_list_of_organisations_comes_a_page_at_a_time_by_name(client, world):
    from supportpath.service.presenters import ORGANISATIONS_PAGE_SIZE

    for n in range(ORGANISATIONS_PAGE_SIZE + 1):
        f.OrganisationFactory(name=f"Fictional Practice {n:03}", support_service=world.service)
    served = list(Organisation.objects.filter(support_service=world.service).order_by("name", "id"))
    assert len(served) > ORGANISATIONS_PAGE_SIZE
    login_as(client, world.service_admin)
    first = client.get(reverse("service:organisations")).content.decode()
    names = lambda page: [o.name for o in served if f">{o.name}</a>" in page]  # noqa: E731
    assert names(first) == [o.name for o in served[:ORGANISATIONS_PAGE_SIZE]]
    assert 'href="?page=2"' in first
    second = client.get(reverse("service:organisations"), {"page": 2}).content.decode()
    assert names(second) == [o.name for o in served[ORGANISATIONS_PAGE_SIZE:]]
    assert 'href="?page=1"' in second and 'href="?page=3"' not in second
    # A page beyond the end, or not a number, is answered with the last or the first page, not an error.
    assert names(client.get(reverse("service:organisations"), {"page": 99}).content.decode()) == names(second)
    assert names(client.get(reverse("service:organisations"), {"page": "x"}).content.decode()) == names(first)
