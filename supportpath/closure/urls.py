from django.urls import path

from . import views

# Under /progress/ with the rest of the case's progress (supportpath/urls.py): the addresses did not change when
# closure became an app of its own.
app_name = "closure"
urlpatterns = [
    path("cases/<int:pk>/close/", views.close_case, name="close_case"),
    path("peer-supporters/offers/", views.peer_supporter_offers, name="peer_supporter_offers"),
    path("my-support/case/<int:pk>/feedback/", views.exit_feedback, name="exit_feedback"),
]
