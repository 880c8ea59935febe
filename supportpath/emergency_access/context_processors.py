"""Emergency-access alerts for the pages that show them (the case managers' inbox, the doctor's My support).

The values are functions, called only by the templates that include the alerts, so no other page pays a
query for them.
"""

from django.http import HttpRequest

from . import access, presenters

ALERTS_SHOWN = 20


def emergency_access(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)

    def alerts() -> dict:
        if user is None or not user.is_authenticated:
            return {"rows": [], "more": 0}
        grants = list(
            access.unseen_alerts_for_case_manager(user)
            .select_related("admin", "support_request")
            # Only what presenters.alert_row shows: never the reason (docs/emergency-access.md), and not every
            # column of the admin and the request, decrypted, either (docs/scale.md).
            .only("opened_at", "expires_at", "ended_at", "admin__full_name", "support_request__reference")
            .order_by("-opened_at", "-id")[: ALERTS_SHOWN + 1]
        )
        return {
            "rows": [presenters.alert_row(g) for g in grants[:ALERTS_SHOWN]],
            "more": len(grants) > ALERTS_SHOWN,
        }

    def notices() -> list:
        if user is None or not user.is_authenticated:
            return []
        grants = (
            access.notices_for_doctor(user)
            .filter(doctor_read_at__isnull=True)
            .select_related("admin", "service")
            # Only what presenters.notice_row shows, not every column of the admin and the service: this is read
            # on every load of My support, where there is almost never a notice (docs/scale.md).
            .only("purpose", "reason", "opened_at", "expires_at", "ended_at", "admin__full_name", "service__name")
            .order_by("-opened_at", "-id")
        )
        return [presenters.notice_row(g) for g in grants]

    return {"emergency_access_alerts": alerts, "emergency_access_notices": notices}
