"""Demo stage: a referral whose doctor was invited by email and has not created their account yet.

The doctor is one of the demo's doctors who cannot sign in; their referral is still waiting for first contact
and they have not read it. The invitation link is made from a fixed, published string (like the demo's
authenticator key), so ``seed_demo`` can print it and running it again finds the same invitation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supportpath.referrals import referral_services
from supportpath.referrals.models import ReferralInvitation, Route, Status, SupportRequest, hash_token

if TYPE_CHECKING:
    from .demo_state import Demo

DEMO_INVITATION_TOKEN = "demo-invitation-for-a-referred-doctor-not-yet-registered"  # noqa: S105 # nosec B105


def invitation_path() -> str:
    return f"/referrals/invitation/{DEMO_INVITATION_TOKEN}/"


def seed_pending_invitation(demo: Demo) -> None:
    if ReferralInvitation.objects.filter(token_hash=hash_token(DEMO_INVITATION_TOKEN)).exists():
        return
    candidates = [
        request
        for request in SupportRequest.objects.filter(
            pk__in=demo.request_keys, status=Status.RECEIVED, doctor_seen_referral_at__isnull=True
        )
        .exclude(route=Route.SELF)
        .select_related("doctor__user")
        .order_by("reference")
        if not request.doctor.user.has_usable_password() and not hasattr(request, "invitation")
    ]
    if not candidates:
        return
    referral = candidates[0]
    # Through the product's service, dated when the referral was made, with the demo's published link.
    referral_services.invite_to_register(referral, at=referral.submitted_at, secret=DEMO_INVITATION_TOKEN)
    demo.created["invitations"] += 1
