"""Keeping ``SupportRequest.doctor_employer`` equal to the doctor's employer: when a doctor's employer changes
(on Your account, or by anyone saving the profile with it), their requests follow, so the responsible officer of
the new employer reaches them and the old one no longer does, as when the list read the doctor's profile."""

from typing import Any

from django.db.models.signals import post_save

from supportpath.accounts.models import DoctorProfile

from .models import SupportRequest


def follow_employer(sender: type[DoctorProfile], instance: DoctorProfile, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if created or (update_fields is not None and "employer" not in update_fields):
        return
    SupportRequest.objects.filter(doctor=instance).exclude(doctor_employer_id=instance.employer_id).update(
        doctor_employer_id=instance.employer_id
    )


def connect() -> None:
    post_save.connect(follow_employer, sender=DoctorProfile, dispatch_uid="referrals.follow_employer")
