from django.urls import path

from . import views

app_name = "peer"
urlpatterns = [
    path("", views.home, name="home"),
    path("offer/", views.offer, name="offer"),
    path("offer/status/", views.my_status, name="my_status"),
    path("ask/", views.ask, name="ask"),
    path("matches/<int:pk>/", views.match, name="match"),
    path("matches/<int:pk>/end/", views.end_match, name="end_match"),
    path("matches/<int:pk>/concern/", views.concern, name="concern"),
    path("service/", views.supporters, name="supporters"),
    path("service/supporters/<int:pk>/", views.supporter, name="supporter"),
    path("service/requests/<int:pk>/", views.peer_request, name="request"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.new_group, name="new_group"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/join/", views.join, name="join"),
    path("groups/<int:pk>/meeting/", views.record_meeting, name="record_meeting"),
    path("groups/members/<int:pk>/admit/", views.admit, name="admit"),
    path("checks/", views.checks, name="checks"),
    path("checks/start/", views.start_check, name="start_check"),
    path("checks/<int:pk>/", views.check, name="check"),
    path("checks/<int:pk>/close/", views.close_check, name="close_check"),
    path("check/<str:token>/", views.answer_check, name="answer_check"),
]
