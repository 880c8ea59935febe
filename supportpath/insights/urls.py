from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.service_report, name="service"),
    path("how-the-service-is-doing.csv", views.service_report_csv, name="service_csv"),
    path("board-report/", views.board_report, name="board"),
    path("board-report.pdf", views.board_report_pdf, name="board_pdf"),
    path("capacity/", views.capacity_forecast, name="capacity"),
    path("equity/", views.equity_report, name="equity"),
    path("workforce/", views.workforce_files, name="workforce"),
    path("workforce-template.csv", views.workforce_template, name="workforce_template"),
]
