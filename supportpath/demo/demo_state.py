"""What the demo's stages share (``Demo``): kept apart from ``builders``, which runs the stages, so that no stage
imports the module that imports it."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Organisation, User
from supportpath.casework.models import Case
from supportpath.core.working_days import add_working_days, is_working_day
from supportpath.referrals.models import SupportRequest

from .people import DEMO_PASSWORD, JOURNEY_KEYS, DoctorSpec, RequestSpec


@dataclass(frozen=True)
class DrawnCase:
    """The stage a drawn case reaches, and its facilitator, as ``builders.seed_cases`` draws them."""

    stage: str
    facilitator: User | None


@dataclass
class Demo:
    """What the stages share: the moment of first seeding, and what earlier stages made or found."""

    now: dt.datetime  # the moment the demo was first seeded, once seed_staff has run
    organisations: dict[str, Organisation] = field(default_factory=dict)
    staff: dict[str, User] = field(default_factory=dict)
    doctor_specs: list[DoctorSpec] = field(default_factory=list)
    doctors: dict[str, DoctorProfile] = field(default_factory=dict)  # by DoctorSpec.key
    requests: dict[str, SupportRequest] = field(default_factory=dict)  # by DoctorSpec.key
    request_specs: dict[str, RequestSpec] = field(default_factory=dict)  # by DoctorSpec.key
    request_keys: dict[int, str] = field(default_factory=dict)  # SupportRequest.pk -> DoctorSpec.key
    # Case.pk -> the stage and facilitator drawn for it (builders.seed_cases): the stages after it decide what to
    # build from these, and their services move the case there.
    drawn_cases: dict[int, DrawnCase] = field(default_factory=dict)
    created: Counter = field(default_factory=Counter)

    @cached_property
    def password_hash(self) -> str:
        # Hashed once (Argon2 is slow on purpose) and only if someone new needs it.
        return make_password(DEMO_PASSWORD)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def stage_of(self, case: Case) -> str:
        """The stage drawn for ``case`` (the one it will have reached once every stage has run), or its stage now
        if it was not drawn (a journey's)."""
        drawn = self.drawn_cases.get(case.pk)
        return drawn.stage if drawn is not None else case.stage

    def facilitator_of(self, case: Case) -> User | None:
        drawn = self.drawn_cases.get(case.pk)
        return drawn.facilitator if drawn is not None else case.facilitator

    @property
    def drawn_requests(self) -> dict[str, SupportRequest]:
        """The requests whose later records the stages draw at random: all but the journeys' (journeys.py), whose
        records are written out step by step."""
        return {key: request for key, request in self.requests.items() if key not in JOURNEY_KEYS}

    @property
    def last_working_day(self) -> dt.date:
        """Today if it is a working day, else the working day before it."""
        day = self.today
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def working_days_before(self, days: int, end: dt.date | None = None) -> dt.date:
        """The working day ``days`` working days before ``end`` (by default the last working day so far)."""
        day = end or self.last_working_day
        while days:
            day -= dt.timedelta(days=1)
            if is_working_day(day):
                days -= 1
        return day

    def working_days_after(self, start: dt.date, days: int) -> dt.date:
        """``days`` working days after ``start``, but no later than the last working day so far (and never
        before ``start``), so nothing the demo says has happened is in the future or at a weekend."""
        return max(start, min(add_working_days(start, days), self.last_working_day))

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A moment on ``day``, never later than now."""
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(moment, self.now)
