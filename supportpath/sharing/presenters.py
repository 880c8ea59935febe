"""What the sharing pages show: for the doctor, who each audience is and exactly what they can see now, the
support team, and the history of changes; for a responsible officer, their list. Plain strings only."""

from dataclasses import dataclass, field

from supportpath.accounts.models import Membership, Organisation, Role
from supportpath.casework.models import Case
from supportpath.core.dates import long_datetime
from supportpath.referrals.models import SupportRequest

from . import agreement
from .choices import ITEM_HINTS, SLUG_FOR_AUDIENCE, Audience, Item, parse_key
from .models import AgreementVersion, Source

# The referrer always sees these, whatever the doctor chooses: a referral is never a secret from the person
# who made it, and they need to know when it ends.
REFERRER_ALWAYS = ["That you were referred, and when", "When your support with us ends"]

# Audiences as staff read them (the choices' labels speak to the doctor).
STAFF_AUDIENCE_LABELS = {
    Audience.REFERRER: "The person who referred",
    Audience.RESPONSIBLE_OFFICER: "The responsible officer",
    Audience.EMPLOYER: "The employer",
}


# What an item is called on the support team's pages, where the doctor's "your support" reads wrongly.
STAFF_ITEM_LABELS = {
    Item.STAGE: "The stage their support is at",
    Item.INTERVENTIONS: "Support the doctor will get",
}


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def item_label(item: str) -> str:
    return Item(item).label


@dataclass
class Person:
    name: str
    role: str = ""


@dataclass
class AudienceCard:
    audience: str
    slug: str
    title: str
    people: list[Person] = field(default_factory=list)
    organisation: str = ""
    who_note: str = ""
    always: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)
    fixed_reason: str = ""
    short_name: str = ""  # "Dr Cara Supervisor", "your responsible officer": for "Change what ... can see"
    can_change: bool = True  # not when there is nobody it could ever reach (no employer on record)
    # The employer is represented by the responsible officers (ADR 0001): the same people. The doctor's page
    # shows them once, with what they see in each capacity, not as two lists of the same names.
    employer_card: "AudienceCard | None" = None
    shown_with_officer: bool = False

    @property
    def sees_nothing(self) -> bool:
        return not (self.always or self.fixed or self.chosen)


def responsible_officers(employer: Organisation | None) -> list[Person]:
    if employer is None:
        return []
    memberships = (
        Membership.objects.filter(organisation=employer, role=Role.RESPONSIBLE_OFFICER)
        .select_related("user")
        .order_by("user__full_name")
    )
    return [Person(m.user.full_name, m.job_title or Role.RESPONSIBLE_OFFICER.label) for m in memberships]


def _referrer(request: SupportRequest) -> Person:
    title = (
        Membership.objects.filter(user_id=request.referrer_id, organisation_id=request.referrer_organisation_id)
        .exclude(job_title="")
        .values_list("job_title", flat=True)
        .first()
    )
    return Person(request.referrer.full_name, title or "")


def mandated_reason(request: SupportRequest) -> str:
    return (
        f"This referral is part of a formal process that {request.referrer.full_name} started. The people "
        "responsible for a formal process need to know that you are taking part, so they always see the stage "
        "your support is at and how many sessions are attended, missed or cancelled, as numbers. You cannot "
        "turn this off while the referral is part of the process. It never includes what you say in sessions, "
        "your plan, or anything about your well-being: those are shared only if you choose."
    )


def audience_cards(request: SupportRequest) -> list[AudienceCard]:
    """Each audience that exists for this request: who they are and exactly what they can see now."""
    grants = agreement.grants_for(request)
    fixed = agreement.fixed_grants(request)
    employer = request.doctor.employer
    officers = responsible_officers(employer)
    cards = []
    for audience in agreement.audiences_for(request):
        card = AudienceCard(audience=audience, slug=SLUG_FOR_AUDIENCE[audience], title=Audience(audience).label)
        card.fixed = [item_label(i) for i in Item if (audience, i) in fixed]
        card.chosen = [item_label(i) for i in Item if (audience, i) in grants and (audience, i) not in fixed]
        if card.fixed:
            card.fixed_reason = mandated_reason(request)
        if audience == Audience.REFERRER:
            card.people = [_referrer(request)]
            card.organisation = request.referrer_organisation.name if request.referrer_organisation else ""
            card.always = list(REFERRER_ALWAYS)
            card.short_name = request.referrer.full_name
        elif audience == Audience.RESPONSIBLE_OFFICER:
            card.people = officers
            card.organisation = employer.name if employer else ""
            card.short_name = "your responsible officer"
            if employer is None:
                card.who_note = "We do not know who you work for, so no responsible officer can see anything."
            elif not officers:
                card.who_note = (
                    f"Nobody at {employer.name} has the responsible officer role in this service at the moment. "
                    "If someone takes it on, they will see what you choose here."
                )
            else:
                card.who_note = (
                    f"The responsible officer at {employer.name} oversees your revalidation. If someone new takes on "
                    "the role, they will see what you choose here instead."
                )
        else:
            card.people = officers
            card.organisation = employer.name if employer else ""
            card.short_name = "your employer"
            if employer is None:
                card.who_note = "We do not know who you work for, so no employer can see anything."
            else:
                card.who_note = (
                    f"In this service, {employer.name} is represented by the people in its responsible officer "
                    "and medical director role"
                    + (": the people listed here. " if officers else ", and nobody has that role at the moment. ")
                    + "They see what you share with your employer, marked as shared with the employer, and may act "
                    "on it for the organisation, for example to arrange changes to your work. Nobody else at your "
                    "employer can sign in to see it."
                )
        card.can_change = audience == Audience.REFERRER or employer is not None
        cards.append(card)
    return cards


def cards_for_page(request: SupportRequest) -> list[AudienceCard]:
    """``audience_cards`` for the doctor's page: the employer's card joined to the responsible officer's when the
    same people see both, so that one person is not listed twice with different answers."""
    cards = audience_cards(request)
    officer = next((c for c in cards if c.audience == Audience.RESPONSIBLE_OFFICER), None)
    employer = next((c for c in cards if c.audience == Audience.EMPLOYER), None)
    if officer is not None and employer is not None and officer.people:
        officer.employer_card = employer
        employer.shown_with_officer = True
        officer.title = "Your responsible officer, who also acts for your employer"
        officer.who_note = (
            f"The responsible officer at {officer.organisation} oversees your revalidation. In this service they "
            f"also act for {officer.organisation} as your employer, for example to arrange changes to your work: "
            "you choose separately what they see in each of these two roles. If someone new takes on the role, they "
            "will see what you choose here instead. Nobody else at your employer can sign in to see it."
        )
    return cards


@dataclass
class Team:
    service: str
    case_manager: str = ""
    facilitator: str = ""


def support_team(request: SupportRequest, case: Case | None) -> Team:
    team = Team(service=request.service.name)
    if case is not None:
        team.case_manager = case.case_manager.full_name
        team.facilitator = case.facilitator.full_name if case.facilitator_id else ""
    return team


def source_text(version: AgreementVersion, *, doctor_id: int | None) -> str:
    if version.source == Source.DOCTOR:
        return "You changed it" if version.made_by_id == doctor_id else f"Changed by {version.made_by_name}"
    if version.source == Source.PLAN:
        return f"You agreed version {version.plan_version} of your support plan"
    if version.source == Source.MANDATED:
        return "The minimum the formal process requires, set when the referral was made"
    if version.source == Source.SELF_REFERRAL:
        return "Your answer, when you asked for support, that your employer may be told"
    return "A choice you made earlier, before this page existed"


def _change_lines(keys: list[str], *, added: bool) -> list[str]:
    lines = []
    for key in keys:
        audience, item = parse_key(key)
        verb = "can now see" if added else "can no longer see"
        lines.append(f"{Audience(audience).label} {verb} {lower_first(item_label(item))}")
    return lines


def _by_audience(keys: list[str]) -> list[tuple[str, list[str]]]:
    grants = {parse_key(k) for k in keys}
    return [
        (Audience(a).label, [item_label(i) for i in Item if (a, i) in grants] or ["Nothing"])
        for a in Audience
        if any(g[0] == a for g in grants)
    ]


@dataclass
class VersionRow:
    number: int
    when: str
    why: str
    changes: list[str]
    shared: list[tuple[str, list[str]]]


def history(request: SupportRequest) -> list[VersionRow]:
    doctor_id = request.doctor.user_id
    return [
        VersionRow(
            number=v.number,
            when=long_datetime(v.made_at),
            why=source_text(v, doctor_id=doctor_id),
            changes=_change_lines(v.added, added=True) + _change_lines(v.removed, added=False),
            shared=_by_audience(v.grants),
        )
        for v in agreement.versions(request)
    ]


def checkbox_params(params: dict, items: list[str]) -> dict:
    """The NHS checkboxes parameters for the doctor's choices, each with the words for what it includes."""
    for entry, item in zip(params["items"], items, strict=True):
        entry["hint"] = {"text": ITEM_HINTS[item]}
    return params


def shared_now_rows(request: SupportRequest) -> list[tuple[str, str]]:
    """For staff: what is shared now, audience by audience."""
    grants = agreement.grants_for(request)
    rows = []
    for audience in agreement.audiences_for(request):
        items = [lower_first(STAFF_ITEM_LABELS.get(i, i.label)) for i in Item if (audience, i) in grants]
        if items:
            rows.append((STAFF_AUDIENCE_LABELS[audience], ", ".join(items)))
    return rows


@dataclass
class OfficerRow:
    request: SupportRequest
    doctor: str
    with_you: int
    with_employer: int
    mandated: bool


def officer_row(request: SupportRequest) -> OfficerRow:
    grants = agreement.grants_for(request)
    return OfficerRow(
        request=request,
        doctor=request.doctor.user.display_name,
        with_you=sum(1 for a, _ in grants if a == Audience.RESPONSIBLE_OFFICER),
        with_employer=sum(1 for a, _ in grants if a == Audience.EMPLOYER),
        mandated=request.mandated,
    )


def referrer_card(referral):
    """The doctor's card of what the person who referred them sees, or None (the referral's page for the doctor)."""
    return next((c for c in audience_cards(referral) if c.audience == Audience.REFERRER), None)
