from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("what-to-expect/", views.what_to_expect, name="what_to_expect"),
    path("need-help-now/", views.urgent_help, name="urgent_help"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("home/", views.home, name="home"),
]
