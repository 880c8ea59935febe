from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("cases/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("cases/<int:pk>/edit/", views.edit_plan, name="edit_plan"),
    path("cases/<int:pk>/share/", views.share_plan, name="share_plan"),
    path("my-plan/<int:pk>/", views.my_plan, name="my_plan"),
    path("my-plan/<int:pk>/agree/", views.agree_plan, name="agree_plan"),
    path("my-plan/<int:pk>/changes/", views.ask_for_changes, name="ask_for_changes"),
    path("my-plan/<int:pk>/plan.pdf", views.my_plan_pdf, name="my_plan_pdf"),
]
