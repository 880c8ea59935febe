from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("accepted/", views.cases, name="cases"),
    path("requests/<str:reference>/", views.request_detail, name="request_detail"),
    path("requests/<str:reference>/close/", views.close_request, name="close_request"),
]
