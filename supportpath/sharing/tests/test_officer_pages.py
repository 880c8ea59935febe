"""The responsible officer's pages: who is on the list, who is refused, and a query count that stays flat."""

import pytest
from django.db import connection
from django.urls import reverse

from supportpath.accounts.models import Role
from supportpath.accounts.roles import home_url_for
from supportpath.audit.models import AccessRecord
from supportpath.referrals.models import Route, SupportRequest
from supportpath.sharing import access, agreement
from supportpath.sharing.choices import Audience, Item
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def officer_list(client) -> str:
    response = client.get(reverse("sharing:officer_doctors"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_responsible_officer_lands_on_their_page(sharing):
    assert home_url_for(sharing.officer) == reverse("sharing:officer_doctors")
    assert home_url_for(sharing.world.referrer) == reverse("referrals:my_referrals")


def test_the_list_holds_doctors_who_share_with_the_officer_or_employer_or_are_mandated(client, sharing):
    world = sharing.world
    login_as(client, sharing.officer)
    assert sharing.referral.reference not in officer_list(client)  # shares nothing yet

    sharing.share(Audience.REFERRER, Item.GOALS)  # with the referrer only: still not the officer's
    assert sharing.referral.reference not in officer_list(client)

    sharing.share(Audience.EMPLOYER, Item.STAGE)
    text = officer_list(client)
    assert sharing.referral.reference in text and "Dr Ada Example" in text
    assert world.self_request.reference not in text

    mandated = f.SupportRequestFactory(
        doctor=world.other_doctor.doctor_profile,
        route=Route.RESPONSIBLE_OFFICER,
        referrer=sharing.officer,
        referrer_organisation=world.trust,
        mandated=True,
    )
    text = officer_list(client)
    assert mandated.reference in text and "Formal process" in text
    # What is shared is not on the list itself, only on the (logged) page for each request.
    assert "Support under way" not in text


def test_the_list_counts_what_is_shared_in_words_and_says_nothing_for_none(client, sharing):
    sharing.share(Audience.EMPLOYER, Item.STAGE)
    login_as(client, sharing.officer)
    row = officer_list(client).split(f"{sharing.referral.reference}</td>")[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0].strip() for cell in row.split('<td class="nhsuk-table__cell">')[1:]]
    assert cells == ["Nothing", "1 thing"], "shared with the officer, then with the employer"


def test_the_list_shows_only_doctors_employed_by_the_officers_organisation(client, sharing):
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.STAGE)
    login_as(client, sharing.other_officer)
    assert sharing.referral.reference not in officer_list(client)
    response = client.get(reverse("sharing:officer_request", args=[sharing.referral.reference]))
    assert response.status_code == 404
    assert not AccessRecord.objects.filter(actor=sharing.other_officer).exists()


@pytest.mark.parametrize(
    "who", ["other_officer", "referrer", "case_manager", "other_case_manager", "other_doctor", "doctor", "facilitator"]
)
def test_nobody_but_the_doctors_own_responsible_officer_reaches_the_officer_page(client, sharing, who):
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.GOALS)
    sharing.share(Audience.EMPLOYER, Item.GOALS)
    person = sharing.other_officer if who == "other_officer" else getattr(sharing.world, who)
    login_as(client, person)
    assert client.get(reverse("sharing:officer_request", args=[sharing.referral.reference])).status_code == 404
    expected_list = 200 if who == "other_officer" else 403
    assert client.get(reverse("sharing:officer_doctors")).status_code == expected_list
    assert not AccessRecord.objects.filter(actor=person, object_type="referrals.supportrequest").exists()


def test_another_referrer_cannot_see_the_referral_however_much_is_shared(client, sharing):
    sharing.share(Audience.REFERRER, *Item)
    another = f.MembershipFactory(organisation=sharing.world.trust, role=Role.REFERRER).user
    login_as(client, another)
    assert client.get(reverse("referrals:referral_status", args=[sharing.referral.reference])).status_code == 404


def test_a_request_that_stopped_sharing_is_no_longer_reachable(client, sharing):
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.GOALS)
    login_as(client, sharing.officer)
    url = reverse("sharing:officer_request", args=[sharing.referral.reference])
    assert client.get(url).status_code == 200
    sharing.share(Audience.RESPONSIBLE_OFFICER)
    assert client.get(url).status_code == 404


def _sharing_doctor(world, n: int) -> SupportRequest:
    doctor = f.DoctorFactory(employer=world.trust, user__full_name=f"Dr Shares {n:02d}")
    request = f.SupportRequestFactory(doctor=doctor, service=world.service)
    agreement.set_audience(request, Audience.EMPLOYER, [Item.STAGE], by=doctor.user, based_on=0)
    agreement.set_audience(request, Audience.RESPONSIBLE_OFFICER, [Item.GOALS], by=doctor.user, based_on=1)
    return request


@pytest.mark.parametrize("doctors", [2, 12])
def test_the_officer_list_takes_the_same_number_of_queries_however_many_doctors(
    client, sharing, django_assert_num_queries, doctors
):
    for n in range(doctors):
        _sharing_doctor(sharing.world, n)
    login_as(client, sharing.officer)
    # Session, user, memberships, the second factor's device, then the count for the pages and the page of
    # requests with their doctors, their agreements and their grants: the same for 2 doctors as for 12. Then
    # the access records of the doctors seen (supportpath/audit/lists.py): which were seen today already,
    # and, for those not, one batch (savepoint, the chain's lock on PostgreSQL, the check again under it,
    # the chain's tip, one insert, release).
    batch = 6 + (connection.vendor == "postgresql")
    with django_assert_num_queries(8 + batch):
        text = officer_list(client)
    assert text.count("Dr Shares") == doctors
    seen = AccessRecord.objects.filter(actor=sharing.officer, object_id="sharing:officer_doctors")
    assert seen.count() == doctors
    # Seen already today: only the check.
    with django_assert_num_queries(8 + 1):
        officer_list(client)


def test_the_officer_page_for_a_request_takes_few_queries(client, sharing, django_assert_max_num_queries):
    sharing.share(Audience.RESPONSIBLE_OFFICER, *Item)
    login_as(client, sharing.officer)
    with django_assert_max_num_queries(25):
        client.get(reverse("sharing:officer_request", args=[sharing.referral.reference]))


def _old_list(officer):
    """The list as it was read before the employer was kept on the request: through the doctor's profile."""
    from django.db.models import Exists, OuterRef, Q

    from supportpath.accounts.relationships import current_organisation_ids
    from supportpath.sharing.models import Grant

    shares = Grant.objects.filter(
        agreement__request=OuterRef("pk"), audience__in=[Audience.RESPONSIBLE_OFFICER, Audience.EMPLOYER]
    )
    return list(
        SupportRequest.objects.filter(
            doctor__employer_id__in=current_organisation_ids(officer, Role.RESPONSIBLE_OFFICER)
        )
        .filter(Q(mandated=True) | Exists(shares))
        .order_by("doctor__user__full_name", "-submitted_at", "pk")
    )


def test_the_list_reads_the_employer_kept_on_the_request_and_finds_the_same_rows_in_the_same_order(client, sharing):
    world = sharing.world
    sharing.share(Audience.EMPLOYER, Item.STAGE)
    for n in (3, 1, 2, 1):  # two doctors of one name: their requests newest first
        _sharing_doctor(world, n)
    f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile, mandated=True, route=Route.RESPONSIBLE_OFFICER)
    f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile)  # shares nothing: not on the list
    elsewhere = f.DoctorFactory(user__full_name="Dr Aaron Elsewhere")  # another employer's doctor, sharing
    _sharing_doctor_at(elsewhere)
    wanted = _old_list(sharing.officer)
    assert len(wanted) == 6
    assert (
        list(
            access.requests_for_responsible_officer(sharing.officer).order_by(
                "doctor__user__full_name", "-submitted_at", "pk"
            )
        )
        == wanted
    )
    login_as(client, sharing.officer)
    text = officer_list(client)
    positions = [text.index(r.reference) for r in wanted]
    assert positions == sorted(positions)


def _sharing_doctor_at(doctor) -> SupportRequest:
    request = f.SupportRequestFactory(doctor=doctor)
    agreement.set_audience(request, Audience.EMPLOYER, [Item.STAGE], by=doctor.user, based_on=0)
    return request


def test_a_doctor_who_changes_employer_takes_their_requests_to_the_new_employers_officer(client, sharing):
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.STAGE)
    profile = sharing.world.doctor.doctor_profile
    assert sharing.fresh().doctor_employer_id == profile.employer_id  # set as the request was made
    login_as(client, sharing.officer)
    assert sharing.referral.reference in officer_list(client)
    other_trust = sharing.other_officer.memberships.get(role=Role.RESPONSIBLE_OFFICER).organisation
    profile.employer = other_trust
    profile.save(update_fields=["employer"])  # as Your account saves it
    assert sharing.fresh().doctor_employer_id == other_trust.pk
    assert sharing.referral.reference not in officer_list(client)
    url = reverse("sharing:officer_request", args=[sharing.referral.reference])
    assert client.get(url).status_code == 404
    login_as(client, sharing.other_officer)
    assert sharing.referral.reference in officer_list(client)
    profile.employer = None
    profile.save()
    assert sharing.fresh().doctor_employer_id is None
    assert sharing.referral.reference not in officer_list(client)


def test_the_migration_fills_the_employer_of_every_existing_request(sharing):
    from importlib import import_module

    from django.apps import apps

    SupportRequest.objects.update(doctor_employer=None)
    import_module("supportpath.referrals.migrations.0007_request_doctor_employer").fill(apps, None)
    for request in SupportRequest.objects.select_related("doctor"):
        assert request.doctor_employer_id == request.doctor.employer_id
    assert SupportRequest.objects.exclude(doctor_employer=None).exists()


# The list reads the doctor's name and whether the officer sees each request from the request itself
# (``doctor_name``, ``visible_to_officer``: docs/scale.md), kept by the account and the sharing agreement.


def _flag_list(officer):
    return list(access.officer_list(officer).order_by("doctor_name", "-submitted_at", "pk"))


def test_the_kept_name_and_flag_give_the_same_rows_in_the_same_order_as_the_rule(client, sharing):
    world = sharing.world
    sharing.share(Audience.EMPLOYER, Item.STAGE)
    for n in (3, 1, 2, 1):
        _sharing_doctor(world, n)
    f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile, mandated=True, route=Route.RESPONSIBLE_OFFICER)
    f.SupportRequestFactory(doctor=world.other_doctor.doctor_profile)  # shares nothing
    _sharing_doctor_at(f.DoctorFactory(user__full_name="Dr Aaron Elsewhere"))  # another employer's
    wanted = _old_list(sharing.officer)
    assert len(wanted) == 6
    assert _flag_list(sharing.officer) == wanted
    # Stopping sharing takes it off (the flag follows the grants), sharing again puts it back.
    sharing.share(Audience.EMPLOYER)
    assert sharing.fresh().visible_to_officer is False
    assert sharing.referral not in _flag_list(sharing.officer)
    assert _flag_list(sharing.officer) == _old_list(sharing.officer)
    sharing.share(Audience.RESPONSIBLE_OFFICER, Item.GOALS)
    assert sharing.fresh().visible_to_officer is True
    assert _flag_list(sharing.officer) == _old_list(sharing.officer)


def test_a_mandated_referral_stays_on_the_list_whatever_the_doctor_changes(sharing):
    world = sharing.world
    mandated = f.SupportRequestFactory(
        doctor=world.other_doctor.doctor_profile,
        route=Route.RESPONSIBLE_OFFICER,
        referrer=sharing.officer,
        referrer_organisation=world.trust,
        mandated=True,
    )
    assert SupportRequest.objects.get(pk=mandated.pk).visible_to_officer is True
    agreement.set_audience(mandated, Audience.EMPLOYER, [Item.STAGE], by=world.other_doctor, based_on=0)
    agreement.set_audience(
        mandated, Audience.EMPLOYER, [], by=world.other_doctor, based_on=agreement.current_version(mandated)
    )
    assert SupportRequest.objects.get(pk=mandated.pk).visible_to_officer is True
    assert mandated in _flag_list(sharing.officer) and mandated in _old_list(sharing.officer)


def test_a_doctor_whose_name_changes_moves_on_the_officers_list(client, sharing):
    world = sharing.world
    first, second = _sharing_doctor(world, 1), _sharing_doctor(world, 2)
    login_as(client, sharing.officer)
    text = officer_list(client)
    assert text.index(first.reference) < text.index(second.reference)
    user = second.doctor.user
    user.full_name = "Dr Aardvark Renamed"
    user.save(update_fields=["full_name"])
    assert SupportRequest.objects.get(pk=second.pk).doctor_name == "Dr Aardvark Renamed"
    text = officer_list(client)
    assert "Dr Aardvark Renamed" in text and text.index(second.reference) < text.index(first.reference)
    assert _flag_list(sharing.officer) == _old_list(sharing.officer)
    user.full_name = "Dr Zed Renamed"
    user.save()  # a save of every field follows too
    text = officer_list(client)
    assert text.index(first.reference) < text.index(second.reference)
    assert _flag_list(sharing.officer) == _old_list(sharing.officer)


def test_the_list_never_shows_a_request_the_grants_do_not_share_even_if_the_flag_is_wrong(client, sharing):
    shown = _sharing_doctor(sharing.world, 1)
    hidden = f.SupportRequestFactory(doctor=sharing.world.other_doctor.doctor_profile)  # shares nothing
    SupportRequest.objects.filter(pk=hidden.pk).update(visible_to_officer=True)  # as if the flag went wrong
    login_as(client, sharing.officer)
    text = officer_list(client)
    assert shown.reference in text and hidden.reference not in text
    seen = AccessRecord.objects.filter(actor=sharing.officer, object_id="sharing:officer_doctors")
    assert set(seen.values_list("doctor_id", flat=True)) == {shown.doctor_id}
    url = reverse("sharing:officer_request", args=[hidden.reference])
    assert client.get(url).status_code == 404


def test_an_erased_doctors_name_leaves_no_request_behind(client, sharing):
    import uuid

    from supportpath.records import erasure

    sharing.share(Audience.EMPLOYER, Item.STAGE)
    doctor = sharing.world.doctor
    name = doctor.full_name
    assert SupportRequest.objects.filter(doctor_name=name).exists()
    admin = f.MembershipFactory(organisation=sharing.world.service, role=Role.SERVICE_ADMIN).user
    [asked] = erasure.ask(doctor.doctor_profile, note="", token=uuid.uuid4())
    erasure.carry_out(asked, by=admin)
    assert not SupportRequest.objects.filter(doctor_name=name).exists()
    assert not SupportRequest.objects.filter(doctor__user=doctor).exists()
    login_as(client, sharing.officer)
    text = officer_list(client)
    assert name not in text and sharing.referral.reference not in text


def test_the_migration_fills_the_name_and_flag_of_every_existing_request(sharing):
    from importlib import import_module

    from django.apps import apps

    sharing.share(Audience.EMPLOYER, Item.STAGE)
    for n in (1, 2):
        _sharing_doctor(sharing.world, n)
    f.SupportRequestFactory(doctor=sharing.world.other_doctor.doctor_profile, mandated=True)
    before = _old_list(sharing.officer)
    SupportRequest.objects.update(doctor_name="", visible_to_officer=False)
    import_module("supportpath.referrals.migrations.0008_request_officer_list").fill(apps, None)
    for request in SupportRequest.objects.select_related("doctor__user"):
        assert request.doctor_name == request.doctor.user.full_name
    assert _flag_list(sharing.officer) == before
