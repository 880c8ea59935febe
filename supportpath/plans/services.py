"""Rules for the support plan: the catalogue, drafting, sharing with the doctor, agreement, new versions."""

import datetime as dt
import uuid
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import Organisation, User
from supportpath.casework.date_order import NotBefore
from supportpath.casework.models import Case, Stage
from supportpath.notifications.tasks import queue_email
from supportpath.referrals.emails import email_doctor

from . import content as plan_content
from . import plan_sharing
from .models import Intervention, InterventionType, PlanVersion, SupportPlan, VersionStatus


class SeedEntry(NamedTuple):
    provider: str
    description: str


# What every new service's catalogue starts with: one entry of each type, with words for doctors that the
# service admin can change. Plain and kind: what it is, who provides it, and what to expect.
SEED_CATALOGUE = {
    InterventionType.COACHING: SeedEntry(
        "The unit's coaching team",
        "A trained coach helps you think through what you would like to change and find your own way to get "
        "there. Coaching looks forward and starts from what matters to you. Sessions usually last about an hour, "
        "every few weeks, and what you say stays between you and your coach.",
    ),
    InterventionType.MENTORING: SeedEntry(
        "The unit's mentoring scheme",
        "Regular time with an experienced doctor, usually from outside your own department, who listens, shares "
        "what they have learned and helps you plan your next steps. You agree together how often to meet.",
    ),
    InterventionType.SUPERVISED_PRACTICE: SeedEntry(
        "Your educational or clinical supervisor, with the unit",
        "A period of working alongside a supervisor, who gives you regular, specific feedback as you go. You agree "
        "beforehand what you will work on, for how long, and how you will both know it is going well.",
    ),
    InterventionType.TRAINING_COURSE: SeedEntry(
        "A course chosen with the unit",
        "A course to build a particular skill or area of knowledge, chosen with you to fit what you want to work "
        "on. The unit can help you find a suitable course and ask for the time to go.",
    ),
    InterventionType.CLINICAL_PLACEMENT: SeedEntry(
        "A host department arranged by the unit",
        "A planned period working in another department or setting, to gain experience and confidence somewhere "
        "supportive. The aims, the length and who will supervise you are agreed with you before it starts.",
    ),
    InterventionType.OCCUPATIONAL_HEALTH: SeedEntry(
        "Your employer's occupational health service",
        "Confidential advice from occupational health doctors and nurses about your health and your work, such as "
        "changes that would make work easier while you recover. They tell your employer only what you agree.",
    ),
    InterventionType.CAREERS_ADVICE: SeedEntry(
        "The unit's careers adviser",
        "Time with a careers adviser to think about your options: staying where you are, changing specialty, "
        "training less than full time, or a different kind of role. It is a space to explore, with no pressure "
        "to decide.",
    ),
    InterventionType.EXAM_SUPPORT: SeedEntry(
        "The unit's exam support programme",
        "Help preparing for a postgraduate exam: planning your study around work, practising questions or "
        "stations with feedback, and, if you have sat it before, talking through what happened.",
    ),
    InterventionType.COMMUNICATION_SKILLS: SeedEntry(
        "The unit's communication skills tutors",
        "Practice and friendly feedback on talking with patients, relatives and colleagues, in a safe setting, "
        "sometimes with trained actors. It can help with difficult conversations, speaking up, or working in a "
        "second language.",
    ),
    InterventionType.WELLBEING: SeedEntry(
        "The unit's psychological and well-being service",
        "Confidential time with a trained practitioner to talk about how you are feeling and what is weighing on "
        "you. If longer-term help would suit you better, such as NHS Practitioner Health, they will help you "
        "reach it.",
    ),
    InterventionType.PEER_GROUP: SeedEntry(
        "Peer groups run by the unit",
        "A small group of doctors who meet regularly, with someone to guide the conversation, to share "
        "experiences and support one another. What is said in the group stays in the group.",
    ),
    InterventionType.RETURN_TO_WORK: SeedEntry(
        "The unit, with your supervisor and occupational health",
        "A planned, gradual return to work or training after time away. You agree how you will build up, what "
        "support you will have along the way, and when you will check together how it is going.",
    ),
}
# The words for doctors alone (the first catalogue migration reads these).
SEED_DESCRIPTIONS = {kind: entry.description for kind, entry in SEED_CATALOGUE.items()}


class ConflictError(Exception):
    """Someone else changed the plan after this person started editing."""

    def __init__(self, latest: PlanVersion | None):
        super().__init__("The plan changed while you were editing")
        self.latest = latest


class NotAllowed(Exception):
    """The action does not fit the plan's current state (for example, agreeing a draft)."""


def seed_interventions(service: Organisation | None = None) -> int:
    """Give each support service (or just ``service``) one catalogue entry of every type. Safe to run again."""
    services = [service] if service else [o for o in Organisation.objects.all() if o.runs_support_service]
    created = 0
    for svc in services:
        for kind in InterventionType:
            entry = SEED_CATALOGUE[kind]
            _, made = Intervention.objects.get_or_create(
                service=svc,
                name=kind.label,
                defaults={"type": kind, "provider": entry.provider, "description": entry.description},
            )
            created += made
    return created


def latest_version(case: Case) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__case=case).order_by("-number").first()


def versions(case: Case) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(plan__case=case).select_related("created_by").order_by("-number"))


def edit_count(case: Case) -> int:
    plan = SupportPlan.objects.filter(case=case).only("edit_count").first()
    return plan.edit_count if plan else 0


def save_draft(
    case: Case,
    *,
    by: User,
    data: dict[str, Any],
    based_on: int,
    token: uuid.UUID | None = None,
    at: dt.datetime | None = None,
) -> PlanVersion:
    """Save the plan's content. A change to a version the doctor has seen makes a new version; the draft is
    changed in place. ``based_on`` is the edit count the form started from; if it has moved on, ConflictError.

    ``token`` names the form. If the only edit since the form was opened is this same form's own earlier save
    (a double click, or sending it again), that is not a conflict: the same content is already saved, and
    anything changed since is saved over this person's own earlier save.

    ``at``: when it was saved, if not now (the demo's history)."""
    clean = plan_content.validate(data)
    with transaction.atomic():
        plan, made = SupportPlan.objects.get_or_create(case=case)
        if made and at is not None:
            SupportPlan.objects.filter(pk=plan.pk).update(created_at=at)
        plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        if plan.edit_count != based_on:
            repeat = token is not None and plan.last_submission_token == token and plan.edit_count == based_on + 1
            if not repeat:
                raise ConflictError(latest)
            if latest is not None and latest.content == clean:
                return latest
        if latest is not None and latest.status == VersionStatus.DRAFT:
            latest.content = clean
            latest.save(update_fields=["content", "updated_at"])
            version = latest
        else:
            if latest is not None and latest.status in (VersionStatus.SHARED, VersionStatus.CHANGES_REQUESTED):
                latest.status = VersionStatus.SUPERSEDED
                latest.save(update_fields=["status", "updated_at"])
                _dated(latest, at)
            version = PlanVersion.objects.create(
                plan=plan, number=(latest.number + 1 if latest else 1), content=clean, created_by=by
            )
            if at is not None:
                version.created_at = at
                PlanVersion.objects.filter(pk=version.pk).update(created_at=at)
        _dated(version, at)
        plan.edit_count += 1
        plan.last_submission_token = token
        plan.save(update_fields=["edit_count", "last_submission_token"])
    return version


def _dated(version: PlanVersion, at: dt.datetime | None) -> None:
    """The demo's history: the version was last changed ``at``, not now."""
    if at is not None:
        version.updated_at = at
        PlanVersion.objects.filter(pk=version.pk).update(updated_at=at)


def share_with_doctor(case: Case, *, by: User, notify: bool = True, at: dt.datetime | None = None) -> PlanVersion:
    """Share the draft with the doctor, once. Sharing again changes nothing and sends nothing. The demo writes
    history: ``notify=False`` tells nobody, ``at`` is when it was shared."""
    with transaction.atomic():
        plan = SupportPlan.objects.select_for_update().filter(case=case).first()
        latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first() if plan else None
        if latest is None:
            raise NotAllowed("There is no plan to share yet")
        if latest.status != VersionStatus.DRAFT:
            return latest
        if not latest.content["goals"]:
            raise NotAllowed("Add at least one goal before sharing the plan")
        latest.status = VersionStatus.SHARED
        latest.shared_at = at or timezone.now()
        latest.save(update_fields=["status", "shared_at", "updated_at"])
        _dated(latest, at)
        if not notify:
            return latest
        email_doctor(
            case.request,
            key=f"plan-shared:{plan.pk}:{latest.number}",
            subject="Your support plan is ready to read",
            template="plans/email/plan_shared.txt",
            context={"number": latest.number, "reference": case.request.reference},
        )
    return latest


def _doctor_version(case: Case, number: int) -> tuple[SupportPlan, PlanVersion]:
    plan = SupportPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise NotAllowed("There is no plan")
    version = PlanVersion.objects.filter(plan=plan, number=number).first()
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    if version is None or version != latest:
        raise NotAllowed("This version of the plan has been replaced by a newer one")
    return plan, version


def agree(case: Case, *, number: int, notify: bool = True, at: dt.datetime | None = None) -> PlanVersion:
    """The doctor agrees version ``number``. Agreeing twice records one agreement. The demo writes history:
    ``notify=False`` tells nobody, ``at`` is when the doctor agreed (and so when the sharing it proposed began)."""
    with transaction.atomic():
        plan, version = _doctor_version(case, number)
        if version.status == VersionStatus.AGREED:
            return version
        if version.status != VersionStatus.SHARED:
            raise NotAllowed("This version is not waiting for your agreement")
        PlanVersion.objects.filter(plan=plan, status=VersionStatus.AGREED).update(status=VersionStatus.SUPERSEDED)
        version.status = VersionStatus.AGREED
        version.agreed_at = at or timezone.now()
        version.save(update_fields=["status", "agreed_at", "updated_at"])
        _dated(version, at)
        plan_sharing.apply_agreed(case, version)
        plan.edit_count += 1
        plan.save(update_fields=["edit_count"])
        # The plan is agreed: the case moves into support (the plans app owns this one step of the stage).
        if case.stage in (Stage.FIRST_CONTACT, Stage.INITIAL_CONVERSATION, Stage.PLANNING):
            case.stage = Stage.SUPPORT
            case.save(update_fields=["stage"])
        if notify:
            _tell_staff(case, version, "agreed", "The doctor agreed their support plan")
    return version


def request_changes(
    case: Case, *, number: int, comment: str, notify: bool = True, at: dt.datetime | None = None
) -> PlanVersion:
    """The doctor asks for changes to version ``number``, once. The demo writes history: ``notify=False`` tells
    nobody, ``at`` is when the doctor asked."""
    with transaction.atomic():
        plan, version = _doctor_version(case, number)
        if version.status == VersionStatus.CHANGES_REQUESTED:
            return version
        if version.status != VersionStatus.SHARED:
            raise NotAllowed("This version is not waiting for your agreement")
        version.status = VersionStatus.CHANGES_REQUESTED
        version.doctor_comment = comment
        version.changes_requested_at = at or timezone.now()
        version.save(update_fields=["status", "doctor_comment", "changes_requested_at", "updated_at"])
        _dated(version, at)
        plan.edit_count += 1
        plan.save(update_fields=["edit_count"])
        if notify:
            _tell_staff(case, version, "changes", "The doctor asked for changes to their support plan")
    return version


def _tell_staff(case: Case, version: PlanVersion, what: str, subject: str) -> None:
    recipients = [case.case_manager] + ([case.facilitator] if case.facilitator_id else [])
    for person in recipients:
        queue_email(
            key=f"plan-{what}:{version.pk}:{person.pk}",
            to=person.email,
            subject=f"{case.request.reference}: {subject.lower()}",
            template="plans/email/plan_response.txt",
            context={"subject": subject, "number": version.number, "reference": case.request.reference},
        )


def agreed_on(case: Case) -> NotBefore | None:
    """When the plan now agreed was agreed: no review against it is dated before (``casework.date_order``)."""
    version = (
        PlanVersion.objects.filter(plan__case=case, status=VersionStatus.AGREED, agreed_at__isnull=False)
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    return NotBefore(timezone.localdate(version.agreed_at), "the plan was agreed")
