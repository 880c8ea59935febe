from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("cases/<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/", views.change, name="change"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/what-happened/", views.outcome, name="outcome"),
]
