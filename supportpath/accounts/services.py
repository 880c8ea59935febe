from django.db import models

from .models import DoctorProfile, Membership, Organisation, Role, User


def register_doctor(
    *,
    full_name: str,
    email: str,
    password: str,
    gmc_number: str,
    career_stage: str,
    contract_type: str,
    qualification_region: str,
    employer: Organisation | None,
    specialty: str = "",
) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    DoctorProfile.objects.create(
        user=user,
        gmc_number=gmc_number,
        career_stage=career_stage,
        contract_type=contract_type,
        specialty=specialty,
        qualification_region=qualification_region,
        employer=employer,
    )
    if employer is not None:
        Membership.objects.create(user=user, organisation=employer, role=Role.DOCTOR)
    return user


def end_all_sessions(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=models.F("session_generation") + 1)


def find_doctor_by_gmc_number(gmc_number: str) -> DoctorProfile | None:
    """The one way to look a doctor up by GMC number (the storage of the number may change)."""
    return DoctorProfile.objects.select_related("user", "employer").with_gmc_number(gmc_number).first()
