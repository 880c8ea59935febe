from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("create/", views.register, name="register"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("equality-monitoring/", views.equality_monitoring, name="equality_monitoring"),
    path("two-step/set-up/", views.second_factor_setup, name="second_factor_setup"),
    path("two-step/code/", views.second_factor_verify, name="second_factor_verify"),
    path("two-step/backup-codes/", views.backup_codes, name="backup_codes"),
    path("two-step/turn-off/", views.second_factor_off, name="second_factor_off"),
    path("", views.your_account, name="your_account"),
    path("evaluation/", views.evaluator_home, name="evaluator_home"),
    path("create/check-your-email/", views.register_sent, name="register_sent"),
    path("create/finish/<str:token>/", views.register_finish, name="register_finish"),
    path("forgotten-password/", views.ForgottenPassword.as_view(), name="password_reset"),
    path("forgotten-password/check-your-email/", views.password_reset_sent, name="password_reset_sent"),
    path("reset-password/done/", views.password_reset_done, name="password_reset_done"),
    path("reset-password/<uidb64>/<token>/", views.ResetPassword.as_view(), name="password_reset_confirm"),
    path("your-details/<slug:detail>/", views.change_detail, name="change_detail"),
]
