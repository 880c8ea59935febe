from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("create/", views.register, name="register"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("equality-monitoring/", views.equality_monitoring, name="equality_monitoring"),
    path("", views.your_account, name="your_account"),
]
