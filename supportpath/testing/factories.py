"""factory_boy factories for tests. All names and numbers are fictional."""

import datetime as dt

import factory
from django.utils import timezone

from supportpath.accounts.models import (
    CareerStage,
    ContractType,
    DoctorProfile,
    Membership,
    Organisation,
    OrganisationKind,
    QualificationRegion,
    Role,
    User,
)
from supportpath.casework.models import Case
from supportpath.core.working_days import add_working_days
from supportpath.referrals.models import Route, SupportRequest, SupportRequestReason

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Fictional Organisation {n}")
    kind = OrganisationKind.ACUTE_TRUST


class ServiceFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Fictional Professional Support Unit {n}")
    kind = OrganisationKind.REGIONAL_PSU


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASE_MANAGER


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorProfile

    user = factory.SubFactory(UserFactory)
    gmc_number = factory.Sequence(lambda n: f"{7000000 + n}")
    career_stage = CareerStage.SPECIALTY_TRAINEE
    contract_type = ContractType.RESIDENT
    qualification_region = QualificationRegion.UK
    employer = factory.SubFactory(OrganisationFactory)


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest
        skip_postgeneration_save = True

    doctor = factory.SubFactory(DoctorFactory)
    service = factory.LazyAttribute(lambda o: o.doctor.employer.serving_service)
    route = Route.SELF
    doctor_account = "I have been finding night shifts very hard since my rotation changed."
    contact_method = "email"
    submitted_at = factory.LazyFunction(timezone.now)
    first_contact_due = factory.LazyAttribute(lambda o: add_working_days(timezone.localdate(o.submitted_at), 5))

    @factory.post_generation
    def reasons(obj, create, extracted, **kwargs):
        if create:
            for reason in extracted or ["mental_health"]:
                SupportRequestReason.objects.create(request=obj, reason=reason)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    request = factory.SubFactory(SupportRequestFactory, status="accepted")
    case_manager = factory.SubFactory(UserFactory)
    opened_at = factory.LazyFunction(timezone.now)
    stage = "initial_conversation"
    initial_conversation_due = factory.LazyAttribute(lambda o: add_working_days(timezone.localdate(o.opened_at), 10))
    plan_agreed_due = factory.LazyAttribute(lambda o: add_working_days(timezone.localdate(o.opened_at), 25))


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def agreed_plan(case, *, by, goals=None, milestones=(), review_dates=()):
    """An agreed plan version for ``case``: goals as (text, importance, difficulty), milestones as (text, date)."""
    from supportpath.plans import content as plan_content
    from supportpath.plans.models import PlanVersion, SupportPlan, VersionStatus

    body = plan_content.empty()
    for text, importance, difficulty in goals or [("Lead the ward round", 2, 2)]:
        body["goals"].append(
            {
                "text": text,
                "levels": {str(level): f"{text}: level {level}" for level in (-2, -1, 0, 1, 2)},
                "importance": importance,
                "difficulty": difficulty,
                "baseline": -1,
            }
        )
    body["milestones"] = [{"text": text, "due": due.isoformat()} for text, due in milestones]
    body["review_dates"] = [d.isoformat() for d in review_dates]
    plan, _ = SupportPlan.objects.get_or_create(case=case)
    number = plan.versions.count() + 1
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        status=VersionStatus.AGREED,
        content=body,
        created_by=by,
        shared_at=timezone.now(),
        agreed_at=timezone.now(),
    )
