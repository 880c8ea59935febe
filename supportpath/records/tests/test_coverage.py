"""Every model that holds a doctor's data is removed with the record it belongs to, or kept for a stated reason.

Found from the models themselves: a model added later with a foreign-key path to a doctor's profile, request or
case that removal would leave behind (say, one that points at a case with SET_NULL) fails here, by name."""

import pytest
from django.apps import apps
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile
from supportpath.records.removal import KEPT, children, label_of
from supportpath.records.retention import apply_retention
from supportpath.referrals.models import SupportRequest
from supportpath.testing.doctor_data import doctor_data_models

from .conftest import equality_for, full_case


def descendants(model, found=None) -> set:
    found = set() if found is None else found
    for child, _ in children(model):
        if label_of(child) in KEPT or child in found:
            continue
        found.add(child)
        descendants(child, found)
    return found


def test_every_model_holding_a_doctors_data_is_removed_with_it_or_kept_for_a_stated_reason():
    removed_with_account = descendants(DoctorProfile)
    uncovered = []
    for model, path in sorted(doctor_data_models().items(), key=lambda item: label_of(item[0])):
        label = label_of(model)
        if model is DoctorProfile or label in KEPT or model in removed_with_account:
            continue
        uncovered.append(f"{label} (reaches the doctor through {path})")
    assert not uncovered, (
        "These models hold a doctor's data but removal would leave them behind. Point them at the record they "
        "belong to with on_delete=CASCADE (or PROTECT), or add them to supportpath/records/removal.py KEPT with "
        f"the reason: {uncovered}"
    )


def test_everything_under_a_case_goes_with_its_request():
    under_request = descendants(SupportRequest)
    expected = {
        "referrals.supportrequestreason",
        "referrals.doctorcomment",
        "referrals.referralinvitation",
        "referrals.resend",
        "emergency_access.emergencyaccess",
        "casework.case",
        "pathway.initialconversation",
        "pathway.needsassessment",
        "pathway.supportsession",
        "plans.supportplan",
        "plans.planversion",
        "facilitation.matchingpreferences",
        "facilitation.allocation",
        "progress.review",
        "progress.milestonedone",
        "progress.reviseddate",
        "progress.reassessment",
        "progress.closure",
        "closure.exitfeedback",
        "measures.response",
        "measures.safetyalert",
        "measures.resultssharing",
        "measures.followupinvitation",
        "messaging.message",
        "messaging.threadread",
    }
    assert expected <= {label_of(m) for m in under_request}


def test_the_kept_models_say_why():
    for label, reason in KEPT.items():
        apps.get_model(label)
        assert len(reason) > 40


@pytest.mark.django_db
def test_a_closed_case_past_its_period_leaves_no_row_of_any_kind_behind(world):
    profile = world.doctor.doctor_profile
    long_ago = timezone.localdate().replace(year=timezone.localdate().year - 11)
    full_case(
        doctor=profile,
        service=world.service,
        case_manager=world.case_manager,
        facilitator=world.facilitator,
        closed_on=long_ago,
    )
    equality_for(profile)
    # The world's own open case and referral belong to the same doctor: keep them out of the count.
    SupportRequest.objects.filter(pk__in=[world.self_request.pk, world.referral.pk]).update(
        doctor=world.other_doctor.doctor_profile
    )
    models = {m: p for m, p in doctor_data_models().items() if m in descendants(SupportRequest) or m is SupportRequest}
    before = {label_of(m): m._base_manager.filter(**{p: profile}).count() for m, p in models.items()}
    assert all(before[label] for label in ["casework.case", "progress.review", "plans.planversion"])

    apply_retention(trigger="command")

    after = {label_of(m): m._base_manager.filter(**{p: profile}).count() for m, p in models.items()}
    assert not any(after.values()), after
    # Not part of a request: the doctor's own account and answers stay until the account goes.
    assert profile.equality
