"""Erasure on request: a doctor asks, the service admin of each service holding their records decides, and
every erasure carried out is written to the erasure ledger so it can be applied again after a restore.

What erasure does (docs/retention.md):
- removes, whole, every support request the service holds about the doctor, with everything under it;
- once no service holds anything and no other request is waiting, closes the account: everything hanging off
  the doctor's profile and account is deleted (equality monitoring, erasure requests, authenticator apps,
  memberships ...), and the two rows themselves are kept only as an anonymised tombstone, because the access
  log (kept) points at the profile and cannot be rewritten without breaking its hash chain;
- writes a ledger entry that holds no personal data.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Organisation, PendingRegistration, Role, User
from supportpath.audit.log import record_access
from supportpath.casework.models import Case, Stage
from supportpath.core.dates import long_date
from supportpath.core.encryption import lookup_hash
from supportpath.facilitation.models import OPEN_STATUSES, Allocation
from supportpath.notifications.models import SentEmail
from supportpath.notifications.tasks import queue_email
from supportpath.referrals.emails import email_doctor

from . import ledger
from .models import ErasureLedgerEntry, ErasureRequest, ErasureStatus
from .removal import KEPT, Removed, children, label_of, remove_whole

ERASED_EMAIL_DOMAIN = "erased.invalid"
KEY_CHECK_TEXT = "supportpath erasure ledger key check"
# Emails about an account that is now closed: their rows (address, subject) are removed by the next retention run.
CLOSED_ACCOUNT_EMAIL_KEY = "erasure-done:"
ANSWER_WITHIN_DAYS = 30  # UK GDPR: answer a request without undue delay, and at the latest within one month


class NotWaiting(Exception):
    """The request was already decided (a second click, or another admin got there first)."""


def key_check() -> str:
    return lookup_hash(KEY_CHECK_TEXT)


def is_tombstone(profile: DoctorProfile) -> bool:
    return profile.user.is_erased


def services_holding_records(profile: DoctorProfile) -> list[Organisation]:
    ids = profile.support_requests.values_list("service_id", flat=True).distinct()
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def answer_due(erasure_request: ErasureRequest) -> dt.date:
    return timezone.localdate(erasure_request.asked_at) + dt.timedelta(days=ANSWER_WITHIN_DAYS)


def ask(
    profile: DoctorProfile, *, note: str, token: uuid.UUID, notify: bool = True, at: dt.datetime | None = None
) -> list[ErasureRequest]:
    """One request to each service that holds records about the doctor (and has none waiting already), and
    each service's admins told.

    The same form sent twice makes the same requests once (the token, made when the page was shown). The demo
    writes history: ``at`` is when the doctor asked, and ``notify=False`` emails nobody."""
    made = []
    with transaction.atomic():
        for service in services_holding_records(profile):
            request_token = uuid.uuid5(token, str(service.pk))
            existing = ErasureRequest.objects.filter(submission_token=request_token).first()
            if (
                existing is not None
                or profile.erasure_requests.filter(service=service, status=ErasureStatus.WAITING).exists()
            ):
                continue
            try:
                with transaction.atomic():
                    erasure_request = ErasureRequest.objects.create(
                        doctor=profile,
                        service=service,
                        asked_at=at or timezone.now(),
                        doctor_note=note,
                        submission_token=request_token,
                    )
            except IntegrityError:
                continue  # the same form, sent at the same moment from another tab: that one made it
            made.append(erasure_request)
            if notify:
                _tell_admins(erasure_request)
    return made


def _tell_admins(erasure_request: ErasureRequest) -> None:
    admins = User.objects.filter(
        memberships__organisation=erasure_request.service, memberships__role=Role.SERVICE_ADMIN, is_active=True
    ).distinct()
    for admin in admins:
        # No name in the email: the admin reads who it is on the page, where that reading is logged.
        queue_email(
            key=f"erasure-asked:{erasure_request.pk}:{admin.pk}",
            to=admin.email,
            subject="A doctor has asked for their record to be erased",
            template="records/email/erasure_asked.txt",
            context={
                "service": erasure_request.service.name,
                "reference": erasure_request.reference,
                "due": long_date(answer_due(erasure_request)),
                "link": f"{settings.SITE_URL}/service/records-and-retention/",
            },
        )


def case_team(support_request_ids) -> list[tuple[str, list[User]]]:
    """For each open case among the requests: its reference, and the people working on it who should know that
    it has been erased (the case manager, and the facilitator allocated to it, whether they have accepted yet or
    not), each once, if their account is active."""

    teams = []
    cases = list(
        Case.objects.filter(request_id__in=support_request_ids)
        .exclude(stage=Stage.CLOSED)
        .select_related("request", "case_manager", "facilitator")
        .order_by("pk")
    )
    asked: dict[int, list[User]] = {}
    open_allocations = Allocation.objects.filter(case__in=cases, status__in=OPEN_STATUSES).select_related("facilitator")
    for allocation in open_allocations.order_by("pk"):
        asked.setdefault(allocation.case_id, []).append(allocation.facilitator)
    for case in cases:
        people = {case.case_manager.pk: case.case_manager}
        if case.facilitator is not None:
            people[case.facilitator.pk] = case.facilitator
        for facilitator in asked.get(case.pk, []):
            people.setdefault(facilitator.pk, facilitator)
        teams.append((case.request.reference, [p for p in people.values() if p.is_active]))
    return teams


def _tell_case_team(support_request_ids, service: Organisation) -> None:
    """Only that a record they worked on was erased at the doctor's request, and its reference: no name and
    nothing from the record, which is gone."""
    for reference, people in case_team(support_request_ids):
        for person in people:
            queue_email(
                key=f"erasure-case-team:{reference}:{person.pk}",
                to=person.email,
                subject="A record you worked on has been erased",
                template="records/email/erased_case_team.txt",
                context={"name": person.full_name, "service": service.name, "reference": reference},
            )


def close_account(profile: DoctorProfile) -> Removed:
    """Delete everything that hangs off the doctor's profile and account, and anonymise the two rows.

    Used by erasure and by the dormant-accounts rule of retention. Found from the models, as removal is: a
    model added later that points at the profile, or at the account with CASCADE, goes too."""
    removed = Removed()
    user = User.objects.get(pk=profile.user_id)
    email = user.email
    # Whatever still hangs off the profile, support requests included (none, when an erasure closes it).
    for child, fk in children(DoctorProfile):
        if label_of(child) in KEPT:
            continue
        pks = child._base_manager.filter(**{fk.name: profile}).values_list("pk", flat=True)
        removed.add(remove_whole(child, pks, collect_ids=True))
    # What would go with the account if it were deleted: memberships, authenticator apps, backup codes ...
    for child, fk in children(User):
        if child is DoctorProfile or fk.remote_field.on_delete is not models.CASCADE:
            continue
        pks = child._base_manager.filter(**{fk.name: user}).values_list("pk", flat=True)
        removed.add(remove_whole(child, pks, collect_ids=True))
    removed.add(_forget_email_address(email))
    tombstone = f"erased-{profile.pk}"
    DoctorProfile.objects.filter(pk=profile.pk).update(
        gmc_number=tombstone,
        gmc_number_hash=lookup_hash(tombstone),
        career_stage="",
        contract_type="",
        specialty="",
        qualification_region="",
        employer=None,
        phone="",
        preferred_contact_times="",
    )
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}",
        full_name="",
        password=make_password(None),
        is_active=False,
        erased_at=timezone.now(),
        last_login=None,
        session_generation=F("session_generation") + 1,
    )
    return removed


def _forget_email_address(email: str) -> Removed:
    """Emails sent to the address, queued or finished tasks that carry it, and sign-in records under it."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    removed = Removed()
    # An email's task carries only the email's id (its address and message are in the email's row).
    email_ids = list(SentEmail.objects.filter(to=email).values_list("pk", flat=True))
    for model, lookup in [
        (DBTaskResult, {"args_kwargs__kwargs__email_id__in": email_ids}),
        (DBTaskResult, {"args_kwargs__kwargs__email": email}),  # a request for a reset link
        (SentEmail, {"to": email}),
        (PendingRegistration, {"email": email}),
        (AccessAttempt, {"username": email}),
        (AccessFailureLog, {"username": email}),
        (AccessLog, {"username": email}),
    ]:
        pks = list(model._base_manager.filter(**lookup).values_list("pk", flat=True))
        if pks:
            model._base_manager.filter(pk__in=pks).delete()
            removed.rows[label_of(model)] += len(pks)
    return removed


def carry_out(erasure_request: ErasureRequest, *, by: User) -> ErasureLedgerEntry:
    """Erase what the service holds about the doctor, close the account if nothing else is held, and write the
    ledger entry. Refused (NotWaiting) if the request was already decided."""
    with transaction.atomic():
        locked = ErasureRequest.objects.select_for_update().select_related("service").get(pk=erasure_request.pk)
        if locked.status != ErasureStatus.WAITING:
            raise NotWaiting(locked)
        profile = DoctorProfile.objects.select_related("user").get(pk=locked.doctor_id)
        user = profile.user
        email, name = user.email, user.full_name
        service = locked.service
        record_access(
            actor=by,
            role=Role.SERVICE_ADMIN,
            organisation=service.name,
            doctor=profile,
            action="changed",
            what=f"Every record held by {service.name} (erased at the doctor's request)",
            obj=locked,
            purpose="Carrying out the doctor's request to erase their record",
        )
        roots = list(profile.support_requests.filter(service=service).values_list("pk", flat=True))
        _tell_case_team(roots, service)  # before removal: the open cases are found through the requests
        removed = remove_whole(profile.support_requests.model, roots, collect_ids=True)
        locked.status = ErasureStatus.CARRIED_OUT
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        removed.ids.setdefault(label_of(ErasureRequest), []).append(locked.pk)
        others_waiting = profile.erasure_requests.filter(status=ErasureStatus.WAITING).exists()
        account_closed = not others_waiting and not profile.support_requests.exists()
        if account_closed:
            removed.add(close_account(profile))
        entry = _write_entry(
            profile=profile,
            by_role=Role.SERVICE_ADMIN,
            service_id=service.pk,
            erasure_request_id=locked.pk,
            roots=roots,
            removed=removed,
            account_closed=account_closed,
        )
        queue_email(
            key=(f"{CLOSED_ACCOUNT_EMAIL_KEY}{entry.entry_id}" if account_closed else f"erasure-done-kept:{locked.pk}"),
            to=email,
            subject="Your record has been erased",
            template="records/email/erased.txt",
            context={"name": name, "service": service.name, "account_closed": account_closed},
        )
    return entry


def close_own_account(profile: DoctorProfile) -> ErasureLedgerEntry:
    """A doctor about whom no service holds a support record closes their own account: nobody else has
    anything to weigh up, so it happens at once. Written to the ledger like any erasure."""
    with transaction.atomic():
        profile = DoctorProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if profile.support_requests.exists():
            raise NotWaiting(profile)
        email, name = profile.user.email, profile.user.full_name
        removed = close_account(profile)
        entry = _write_entry(
            profile=profile,
            by_role=Role.DOCTOR,
            service_id=None,
            erasure_request_id=None,
            roots=[],
            removed=removed,
            account_closed=True,
        )
        queue_email(
            key=f"{CLOSED_ACCOUNT_EMAIL_KEY}{entry.entry_id}",
            to=email,
            subject="Your account is closed",
            template="records/email/erased.txt",
            context={"name": name, "service": "", "account_closed": True},
        )
    return entry


def decline(
    erasure_request: ErasureRequest, *, by: User, reason: str, notify: bool = True, at: dt.datetime | None = None
) -> ErasureRequest:
    """Keep the record, with the reason the doctor reads after signing in; the decision is logged and the doctor
    told by email. Refused (NotWaiting) if the request was already decided. The demo writes history: ``at`` is
    when it was decided (and logged), and ``notify=False`` emails nobody."""
    with transaction.atomic():
        locked = (
            ErasureRequest.objects.select_for_update()
            .select_related("service", "doctor__user")
            .get(pk=erasure_request.pk)
        )
        if locked.status != ErasureStatus.WAITING:
            raise NotWaiting(locked)
        locked.status = ErasureStatus.DECLINED
        locked.decided_at = at or timezone.now()
        locked.decided_by = by
        locked.decline_reason = reason
        locked.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
        record_access(
            actor=by,
            role=Role.SERVICE_ADMIN,
            organisation=locked.service.name,
            doctor=locked.doctor,
            action="changed",
            what=f"Request to erase their record ({locked.reference})",
            obj=locked,
            purpose="Deciding the doctor's request to erase their record: kept, with the reason given",
            at=at,
        )
        if not notify:
            return locked
        # The reason itself is read after signing in, not sent by email.
        email_doctor(
            locked.doctor,
            key=f"erasure-declined:{locked.pk}",
            subject="Your request to erase your record",
            template="records/email/declined.txt",
            context={
                "service": locked.service.name,
                "link": f"{settings.SITE_URL}/my-support/erase-my-record/",
            },
        )
    return locked


def _write_entry(
    *, profile, by_role, service_id, erasure_request_id, roots, removed, account_closed
) -> ErasureLedgerEntry:
    entry = ErasureLedgerEntry.objects.create(
        erased_at=timezone.now(),
        by_role=by_role,
        service_id=service_id,
        erasure_request_id=erasure_request_id,
        doctor_profile_id=profile.pk,
        user_id=profile.user_id,
        gmc_number_hash=profile.gmc_number_hash,
        hash_key_check=key_check(),
        support_request_ids=sorted(roots),
        records={label: sorted(set(ids)) for label, ids in sorted(removed.ids.items())},
        account_closed=account_closed,
    )
    transaction.on_commit(lambda: ledger.write_after_commit(entry))
    return entry
