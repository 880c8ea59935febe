"""The people every access test is written for (healthchecks' alice/bob/charlie, in our domain).

``world`` builds two support services, a trust served by the first, and one person in each role, plus a
self-referral and a third-party referral for ``doctor``. Access tests log in as each persona in turn.
"""

from dataclasses import dataclass

from supportpath.accounts.models import Role
from supportpath.facilitation.models import Allocation, FacilitatorProfile
from supportpath.referrals.models import Route

from . import factories as f


@dataclass
class World:
    service: object
    other_service: object
    trust: object
    doctor: object  # a User with a doctor_profile
    other_doctor: object
    referrer: object
    case_manager: object
    other_case_manager: object
    facilitator: object
    self_request: object
    referral: object
    case: object  # the self_request, accepted: managed by case_manager, no facilitator yet
    facilitator_membership: object
    facilitator_profile: object  # facilitator's profile with the North service
    allocation: object  # case offered to facilitator, not answered yet

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "anonymous",
    "doctor",
    "other_doctor",
    "referrer",
    "case_manager",
    "other_case_manager",
    "facilitator",
]


def build_world() -> World:
    service = f.ServiceFactory(name="North Fictional Professional Support Unit")
    other_service = f.ServiceFactory(name="South Fictional Professional Support Unit")
    trust = f.OrganisationFactory(name="Fictional General Hospital NHS Trust", support_service=service)

    doctor = f.DoctorFactory(employer=trust, user__full_name="Dr Ada Example").user
    other_doctor = f.DoctorFactory(employer=trust, user__full_name="Dr Ben Example").user
    referrer = f.MembershipFactory(
        organisation=trust, role=Role.REFERRER, job_title="Educational supervisor", user__full_name="Dr Cara Supervisor"
    ).user
    case_manager = f.MembershipFactory(organisation=service, role=Role.CASE_MANAGER, user__full_name="Dan Manager").user
    other_case_manager = f.MembershipFactory(
        organisation=other_service, role=Role.CASE_MANAGER, user__full_name="Eve Elsewhere"
    ).user
    facilitator_membership = f.MembershipFactory(
        organisation=service, role=Role.FACILITATOR, user__full_name="Fay Coach"
    )
    facilitator = facilitator_membership.user

    self_request = f.SupportRequestFactory(doctor=doctor.doctor_profile, service=service, reasons=["career"])
    referral = f.SupportRequestFactory(
        doctor=doctor.doctor_profile,
        service=service,
        route=Route.SUPERVISOR,
        referrer=referrer,
        referrer_organisation=trust,
        referral_description="Dr Example has told me she is finding the rota exhausting.",
        doctor_account="",
        reasons=["mental_health", "confidence"],
    )
    case = f.CaseFactory(request=self_request, case_manager=case_manager)
    facilitator_profile = FacilitatorProfile.objects.create(
        user=facilitator, service=service, role="coach", specialisms=["career"], capacity=4
    )
    allocation = Allocation.objects.create(case=case, facilitator=facilitator, proposed_by=case_manager)
    return World(
        service=service,
        other_service=other_service,
        trust=trust,
        doctor=doctor,
        other_doctor=other_doctor,
        referrer=referrer,
        case_manager=case_manager,
        other_case_manager=other_case_manager,
        facilitator=facilitator,
        self_request=self_request,
        referral=referral,
        case=case,
        facilitator_membership=facilitator_membership,
        facilitator_profile=facilitator_profile,
        allocation=allocation,
    )
