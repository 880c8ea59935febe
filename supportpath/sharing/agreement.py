"""Rules for the sharing agreement: what is shared now, the fixed minimum of a mandated referral, and every
change as a new version (the doctor's own, a plan they agreed, their answer when asking for support).

Readers ask ``grants_for``; nothing else decides who may see what. A request with no agreement yet shares
nothing beyond its fixed minimum.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from supportpath.accounts.models import User
from supportpath.referrals.models import SupportRequest

from .choices import MANDATED_MINIMUM, Audience, Grant, Item, grant_key
from .models import AgreementVersion, SharingAgreement, Source
from .models import Grant as GrantRow


class Conflict(Exception):
    """The agreement changed after the doctor opened the page (for example, they agreed a plan meanwhile)."""

    def __init__(self, version: int):
        super().__init__("The sharing agreement changed while you were choosing")
        self.version = version


class NotAllowed(Exception):
    """An audience or item that does not exist for this request."""


def audiences_for(request: SupportRequest) -> list[str]:
    """The audiences that exist for this request: only a referral has a person who referred."""
    audiences = [Audience.REFERRER] if request.is_referral and request.referrer_id else []
    return audiences + [Audience.RESPONSIBLE_OFFICER, Audience.EMPLOYER]


def fixed_grants(request: SupportRequest) -> frozenset[Grant]:
    """What a mandated referral always shares, whatever anyone chooses. Never well-being content."""
    if not (request.mandated and request.is_referral):
        return frozenset()
    audiences = set(audiences_for(request))
    return frozenset(grant for grant in MANDATED_MINIMUM if grant[0] in audiences)


def changeable_items(request: SupportRequest, audience: str) -> list[str]:
    fixed = fixed_grants(request)
    return [item for item in Item if (audience, item) not in fixed]


def agreement_of(request: SupportRequest) -> SharingAgreement | None:
    try:
        return request.sharing_agreement
    except SharingAgreement.DoesNotExist:
        return None


def grants_for(request: SupportRequest) -> frozenset[Grant]:
    """Everything shared now. Uses prefetched ``sharing_agreement__grants`` when a list has fetched them."""
    agreement = agreement_of(request)
    chosen = {(g.audience, g.item) for g in agreement.grants.all()} if agreement else set()
    return frozenset(chosen) | fixed_grants(request)


def allows(request: SupportRequest, audience: str, item: str) -> bool:
    if audience not in Audience.values or item not in Item.values:
        raise ValueError(f"Unknown audience or item: {audience!r}, {item!r}")
    return (audience, item) in grants_for(request)


def items_for(request: SupportRequest, audience: str, grants: Iterable[Grant] | None = None) -> list[str]:
    shared = grants_for(request) if grants is None else set(grants)
    return [item for item in Item if (audience, item) in shared]


def current_version(request: SupportRequest) -> int:
    agreement = agreement_of(request)
    return agreement.version if agreement else 0


def versions(request: SupportRequest) -> list[AgreementVersion]:
    return list(AgreementVersion.objects.filter(agreement__request=request).order_by("-number"))


@dataclass(frozen=True)
class _Change:
    source: str
    by: User | None = None
    at: object = None  # a datetime; now when not given
    plan_version: int | None = None


def _write(agreement: SharingAgreement, current: set[Grant], new: set[Grant], change: _Change) -> AgreementVersion:
    number = agreement.version + 1
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=number,
        grants=sorted(grant_key(g) for g in new),
        added=sorted(grant_key(g) for g in new - current),
        removed=sorted(grant_key(g) for g in current - new),
        source=change.source,
        plan_version=change.plan_version,
        made_by=change.by,
        made_by_name=change.by.full_name if change.by else "",
        made_at=change.at or timezone.now(),
    )
    for audience, item in current - new:
        GrantRow.objects.filter(agreement=agreement, audience=audience, item=item).delete()
    GrantRow.objects.bulk_create(GrantRow(agreement=agreement, audience=a, item=i) for a, i in sorted(new - current))
    _keep_officer_flag(agreement, current, new)
    agreement.version = number
    agreement.save(update_fields=["version"])
    return version


# The audiences the responsible officer's list is for: what is shared with the officer or the employer.
OFFICER_AUDIENCES = frozenset({Audience.RESPONSIBLE_OFFICER, Audience.EMPLOYER})


def shares_with_officer(grants: Iterable[Grant]) -> bool:
    return any(audience in OFFICER_AUDIENCES for audience, _ in grants)


def _keep_officer_flag(agreement: SharingAgreement, current: set[Grant], new: set[Grant]) -> None:
    """``SupportRequest.visible_to_officer`` (mandated, or shared with the officer or employer) follows the
    grants, written only when this change starts or stops sharing with them."""
    sees = shares_with_officer(new)
    if sees == shares_with_officer(current):
        return
    SupportRequest.objects.filter(pk=agreement.request_id).update(visible_to_officer=True if sees else F("mandated"))


def _record(
    request: SupportRequest, compute, change: _Change, *, based_on: int | None = None
) -> AgreementVersion | None:
    """Make a new version whose grants are ``compute(current)`` plus the fixed minimum, or nothing if that is
    what is shared already. ``based_on``: the version the doctor's page showed (Conflict if it moved on)."""
    fixed = fixed_grants(request)
    if not fixed and not compute(set()) and not SharingAgreement.objects.filter(request=request).exists():
        return None  # nothing shared before or after: no agreement to record
    with transaction.atomic():
        agreement, _ = SharingAgreement.objects.get_or_create(request=request)
        agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
        current = {(g.audience, g.item) for g in agreement.grants.all()}
        if agreement.version == 0 and fixed and change.source != Source.MANDATED:
            # The fixed minimum is its own first version, so the history says truly where it came from.
            _write(agreement, current, set(fixed), _Change(Source.MANDATED, at=request.submitted_at))
            current = set(fixed)
            if based_on == 0:
                based_on = agreement.version  # the page already showed the fixed minimum as shared
        new = set(compute(set(current))) | fixed
        if new == current:
            return None
        if based_on is not None and based_on != agreement.version:
            raise Conflict(agreement.version)
        version = _write(agreement, current, new, change)
    # Whatever this request object had cached about its agreement is now out of date.
    request._state.fields_cache.pop("sharing_agreement", None)
    return version


def start(request: SupportRequest) -> AgreementVersion | None:
    """A new referral: a mandated one starts with its fixed minimum as version 1. Others start empty."""
    if not fixed_grants(request):
        return None
    return _record(request, lambda current: current, _Change(Source.MANDATED, at=request.submitted_at))


def record_self_referral_answer(request: SupportRequest, *, employer_may_be_told: bool) -> AgreementVersion | None:
    """The doctor's answer to "may we tell your employer?" when asking for support: yes shares the stage of
    support with their employer."""
    if not employer_may_be_told:
        return None
    return _record(
        request,
        lambda current: current | {(Audience.EMPLOYER, Item.STAGE)},
        _Change(Source.SELF_REFERRAL, by=request.doctor.user, at=request.submitted_at),
    )


def set_audience(
    request: SupportRequest, audience: str, items: Iterable[str], *, by: User, based_on: int, at=None
) -> AgreementVersion | None:
    """The doctor's choice of everything ``audience`` may see (beyond the fixed minimum, which stays)."""
    items = set(items)
    if audience not in audiences_for(request):
        raise NotAllowed(f"No such audience for this request: {audience}")
    if not items <= set(changeable_items(request, audience)):
        raise NotAllowed(f"Not something the doctor can choose: {sorted(items)}")

    def compute(current: set[Grant]) -> set[Grant]:
        return {g for g in current if g[0] != audience} | {(audience, item) for item in items}

    return _record(request, compute, _Change(Source.DOCTOR, by=by, at=at), based_on=based_on)


def add_from_plan(
    request: SupportRequest, grants: Iterable[Grant], *, plan_version: int, by: User | None, at=None
) -> AgreementVersion | None:
    """The doctor agreed a plan that proposed sharing: add what it proposed (removing nothing)."""
    audiences = set(audiences_for(request))
    proposed = {(a, i) for a, i in grants if a in audiences and i in Item.values and i != Item.WELLBEING}
    return _record(
        request,
        lambda current: current | proposed,
        _Change(Source.PLAN, by=by, at=at, plan_version=plan_version),
    )
