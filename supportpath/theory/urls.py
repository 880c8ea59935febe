from django.urls import path

from . import views

app_name = "theory"
urlpatterns = [
    path("theory/", views.registry_page, name="registry"),
    path("theory/load-from-paper/", views.ship, name="ship"),
    path("theory/new/", views.add, name="add"),
    path("theory/report/", views.report_page, name="report"),
    path("theory/overview/", views.overview, name="overview"),
    path("theory/overview.pdf", views.overview_pdf, name="overview_pdf"),
    path("theory/cmocs/<int:pk>/", views.cmoc, name="cmoc"),
    path("theory/cmocs/<int:pk>/refine/", views.refine, name="refine"),
    path("theory/cmocs/<int:pk>/retire/", views.retire, name="retire"),
    path("theory/cmocs/<int:pk>/judgement/", views.judge, name="judge"),
    path("theory/exports/", views.exports, name="exports"),
    path("theory/exports/new/", views.export_new, name="export_new"),
    path("theory/exports/<int:pk>/", views.export_detail, name="export"),
    path("theory/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
