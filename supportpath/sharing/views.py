"""Sharing pages: the doctor's "who can see what" (and changing it), and the responsible officer's view of
what doctors share with them. Thin: requests through scoped accessors, rules in ``agreement``, what anyone
outside the support team sees only through ``wall``."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from supportpath.accounts import policy
from supportpath.accounts.models import Role
from supportpath.accounts.roles import memberships
from supportpath.audit import lists
from supportpath.casework.access import cases_for_doctor
from supportpath.core.encryption import without_encrypted
from supportpath.core.form_fields import posted
from supportpath.core.forms_nhs import field_params
from supportpath.core.pagination import paginate_bounded
from supportpath.referrals import access as referral_access

from . import access, agreement, presenters, wall
from .choices import AUDIENCE_SLUGS, ITEM_HINTS, Audience, Item
from .forms import AudienceChoicesForm

PAGE_SIZE = 25


def _own_request(request: HttpRequest, reference: str):
    support_request = referral_access.get_own_request(request.user, reference)
    case = (
        cases_for_doctor(request.user)
        .filter(request=support_request)
        .select_related("case_manager", "facilitator")
        .first()
    )
    return support_request, case


def who_can_see_what(request: HttpRequest, reference: str) -> HttpResponse:
    support_request, case = _own_request(request, reference)
    return render(
        request,
        "sharing/who_can_see_what.jinja",
        {
            "support_request": support_request,
            "cards": presenters.cards_for_page(support_request),
            "team": presenters.support_team(support_request, case),
            "history": presenters.history(support_request),
        },
    )


def _audience(support_request, slug: str) -> str:
    audience = AUDIENCE_SLUGS.get(slug)
    if audience is None or audience not in agreement.audiences_for(support_request):
        raise Http404("No such audience for this request")
    return audience


def change(request: HttpRequest, reference: str, audience_slug: str) -> HttpResponse:
    support_request, _ = _own_request(request, reference)
    audience = _audience(support_request, audience_slug)
    card = next(c for c in presenters.audience_cards(support_request) if c.audience == audience)
    if not card.can_change:
        raise Http404("Nobody to share with")
    choosable = agreement.changeable_items(support_request, audience)
    form = AudienceChoicesForm(
        posted(request),
        choices=[(item, Item(item).label) for item in choosable],
        label="Choose what else you share" if (card.always or card.fixed) else "Choose what you share",
        hint="Select all that you want to share. Leave them all unselected to share "
        + ("nothing more." if (card.always or card.fixed) else "nothing."),
        initial={
            "items": [i for i in agreement.items_for(support_request, audience) if i in choosable],
            "based_on": agreement.current_version(support_request),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement.set_audience(
                support_request,
                audience,
                form.cleaned_data["items"],
                by=request.user,
                based_on=form.cleaned_data["based_on"],
            )
        except agreement.Conflict as conflict:
            form.add_error(
                None,
                f"Your sharing changed while this page was open (it is now version {conflict.version}). "
                "Check your choices below and save again.",
            )
            form.data = form.data.copy()
            form.data["based_on"] = str(conflict.version)
        else:
            shown = agreement.items_for(support_request, audience)
            what = ", ".join(presenters.lower_first(Item(i).label) for i in shown) or "nothing"
            messages.success(
                request,
                f"Your choices are saved (version {agreement.current_version(support_request)}). "
                f"{card.short_name[:1].upper() + card.short_name[1:]} can now see: {what}.",
            )
            return redirect("sharing:who_can_see_what", support_request.reference)
    params = presenters.checkbox_params(
        field_params(form["items"], label_classes="nhsuk-fieldset__legend--m"), choosable
    )
    return render(
        request,
        "sharing/change.jinja",
        {
            "support_request": support_request,
            "card": card,
            "form": form,
            "checkboxes_params": params,
            "wellbeing_hint": ITEM_HINTS[Item.WELLBEING],
            "page_has_errors": bool(form.errors),
        },
    )


def history(request: HttpRequest, reference: str) -> HttpResponse:
    support_request, _ = _own_request(request, reference)
    return render(
        request,
        "sharing/history.jinja",
        {"support_request": support_request, "history": presenters.history(support_request)},
    )


# The responsible officer's pages


def officer_doctors(request: HttpRequest) -> HttpResponse:
    refusal = policy.role_only(request, policy.holding(Role.RESPONSIBLE_OFFICER), "sharing/officers_only.jinja")
    if refusal:
        return refusal
    # By the doctor's name kept on the request (equal to ``doctor__user__full_name``), newest first: the order
    # of the index ``request_officer_list``.
    requests = without_encrypted(
        access.officer_list(request.user)
        .select_related("doctor__user", "doctor__employer")
        .prefetch_related("sharing_agreement__grants")
        .order_by("doctor_name", "-submitted_at", "pk"),
        "doctor",
    )
    page, links, _ = paginate_bounded(request, requests, PAGE_SIZE)
    shown = [r for r in page.object_list if access.officer_may_see(r)]
    lists.log_list(request.user, lists.OFFICER, [(r.doctor, r.doctor.employer.name) for r in shown])
    return render(
        request,
        "sharing/officer_doctors.jinja",
        {
            "rows": [presenters.officer_row(r) for r in shown],
            "page_links": links,
            "organisations": sorted(
                {m.organisation.name for m in memberships(request.user) if m.role == Role.RESPONSIBLE_OFFICER}
            ),
        },
    )


def officer_request(request: HttpRequest, reference: str) -> HttpResponse:
    support_request = access.get_request_for_responsible_officer(request.user, reference)
    grants = agreement.grants_for(support_request)
    return render(
        request,
        "sharing/officer_request.jinja",
        {
            "support_request": support_request,
            "with_you": wall.disclose(support_request, Audience.RESPONSIBLE_OFFICER, grants=grants),
            "with_employer": wall.disclose(support_request, Audience.EMPLOYER, grants=grants),
        },
    )
