from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("my-support/erase-my-record/", views.erasure_page, name="erasure"),
    path("my-support/erase-my-record/sent/", views.erasure_sent, name="erasure_sent"),
    path("account-closed/", views.account_closed, name="account_closed"),
    path("service/records-and-retention/", views.records_and_retention, name="records_and_retention"),
    path("service/records-and-retention/erasure-requests/<int:pk>/", views.erasure_decision, name="erasure_decision"),
]
