from django.urls import include, path

urlpatterns = [
    path("", include("supportpath.core.urls")),
    path("", include("supportpath.notifications.urls")),
    path("account/", include("supportpath.accounts.urls")),
    path("", include("supportpath.referrals.urls")),
    path("cases/", include("supportpath.casework.urls")),
    path("my-support/", include("supportpath.audit.urls")),
    path("", include("supportpath.pathway.urls")),
    path("", include("supportpath.plans.urls")),
    path("", include("supportpath.facilitation.urls")),
    path("", include("supportpath.progress.urls")),
    path("", include("supportpath.closure.urls")),
    path("service/", include("supportpath.service.urls")),
    path("", include("supportpath.emergency_access.urls")),
    path("", include("supportpath.sharing.urls")),
    path("", include("supportpath.records.urls")),
    path("", include("supportpath.peer.urls")),
    path("", include("supportpath.measures.urls")),
    path("", include("supportpath.culture.urls")),
    path("guide/", include("supportpath.guide.urls")),
    path("messages/", include("supportpath.messaging.urls")),
    path("appointments/", include("supportpath.appointments.urls")),
    path("insights/", include("supportpath.insights.urls")),
    path("", include("supportpath.theory.urls")),
    # Old addresses of pages that moved (the doctor's own to /my-support/, the service admin's to /service/):
    # one table, old -> new.
    path("", include("supportpath.core.legacy_addresses")),
]

handler400 = "supportpath.core.views.bad_request"
handler403 = "supportpath.core.views.permission_denied"
handler404 = "supportpath.core.views.page_not_found"
handler500 = "supportpath.core.views.server_error"
