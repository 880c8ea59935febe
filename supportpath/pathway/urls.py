from django.urls import path

from . import views

app_name = "pathway"
urlpatterns = [
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/conversation/", views.arrange_conversation, name="arrange_conversation"),
    path("cases/<int:pk>/needs/", views.needs_assessment, name="needs_assessment"),
    path("cases/<int:pk>/sessions/new/", views.record_session, name="record_session"),
    path("sessions/<int:pk>/correct/", views.correct_session, name="correct_session"),
    path("cases/<int:pk>/my-private-notes/", views.own_private_notes, name="own_private_notes"),
    path("my-support/case/<int:pk>/", views.my_case, name="my_case"),
    path("my-support/case/<int:pk>/another-time/", views.ask_for_another_time, name="another_time"),
    path("my-support/case/<int:pk>/comment/", views.comment_on_assessment, name="comment_on_assessment"),
]
