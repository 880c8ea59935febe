"""A service admin's staff pages, through HTTP: inviting, joining, changing a role, ending a membership (and who
takes over), resetting two-step sign-in, moving a case; and ``add_staff`` for a fresh installation."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts.models import Membership, Organisation, Role, User
from supportpath.casework.models import Case
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.service.models import CaseMove, ChangeKind, StaffChange, StaffInvitation
from supportpath.service.services import hash_token
from supportpath.testing import factories as f
from supportpath.testing.auth import authenticator_for, current_code, login_as

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/service/join/(\S+)/")


@pytest.fixture
def admin(world):
    return world.service_admin


def invite(client, capture, **fields):
    data = {"full_name": "Noor Newcoach", "email": "noor.newcoach@example.test", "role": "facilitator", **fields}
    with capture(execute=True):
        return client.post(reverse("service:invite_staff"), data)


def link_in_last_email() -> str:
    return LINK.search(mail.outbox[-1].body).group(0)


def test_an_invited_facilitator_sets_a_password_then_two_step_sign_in_and_lands_in_their_role(
    client, world, admin, django_capture_on_commit_callbacks
):
    login_as(client, admin)
    response = invite(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("service:staff")
    message = mail.outbox[-1]
    assert message.to == ["noor.newcoach@example.test"] and "facilitator" in message.body
    token = LINK.search(message.body).group(1)
    invitation = StaffInvitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in str(invitation.__dict__)
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)

    client.logout()
    response = client.get(link_in_last_email())
    assert response["Location"] == reverse("service:accept_invitation", args=["accept"])  # token out of the address
    page = client.get(response["Location"]).content.decode()
    assert "noor.newcoach@example.test" in page
    response = client.post(response["Location"], {"password": "a long walk by the river"})
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    noor = User.objects.get(email="noor.newcoach@example.test")
    assert Membership.objects.filter(user=noor, organisation=world.service, role=Role.FACILITATOR).exists()
    assert client.get(reverse("facilitation:my_allocations")).status_code != 200  # two-step sign-in first
    assert "authenticator" in client.get(reverse("accounts:second_factor_setup")).content.decode().lower()
    device = TOTPDevice.objects.get(user=noor, confirmed=False)
    response = client.post(reverse("accounts:second_factor_setup"), {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("facilitation:my_allocations")).status_code == 200
    # The link worked once.
    client.logout()
    assert "no longer works" in client.get(link_in_last_email(), follow=True).content.decode()
    assert StaffChange.objects.filter(kind=ChangeKind.JOINED, person=noor).exists()


def test_an_expired_or_replaced_link_no_longer_works(client, admin, django_capture_on_commit_callbacks):
    login_as(client, admin)
    invite(client, django_capture_on_commit_callbacks)
    first = link_in_last_email()
    invite(client, django_capture_on_commit_callbacks)  # sending again replaces the first link
    second = link_in_last_email()
    client.logout()
    assert "no longer works" in client.get(first).content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert "no longer works" in client.get(second).content.decode()


def test_someone_already_a_member_is_not_invited_again(client, world, admin, django_capture_on_commit_callbacks):
    login_as(client, admin)
    response = invite(client, django_capture_on_commit_callbacks, email=world.facilitator.email)
    assert response.status_code == 200 and "already a facilitator" in response.content.decode()
    assert not StaffInvitation.objects.exists()


def test_an_existing_account_joins_once_signed_in(client, world, admin, django_capture_on_commit_callbacks):
    login_as(client, admin)
    invite(client, django_capture_on_commit_callbacks, email=world.referrer.email, role="evaluator")
    link = link_in_last_email()
    client.logout()
    client.get(link)
    page = client.get(reverse("service:accept_invitation", args=["accept"])).content.decode()
    assert "Sign in" in page
    login_as(client, world.referrer)
    response = client.post(reverse("service:accept_invitation", args=["accept"]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.referrer, organisation=world.service, role=Role.EVALUATOR).exists()


def test_ending_a_case_managers_membership_moves_their_open_cases_and_the_doctor_sees_the_new_name(
    client, world, admin, django_capture_on_commit_callbacks
):
    successor = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER, user__full_name="Sam Successor")
    leaver_membership = Membership.objects.get(user=world.case_manager, role=Role.CASE_MANAGER)
    leaver_client = login_as(type(client)(), world.case_manager)
    assert leaver_client.get(reverse("casework:cases")).status_code == 200
    login_as(client, admin)
    url = reverse("service:end_membership", args=[leaver_membership.pk])
    page = client.get(url).content.decode()
    assert "Sam Successor" in page and "open case" in page
    response = client.post(url, {})
    assert response.status_code == 200 and "Select who takes over as case manager" in response.content.decode()
    assert Membership.objects.filter(pk=leaver_membership.pk).exists()  # nothing happened
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"takes_over": str(successor.user.pk)})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=leaver_membership.pk).exists()
    case = Case.objects.get(pk=world.case.pk)
    assert case.case_manager == successor.user
    move = CaseMove.objects.get(case=case)
    assert (move.from_user, move.to_user, move.by) == (world.case_manager, successor.user, admin)
    change = StaffChange.objects.get(kind=ChangeKind.ENDED)
    assert (change.person, change.by, change.cases_to, change.cases_moved) == (
        world.case_manager,
        admin,
        successor.user,
        1,
    )
    assert "Sam Successor" in client.get(reverse("service:staff")).content.decode()
    assert any(m.to == [world.doctor.email] and "Sam Successor" in m.body for m in mail.outbox)
    doctor = login_as(type(client)(), world.doctor)
    assert "Sam Successor" in doctor.get(reverse("pathway:my_case", args=[case.pk])).content.decode()
    # The leaver is signed out at once, and (with no other membership) cannot sign in again.
    assert leaver_client.get(reverse("casework:cases"))["Location"].startswith(reverse("accounts:sign_in"))
    assert not User.objects.get(pk=world.case_manager.pk).is_active


def test_ending_a_facilitators_membership_moves_their_offers_to_the_facilitator_chosen(
    client, world, admin, django_capture_on_commit_callbacks
):
    other = f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name="Pat Other")
    membership = Membership.objects.get(user=world.facilitator, role=Role.FACILITATOR)
    login_as(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("service:end_membership", args=[membership.pk]), {"takes_over": str(other.user.pk)})
    allocation = Allocation.objects.get(pk=world.allocation.pk)
    assert allocation.facilitator == other.user and allocation.status == AllocationStatus.PROPOSED
    taker = login_as(type(client)(), other.user)
    assert taker.get(reverse("facilitation:respond", args=[allocation.pk])).status_code == 200


def test_nobody_to_take_over_means_the_membership_cannot_end_yet(client, world, admin):
    membership = Membership.objects.get(user=world.case_manager, role=Role.CASE_MANAGER)
    login_as(client, admin)
    page = client.get(reverse("service:end_membership", args=[membership.pk])).content.decode()
    assert "Nobody can take over yet" in page
    client.post(reverse("service:end_membership", args=[membership.pk]), {})
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_cannot_end_or_change_their_own_membership(client, world, admin):
    own = Membership.objects.get(user=admin, role=Role.SERVICE_ADMIN)
    login_as(client, admin)
    response = client.post(reverse("service:end_membership", args=[own.pk]), {})
    assert "cannot end your own" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_changing_a_role(client, world, admin):
    membership = Membership.objects.get(user=world.evaluator, role=Role.EVALUATOR)
    login_as(client, admin)
    response = client.post(reverse("service:change_role", args=[membership.pk]), {"role": "case_manager"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CASE_MANAGER
    change = StaffChange.objects.get(kind=ChangeKind.ROLE_CHANGED)
    assert (change.role, change.new_role, change.by) == (Role.EVALUATOR, Role.CASE_MANAGER, admin)


def test_resetting_two_step_sign_in_removes_the_app_and_codes_and_emails_the_person(
    client, world, admin, django_capture_on_commit_callbacks
):
    authenticator_for(world.facilitator)
    StaticDevice.objects.create(user=world.facilitator, name="Backup codes", confirmed=True)
    membership = Membership.objects.get(user=world.facilitator, role=Role.FACILITATOR)
    login_as(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("service:reset_second_factor", args=[membership.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.facilitator).exists()
    assert not StaticDevice.objects.filter(user=world.facilitator).exists()
    assert mail.outbox[-1].to == [world.facilitator.email] and "reset" in mail.outbox[-1].subject
    assert StaffChange.objects.filter(kind=ChangeKind.SECOND_FACTOR_RESET, person=world.facilitator, by=admin).exists()


def test_staff_with_no_backup_codes_left_are_asked_to_make_some_when_they_sign_in(client, world):
    device = authenticator_for(world.facilitator)
    client.force_login(world.facilitator)
    response = client.post(reverse("accounts:second_factor_verify"), {"code": current_code(device)}, follow=True)
    assert "You have no backup codes left" in response.content.decode()
    assert "You have no backup codes left" in client.get(reverse("accounts:backup_codes")).content.decode()
    assert "You have no backup codes left" in client.get(reverse("accounts:your_account")).content.decode()
    client.post(reverse("accounts:backup_codes"))
    client.get(reverse("accounts:backup_codes"))  # the new codes, shown once
    assert "You have no backup codes left" not in client.get(reverse("accounts:backup_codes")).content.decode()


def test_a_case_manager_moves_a_case_to_another_and_the_doctor_sees_the_new_name(
    client, world, django_capture_on_commit_callbacks
):
    colleague = f.MembershipFactory(organisation=world.service, role=Role.CASE_MANAGER, user__full_name="Lee Colleague")
    login_as(client, world.case_manager)
    url = reverse("service:move_case", args=[world.case.pk])
    assert "Lee Colleague" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"takes_over": str(colleague.user.pk)})
    assert response["Location"] == reverse("pathway:case_detail", args=[world.case.pk])
    assert Case.objects.get(pk=world.case.pk).case_manager == colleague.user
    assert CaseMove.objects.get(case=world.case).by == world.case_manager
    doctor = login_as(type(client)(), world.doctor)
    assert "Lee Colleague" in doctor.get(reverse("pathway:my_case", args=[world.case.pk])).content.decode()


def test_the_staff_page_takes_the_same_queries_however_many_staff(client, world, admin, django_assert_num_queries):
    login_as(client, admin)
    client.get(reverse("service:staff"))
    with django_assert_num_queries(12) as few:  # 12: the page's count of its people (it is paginated)
        client.get(reverse("service:staff"))
    for n in range(55):
        f.MembershipFactory(organisation=world.service, role=Role.FACILITATOR, user__full_name=f"Extra {n:02d}")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("service:staff")).content.decode()
    assert "Extra 00" in page and "?page=2" in page
    assert "Extra 54" in client.get(reverse("service:staff") + "?page=2").content.decode()


def test_add_staff_makes_the_service_and_emails_a_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "add_staff", "first.admin@example.test", "--organisation", "Westfold PSU", "--role", "service_admin"
        )
    service = Organisation.objects.get(name="Westfold PSU")
    assert service.runs_support_service
    invitation = StaffInvitation.objects.get()
    assert (invitation.organisation, invitation.role, invitation.invited_by) == (service, "service_admin", None)
    assert mail.outbox[-1].to == ["first.admin@example.test"] and LINK.search(mail.outbox[-1].body)
    # Run again for the same service: the service is found, not made twice.
    call_command("add_staff", "second@example.test", "--organisation", "Westfold PSU", "--role", "case_manager")
    assert Organisation.objects.filter(name="Westfold PSU").count() == 1


def test_someone_who_left_can_be_invited_back(client, world, admin, django_capture_on_commit_callbacks):
    membership = Membership.objects.get(user=world.evaluator, role=Role.EVALUATOR)
    login_as(client, admin)
    client.post(reverse("service:end_membership", args=[membership.pk]), {})
    assert not User.objects.get(pk=world.evaluator.pk).is_active
    invite(client, django_capture_on_commit_callbacks, email=world.evaluator.email, role="evaluator")
    link = link_in_last_email()
    client.logout()
    client.get(link)
    response = client.post(
        reverse("service:accept_invitation", args=["accept"]), {"password": "back again after a long while"}
    )
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    returned = User.objects.get(pk=world.evaluator.pk)
    assert returned.is_active and returned.check_password("back again after a long while")
    assert Membership.objects.filter(user=returned, organisation=world.service, role=Role.EVALUATOR).exists()
