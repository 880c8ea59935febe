from django.urls import include, path

from . import views

app_name = "facilitation"
# The doctor's own pages live under /my-support/ with everything else about their own support; their old
# addresses (/facilitation/my-support/…) redirect (supportpath/core/legacy_addresses.py).
urlpatterns = [
    path(
        "facilitation/",
        include(
            [
                path("facilitators/", views.facilitators, name="facilitators"),
                path("facilitators/new/<int:membership_pk>/", views.create_profile, name="create_profile"),
                path("facilitators/<int:pk>/", views.edit_profile, name="edit_profile"),
                path("waiting-list/", views.waiting_list, name="waiting_list"),
                path("cases/<int:pk>/facilitator/", views.allocate_case, name="allocate_case"),
                path("offered/", views.my_allocations, name="my_allocations"),
                path("offered/<int:pk>/", views.respond, name="respond"),
                path("offered/<int:pk>/introduction/", views.record_introduction, name="record_introduction"),
            ]
        ),
    ),
    path(
        "my-support/",
        include(
            [
                path("case/<int:pk>/facilitator/", views.my_facilitator, name="my_facilitator"),
                path("case/<int:pk>/facilitator/preferences/", views.my_preferences, name="my_preferences"),
                path(
                    "case/<int:pk>/facilitator/introduction/",
                    views.ask_for_introduction,
                    name="ask_for_introduction",
                ),
                path("case/<int:pk>/facilitator/change/", views.change_facilitator, name="change_facilitator"),
            ]
        ),
    ),
]
