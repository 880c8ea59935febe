"""Measures panels for pages that lower apps own (the case page, My support, the case managers' inbox), which
include ``measures/_*.jinja``: those apps never import this one. The values are functions, called only by the
templates that include the panels, so no other page pays a query for them."""

from django.http import HttpRequest

from supportpath.accounts.models import Role
from supportpath.accounts.roles import is_doctor, organisation_ids_for
from supportpath.core.written_out import records

from . import access
from .models import SafetyAlert
from .offers import summary_for


def measures(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)

    def case_panel(case) -> dict:
        """Open safety alerts on the case (case managers), and whether the results may be read here."""
        if user is None or not user.is_authenticated:
            return {"alerts": [], "may_read": False}
        is_case_manager = case.request.service_id in organisation_ids_for(user, Role.CASE_MANAGER)
        alerts = []
        if is_case_manager:
            # Read as rows (``core.written_out``): every load of the case page asks.
            where = "request_id IN ({ids}) AND followed_up_at IS NULL"
            alerts = records(SafetyAlert, where, [case.request_id], order_by="raised_at")
        return {"alerts": alerts, "may_read": access.may_read_results(user, case), "is_case_manager": is_case_manager}

    def inbox_alerts() -> list:
        if user is None or not user.is_authenticated:
            return []
        # Only what the inbox shows (the reference, when it was raised): every column of the request and of
        # the answers, decrypted, cost more than the inbox's own list (docs/scale.md).
        waiting = access.alerts_waiting_for_case_manager(user).select_related("request")
        return list(waiting.only("raised_at", "request__reference")[:50])

    def doctor_panel() -> dict:
        if user is None or not is_doctor(user):
            return {"waiting": 0, "has_results": False}
        summary = summary_for(user.doctor_profile, counts_only=True)  # decrypts nothing it does not show
        return {"waiting": summary.waiting, "has_results": summary.has_results, "offered": bool(summary.offers)}

    return {
        "measures_case_panel": case_panel,
        "measures_inbox_alerts": inbox_alerts,
        "measures_doctor_panel": doctor_panel,
    }
