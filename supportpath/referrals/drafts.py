"""A self-referral's answers while the doctor is still answering, kept on the server, encrypted, so that
nothing typed is lost between pages, nor when the doctor signs out or is signed out after a quiet spell.

A doctor may answer before they have an account (docs/adr/0002-ask-first-account-last.md). Their draft then
belongs to their browser: the browser session holds a random key and the draft holds only its hash. When they
create their account, the emailed link carries them (through ``claim_token``) to a page that hands the draft
to the new account, but only to the account made with the address they typed; signing in on the same browser
hands it over too (``adopt``).

A draft is deleted when the request is sent and is treated as gone once it has not been touched for
``SELF_REFERRAL_DRAFT_DAYS`` days (the start page says so).
"""

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile

from .models import SelfReferralDraft

CLAIM_SALT = "supportpath.referrals.drafts.claim"
# The answer that records the address typed on "Create an account": the only account that may claim it.
ACCOUNT_EMAIL = "account_email"


def _cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.SELF_REFERRAL_DRAFT_DAYS)


def _fresh() -> dict:
    return {"token": str(uuid.uuid4())}


def _hash(browser_key: str) -> str:
    return hashlib.sha256(browser_key.encode()).hexdigest()


def _live():
    return SelfReferralDraft.objects.filter(updated_at__gte=_cutoff())


def _clear_expired() -> None:
    # Drafts nobody came back to are not kept: clear any that have run out (an indexed, usually empty delete).
    SelfReferralDraft.objects.filter(updated_at__lt=_cutoff()).delete()


def load(doctor: DoctorProfile) -> dict:
    """The doctor's answers so far (and the token that makes sending them happen once)."""
    draft = _live().filter(doctor=doctor).first()
    return _fresh() if draft is None else draft.answers


def save(doctor: DoctorProfile, answers: dict) -> None:
    SelfReferralDraft.objects.update_or_create(
        doctor=doctor, defaults={"answers": answers, "updated_at": timezone.now()}
    )
    _clear_expired()


def discard(doctor: DoctorProfile) -> None:
    SelfReferralDraft.objects.filter(doctor=doctor).delete()


def kept_until(doctor: DoctorProfile) -> dt.datetime | None:
    """When an unsent draft with at least one answer will be cleared, or None if there is none."""
    draft = _live().filter(doctor=doctor).first()
    if draft is None or set(draft.answers) <= {"token", ACCOUNT_EMAIL}:
        return None
    return draft.updated_at + dt.timedelta(days=settings.SELF_REFERRAL_DRAFT_DAYS)


# Before the account exists: the draft belongs to a browser.


def new_browser_key() -> str:
    return secrets.token_urlsafe(32)


def load_for_browser(browser_key: str | None) -> dict:
    if not browser_key:
        return _fresh()
    draft = _live().filter(doctor=None, browser_key_hash=_hash(browser_key)).first()
    return _fresh() if draft is None else draft.answers


def save_for_browser(browser_key: str, answers: dict) -> None:
    SelfReferralDraft.objects.update_or_create(
        doctor=None, browser_key_hash=_hash(browser_key), defaults={"answers": answers, "updated_at": timezone.now()}
    )
    _clear_expired()


def adopt(browser_key: str, doctor: DoctorProfile) -> bool:
    """A doctor signed in on the browser that holds a draft: it becomes theirs. What they have just typed wins
    over an older unsent draft of theirs. Returns whether there was one."""
    with transaction.atomic():
        draft = _live().select_for_update().filter(doctor=None, browser_key_hash=_hash(browser_key)).first()
        if draft is None:
            return False
        SelfReferralDraft.objects.filter(doctor=doctor).delete()
        draft.doctor, draft.browser_key_hash, draft.updated_at = doctor, None, timezone.now()
        draft.save(update_fields=["doctor", "browser_key_hash", "updated_at"])
    return True


def claim_token(browser_key: str) -> str:
    """What the emailed link leads back to (through the account's ``next_url``): the draft, signed."""
    draft = SelfReferralDraft.objects.get(doctor=None, browser_key_hash=_hash(browser_key))
    return signing.dumps(draft.pk, salt=CLAIM_SALT)


def claim(token: str, doctor: DoctorProfile) -> bool:
    """Hand a draft to the account made from the emailed link. Only the account with the address typed on
    "Create an account" may take it, so a leaked or guessed link gives nobody else anyone's answers."""
    max_age = dt.timedelta(days=settings.SELF_REFERRAL_DRAFT_DAYS)
    try:
        pk = signing.loads(token, salt=CLAIM_SALT, max_age=max_age)
    except signing.BadSignature:
        return False
    with transaction.atomic():
        draft = _live().select_for_update().filter(pk=pk, doctor=None).first()
        if draft is None or draft.answers.get(ACCOUNT_EMAIL, "").lower() != doctor.user.email.lower():
            return False
        SelfReferralDraft.objects.filter(doctor=doctor).delete()
        draft.doctor, draft.browser_key_hash, draft.updated_at = doctor, None, timezone.now()
        draft.save(update_fields=["doctor", "browser_key_hash", "updated_at"])
    return True
