"""An urgent request dealt with and then paused, a declined referral and a request closed for no response:
each made through the product's own services (casework, referrals, progress), dated when it happened, with the
services' emails turned off (a demo must not send any: ``notify=False``)."""

from __future__ import annotations

from supportpath.casework import services as casework
from supportpath.casework.models import AttemptMethod, AttemptOutcome
from supportpath.pathway.models import Mode
from supportpath.progress import services as progress
from supportpath.progress.models import PauseReason
from supportpath.referrals import services as referrals
from supportpath.referrals.models import EndedAs, Status, SupportRequest

from .steps import Steps, token

URGENT_ACTION = (
    "Rang her first thing, the morning after she asked. She was safe, at home with her partner, and agreed to see "
    "her GP that afternoon; we agreed she would call Samaritans or 111 if things got worse. Spoke again at 5pm."
)
DEMO_URGENT_ACTION = "Rang the doctor the same day; they were safe and had someone with them. Agreed next steps."


def hana(s: Steps) -> None:
    """Urgent ("I'm not coping"): rung first thing the next day and the urgency recorded as dealt with, accepted,
    her first conversation held; support paused five working days ago for sick leave, so her plan's date waits."""
    request = s.request
    manager = s.case_manager
    casework.record_urgent_dealt_with(request, by=manager, on=request.first_contact_on, action=URGENT_ACTION)
    s.open_case(25)
    s.conversation(s.demo.at(s.day(20), 14), Mode.VIDEO)
    s.needs(
        20,
        individual_factors="Exhausted after a run of nights; sleeping badly and low in mood for two months.",
        team_factors="A supportive registrar; the ward has been two doctors short since October.",
        structural_factors="Rota gaps filled by extra shifts; no protected breaks on nights.",
        strengths="Kind and thorough; her patients' families often thank her by name.",
        doctor_goals="To feel like myself again, and to find a way to do nights that I can sustain.",
    )
    progress.pause_case(
        s.case,
        by=manager,
        reason=PauseReason.SICK_LEAVE,
        started_on=s.day(5),
        explanation="Take the time you need. I will ring you when your fit note ends, and we will pick up "
        "your plan together.",
        token=token("pause", s.key),
        notify=False,
    )


def owen(s: Steps) -> None:
    """His supervisor referred him; he read it and declined, with a reason he kept to himself."""
    request = s.request
    if request.status == Status.CLOSED:
        return
    referrals.withdraw(
        request,
        by=s.doctor,
        reason="I already see a mentor through the deanery, and would rather keep it there for now.",
        share_reason=False,
        notify=False,
    )
    SupportRequest.objects.filter(pk=request.pk).update(ended_at=s.at(3, 20, 15))


def cerys(s: Steps) -> None:
    """She asked; two tries by phone and email reached nobody, so the request closed as "no response"."""
    request = s.request
    if request.status == Status.CLOSED:
        return
    manager = s.staff("case_manager")
    for n, method, outcome in (
        (12, AttemptMethod.PHONE, AttemptOutcome.MESSAGE_LEFT),
        (9, AttemptMethod.EMAIL, AttemptOutcome.NO_REPLY),
    ):
        casework.record_attempt(
            request, by=manager, on=s.day(n), method=method, outcome=outcome, token=token("attempt", s.key, n)
        )
    casework.close_request(
        request,
        by=manager,
        ended_as=EndedAs.NO_RESPONSE,
        message="I rang and left a message, then emailed. I hope things are all right. If the timing was "
        "not right, that is fine: ask again whenever suits you.",
        notify=False,
        at=s.at(4, 16, 40),
    )


def deal_with_drawn_urgent_requests(requests: list[SupportRequest]) -> int:
    """Every drawn urgent request the unit has already contacted was dealt with on the day of first contact;
    those still waiting stay urgent in the inbox."""
    done = 0
    for request in requests:
        if request.urgent and request.first_contact_on and request.urgent_dealt_with_on is None:
            casework.record_urgent_dealt_with(
                request, by=request.first_contact_by, on=request.first_contact_on, action=DEMO_URGENT_ACTION
            )
            done += 1
    return done
