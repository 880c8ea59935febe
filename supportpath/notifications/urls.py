from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("healthz/queue", views.queue_health_check, name="queue_health"),
]
