from django.urls import include, path

from . import views

app_name = "plans"
# The doctor's own plan lives under /my-support/ with everything else about their own support; its old
# addresses (/plans/my-plan/…) redirect (supportpath/core/legacy_addresses.py).
urlpatterns = [
    path(
        "plans/",
        include(
            [
                path("cases/<int:pk>/", views.plan_detail, name="plan_detail"),
                path("cases/<int:pk>/edit/", views.edit_plan, name="edit_plan"),
                path("cases/<int:pk>/share/", views.share_plan, name="share_plan"),
            ]
        ),
    ),
    path(
        "my-support/",
        include(
            [
                path("case/<int:pk>/plan/", views.my_plan, name="my_plan"),
                path("case/<int:pk>/plan/agree/", views.agree_plan, name="agree_plan"),
                path("case/<int:pk>/plan/changes/", views.ask_for_changes, name="ask_for_changes"),
                path("case/<int:pk>/plan/plan.pdf", views.my_plan_pdf, name="my_plan_pdf"),
            ]
        ),
    ),
]
