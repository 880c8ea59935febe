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
