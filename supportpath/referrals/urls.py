from django.urls import path

from . import self_referral, third_party, views

app_name = "referrals"
urlpatterns = [
    path("ask-for-support/", self_referral.start, name="self_referral_start"),
    path("ask-for-support/check-your-answers/", self_referral.check_answers, name="self_referral_check"),
    path("ask-for-support/create-an-account/", self_referral.details, name="self_referral_details"),
    path("ask-for-support/check-your-email/", self_referral.email_sent, name="self_referral_email_sent"),
    path(
        "ask-for-support/account-ready/<str:token>/",
        self_referral.continue_after_account,
        name="self_referral_continue",
    ),
    path("ask-for-support/sent/<str:reference>/", self_referral.done, name="self_referral_done"),
    path("ask-for-support/<slug:name>/", self_referral.step, name="self_referral_step"),
    path("my-support/", views.my_support, name="my_support"),
    path("my-support/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("refer/", third_party.start, name="referral_start"),
    path("refer/doctor/", third_party.find_doctor, name="referral_doctor"),
    path("refer/details/", third_party.details, name="referral_details"),
    path("refer/check-your-answers/", third_party.check, name="referral_check"),
    path("refer/sent/<str:reference>/", third_party.sent, name="referral_sent"),
    path("referrals/", third_party.my_referrals, name="my_referrals"),
    path("referrals/invitation/<str:token>/", third_party.accept_invitation, name="accept_invitation"),
    path("referrals/<str:reference>/", third_party.referral_status, name="referral_status"),
    path("my-support/<str:reference>/about-your-referral/", third_party.for_doctor, name="referral_for_doctor"),
]
