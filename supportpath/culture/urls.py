from django.urls import path

from . import views

app_name = "culture"
urlpatterns = [
    path("culture/", views.home, name="home"),
    path("culture/<int:pk>/", views.organisation, name="organisation"),
    path("culture/<int:pk>/pulse/new/", views.wave_new, name="wave_new"),
    path("culture/<int:pk>/pulse/statements/", views.own_items, name="own_items"),
    path("culture/<int:pk>/self-assessment/", views.assessment, name="assessment"),
    path("culture/<int:pk>/self-assessment/history/", views.ratings_history, name="ratings_history"),
    path("culture/<int:pk>/self-assessment/<slug:key>/", views.rate, name="rate"),
    path("culture/<int:pk>/action-plan/", views.action_plan, name="action_plan"),
    path("culture/<int:pk>/action-plan/new/", views.action_new, name="action_new"),
    path("culture/<int:pk>/summary/", views.summary, name="summary"),
    path("culture/<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("culture/waves/<int:pk>/", views.wave, name="wave"),
    path("culture/waves/<int:pk>/invite/", views.wave_invite, name="wave_invite"),
    path("culture/waves/<int:pk>/close/", views.wave_close, name="wave_close"),
    path("culture/actions/<int:pk>/", views.action, name="action"),
    path("pulse/thank-you/", views.pulse_thanks, name="pulse_thanks"),
    path("pulse/shared/<str:token>/", views.pulse_shared, name="pulse_shared"),
    path("pulse/<str:token>/", views.pulse_answer, name="pulse_answer"),
    path("signposts/", views.signposts, name="signposts"),
    path("signposts/new/", views.signpost_new, name="signpost_new"),
    path("signposts/<int:pk>/", views.signpost, name="signpost"),
    path("signpost/<str:token>/", views.signpost_landing, name="signpost_landing"),
]
