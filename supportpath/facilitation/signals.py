"""Changes that can alter a service's waiting-list allocation mark its stored proposal as old.

One UPDATE per change, keyed by service; the work itself waits for the next view of the waiting list, which
queues a background run (``matching_runs``). Models of other apps are named by label, so this app imports
none of them.
"""

from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save

from supportpath.casework.models import Case

from . import matching_runs
from .models import Allocation, FacilitatorProfile, MatchingPreferences


def _service_of_case(case_id):
    return Subquery(Case.objects.filter(pk=case_id).values("request__service_id")[:1])


def _case_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("signal") is post_delete:
        return  # its proposal went with it, and so did the case from the list
    matching_runs.changed_where(service_id=_service_of_case(instance.pk))


def _changed_through_case(sender, instance, **kwargs) -> None:
    matching_runs.changed_where(service_id=_service_of_case(instance.case_id))


def _profile_changed(sender, instance, **kwargs) -> None:
    matching_runs.changed([instance.service_id])


def _conflicts_changed(sender, instance, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, FacilitatorProfile):
        matching_runs.changed([instance.service_id])


def _membership_changed(sender, instance, **kwargs) -> None:
    matching_runs.changed([instance.organisation_id])


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_case_changed, sender=Case, dispatch_uid="matching_case")
        signal.connect(_changed_through_case, sender=Allocation, dispatch_uid="matching_allocation")
        signal.connect(_changed_through_case, sender=MatchingPreferences, dispatch_uid="matching_preferences")
        signal.connect(_changed_through_case, sender="pathway.NeedsAssessment", dispatch_uid="matching_needs")
        signal.connect(_profile_changed, sender=FacilitatorProfile, dispatch_uid="matching_profile")
        signal.connect(_membership_changed, sender="accounts.Membership", dispatch_uid="matching_membership")
    conflicts = FacilitatorProfile.conflicted_organisations.through
    m2m_changed.connect(_conflicts_changed, sender=conflicts, dispatch_uid="matching_conflicts")
