from django.urls import path

from . import views

app_name = "emergency_access"
urlpatterns = [
    path("", views.my_grants, name="my_grants"),
    path("open/", views.open_access, name="open"),
    path("<int:pk>/", views.record, name="record"),
    path("<int:pk>/end/", views.end, name="end"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("alerts/<int:pk>/seen/", views.mark_seen, name="mark_seen"),
    path("notices/<int:pk>/read/", views.doctor_read, name="doctor_read"),
]
