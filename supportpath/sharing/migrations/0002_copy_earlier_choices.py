"""Copy every sharing choice made before sharing agreements existed into one agreement per request:

- a mandated referral's fixed minimum (the referrer and responsible officer see the stage and attendance);
- a self-referral's "may we tell your employer?" (yes: the employer sees the stage);
- a referral's "the person who referred you may see progress" (yes: the referrer sees the stage);
- the sharing of the doctor's agreed support plan (its parts, for the audiences it named).

Each becomes a version, oldest first, with the time it was really made where we know it. The referrals app's
0002 then removes the old fields. Constants are written out here, not imported, so this migration keeps
meaning what it meant.
"""

from django.db import migrations

MANDATED_MINIMUM = {
    ("referrer", "stage"),
    ("referrer", "attendance"),
    ("responsible_officer", "stage"),
    ("responsible_officer", "attendance"),
}
PLAN_PARTS = {"goals", "interventions", "milestones", "review_outcomes", "session_summaries"}
AUDIENCES = {"referrer", "responsible_officer", "employer"}


def _key(grant):
    return f"{grant[0]}:{grant[1]}"


def _events(request, plan_version):
    is_referral = request.route != "self"
    doctor = request.doctor.user
    events = []
    if request.mandated and is_referral and request.referrer_id:
        events.append((request.submitted_at, "mandated", set(MANDATED_MINIMUM), None, None))
    if not is_referral and request.employer_may_be_told:
        events.append((request.submitted_at, "self_referral", {("employer", "stage")}, None, doctor))
    if is_referral and request.referrer_sees_progress:
        at = request.doctor_seen_referral_at or request.submitted_at
        events.append((at, "earlier_choice", {("referrer", "stage")}, None, doctor))
    if plan_version is not None:
        proposed = {
            (audience, part)
            for part, audiences in plan_version.content.get("sharing", {}).items()
            for audience in audiences
            if part in PLAN_PARTS and audience in AUDIENCES and (is_referral or audience != "referrer")
        }
        if proposed:
            at = plan_version.agreed_at or plan_version.created_at
            events.append((at, "plan", proposed, plan_version.number, doctor))
    return sorted(events, key=lambda event: event[0])


def forwards(apps, schema_editor):
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    SharingAgreement = apps.get_model("sharing", "SharingAgreement")
    AgreementVersion = apps.get_model("sharing", "AgreementVersion")
    Grant = apps.get_model("sharing", "Grant")

    agreed = {}
    for version in PlanVersion.objects.filter(status="agreed").select_related("plan__case").order_by("number"):
        agreed[version.plan.case.request_id] = version  # the newest agreed version wins, as before

    for request in SupportRequest.objects.select_related("doctor__user").order_by("pk").iterator():
        if SharingAgreement.objects.filter(request_id=request.pk).exists():
            continue
        events = _events(request, agreed.get(request.pk))
        if not events:
            continue
        fixed = set(MANDATED_MINIMUM) if request.mandated and request.route != "self" and request.referrer_id else set()
        agreement = SharingAgreement.objects.create(request_id=request.pk)
        current = set()
        number = 0
        for at, source, grants, plan_number, by in events:
            new = current | grants | fixed
            if new == current:
                continue
            number += 1
            AgreementVersion.objects.create(
                agreement=agreement,
                number=number,
                grants=sorted(_key(g) for g in new),
                added=sorted(_key(g) for g in new - current),
                removed=[],
                source=source,
                plan_version=plan_number,
                made_by=by,
                made_by_name=by.full_name if by else "",
                made_at=at,
            )
            current = new
        Grant.objects.bulk_create(Grant(agreement=agreement, audience=a, item=i) for a, i in sorted(current))
        agreement.version = number
        agreement.save(update_fields=["version"])


def backwards(apps, schema_editor):
    """Put the two old choices back from the agreements (the plan's own sharing was never moved), then forget
    the agreements."""
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    Grant = apps.get_model("sharing", "Grant")
    SharingAgreement = apps.get_model("sharing", "SharingAgreement")
    referrer_stage = Grant.objects.filter(audience="referrer", item="stage").values("agreement__request_id")
    employer_stage = Grant.objects.filter(audience="employer", item="stage").values("agreement__request_id")
    SupportRequest.objects.filter(pk__in=referrer_stage, mandated=False).update(referrer_sees_progress=True)
    SupportRequest.objects.filter(pk__in=employer_stage, route="self").update(employer_may_be_told=True)
    SharingAgreement.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_initial"),
        ("referrals", "0001_initial"),
        ("casework", "0002_case_facilitator"),
        ("plans", "0003_encrypted_plan_content"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
