from django.urls import include, path

from . import views

app_name = "progress"
# The doctor's own pages live under /my-support/ with everything else about their own support; their old
# addresses (/progress/my-support/…) redirect (supportpath/core/legacy_addresses.py).
urlpatterns = [
    path(
        "progress/",
        include(
            [
                path("cases/<int:pk>/reviews/new/", views.record_review, name="record_review"),
                path("reviews/<int:pk>/correct/", views.correct_review, name="correct_review"),
                path("cases/<int:pk>/milestones/done/", views.mark_milestone_done, name="mark_milestone_done"),
                path("cases/<int:pk>/reassessments/new/", views.record_reassessment, name="record_reassessment"),
                path("cases/<int:pk>/targets/new-date/", views.new_date, name="new_date"),
                path("cases/<int:pk>/pause/", views.pause_case, name="pause_case"),
            ]
        ),
    ),
    path(
        "my-support/",
        include(
            [
                path("case/<int:pk>/reviews/<int:review_pk>/", views.reflect_on_review, name="reflect"),
            ]
        ),
    ),
]
