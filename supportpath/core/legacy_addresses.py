"""The old addresses of pages that moved, and where each has gone (issue 10, "Rooms named after what they
hold"): everything about a doctor's own support is under ``/my-support/``, and the service admin's "Your service"
and interventions catalogue are under ``/service/``.

Emails, calendar invitations, bookmarks and browser histories still hold the old addresses, so each one answers
with a redirect to its new address for good. One table, old -> new: the old route and the URL name of the page it
moved to (the doctor's pages kept their names, so templates and ``reverse()`` never knew). The redirect keeps the path's
parameters and the query string.

A redirect only rewrites the address: it looks nothing up, so it answers the same for one's own record, someone
else's and one that does not exist; the page it leads to decides who may see what (docs/access-policy.md).

- GET and HEAD: 301 (moved permanently). The move is for good, and browsers and search engines should learn the
  new address. Signed-in pages are sent with ``Cache-Control: no-store`` (``core.middleware``), so no browser
  keeps the redirect of a private page either.
- Any other method: 308 (permanent, same method and body). A form posted to an old address (a page left open
  in a tab while the addresses changed) is posted again, with all its data and its CSRF token, to the new one,
  rather than turned into a GET that would silently drop what the doctor wrote.

An old address is open to anyone, signed in or not (``login_not_required``): it reads nothing, so it has nothing
to guard, and someone signed out who follows an old link is asked to sign in by the new page, which then takes
them back to the new address rather than the old one.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import URLPattern, path, reverse

app_name = "legacy"

# old route -> the URL name of the page now under /my-support/
MOVED: dict[str, str] = {
    "support/my-support/case/<int:pk>/": "pathway:my_case",
    "support/my-support/case/<int:pk>/another-time/": "pathway:another_time",
    "support/my-support/case/<int:pk>/comment/": "pathway:comment_on_assessment",
    "plans/my-plan/<int:pk>/": "plans:my_plan",
    "plans/my-plan/<int:pk>/agree/": "plans:agree_plan",
    "plans/my-plan/<int:pk>/changes/": "plans:ask_for_changes",
    "plans/my-plan/<int:pk>/plan.pdf": "plans:my_plan_pdf",
    "facilitation/my-support/case/<int:pk>/facilitator/": "facilitation:my_facilitator",
    "facilitation/my-support/case/<int:pk>/facilitator/preferences/": "facilitation:my_preferences",
    "facilitation/my-support/case/<int:pk>/facilitator/introduction/": "facilitation:ask_for_introduction",
    "facilitation/my-support/case/<int:pk>/facilitator/change/": "facilitation:change_facilitator",
    "progress/my-support/case/<int:pk>/reviews/<int:review_pk>/": "progress:reflect",
    "progress/my-support/case/<int:pk>/feedback/": "closure:exit_feedback",
    "emergency-access/notices/<int:pk>/read/": "emergency_access:doctor_read",
    "referrals/<str:reference>/about-your-referral/": "referrals:referral_for_doctor",
    "peer-support/": "peer:home",
    "peer-support/offer/": "peer:offer",
    "peer-support/offer/status/": "peer:my_status",
    "peer-support/ask/": "peer:ask",
    "peer-support/matches/<int:pk>/": "peer:match",
    "peer-support/matches/<int:pk>/end/": "peer:end_match",
    "peer-support/matches/<int:pk>/concern/": "peer:concern",
    "peer-support/groups/<int:pk>/join/": "peer:join",
    # The service admin's pages, which were under /plans/ and are now the service app's, under /service/.
    "plans/service/": "service:home",
    "plans/interventions/": "service:intervention_list",
    "plans/interventions/new/": "service:intervention_add",
    "plans/interventions/<int:pk>/": "service:intervention_edit",
}

SAFE_METHODS = ("GET", "HEAD")


def legacy_name(new_name: str) -> str:
    """The redirect's own URL name (within ``legacy:``): the new page's, with ``_`` for ``:``."""
    return new_name.replace(":", "_")


@login_not_required
def moved(request: HttpRequest, *, to: str, **parameters: object) -> HttpResponse:
    """A redirect to the page named ``to``, with the same parameters and query string."""
    location = reverse(to, kwargs=parameters)
    if query := request.META.get("QUERY_STRING", ""):
        location = f"{location}?{query}"
    if request.method in SAFE_METHODS:
        return HttpResponsePermanentRedirect(location)
    response = HttpResponse(status=308)
    response["Location"] = location
    return response


urlpatterns: list[URLPattern] = [path(old, moved, {"to": new}, name=legacy_name(new)) for old, new in MOVED.items()]
