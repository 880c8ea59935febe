"""The steps of a journey: opening the case, the conversation, the needs assessment, plan versions, facilitators,
sessions, reviews, milestones, notices and closure, each made as the product's services make it (see
``supportpath.demo.journeys``), dated when it happened, and with no email sent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from supportpath.casework import services as casework
from supportpath.casework.models import Case
from supportpath.closure import services as closing
from supportpath.core.working_days import add_working_days
from supportpath.facilitation import services as facilitation_services
from supportpath.facilitation.models import (
    Allocation,
    AllocationStatus,
    MatchingPreferences,
)
from supportpath.pathway import services as pathway_services
from supportpath.pathway.models import InitialConversation, Mode, NeedsAssessment, SupportSession
from supportpath.plans import content as plan_content
from supportpath.plans import services as plan_services
from supportpath.plans.models import Intervention, InterventionType, PlanVersion, VersionStatus
from supportpath.progress import services as progress_services
from supportpath.progress.models import (
    Closure,
    NoticeKind,
    Review,
)
from supportpath.progress.targets import TargetState
from supportpath.referrals.models import SupportRequest
from supportpath.scoring import gas
from supportpath.sharing import agreement
from supportpath.sharing.choices import Audience, Item

from ..appointments_stage import where_for

if TYPE_CHECKING:
    from supportpath.accounts.models import User
    from supportpath.demo.demo_state import Demo

NAMESPACE = uuid.UUID("0c6f2d9e-58b1-4f7a-a3d4-7e19b2c6f845")


def token(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


@dataclass
class Goal:
    text: str
    levels: tuple[str, str, str, str, str]  # -2, -1, 0, +1, +2
    importance: int
    difficulty: int

    def as_content(self) -> dict:
        return {
            "text": self.text,
            "levels": {str(level): words for level, words in zip(gas.LEVELS, self.levels, strict=True)},
            "importance": self.importance,
            "difficulty": self.difficulty,
            "baseline": gas.BASELINE,
        }


class Steps:
    """One doctor's journey: the request, its case once opened, and helpers that make each step's records."""

    def __init__(self, demo: Demo, key: str):
        self.demo = demo
        self.key = key
        self.request: SupportRequest = demo.requests[key]
        self.case: Case | None = None
        self.doctor = self.request.doctor.user

    # When things happened, in working days before the last working day of the demo.

    def day(self, n: int) -> dt.date:
        return self.demo.working_days_before(n)

    def ahead(self, n: int) -> dt.date:
        return add_working_days(self.demo.last_working_day, n)

    def at(self, n: int, hour: int, minute: int = 0) -> dt.datetime:
        return self.demo.at(self.day(n), hour, minute)

    @property
    def case_manager(self) -> User:
        return self.request.first_contact_by

    def staff(self, key: str) -> User:
        return self.demo.staff[key]

    # The pathway's steps.

    def open_case(self, n: int) -> Case:
        """Accepted as a case through ``casework.services.accept`` (which counts its targets from the day the
        doctor asked), as history that tells nobody. The journey's later steps move it on as the product does:
        the needs assessment into planning, the agreed plan into support, the closure to closed."""
        self.case = casework.accept(self.request, by=self.case_manager, at=self.at(n, 11, 20), notify=False)
        return self.case

    def conversation(self, when: dt.datetime, mode: str) -> InitialConversation:
        """Through ``pathway.services.arrange_conversation``, by the case manager, telling nobody; its
        appointment is booked as the product books it."""
        assert self.case is not None
        conversation = pathway_services.arrange_conversation(
            self.case,
            by=self.case_manager,
            scheduled_for=when,
            mode=mode,
            notify=False,
            **where_for(mode, str(self.request.submission_token)[:8]),
        )
        # Arranged the day the case opened (arranged_at is set on every save, so it is dated afterwards).
        InitialConversation.objects.filter(pk=conversation.pk).update(
            arranged_at=self.case.opened_at + dt.timedelta(minutes=10)
        )
        return conversation

    def needs(self, n: int, **texts: str) -> NeedsAssessment:
        """Through ``pathway.services.save_needs_assessment``, by the case manager."""
        request = self.request
        data = dict.fromkeys(pathway_services.ASSESSMENT_FIELDS, "") | texts
        data |= {
            "presenting_issues": list(request.reason_codes),
            "mandated": request.mandated,
            "conversation_held_on": self.day(n),
        }
        return pathway_services.save_needs_assessment(
            self.case, by=self.case_manager, data=data, based_on_version=None, notify=False
        )

    def catalogue(self, kind: str, note: str) -> dict:
        entry = Intervention.objects.get(service_id=self.request.service_id, name=InterventionType(kind).label)
        return {
            "intervention_id": entry.pk,
            "type": entry.type,
            "name": entry.name,
            "provider": entry.provider,
            "description": entry.description,
            "note": note,
        }

    def plan_body(
        self,
        goals: list[Goal],
        interventions: list[dict],
        milestones: list[tuple[str, dt.date]],
        review_dates: list[dt.date],
        in_my_control: str,
        outside_my_control: str,
        sharing: dict[str, list[str]] | None = None,
    ) -> dict:
        body = plan_content.empty()
        body["goals"] = [goal.as_content() for goal in goals]
        body["interventions"] = interventions
        body["milestones"] = [{"text": text, "due": due.isoformat()} for text, due in milestones]
        body["review_dates"] = [day.isoformat() for day in review_dates]
        body["in_my_control"] = in_my_control
        body["outside_my_control"] = outside_my_control
        body["sharing"].update(sharing or {})
        return plan_content.validate(body)

    def plan_version(
        self,
        number: int,
        body: dict,
        *,
        drafted: dt.datetime,
        shared: dt.datetime,
        status: str,
        agreed: dt.datetime | None = None,
        changes_asked: dt.datetime | None = None,
        comment: str = "",
    ) -> PlanVersion:
        """Through ``plans.services``, as history: drafted (``save_draft``), shared (``share_with_doctor``), then
        agreed (``agree``, which adds what the plan proposed to the sharing agreement) or changes asked for
        (``request_changes``), nobody told. ``status`` is what the version is left as now; a version left
        superseded is replaced by the next one this journey drafts or agrees."""
        case = self.case
        version = plan_services.save_draft(
            case, by=self.case_manager, data=body, based_on=plan_services.edit_count(case), at=drafted
        )
        assert version.number == number, f"{self.key}: plan version {version.number}, not {number}"
        version = plan_services.share_with_doctor(case, by=self.case_manager, notify=False, at=shared)
        if agreed is not None:
            version = plan_services.agree(case, number=number, notify=False, at=agreed)
        if changes_asked is not None:
            version = plan_services.request_changes(
                case, number=number, comment=comment, notify=False, at=changes_asked
            )
        assert status in (version.status, VersionStatus.SUPERSEDED), f"{self.key}: plan version {number} {status}"
        return version

    def preferences(self, n: int, **choices) -> None:
        """Through ``facilitation.services.save_preferences`` (what is not given is left unsaid), dated then."""
        data = {"gender": "", "in_person": False, "trained_outside_uk": False, "anything_else": ""} | choices
        facilitation_services.save_preferences(self.case, data)
        MatchingPreferences.objects.filter(case=self.case).update(updated_at=self.at(n, 20, 15))

    def allocation(
        self,
        facilitator_key: str,
        proposed: dt.datetime,
        *,
        status: str,
        responded: dt.datetime | None = None,
        decline_reason: str = "",
        intro_asked: dt.datetime | None = None,
        intro_held: dt.date | None = None,
        intro_outcome: str = "",
    ) -> Allocation:
        """Through ``facilitation.services``, as history, in the order it happened: proposed (``propose``, which
        checks every rule of allocation and works out the fit), an introduction asked for and recorded, then
        the facilitator's answer (``accept`` or ``decline``), nobody told."""
        facilitator = self.staff(facilitator_key)
        allocation = facilitation_services.propose(
            self.case, facilitator.pk, by=self.case_manager, notify=False, at=proposed
        )
        steps: list[tuple[dt.datetime, Callable[[], object]]] = []
        if intro_asked is not None:
            steps.append(
                (
                    intro_asked,
                    lambda: facilitation_services.ask_for_introduction(allocation, notify=False, at=intro_asked),
                )
            )
        if intro_held is not None:
            recorded = self.demo.at(intro_held, 17, 10)
            steps.append(
                (
                    recorded,
                    lambda: facilitation_services.record_introduction(
                        allocation, outcome=intro_outcome, held_on=intro_held, notify=False, at=recorded
                    ),
                )
            )
        if responded is not None and status == AllocationStatus.ACCEPTED:
            steps.append((responded, lambda: facilitation_services.accept(allocation, notify=False, at=responded)))
        elif responded is not None and status == AllocationStatus.DECLINED:
            steps.append(
                (
                    responded,
                    lambda: facilitation_services.decline(
                        allocation, reason=decline_reason, notify=False, at=responded
                    ),
                )
            )
        for _, step in sorted(steps, key=lambda when_step: when_step[0]):
            step()
        allocation.refresh_from_db()
        assert allocation.status == status, f"{self.key}: {facilitator_key} {allocation.status}, not {status}"
        if status == AllocationStatus.ACCEPTED:
            self.case.facilitator = facilitator
        return allocation

    def sessions(self, rows: list[tuple[int, str, str, str, str]]) -> None:
        """(working days ago, attendance, shared summary, agreed actions, private notes), with the facilitator."""
        for n, attendance, summary, actions, private in rows:
            session = pathway_services.record_session(
                self.case,
                facilitator=self.case.facilitator,
                data={
                    "held_on": self.day(n),
                    "mode": Mode.VIDEO if n % 3 else Mode.IN_PERSON,
                    "attendance": attendance,
                    "shared_summary": summary,
                    "agreed_actions": actions,
                    "private_notes": private,
                    "submission_token": token(self.key, "session", n),
                },
            )
            SupportSession.objects.filter(pk=session.pk).update(created_at=self.at(n, 17, 5))

    def review(
        self, version: PlanVersion, n: int, levels: list[int], notes: str, reflection: str = "", reflected: int = 0
    ) -> Review:
        """Through ``progress.services.record_review``, as history (nobody told), against ``version``, the
        agreed plan in force; dated then."""
        review = progress_services.record_review(
            self.case,
            by=self.case.facilitator or self.case_manager,
            held_on=self.day(n),
            levels=levels,
            notes=notes,
            token=token(self.key, "review", n),
            notify=False,
        )
        assert review.plan_version_id == version.pk, "a review is scored against the agreed plan in force"
        if reflection:
            progress_services.add_reflection(review, reflection, at=self.at(reflected, 21, 5))
        Review.objects.filter(pk=review.pk).update(recorded_at=self.at(n, 17, 40))
        return review

    def milestone_done(self, body: dict, index: int, n: int) -> None:
        """Through ``progress.services.mark_milestone_done``: milestone ``index`` of the agreed plan ``body``."""
        progress_services.mark_milestone_done(
            self.case, index, by=self.case.facilitator or self.case_manager, done_on=self.day(n)
        )

    def late_notice(self, target: str, planned: dt.date, label: str = "") -> None:
        """What the daily checks record the working day after a target passes (the doctor told honestly), through
        ``progress.services.record_notice``, as history (nobody told)."""
        notice = progress_services.Notice(
            self.request, TargetState(target, label, planned), NoticeKind.LATE, add_working_days(planned, 1), self.case
        )
        progress_services.record_notice(notice, notify=False)

    def close(self, n: int, reason: str, **handover) -> Closure:
        """Through ``closure.services.close_case``, as history: the closure, the case and request closed, the
        facilitator freed, nobody told."""
        data = {
            "reason": reason,
            "closed_on": self.day(n),
            "handed_over_to": handover.get("handed_over_to", ""),
            "handover_reason": handover.get("handover_reason", ""),
            "doctor_consented": handover.get("doctor_consented_to_handover", False),
        }
        return closing.close_case(
            self.case, by=self.case_manager, data=data, notify=False, facilitator_freed_at=self.at(n, 15, 30)
        )

    def shares_stage_with_referrer(self) -> None:
        """The doctor, on reading the referral, let the person who referred them see the stage of support."""
        request = self.request
        if Item.STAGE not in agreement.changeable_items(request, Audience.REFERRER):
            return
        agreement.set_audience(
            request,
            Audience.REFERRER,
            {Item.STAGE},
            by=self.doctor,
            based_on=agreement.current_version(request),
            at=request.doctor_seen_referral_at,
        )
