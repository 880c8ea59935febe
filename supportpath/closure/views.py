"""Closing a case, the doctor's exit feedback and the peer-supporter offers it leads to. Thin: access through
casework.access and accounts.policy, rules in services."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from supportpath.accounts import policy
from supportpath.accounts.models import Role
from supportpath.casework.access import CASE_MANAGER_ONLY, case_for_page, get_own_case
from supportpath.core.form_fields import posted
from supportpath.core.pagination import paginate
from supportpath.progress.models import Closure

from . import peer_offers, services
from .forms import ClosureForm, ExitFeedbackForm
from .models import STATEMENTS, ExitFeedback

PAGE_SIZE = 25


def peer_supporter_offers(request: HttpRequest) -> HttpResponse:
    """Doctors of the case manager's services who said "Yes, please get in touch" to peer support."""
    refusal = policy.role_only(request, policy.holding(Role.CASE_MANAGER), "casework/case_managers_only.jinja")
    if refusal:
        return refusal
    page, page_links = paginate(request, peer_offers.offers_for(request.user), PAGE_SIZE)
    rows = peer_offers.rows(page.object_list, viewer=request.user)
    return render(
        request,
        "closure/peer_supporter_offers.jinja",
        {"page": page, "rows": rows, "page_links": page_links, "total": page.paginator.count},
    )


def close_case(request: HttpRequest, pk: int) -> HttpResponse:
    # Closing is asked once: a closed case sends the case manager back to it (a second press changes nothing).
    case = case_for_page(request, pk, "Closing the case", only=CASE_MANAGER_ONLY)
    if Closure.objects.filter(case=case).exists():
        return redirect("pathway:case_detail", pk=case.pk)
    form = ClosureForm(posted(request), initial={"closed_on": timezone.localdate().strftime("%d/%m/%Y")})
    if request.method == "POST" and form.is_valid():
        services.close_case(case, by=request.user, data=form.cleaned_data)
        messages.success(request, "The case is closed. The doctor has been told and invited to give feedback.")
        return redirect("pathway:case_detail", pk=case.pk)
    return render(
        request,
        "closure/close_case.jinja",
        {"case": case, "form": form, "final_t_score": services.final_t_score(case)},
    )


def exit_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case(request.user, pk)
    if not Closure.objects.filter(case=case).exists():
        raise Http404("Feedback is asked for when support ends")
    existing = ExitFeedback.objects.filter(case=case).first()
    initial = {}  # the doctor's to choose: nothing is chosen for them
    if existing:
        initial = {
            "what_changed": existing.what_changed,
            "team_may_read": "yes" if existing.team_may_read else "no",
            "peer_supporter": existing.peer_supporter,
        }
        initial.update({key: str(value) for key, value in existing.answers.items()})
    form = ExitFeedbackForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_exit_feedback(case, form.cleaned_data, STATEMENTS)
        messages.success(request, "Thank you. What you told us helps us support other doctors better.")
        return redirect("pathway:my_case", pk=case.pk)
    return render(request, "closure/exit_feedback.jinja", {"case": case, "form": form})
