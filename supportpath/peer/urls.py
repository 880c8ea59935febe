from django.urls import include, path

from . import views

app_name = "peer"
# A doctor's own peer support (asking, offering, their matches, joining a group) lives under /my-support/ with
# everything else about their own support; the old addresses (/peer-support/…) redirect
# (supportpath/core/legacy_addresses.py). The service's pages, the groups' pages (staff see them too) and the
# practices' anonymous check stay under /peer-support/.
urlpatterns = [
    path(
        "my-support/peer-support/",
        include(
            [
                path("", views.home, name="home"),
                path("offer/", views.offer, name="offer"),
                path("offer/status/", views.my_status, name="my_status"),
                path("ask/", views.ask, name="ask"),
                path("matches/<int:pk>/", views.match, name="match"),
                path("matches/<int:pk>/end/", views.end_match, name="end_match"),
                path("matches/<int:pk>/concern/", views.concern, name="concern"),
                path("groups/<int:pk>/join/", views.join, name="join"),
            ]
        ),
    ),
    path(
        "peer-support/",
        include(
            [
                path("service/", views.supporters, name="supporters"),
                path("service/supporters/<int:pk>/", views.supporter, name="supporter"),
                path("service/requests/<int:pk>/", views.peer_request, name="request"),
                path("groups/", views.groups, name="groups"),
                path("groups/new/", views.new_group, name="new_group"),
                path("groups/<int:pk>/", views.group, name="group"),
                path("groups/<int:pk>/meeting/", views.record_meeting, name="record_meeting"),
                path("groups/members/<int:pk>/admit/", views.admit, name="admit"),
                path("checks/", views.checks, name="checks"),
                path("checks/start/", views.start_check, name="start_check"),
                path("checks/<int:pk>/", views.check, name="check"),
                path("checks/<int:pk>/close/", views.close_check, name="close_check"),
                path("check/<str:token>/", views.answer_check, name="answer_check"),
            ]
        ),
    ),
]
