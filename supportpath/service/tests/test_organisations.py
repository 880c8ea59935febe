"""The organisations a service serves, and their referrers and responsible officers, through HTTP."""

import pytest
from django.core import mail
from django.urls import reverse

from supportpath.accounts.models import Membership, Organisation, OrganisationKind, Role
from supportpath.service.models import ChangeKind, StaffChange, StaffInvitation
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

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
