"""The guide: the six principles, what to do at each stage, and where the product does it. Public pages."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import content


@login_not_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "guide/index.jinja",
        {
            "principles": content.PRINCIPLES,
            "stages": [(stage, content.panel_for(stage.slug)) for stage in content.STAGES],
            "source": content.SOURCE,
        },
    )


@login_not_required
def principle(request: HttpRequest, slug: str) -> HttpResponse:
    found = content.PRINCIPLE_BY_SLUG.get(slug)
    if found is None:
        raise Http404("No such principle")
    panels = [content.panel_for(stage.slug) for stage in content.STAGES if stage.principle == found.number]
    statements = [s for s in content.STATEMENTS if s.principle == found.number]
    return render(
        request,
        "guide/principle.jinja",
        {"principle": found, "panels": panels, "statements": statements, "source": content.SOURCE},
    )
