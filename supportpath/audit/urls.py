from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("who-has-seen-my-record/", views.access_log, name="access_log"),
    path("download-my-data/", views.download_my_data, name="download_my_data"),
]
