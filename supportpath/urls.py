from django.urls import include, path

urlpatterns = [
    path("", include("supportpath.core.urls")),
    path("account/", include("supportpath.accounts.urls")),
    path("", include("supportpath.referrals.urls")),
    path("cases/", include("supportpath.casework.urls")),
    path("my-support/", include("supportpath.audit.urls")),
    path("support/", include("supportpath.pathway.urls")),
    path("plans/", include("supportpath.plans.urls")),
    path("facilitation/", include("supportpath.facilitation.urls")),
    path("progress/", include("supportpath.progress.urls")),
    path("", include("supportpath.records.urls")),
]
