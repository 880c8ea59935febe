"""The addresses the service admin's pages had under /plans/ before they moved to /service/ (issue 10). Each
answers with a permanent redirect to its new address, the query string kept: 301 for a page, 308 for anything
else, so a form sent from a page opened before the move still arrives, as the same method. The redirect shows
nothing, so it is open to anyone; the page it leads to asks who they are. Delete a row once nobody follows it."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import path, reverse

app_name = "service_moved"

# (the old address under /plans/, the URL name of the page now, the name of the old address)
MOVED = [
    ("service/", "service:home", "home"),
    ("interventions/", "service:intervention_list", "intervention_list"),
    ("interventions/new/", "service:intervention_add", "intervention_add"),
    ("interventions/<int:pk>/", "service:intervention_edit", "intervention_edit"),
]


@login_not_required
def moved(request: HttpRequest, *, to: str, **kwargs: object) -> HttpResponse:
    address = reverse(to, kwargs=kwargs)
    if request.META.get("QUERY_STRING"):
        address += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(address)
    if request.method not in ("GET", "HEAD"):
        response.status_code = 308
    return response


urlpatterns = [path(old, moved, {"to": new}, name=name) for old, new, name in MOVED]
