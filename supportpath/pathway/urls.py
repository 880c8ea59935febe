from django.urls import include, path

from . import views

app_name = "pathway"
# The doctor's own pages live under /my-support/ with everything else about their own support; their old
# addresses (/support/my-support/…) redirect (supportpath/core/legacy_addresses.py).
urlpatterns = [
    path(
        "support/",
        include(
            [
                path("cases/<int:pk>/", views.case_detail, name="case_detail"),
                path("cases/<int:pk>/conversation/", views.arrange_conversation, name="arrange_conversation"),
                path("cases/<int:pk>/needs/", views.needs_assessment, name="needs_assessment"),
                path("cases/<int:pk>/sessions/new/", views.record_session, name="record_session"),
                path("sessions/<int:pk>/correct/", views.correct_session, name="correct_session"),
                path("cases/<int:pk>/my-private-notes/", views.own_private_notes, name="own_private_notes"),
            ]
        ),
    ),
    path(
        "my-support/",
        include(
            [
                path("case/<int:pk>/", views.my_case, name="my_case"),
                path("case/<int:pk>/another-time/", views.ask_for_another_time, name="another_time"),
                path("case/<int:pk>/comment/", views.comment_on_assessment, name="comment_on_assessment"),
            ]
        ),
    ),
]
