"""What a signed-in person may do, read from their memberships (cached on the user for the request)."""

from django.urls import reverse

from .models import Membership, Role, User


def memberships(user: User) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(user.memberships.select_related("organisation"))
        user._memberships_cache = cached
    return cached


def has_role(user: User, role: str) -> bool:
    return any(m.role == role for m in memberships(user))


def organisation_ids_for(user: User, role: str) -> set[int]:
    return {m.organisation_id for m in memberships(user) if m.role == role}


def membership_for(user: User, role: str) -> Membership | None:
    return next((m for m in memberships(user) if m.role == role), None)


def is_doctor(user: User) -> bool:
    return user.is_authenticated and hasattr(user, "doctor_profile")


def home_url_for(user: User) -> str:
    """Where each person lands after signing in: the page for the work they most often come to do."""
    if has_role(user, Role.CASE_MANAGER):
        return reverse("casework:inbox")
    if has_role(user, Role.RESPONSIBLE_OFFICER):
        return reverse("sharing:officer_doctors")
    if has_role(user, Role.REFERRER):
        return reverse("referrals:my_referrals")
    if is_doctor(user):
        return reverse("referrals:my_support")
    if has_role(user, Role.FACILITATOR):
        return reverse("facilitation:my_allocations")
    if has_role(user, Role.SERVICE_ADMIN):
        return reverse("service:home")
    if has_role(user, Role.ORGANISATION_LEAD):
        return reverse("culture:home")
    if has_role(user, Role.EVALUATOR):
        # The service's insights (supportpath/insights), named here only by their address.
        return reverse("insights:service")
    return reverse("accounts:your_account")
