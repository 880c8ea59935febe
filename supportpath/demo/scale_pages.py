"""The pages the national-scale benchmark (``benchmarks/pages.py``) measures, and who it signs in as: the demo's
people, whose lists the national-scale seed (``scale.py``) makes national-sized. Also used by the test that pins
each page's query count on the seeded data to its count on the demo alone."""

from dataclasses import dataclass

from django.db.models import Count

from supportpath.accounts.models import Organisation, User
from supportpath.casework.models import Case, Stage

from .people import DEMO_SERVICE_NAME

FLOOR_PATH = "/account/"  # "Your account": a signed-in page that reads almost nothing


@dataclass
class Page:
    role: str
    name: str
    email: str
    path: str


def personas() -> dict[str, str]:
    return {
        "case manager": "case.manager@northmoor.example.test",
        "facilitator": "coach@northmoor.example.test",
        "responsible officer": "ro@royal.example.test",
        "doctor": "grace.adeyemi-marsh@doctors.example.test",
        "referrer": "supervisor@royal.example.test",
        "service admin": "admin@northmoor.example.test",
        "organisation lead": "wellbeing.lead@royal.example.test",
    }


def key_pages() -> list[Page]:
    who = personas()
    coach = User.objects.get(email=who["facilitator"])
    busiest = (
        Case.objects.filter(request__service__name=DEMO_SERVICE_NAME)
        .exclude(stage=Stage.CLOSED)
        .annotate(n=Count("sessions"))
        .order_by("-n", "id")
        .first()
    )
    coach_case = (
        Case.objects.filter(facilitator=coach)
        .exclude(stage=Stage.CLOSED)
        .annotate(n=Count("sessions"))
        .order_by("-n", "id")
        .first()
    )
    if busiest is None or coach_case is None:
        raise LookupError("The demo has no open case to time: run seed_demo (and seed_scale) first.")
    royal = Organisation.objects.get(name__startswith="Northmoor Royal Infirmary")
    cm, fac = who["case manager"], who["facilitator"]
    pages = [
        Page("case manager", "inbox", cm, "/cases/"),
        Page("case manager", "inbox, last page", cm, "/cases/?page=100000"),
        Page("case manager", "waiting list", cm, "/facilitation/waiting-list/"),
        Page("case manager", "accepted cases", cm, "/cases/accepted/"),
        Page("case manager", "accepted cases, closed", cm, "/cases/accepted/?show=closed"),
        Page("case manager", "accepted cases, last page", cm, "/cases/accepted/?page=100000"),
        Page("case manager", "case page", cm, f"/support/cases/{busiest.pk}/"),
        Page("case manager", "facilitators", cm, "/facilitation/facilitators/"),
        Page("case manager", "messages", cm, "/messages/"),
        Page("case manager", "peer supporters", cm, "/peer-support/service/"),
        Page("facilitator", "offered cases (work list)", fac, "/facilitation/offered/"),
        Page("facilitator", "case page", fac, f"/support/cases/{coach_case.pk}/"),
        Page("facilitator", "messages", fac, "/messages/"),
        Page("responsible officer", "doctors", who["responsible officer"], "/responsible-officer/"),
        Page("doctor", "my support", who["doctor"], "/my-support/"),
        Page("doctor", "questionnaires", who["doctor"], "/my-support/questionnaires/"),
        Page("doctor", "who has seen my record", who["doctor"], "/my-support/who-has-seen-my-record/"),
        Page("doctor", "messages", who["doctor"], "/messages/"),
        Page("doctor", "peer support", who["doctor"], "/my-support/peer-support/"),
        Page("referrer", "requests", who["referrer"], "/referrals/"),
        Page("service admin", "staff", who["service admin"], "/service/staff/"),
        Page("service admin", "organisations", who["service admin"], "/service/organisations/"),
        Page("organisation lead", "culture", who["organisation lead"], f"/culture/{royal.pk}/"),
    ]
    return pages
