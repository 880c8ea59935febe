"""Keeping ``SupportRequest.doctor_employer`` equal to the doctor's employer: when a doctor's employer changes
(on Your account, or by anyone saving the profile with it), their requests follow, so the responsible officer of
the new employer reaches them and the old one no longer does, as when the list read the doctor's profile.

And ``SupportRequest.doctor_name`` equal to the doctor's account name, which orders the responsible officer's
list: whenever an account is saved with its name, its requests as a doctor follow. (An erasure blanks the name
with an UPDATE, which sends no signal: the copy goes with the requests, which ``records.erasure`` removes with
everything that hangs off the doctor's profile, and ``reapply_erasures`` removes again after a restore.)"""

from typing import Any

from django.db.models.signals import post_save

from supportpath.accounts.models import DoctorProfile, User

from .models import SupportRequest


def follow_employer(sender: type[DoctorProfile], instance: DoctorProfile, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if created or (update_fields is not None and "employer" not in update_fields):
        return
    SupportRequest.objects.filter(doctor=instance).exclude(doctor_employer_id=instance.employer_id).update(
        doctor_employer_id=instance.employer_id
    )


def follow_name(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    SupportRequest.objects.filter(doctor__user=instance).exclude(doctor_name=instance.full_name).update(
        doctor_name=instance.full_name
    )


def connect() -> None:
    post_save.connect(follow_employer, sender=DoctorProfile, dispatch_uid="referrals.follow_employer")
    post_save.connect(follow_name, sender=User, dispatch_uid="referrals.follow_name")
