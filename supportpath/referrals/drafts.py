"""A self-referral's answers while the doctor is still answering, kept on the server for the signed-in
doctor, encrypted, so that signing out (or being signed out after a quiet spell) loses nothing.

A draft is deleted when the request is sent and is treated as gone once it has not been touched for
``SELF_REFERRAL_DRAFT_DAYS`` days (the start page says so).
"""

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile

from .models import SelfReferralDraft


def _cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.SELF_REFERRAL_DRAFT_DAYS)


def load(doctor: DoctorProfile) -> dict:
    """The doctor's answers so far (and the token that makes sending them happen once)."""
    draft = SelfReferralDraft.objects.filter(doctor=doctor, updated_at__gte=_cutoff()).first()
    if draft is None:
        return {"token": str(uuid.uuid4())}
    return draft.answers


def save(doctor: DoctorProfile, answers: dict) -> None:
    now = timezone.now()
    SelfReferralDraft.objects.update_or_create(doctor=doctor, defaults={"answers": answers, "updated_at": now})
    # Drafts nobody came back to are not kept: clear any that have run out (an indexed, usually empty delete).
    SelfReferralDraft.objects.filter(updated_at__lt=_cutoff()).delete()


def discard(doctor: DoctorProfile) -> None:
    SelfReferralDraft.objects.filter(doctor=doctor).delete()


def kept_until(doctor: DoctorProfile) -> dt.datetime | None:
    """When an unsent draft with at least one answer will be cleared, or None if there is none."""
    draft = SelfReferralDraft.objects.filter(doctor=doctor, updated_at__gte=_cutoff()).first()
    if draft is None or set(draft.answers) <= {"token"}:
        return None
    return draft.updated_at + dt.timedelta(days=settings.SELF_REFERRAL_DRAFT_DAYS)
