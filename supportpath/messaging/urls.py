from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("your-work-phone/", views.work_phone, name="work_phone"),
    path("<str:reference>/", views.thread, name="thread"),
    path("<str:reference>/contact-details/", views.doctor_contact, name="doctor_contact"),
]
