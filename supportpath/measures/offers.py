"""Which questionnaires a doctor is offered now: the service's choice of questionnaires for each point on the
pathway (or the defaults), at the point each of their cases has reached. A point's offer stays open until the
case reaches the next point; answering is always optional.

Read only from the records the pathway already keeps (the needs assessment from the first conversation,
reviews, the closure), so no lower app needs to know this one exists."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from supportpath.casework.models import Case
from supportpath.pathway.models import NeedsAssessment
from supportpath.progress.models import Closure, Review
from supportpath.referrals.models import SupportRequest

from . import catalogue
from .models import Point, Questionnaire, Response, ResponseStatus, ServicePoints

BASELINE = ["who-5", "phq-9", "gad-7", "gse", "check-in"]
DEFAULT_POINTS = {
    Point.FIRST_CONVERSATION: BASELINE,
    Point.REVIEW: ["check-in"],
    Point.CLOSURE: BASELINE,
    Point.AFTER_3_MONTHS: ["who-5"],
    Point.AFTER_6_MONTHS: ["who-5"],
}
FOLLOW_UP_MONTHS = {Point.AFTER_3_MONTHS: 3, Point.AFTER_6_MONTHS: 6}


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def points_for_service(service_id: int) -> dict[str, list[str]]:
    return points_for_services([service_id])[service_id]


def points_for_services(service_ids) -> dict[int, dict[str, list[str]]]:
    """Each service's questionnaires by point, in one query: its own choice, or the defaults."""
    rows = {row.service_id: row.points for row in ServicePoints.objects.filter(service_id__in=set(service_ids))}
    return {
        service_id: {
            point: list(rows[service_id].get(point, []) if service_id in rows else DEFAULT_POINTS[point])
            for point in Point
        }
        for service_id in set(service_ids)
    }


@dataclass
class Reached:
    """The point a case has reached now."""

    point: str
    point_key: str
    review: Review | None = None
    since: dt.date | None = None


def reached_point(case: Case, today: dt.date) -> Reached | None:
    closure = _one(case, "closure", Closure)
    if closure is not None:
        for point in (Point.AFTER_6_MONTHS, Point.AFTER_3_MONTHS):
            due = add_months(closure.closed_on, FOLLOW_UP_MONTHS[point])
            if due <= today:
                return Reached(point, point, since=due)
        return Reached(Point.CLOSURE, Point.CLOSURE, since=closure.closed_on)
    reviews = sorted(case.reviews.all(), key=lambda r: (r.held_on, r.pk))
    if reviews:
        return Reached(Point.REVIEW, f"review-{reviews[-1].pk}", review=reviews[-1], since=reviews[-1].held_on)
    assessment = _one(case, "needs_assessment", NeedsAssessment)
    if assessment is not None:
        return Reached(Point.FIRST_CONVERSATION, Point.FIRST_CONVERSATION, since=assessment.conversation_held_on)
    return None


def _one(case: Case, name: str, model):
    try:
        return getattr(case, name)
    except model.DoesNotExist:
        return None


@dataclass
class Offered:
    questionnaire: Questionnaire
    response: Response | None

    @property
    def state(self) -> str:
        if self.response is None:
            return "not_started"
        return self.response.status


@dataclass
class Offer:
    request: SupportRequest
    case: Case
    reached: Reached
    items: list[Offered] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Point(self.reached.point).label

    @property
    def waiting(self) -> list[Offered]:
        return [i for i in self.items if i.state == "not_started" or i.state == "in-progress"]


def loaded_for_services(service_ids) -> dict[int, dict[str, Questionnaire]]:
    """The definitions each service loaded itself, newest version of each name, in one query."""
    found: dict[int, dict[str, Questionnaire]] = {service_id: {} for service_id in service_ids}
    for questionnaire in Questionnaire.objects.filter(service_id__in=set(service_ids)).order_by("loaded_at", "pk"):
        found[questionnaire.service_id][questionnaire.key] = questionnaire
    return found


@dataclass
class Summary:
    offers: list[Offer]
    has_results: bool

    @property
    def waiting(self) -> int:
        return sum(len(offer.waiting) for offer in self.offers)


def summary_for(profile, today: dt.date | None = None, *, counts_only: bool = False) -> Summary:
    """What the doctor is offered now (one entry per case that has reached a point with questionnaires), and
    whether they have finished any. The same few queries however many cases and answers there are.

    ``counts_only``: for a panel that shows how many questionnaires wait and whether there are results, and
    nothing of the request, the assessment, the closure, the reviews or the answers: none of their encrypted
    values is read, so none is decrypted (My support's panel, on every load of the doctor's home)."""
    today = today or timezone.localdate()
    own_cases = Case.objects.filter(request__doctor=profile)
    cases_query = own_cases.select_related("request__service", "needs_assessment", "closure")
    reviews = Review.objects.all()
    responses_query = Response.objects.filter(doctor=profile)
    if counts_only:
        # Only the columns that say which point each case has reached and what is answered there (none of the
        # rows' other columns, nor the service joined: built on every load of My support, docs/scale.md).
        cases_query = own_cases.select_related("request", "needs_assessment", "closure").only(
            "request__service", "needs_assessment__conversation_held_on", "closure__closed_on"
        )
        reviews = reviews.only("case_id", "held_on")
        responses_query = responses_query.only("request_id", "questionnaire_id", "point_key", "status")
    cases = list(cases_query.prefetch_related(Prefetch("reviews", queryset=reviews)).order_by("-opened_at"))
    if not cases:
        return Summary([], False)
    shipped = catalogue.ensure_shipped(definitions=not counts_only)
    answered = list(responses_query)
    responses = {(r.request_id, r.questionnaire_id, r.point_key): r for r in answered}
    service_ids = {case.request.service_id for case in cases}
    service_points = points_for_services(service_ids)
    keys = {key for points in service_points.values() for chosen in points.values() for key in chosen}
    loaded = loaded_for_services(service_ids) if keys - set(shipped) else {service_id: {} for service_id in service_ids}
    offers = []
    for case in cases:
        reached = reached_point(case, today)
        if reached is None:
            continue
        service_id = case.request.service_id
        offer = Offer(request=case.request, case=case, reached=reached)
        for key in service_points[service_id].get(reached.point, []):
            questionnaire = shipped.get(key) or loaded[service_id].get(key)
            if questionnaire is None:
                continue
            offer.items.append(
                Offered(questionnaire, responses.get((case.request_id, questionnaire.pk, reached.point_key)))
            )
        if offer.items:
            offers.append(offer)
    return Summary(offers, any(r.status == ResponseStatus.COMPLETED for r in answered))


def offers_for(profile, today: dt.date | None = None) -> list[Offer]:
    return summary_for(profile, today).offers


def find_offer(profile, reference: str, point_key: str, key: str) -> tuple[Offer, Questionnaire] | None:
    """The offer of questionnaire ``key`` at ``point_key`` on the doctor's request ``reference``, if open now."""
    for offer in offers_for(profile):
        if offer.request.reference == reference and offer.reached.point_key == point_key:
            for item in offer.items:
                if item.questionnaire.key == key:
                    return offer, item.questionnaire
    return None
