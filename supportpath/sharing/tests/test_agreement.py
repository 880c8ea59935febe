"""The rules of the sharing agreement, and where earlier choices came from."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from supportpath.referrals.models import Route, SupportRequest
from supportpath.sharing import agreement
from supportpath.sharing.choices import MANDATED_MINIMUM, PLAN_ITEMS, Audience, Item
from supportpath.sharing.models import AgreementVersion, Grant, SharingAgreement, Source
from supportpath.testing import factories as f
from supportpath.testing.auth import login_as

pytestmark = pytest.mark.django_db


def test_nothing_is_shared_by_default(world):
    for request in (world.self_request, world.referral):
        assert agreement.grants_for(request) == frozenset()
        assert agreement.current_version(request) == 0


def test_the_mandated_minimum_is_counts_and_stage_and_never_wellbeing():
    assert {item for _, item in MANDATED_MINIMUM} == {Item.STAGE, Item.ATTENDANCE}
    assert Item.WELLBEING not in PLAN_ITEMS


def test_a_mandated_referral_starts_with_its_minimum_as_version_one(client, world):
    from supportpath.referrals.tests.test_referral import DETAILS, as_typed, refer

    login_as(client, world.referrer)
    refer(client, as_typed(world, world.other_doctor), {**DETAILS, "mandated": "yes"})
    referral = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile)
    (version,) = agreement.versions(referral)
    assert (version.number, version.source, version.made_at) == (1, Source.MANDATED, referral.submitted_at)
    assert set(version.grants) == {"referrer:attendance", "referrer:stage", "responsible_officer:attendance",
                                   "responsible_officer:stage"}  # fmt: skip


def test_a_referral_not_mandated_starts_with_nothing(client, world):
    from supportpath.referrals.tests.test_referral import as_typed, refer

    login_as(client, world.referrer)
    refer(client, as_typed(world, world.other_doctor))
    referral = SupportRequest.objects.get(doctor=world.other_doctor.doctor_profile)
    assert agreement.versions(referral) == [] and agreement.grants_for(referral) == frozenset()


@pytest.mark.parametrize(("answer", "told"), [("yes", True), ("no", False)])
def test_the_self_referral_answer_about_the_employer_is_the_first_version(client, world, answer, told):
    from supportpath.referrals.tests.test_self_referral import answer_everything

    login_as(client, world.doctor)
    answer_everything(client, employer={"employer_may_be_told": answer})
    from supportpath.referrals.models import SelfReferralDraft

    token = SelfReferralDraft.objects.get(doctor=world.doctor.doctor_profile).answers["token"]
    client.post(reverse("referrals:self_referral_check"), {"token": token})
    new = (
        SupportRequest.objects.filter(doctor=world.doctor.doctor_profile)
        .exclude(pk__in=[world.self_request.pk, world.referral.pk])
        .get()
    )
    assert new.employer_may_be_told is told
    versions = agreement.versions(new)
    assert [(v.source, v.grants) for v in versions] == ([(Source.SELF_REFERRAL, ["employer:stage"])] if told else [])


def test_a_plan_cannot_share_wellbeing_content_or_share_with_a_referrer_who_does_not_exist(world):
    agreement.add_from_plan(
        world.self_request,
        {("referrer", "goals"), ("employer", "wellbeing"), ("employer", "goals")},
        plan_version=1,
        by=world.doctor,
    )
    assert agreement.grants_for(world.self_request) == {("employer", "goals")}


def test_nothing_changed_makes_no_version(world):
    agreement.set_audience(world.referral, Audience.REFERRER, [Item.GOALS], by=world.doctor, based_on=0)
    assert agreement.set_audience(world.referral, Audience.REFERRER, [Item.GOALS], by=world.doctor, based_on=0) is None
    agreement.add_from_plan(world.referral, {("referrer", "goals")}, plan_version=1, by=world.doctor)
    assert AgreementVersion.objects.count() == 1


def test_grant_rows_always_mirror_the_newest_version(world):
    request = world.referral
    agreement.set_audience(request, Audience.REFERRER, [Item.GOALS, Item.STAGE], by=world.doctor, based_on=0)
    agreement.set_audience(request, Audience.EMPLOYER, [Item.REASONS], by=world.doctor, based_on=1)
    agreement.set_audience(request, Audience.REFERRER, [Item.STAGE], by=world.doctor, based_on=2)
    newest = agreement.versions(request)[0]
    rows = sorted(f"{g.audience}:{g.item}" for g in Grant.objects.filter(agreement__request=request))
    assert rows == newest.grants == ["employer:reasons", "referrer:stage"]
    assert newest.removed == ["referrer:goals"] and newest.made_by_name == "Dr Ada Example"


def test_sharing_with_an_audience_that_does_not_exist_is_refused(world):
    with pytest.raises(agreement.NotAllowed):
        agreement.set_audience(world.self_request, Audience.REFERRER, [Item.GOALS], by=world.doctor, based_on=0)
    with pytest.raises(ValueError):
        agreement.allows(world.self_request, "neighbour", Item.GOALS)


def test_download_my_data_holds_the_sharing_choices_and_every_version(client, world):
    agreement.set_audience(world.referral, Audience.REFERRER, [Item.GOALS], by=world.doctor, based_on=0)
    agreement.set_audience(world.referral, Audience.REFERRER, [Item.STAGE], by=world.doctor, based_on=1)
    login_as(client, world.doctor)
    archive = zipfile.ZipFile(io.BytesIO(client.post(reverse("audit:download_my_data")).content))
    data = json.loads(archive.read("sharing.json"))
    mine = next(r for r in data if r["request"] == world.referral.reference)
    assert mine["shared_now"] == [
        {"with": "The person who referred you", "what": "The stage your support is at", "why": "Your choice"}
    ]
    assert [v["version"] for v in mine["versions"]] == [1, 2]
    assert mine["versions"][1]["removed"] == ["The person who referred you: Goals"]
    assert "Your choices about sharing" in archive.read("my-data.html").decode()
    consents = json.loads(archive.read("consents.json"))
    assert all("employer" not in row["choice"].lower() for row in consents)


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_every_earlier_choice_into_an_agreement():
    """Earlier choices lived on the request (and in the agreed plan); the data migration moves them, oldest
    first, and the referrals migration then removes the old fields."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    copy = ("sharing", "0002_copy_earlier_choices")
    # The referrals migration that removes the old fields, whatever it is numbered, and the one before it.
    removal = next(key for key, node in graph.node_map.items() if copy in {parent.key for parent in node.parents})
    before = [("sharing", "0001_initial")] + [p.key for p in graph.node_map[removal].parents if p.key != copy]
    leaves = executor.loader.graph.leaf_nodes()
    old = executor.migrate(before).apps  # every app's models as they were before sharing agreements
    try:
        ids = _old_world(old)
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        by_request = {a.request_id: a for a in SharingAgreement.objects.all()}

        mandated = by_request[ids["mandated"]]
        assert [(v.number, v.source) for v in mandated.versions.order_by("number")] == [(1, Source.MANDATED)]
        told = by_request[ids["told"]]
        assert [(v.source, v.grants) for v in told.versions.all()] == [(Source.SELF_REFERRAL, ["employer:stage"])]
        progress = by_request[ids["progress"]]
        sources = [(v.number, v.source, v.plan_version) for v in progress.versions.order_by("number")]
        assert sources == [(1, Source.EARLIER_CHOICE, None), (2, Source.PLAN, 1)]
        assert sorted(f"{g.audience}:{g.item}" for g in progress.grants.all()) == [
            "referrer:goals",
            "referrer:stage",
            "responsible_officer:milestones",
        ]
        assert ids["quiet"] not in by_request
    finally:
        SharingAgreement.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)


def _old_world(apps) -> dict[str, int]:
    """Rows as they were before sharing agreements, made with the models of that time."""
    from django.utils import timezone

    from supportpath.plans import content as plan_content

    Organisation = apps.get_model("accounts", "Organisation")
    User = apps.get_model("accounts", "User")
    DoctorProfile = apps.get_model("accounts", "DoctorProfile")
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    Case = apps.get_model("casework", "Case")
    SupportPlan = apps.get_model("plans", "SupportPlan")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    now = timezone.now()
    service = Organisation.objects.create(name="Migration Fictional Unit", kind="regional_psu")
    trust = Organisation.objects.create(name="Migration Fictional Trust", kind="acute_trust", support_service=service)
    staff = User.objects.create(email="migration.staff@example.test", full_name="Staff Person")
    ids = {}
    for n, (name, fields) in enumerate(
        [
            ("mandated", {"route": Route.RESPONSIBLE_OFFICER, "referrer": staff, "mandated": True}),
            ("told", {"route": Route.SELF, "employer_may_be_told": True}),
            ("progress", {"route": Route.SUPERVISOR, "referrer": staff, "referrer_sees_progress": True}),
            ("quiet", {"route": Route.SELF}),
        ]
    ):
        user = User.objects.create(email=f"migration{n}@example.test", full_name=f"Dr Migration {n}")
        doctor = DoctorProfile.objects.create(
            user=user, gmc_number=f"860000{n}", gmc_number_hash=f"hash{n}", employer=trust
        )
        request = SupportRequest.objects.create(
            reference=f"SP-MIGR-000{n}",
            doctor=doctor,
            service=service,
            submitted_at=now,
            first_contact_due=now.date(),
            **fields,
        )
        ids[name] = request.pk
    case = Case.objects.create(
        request_id=ids["progress"],
        case_manager=staff,
        opened_at=now,
        initial_conversation_due=now.date(),
        plan_agreed_due=now.date(),
    )
    body = plan_content.empty()
    body["sharing"]["goals"] = ["referrer"]
    body["sharing"]["milestones"] = ["responsible_officer"]
    plan = SupportPlan.objects.create(case=case)
    PlanVersion.objects.create(
        plan=plan, number=1, status="agreed", content=body, created_by=staff, agreed_at=now + _minutes(5)
    )
    return ids


def _minutes(n: int):
    import datetime as dt

    return dt.timedelta(minutes=n)


def test_a_referral_made_without_a_version_still_shows_its_minimum(world):
    request = f.SupportRequestFactory(
        doctor=world.other_doctor.doctor_profile,
        route=Route.SUPERVISOR,
        referrer=world.referrer,
        referrer_organisation=world.trust,
        mandated=True,
    )
    assert agreement.grants_for(request) == MANDATED_MINIMUM
    agreement.set_audience(request, Audience.EMPLOYER, [Item.GOALS], by=world.other_doctor, based_on=0)
    versions = agreement.versions(request)
    assert [(v.number, v.source) for v in versions] == [(2, Source.DOCTOR), (1, Source.MANDATED)]
