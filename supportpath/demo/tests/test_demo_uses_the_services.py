"""The demo builds its pathway records through the product's own services, as history (nobody told), so what
a newcomer sees is what the product makes: a closure through ``close_case`` frees the facilitator, closes the
request and scores the case as a real one does. A source lint over ``supportpath/demo`` fails on a direct
``Model.objects.create`` / ``bulk_create`` / ``get_or_create`` / ``update_or_create``, or a bare constructor,
of a record in ``THROUGH_A_SERVICE``. The national-scale seed (``scale``, ``scale_pages``, ``copy`` and the
``seed_scale`` command) writes rows in bulk on purpose and is left out.

Add a model here when the demo's writes of it go through its service."""

import ast
from pathlib import Path

import supportpath.demo

ROOT = Path(supportpath.demo.__file__).parent
BULK_ON_PURPOSE = {"scale.py", "scale_pages.py", "copy.py", "seed_scale.py"}
# Record -> the service that makes it.
THROUGH_A_SERVICE = {
    "Closure": "closure.services.close_case",
    "ExitFeedback": "closure.services.save_exit_feedback",
    "Review": "progress.services.record_review (and add_reflection)",
    "MilestoneDone": "progress.services.mark_milestone_done",
    "Reassessment": "progress.services.record_reassessment",
    "RevisedDate": "progress.services.set_new_date",
    "SupportSession": "pathway.services.record_session",
    "MatchingPreferences": "facilitation.services.save_preferences",
    "NeedsAssessment": "pathway.services.save_needs_assessment (and add_doctor_comment)",
    "TargetNotice": "progress.services.record_notice (or record_notices, many at once)",
    "EmergencyAccess": "emergency_access.services.open_grant (then end_grant, mark_seen)",
    "ErasureRequest": "records.erasure.ask (then decline or carry_out)",
    "Case": "casework.services.accept (after record_first_contact)",
    "InitialConversation": "pathway.services.arrange_conversation",
    "DoctorComment": "referrals.referral_services.add_doctor_comment",
    "SupportRequest": "referrals.services.submit_self_referral or referral_services.make_referral (make_request)",
    "SupportRequestReason": "the request's service, which writes its reasons (builders.make_request)",
    "SupportPlan": "plans.services.save_draft (through demo.as_history.plan_version)",
    "PlanVersion": "plans.services.save_draft, share_with_doctor, agree, request_changes (demo.as_history)",
    "Allocation": "facilitation.services.propose, accept, decline, ask_for_introduction, record_introduction, "
    "change_facilitator (demo.as_history)",
    "Organisation": "service.services.add_staff (a support service) or save_organisation (one it serves)",
    "User": "service.services.invite and accept (staff, organisation leads), accounts.services.register_doctor "
    "(doctors)",
    "Membership": "service.services.accept (staff, organisation leads), accounts.services.register_doctor (doctors)",
    "DoctorProfile": "accounts.services.register_doctor (then update_doctor_detail)",
    "EqualityMonitoring": "accounts.equality.save_answers",
    "FacilitatorProfile": "facilitation.services.add_profile (then save_profile)",
    "Response": "measures.services.record_answered (then safety.raise_alert for any it catches)",
    "ReferralInvitation": "referrals.referral_services.invite_to_register (or make_referral, send_again)",
    "AccessRecord": "audit.log.record_access (at= when the read happened)",
    "Fact": "none: the fact record is a read model, written from the records by insights.facts.refresh (backfill)",
    "FactReason": "insights.facts.refresh (the fact record's writer)",
    "FactMeasure": "insights.facts.refresh (the fact record's writer)",
    "TOTPDevice": "accounts.second_factor.pending_authenticator and confirm_app (demo.two_step)",
}
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}
# A queryset ``.update(...)`` of a record in THROUGH_A_SERVICE may only date what a service made (a field whose
# name ends ``_at`` or ``_on``, or one of these): never its stage, status, route or facilitator.
DATING_FIELDS = {"reminded_for"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts or path.name in BULK_ON_PURPOSE:
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def _direct_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in THROUGH_A_SERVICE:
            found.append((node.lineno, f"{func.id}(...)"))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in WRITES
            and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id in THROUGH_A_SERVICE
        ):
            found.append((node.lineno, f"{func.value.value.id}.{func.value.attr}.{func.attr}(...)"))
    return found


def _model_of(node: ast.expr) -> str | None:
    """``X`` of ``X.objects...`` at the root of a chain of calls and attributes, if there is one."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            return node.value.id
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def _undated_updates(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"):
            continue
        model = _model_of(node.func.value)
        if model not in THROUGH_A_SERVICE:
            continue
        for keyword in node.keywords:
            name = keyword.arg or "**"
            if not (name.endswith(("_at", "_on")) or name in DATING_FIELDS):
                found.append((node.lineno, f"{model}...update({name}=...)"))
    return found


def test_the_demo_makes_pathway_records_through_their_services():
    direct = [
        f"{path.relative_to(ROOT)}:{line} {what}: use {THROUGH_A_SERVICE[what.split('(')[0].split('.')[0]]}"
        for path, tree in _modules()
        for line, what in _direct_writes(tree)
    ]
    assert direct == []


def test_the_lint_sees_a_direct_write():
    tree = ast.parse("Closure.objects.create(case=case)\nrows = [ExitFeedback(case=case)]\n")
    assert [what for _, what in _direct_writes(tree)] == ["Closure.objects.create(...)", "ExitFeedback(...)"]


def test_the_demo_changes_pathway_records_through_their_services():
    """Only the dates of what a service made may be set afterwards: a stage, a status, a route or a facilitator
    is reached through the service that reaches it in the product."""
    undated = [
        f"{path.relative_to(ROOT)}:{line} {what}: use {THROUGH_A_SERVICE[what.split('.')[0]]}"
        for path, tree in _modules()
        for line, what in _undated_updates(tree)
    ]
    assert undated == []


def test_the_lint_sees_an_undated_update():
    tree = ast.parse(
        "Case.objects.filter(pk=case.pk).update(stage=Stage.SUPPORT, facilitator=user)\n"
        "SupportRequest.objects.filter(pk__in=pks).update(route=Route.SIGNPOSTED)\n"
        "SupportRequest.objects.filter(pk=pk).update(ended_at=at, doctor_seen_referral_on=day)\n"
        "Case.objects.update(**fields)\n"
    )
    assert [what for _, what in _undated_updates(tree)] == [
        "Case...update(stage=...)",
        "Case...update(facilitator=...)",
        "SupportRequest...update(route=...)",
        "Case...update(**=...)",
    ]
