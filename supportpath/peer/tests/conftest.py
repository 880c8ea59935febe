import uuid

import pytest

from supportpath.accounts.models import OrganisationKind, Role
from supportpath.peer import services
from supportpath.testing import factories as f


def closed_case_doctor(world, name: str, *, employer=None):
    """A doctor whose support at the North service has ended."""
    employer = employer or f.OrganisationFactory(support_service=world.service)
    doctor = f.DoctorFactory(employer=employer, user__full_name=name)
    request = f.SupportRequestFactory(doctor=doctor, service=world.service, status="accepted")
    f.CaseFactory(request=request, case_manager=world.case_manager, stage="closed")
    return doctor


OFFER = {
    "experiences": ["examinations", "international_graduate"],
    "about": "I failed an exam twice and passed on the third go; I came to the NHS from Lagos.",
    "how_often": "monthly",
    "most_at_once": "2",
}


def approved_supporter(world, name: str = "Dr Sam Supporter", **kwargs):
    doctor = closed_case_doctor(world, name, **kwargs)
    supporter = services.offer(doctor, world.service, OFFER)
    return services.approve(supporter, by=world.case_manager, preparation_done_on=supporter.offered_at.date())


def peer_request(world, doctor=None, **data):
    doctor = doctor or world.doctor.doctor_profile
    return services.ask(
        doctor,
        world.service,
        {"experiences": ["examinations"], "to_tell": "My exam is in March.", **data},
        token=uuid.uuid4(),
    )


@pytest.fixture
def practice(world):
    practice = f.OrganisationFactory(
        name="Fictional Lane Surgery", kind=OrganisationKind.GP_PRACTICE, support_service=world.service
    )
    lead = f.MembershipFactory(
        organisation=practice, role=Role.ORGANISATION_LEAD, user__full_name="Pat Practice-Manager"
    ).user
    return practice, lead
