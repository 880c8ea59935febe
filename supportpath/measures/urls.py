from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("my-support/questionnaires/", views.my_measures, name="my_measures"),
    path("my-support/questionnaires/results/", views.my_results, name="my_results"),
    path("my-support/questionnaires/answers/<int:pk>/<int:number>/", views.question, name="question"),
    path("my-support/questionnaires/answers/<int:pk>/finished/", views.finished, name="finished"),
    path("my-support/questionnaires/<str:reference>/sharing/", views.share, name="share"),
    path("my-support/questionnaires/<str:reference>/<str:point_key>/<slug:key>/", views.start, name="start"),
    path("measures/cases/<int:pk>/", views.case_results, name="case_results"),
    path("measures/cases/<int:pk>/export/", views.case_export, name="case_export"),
    path("measures/alerts/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("measures/service/", views.service_settings, name="service_settings"),
    path("measures/service/load/", views.load_definition, name="load_definition"),
]
