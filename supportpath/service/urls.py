from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff, name="staff"),
    path("staff/invite/", views.invite_staff, name="invite_staff"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/role/", views.change_role, name="change_role"),
    path("people/<int:pk>/end/", views.end_membership, name="end_membership"),
    path("people/<int:pk>/two-step-sign-in/", views.reset_second_factor, name="reset_second_factor"),
    path("invitations/<int:pk>/withdraw/", views.withdraw_invitation, name="withdraw_invitation"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.add_organisation, name="add_organisation"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/change/", views.edit_organisation, name="edit_organisation"),
    path("organisations/<int:pk>/invite/", views.invite_to_organisation, name="invite_to_organisation"),
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/new/", views.intervention_add, name="intervention_add"),
    path("interventions/<int:pk>/", views.intervention_edit, name="intervention_edit"),
    path("join/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("cases/<int:pk>/case-manager/", views.move_case, name="move_case"),
]
