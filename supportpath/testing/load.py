"""The database side of the load test (``scripts/load``): who the simulated people are, and afterwards, what was
stored against what they were told was sent.

Run through ``manage.py shell -c`` by the script, against the load test's own database (never a real one):

- ``prepare(path)`` writes the people to play (doctors who can sign in without a second factor and whose
  employer has a service, case managers, facilitators with the open cases they support) as JSON.
- ``count(path, since)`` reads the submissions the load test was told succeeded (one JSON line each: kind and
  submission token) and compares them with the rows stored since ``since``: lost (acknowledged, not stored),
  duplicated (stored twice for one submission, or stored with no acknowledged submission behind it), and
  half-written (a request without its reasons or its email; a session without its case's facilitator). It
  also checks the outbox: every email sent, each to the mail server once (``mail_sink``).

Every check reads rows by their submission token, the same idempotency key the product itself uses to
recognise a form sent twice.
"""

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db.models import Count, F
from django_otp.plugins.otp_totp.models import TOTPDevice

from supportpath.accounts.models import DoctorProfile, Membership, Role, User
from supportpath.casework.models import ContactAttempt, Stage
from supportpath.demo.people import DEMO_PASSWORD
from supportpath.demo.two_step import DEMO_AUTHENTICATOR_KEY
from supportpath.facilitation.models import Allocation, AllocationStatus
from supportpath.notifications.models import EmailStatus, SentEmail
from supportpath.pathway.models import SupportSession
from supportpath.referrals.models import SupportRequest
from supportpath.referrals.services import services_for

KINDS = ("self_referral", "contact_attempt", "session")


def prepare(path: str) -> dict:
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    profiles = [
        profile
        for profile in DoctorProfile.objects.select_related("user", "employer").order_by("pk")
        if profile.user.is_active and profile.user_id not in with_device and services_for(profile)
    ]
    # The demo's generated doctors have no password (nobody signs in as them): in the load test's own database,
    # give them the demo's, so that each simulated doctor is a different person with drafts of their own.
    password_hash = make_password(DEMO_PASSWORD)
    for_password = [p.user for p in profiles if not p.user.has_usable_password()]
    for user in for_password:
        user.password = password_hash
    User.objects.bulk_update(for_password, ["password"])
    doctors = [p.user.email for p in profiles]
    case_managers = sorted(
        {
            m.user.email
            for m in Membership.objects.filter(role=Role.CASE_MANAGER, user__is_active=True).select_related("user")
            if m.user_id in with_device and m.user.has_usable_password()
        }
    )
    facilitators: dict[str, list[int]] = {}
    allocations = Allocation.objects.filter(status=AllocationStatus.ACCEPTED, case__facilitator_id=F("facilitator_id"))
    for allocation in allocations.exclude(case__stage=Stage.CLOSED).select_related("facilitator").order_by("pk"):
        if allocation.facilitator_id in with_device and allocation.facilitator.is_active:
            facilitators.setdefault(allocation.facilitator.email, []).append(allocation.case_id)
    people = {
        "password": DEMO_PASSWORD,
        "authenticator_key": DEMO_AUTHENTICATOR_KEY,
        "doctors": doctors,
        "case_managers": case_managers,
        "facilitators": facilitators,
    }
    Path(path).write_text(json.dumps(people, indent=1))
    print(
        f"load: {len(doctors)} doctors, {len(case_managers)} case managers, {len(facilitators)} facilitators "
        f"with {sum(len(v) for v in facilitators.values())} open cases"
    )
    return people


def _acknowledged(path: str) -> dict[str, Counter]:
    seen: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    file = Path(path)
    if file.exists():
        for line in file.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                seen[entry["kind"]][entry["token"]] += 1
    return seen


def count(path: str, since: str, mail_sink: str = "") -> dict:
    """Print and return the figures; ``ok`` is False on any loss, duplicate, half-written row or unsent email."""
    start = dt.datetime.fromisoformat(since)
    acknowledged = _acknowledged(path)
    stored = {
        "self_referral": SupportRequest.objects.filter(submitted_at__gte=start),
        "contact_attempt": ContactAttempt.objects.filter(recorded_at__gte=start),
        "session": SupportSession.objects.filter(created_at__gte=start),
    }
    figures: dict = {"kinds": {}}
    problems = []
    for kind in KINDS:
        tokens = acknowledged[kind]
        rows = Counter(str(t) for t in stored[kind].values_list("submission_token", flat=True))
        lost = [t for t in tokens if t not in rows]
        duplicated = sum(n - 1 for n in rows.values() if n > 1) + sum(1 for t in rows if t not in tokens)
        figures["kinds"][kind] = {
            "submitted": len(tokens),
            "sent_twice_by_the_client": sum(n - 1 for n in tokens.values()),
            "stored": sum(rows.values()),
            "lost": len(lost),
            "duplicated": duplicated,
        }
        if lost or duplicated:
            problems.append(f"{kind}: {len(lost)} lost, {duplicated} duplicated")

    # Half-written: a request stored without its reasons or without the email that tells the doctor.
    requests = stored["self_referral"].annotate(reason_count=Count("reasons"))
    no_reasons = requests.filter(reason_count=0).count()
    keys = [f"self-referral-received:{pk}" for pk in stored["self_referral"].values_list("pk", flat=True)]
    emails = SentEmail.objects.filter(key__in=keys)
    no_email = len(keys) - emails.count()
    half_written = no_reasons + no_email
    if half_written:
        problems.append(f"{no_reasons} requests without reasons, {no_email} without their email")
    figures["half_written"] = half_written

    # The outbox: every email of the run sent, and the mail server given each one once.
    run_emails = SentEmail.objects.filter(created_at__gte=start)
    unsent = run_emails.exclude(status=EmailStatus.SENT).count()
    figures["emails"] = {"queued": run_emails.count(), "not_sent": unsent}
    if unsent:
        problems.append(f"{unsent} emails not sent")
    if mail_sink:
        ids = set(run_emails.values_list("message_id", flat=True))
        deliveries: Counter[str] = Counter()
        if Path(mail_sink).exists():
            for line in Path(mail_sink).read_text().splitlines():
                message_id = json.loads(line)["message_id"]
                if message_id in ids:
                    deliveries[message_id] += 1
        never = len(ids) - len(deliveries)
        twice = sum(1 for n in deliveries.values() if n > 1)
        figures["emails"].update({"delivered": sum(deliveries.values()), "never_delivered": never, "twice": twice})
        if never or twice:
            problems.append(f"mail server: {never} emails never delivered, {twice} delivered more than once")
    figures["ok"] = not problems
    figures["problems"] = problems
    print("count: " + json.dumps(figures))
    return figures
