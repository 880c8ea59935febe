"""Rules for the support plan: the catalogue, drafting, sharing with the doctor, agreement, new versions."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import Organisation, User
from supportpath.casework.models import Case, Stage
from supportpath.notifications.tasks import queue_email

from . import content as plan_content
from . import plan_sharing
from .models import Intervention, InterventionType, PlanVersion, SupportPlan, VersionStatus

SEED_DESCRIPTIONS = {
    InterventionType.COACHING: "Conversations with a trained coach to help you find your own way forward.",
    InterventionType.MENTORING: "Regular time with an experienced doctor who shares what they have learned.",
    InterventionType.SUPERVISED_PRACTICE: "Time working alongside a supervisor, with feedback as you go.",
    InterventionType.TRAINING_COURSE: "A course to build a particular skill or area of knowledge.",
    InterventionType.CLINICAL_PLACEMENT: "A period of work in another setting to gain experience.",
    InterventionType.OCCUPATIONAL_HEALTH: "Advice from occupational health about your health and your work.",
    InterventionType.CAREERS_ADVICE: "Time with a careers adviser to think about your options.",
    InterventionType.EXAM_SUPPORT: "Help preparing for an exam, including study planning and practice.",
    InterventionType.COMMUNICATION_SKILLS: "Practice and feedback on talking with patients and colleagues.",
    InterventionType.WELLBEING: "Confidential psychological and well-being support.",
    InterventionType.PEER_GROUP: "A group of doctors who meet to support each other.",
    InterventionType.RETURN_TO_WORK: "A planned, gradual return to work or training after time away.",
}


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
            _, made = Intervention.objects.get_or_create(
                service=svc, name=kind.label, defaults={"type": kind, "description": SEED_DESCRIPTIONS[kind]}
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


def save_draft(case: Case, *, by: User, data: dict[str, Any], based_on: int) -> PlanVersion:
    """Save the plan's content. A change to a version the doctor has seen makes a new version; the draft is
    changed in place. ``based_on`` is the edit count the form started from; if it has moved on, ConflictError."""
    clean = plan_content.validate(data)
    with transaction.atomic():
        plan, _ = SupportPlan.objects.get_or_create(case=case)
        plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        latest = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        if plan.edit_count != based_on:
            raise ConflictError(latest)
        if latest is not None and latest.status == VersionStatus.DRAFT:
            latest.content = clean
            latest.save(update_fields=["content", "updated_at"])
            version = latest
        else:
            if latest is not None and latest.status in (VersionStatus.SHARED, VersionStatus.CHANGES_REQUESTED):
                latest.status = VersionStatus.SUPERSEDED
                latest.save(update_fields=["status", "updated_at"])
            version = PlanVersion.objects.create(
                plan=plan, number=(latest.number + 1 if latest else 1), content=clean, created_by=by
            )
        plan.edit_count += 1
        plan.save(update_fields=["edit_count"])
    return version


def share_with_doctor(case: Case, *, by: User) -> PlanVersion:
    """Share the draft with the doctor, once. Sharing again changes nothing and sends nothing."""
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
        latest.shared_at = timezone.now()
        latest.save(update_fields=["status", "shared_at", "updated_at"])
        doctor = case.request.doctor.user
        queue_email(
            key=f"plan-shared:{plan.pk}:{latest.number}",
            to=doctor.email,
            subject="Your support plan is ready to read",
            template="plans/email/plan_shared.txt",
            context={"name": doctor.full_name, "number": latest.number, "reference": case.request.reference},
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


def agree(case: Case, *, number: int) -> PlanVersion:
    """The doctor agrees version ``number``. Agreeing twice records one agreement."""
    with transaction.atomic():
        plan, version = _doctor_version(case, number)
        if version.status == VersionStatus.AGREED:
            return version
        if version.status != VersionStatus.SHARED:
            raise NotAllowed("This version is not waiting for your agreement")
        PlanVersion.objects.filter(plan=plan, status=VersionStatus.AGREED).update(status=VersionStatus.SUPERSEDED)
        version.status = VersionStatus.AGREED
        version.agreed_at = timezone.now()
        version.save(update_fields=["status", "agreed_at", "updated_at"])
        plan_sharing.apply_agreed(case, version)
        plan.edit_count += 1
        plan.save(update_fields=["edit_count"])
        # The plan is agreed: the case moves into support (the plans app owns this one step of the stage).
        if case.stage in (Stage.FIRST_CONTACT, Stage.INITIAL_CONVERSATION, Stage.PLANNING):
            case.stage = Stage.SUPPORT
            case.save(update_fields=["stage"])
        _tell_staff(case, version, "agreed", "The doctor agreed their support plan")
    return version


def request_changes(case: Case, *, number: int, comment: str) -> PlanVersion:
    with transaction.atomic():
        plan, version = _doctor_version(case, number)
        if version.status == VersionStatus.CHANGES_REQUESTED:
            return version
        if version.status != VersionStatus.SHARED:
            raise NotAllowed("This version is not waiting for your agreement")
        version.status = VersionStatus.CHANGES_REQUESTED
        version.doctor_comment = comment
        version.changes_requested_at = timezone.now()
        version.save(update_fields=["status", "doctor_comment", "changes_requested_at", "updated_at"])
        plan.edit_count += 1
        plan.save(update_fields=["edit_count"])
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
