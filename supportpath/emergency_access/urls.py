from django.urls import include, path

from . import views

app_name = "emergency_access"
# The notice a doctor reads about emergency access to their record is theirs, under /my-support/; its old
# address (/emergency-access/notices/…) redirects (supportpath/core/legacy_addresses.py).
urlpatterns = [
    path(
        "emergency-access/",
        include(
            [
                path("", views.my_grants, name="my_grants"),
                path("open/", views.open_access, name="open"),
                path("<int:pk>/", views.record, name="record"),
                path("<int:pk>/end/", views.end, name="end"),
                path("alerts/<int:pk>/", views.alert, name="alert"),
                path("alerts/<int:pk>/seen/", views.mark_seen, name="mark_seen"),
            ]
        ),
    ),
    path("my-support/emergency-access/<int:pk>/read/", views.doctor_read, name="doctor_read"),
]
