from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("my-support/<str:reference>/who-can-see-what/", views.who_can_see_what, name="who_can_see_what"),
    path("my-support/<str:reference>/who-can-see-what/history/", views.history, name="history"),
    path("my-support/<str:reference>/who-can-see-what/<slug:audience_slug>/", views.change, name="change"),
    path("responsible-officer/", views.officer_doctors, name="officer_doctors"),
    path("responsible-officer/<str:reference>/", views.officer_request, name="officer_request"),
]
