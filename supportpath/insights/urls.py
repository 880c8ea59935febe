from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.service_report, name="service"),
    path("how-the-service-is-doing.csv", views.service_report_csv, name="service_csv"),
    path("board-report/", views.board_report, name="board"),
    path("board-report.pdf", views.board_report_pdf, name="board_pdf"),
]
