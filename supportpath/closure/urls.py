from django.urls import include, path

from . import views

# The addresses did not change when closure became an app of its own: the staff's pages are under /progress/ with
# the rest of the case's progress, the doctor's feedback under /my-support/ with everything else about their own
# support (supportpath/urls.py includes this at the root).
app_name = "closure"
urlpatterns = [
    path(
        "progress/",
        include(
            [
                path("cases/<int:pk>/close/", views.close_case, name="close_case"),
                path("peer-supporters/offers/", views.peer_supporter_offers, name="peer_supporter_offers"),
            ]
        ),
    ),
    path("my-support/", include([path("case/<int:pk>/feedback/", views.exit_feedback, name="exit_feedback")])),
]
