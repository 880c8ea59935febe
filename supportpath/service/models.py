"""The service admin's records about their own service's people: invitations to join, and what changed (a role,
a membership ended and who took over its work, a two-step sign-in reset, a case moved to someone else).

A membership itself lives in ``accounts.Membership`` and ends by deleting that row; the record of who ended it,
when, and who took over is kept here."""

from django.conf import settings
from django.db import models

from supportpath.accounts.models import Organisation, Role
from supportpath.casework.models import Case


class StaffInvitation(models.Model):
    """An emailed link to join an organisation in a role. Only the token's SHA-256 hash is stored; the link works
    until ``expires_at``, once."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Where the membership will be: the service itself for its staff; an organisation it serves for referrers
    # and responsible officers.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff_invitations")
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} as {self.get_role_display()} at {self.organisation}"


class ChangeKind(models.TextChoices):
    INVITED = "invited", "Invited"
    JOINED = "joined", "Joined"
    ROLE_CHANGED = "role_changed", "Role changed"
    ENDED = "ended", "Membership ended"
    SECOND_FACTOR_RESET = "second_factor_reset", "Two-step sign-in reset"


class StaffChange(models.Model):
    """One thing a service admin (or the installation's first set-up) did to someone's place in the service.
    Append-only: the staff pages show them as the service's history of its people."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written at the time, so the history still reads after an account has gone.
    person_name = models.CharField(max_length=150)
    person_email = models.EmailField(blank=True)
    kind = models.CharField(max_length=32, choices=ChangeKind.choices)
    role = models.CharField(max_length=32, choices=Role.choices)
    new_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When a membership ended or a role changed: who took over the open cases and allocations, and how many.
    cases_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allocations_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cases_moved = models.PositiveIntegerField(default=0)
    allocations_moved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"


class MoveReason(models.TextChoices):
    MOVED = "moved", "Moved to another case manager"
    LEFT = "left", "Their membership ended"
    ROLE_CHANGED = "role_changed", "Their role changed"


class CaseMove(models.Model):
    """A case's case manager, or its facilitator, changed to someone else of the service."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="moves")
    role = models.CharField(max_length=32, choices=Role.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=32, choices=MoveReason.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_role_display()} moved"
