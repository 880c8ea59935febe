"""A fictional national installation, for measuring the pages at the size DESIGN §8 plans for: about 300,000
doctors, 200,000 support requests over ten years (most long closed), 1.2 million sessions and 10 million
access-log rows, spread over many support services, each with its own case managers, facilitators, employers,
responsible officers and referrers.

It is added next to the demo (``build_demo`` first), and the demo's first service, its Royal Infirmary and its
people get their national share, so the demo's sign-ins see national-sized lists: the benchmark
(``benchmarks/pages.py``) signs in as them. Doctors are drawn from Table 2's proportions (``table2``).

Every row is written with PostgreSQL's COPY (``copy.Copier``), not through the product's services: the services
would take days at this size. So that the data is still what the product would have written, encrypted fields
hold real ciphertext (a few texts encrypted once and reused; each GMC number encrypted on its own, with its
lookup hash), and the access log is a valid hash chain, each lane continuing from the demo's last row in it
(``verify_audit_chain`` checks it). PostgreSQL only."""

import datetime as dt
import hashlib
import json
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from supportpath.accounts.models import (
    DoctorProfile,
    EqualityMonitoring,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from supportpath.audit.log import ALL_LANES, canonical_content, chain_tips, lane_of
from supportpath.audit.models import AccessRecord
from supportpath.casework.models import Case, Stage
from supportpath.core.encryption import encrypt, lookup_hash
from supportpath.facilitation import matching_runs
from supportpath.facilitation.models import Allocation, AllocationStatus, EndReason, FacilitatorProfile, MatchingRun
from supportpath.measures.models import Point, Questionnaire, Response, ResponseStatus
from supportpath.pathway.models import InitialConversation, Mode, NeedsAssessment, SupportSession
from supportpath.plans import content as plan_content
from supportpath.plans.models import PlanVersion, SupportPlan, VersionStatus
from supportpath.progress.models import Closure, ClosureReason
from supportpath.referrals.models import (
    EndedAs,
    HandoverDestination,
    Route,
    Status,
    SupportRequest,
    SupportRequestReason,
)
from supportpath.scoring import gas
from supportpath.sharing.choices import Audience, Item
from supportpath.sharing.models import Grant, SharingAgreement

from . import table2
from .copy import Copier, text_of
from .people import DEMO_PASSWORD, DEMO_SERVICE_NAME

SCALE_MARK = "(national scale, fictional)"
YEARS = 10
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carys",
    "Dev",
    "Elin",
    "Farah",
    "Gareth",
    "Hana",
    "Idris",
    "Jude",
    "Kavya",
    "Liam",
    "Mira",
    "Nadia",
    "Owain",
    "Priti",
    "Quinn",
    "Rhys",
    "Sana",
    "Tariq",
    "Uma",
    "Vikram",
    "Wren",
    "Xander",
    "Yusuf",
    "Zara",
    "Amara",
    "Bryn",
    "Chloe",
    "Dafydd",
    "Esi",
    "Finn",
    "Gwen",
    "Hamza",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Malik",
    "Nia",
]
LAST_NAMES = [
    "Abbott",
    "Bhatt",
    "Carden",
    "Dunmore",
    "Ellery",
    "Fenwick",
    "Gale",
    "Hartwell",
    "Iqbal",
    "Jessop",
    "Kaur",
    "Lindqvist",
    "Maddox",
    "Nkemelu",
    "Osei",
    "Pryce",
    "Quayle",
    "Rahman",
    "Sandoval",
    "Thorne",
    "Usman",
    "Vance",
    "Whitcombe",
    "Yardley",
    "Zubair",
    "Ashdown",
    "Brightwell",
    "Coltrane",
    "Drummond",
]
# Texts stored encrypted, each encrypted once and reused (fictional, and the same for many rows).
TEXTS = {
    "summary": "We talked through the week's pressures and what went well; the doctor chose one thing to try.",
    "actions": "Try the handover checklist on two shifts; note what helped.",
    "private": "Facilitator's own working notes (fictional).",
    "factors": "Rota gaps and a heavy on-call pattern (fictional).",
    "strengths": "Reflective, well regarded by the team, keen to keep learning.",
    "goals": "Feel steadier at work and plan the next step in training.",
    "account": "I have been finding work hard lately and would like someone to talk it through with.",
}

GOAL_LEVELS = [
    "Things have gone backwards",
    "Where I started",
    "The change we agreed",
    "A little further than we hoped",
    "Well beyond what we hoped",
]


@dataclass(frozen=True)
class Sizes:
    doctors: int
    requests: int
    sessions: int
    access_rows: int

    @classmethod
    def for_doctors(cls, doctors: int, *, access_rows: int | None = None) -> "Sizes":
        # DESIGN §8's ratios: 300,000 doctors, 200,000 cases, 1.2 million sessions, 10 million access rows.
        return cls(
            doctors=doctors,
            requests=doctors * 2 // 3,
            sessions=doctors * 4,
            access_rows=doctors * 100 // 3 if access_rows is None else access_rows,
        )

    @property
    def services(self) -> int:
        return max(1, self.doctors // 10_000)

    @property
    def employers(self) -> int:
        return max(3, self.doctors // 300)


class Progress:
    """A progress bar on stderr across every stage, by rows written."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()
        self.shown = 0.0
        self.stage = ""

    def begin(self, stage: str) -> None:
        self.stage = stage
        self.show(force=True)

    def add(self, rows: int) -> None:
        self.done += rows
        self.show()

    def show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < 0.5:
            return
        self.shown = now
        share = min(self.done / self.total, 1.0)
        filled = int(share * self.width)
        elapsed = now - self.started
        eta = f"{elapsed / share - elapsed:,.0f}s left" if share > 0.01 else "..."
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:6.1%} {self.done:>12,} rows  {elapsed:,.0f}s  {eta:<14} {self.stage:<24}")
        self.stream.flush()

    def finish(self) -> None:
        self.done = self.total
        self.show(force=True)
        self.stream.write("\n")


@dataclass
class ServicePlan:
    org_id: int
    name: str
    case_managers: list[tuple[int, str]] = field(default_factory=list)  # (user id, name)
    facilitators: list[tuple[int, str]] = field(default_factory=list)
    employers: list[int] = field(default_factory=list)
    favourite: tuple[int, str] | None = None  # the demo's coach: a long-serving facilitator with a large share


def _weighted(rng: random.Random, rows: Sequence[Sequence[Any]], weight_index: int = -1) -> Any:
    return rng.choices(rows, weights=[row[weight_index] for row in rows])[0]


def _canonical(
    at: dt.datetime,
    actor_id: object,
    actor_name: object,
    role: object,
    organisation: object,
    doctor_id: object,
    what: object,
    object_type: object,
    object_id: object,
    purpose: object,
) -> str:
    """``audit.log.canonical_content`` without building a model instance (checked against it for the first row)."""
    return json.dumps(
        {
            "at": at.isoformat(),
            "actor_id": actor_id,
            "actor_name": actor_name,
            "actor_role": role,
            "actor_organisation": organisation,
            "doctor_id": doctor_id,
            "action": "viewed",
            "what": what,
            "object_type": object_type,
            "object_id": object_id,
            "purpose": purpose,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


# The large tables' indexes and unique constraints (not their primary keys) are dropped while their rows are
# copied in and made again afterwards, all at once: far quicker than keeping each up to date row by row, above
# all the access log's unique hash, whose random keys would otherwise thrash the cache.
REBUILT = (DoctorProfile, User, SupportRequest, SupportSession, AccessRecord)


def drop_indexes(cursor: Any, models: Iterable[type[Model]]) -> list[str]:
    """Drop the models' secondary indexes and unique constraints; returns the statements that make them again."""
    remake = []
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'u'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            remake.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            remake.append(definition)
    return remake


class NationalSeed:
    def __init__(self, sizes: Sizes, *, seed: int = 18, stream: TextIO | None = None) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        total = (
            sizes.doctors * 4  # users, doctors, memberships, equality answers
            + sizes.requests * 9  # requests, reasons, cases and what each case holds
            + sizes.sessions
            + sizes.access_rows
        )
        self.progress = Progress(total, stream)
        self.cipher = {key: encrypt(text) for key, text in TEXTS.items()}
        goal = {
            "text": TEXTS["goals"],
            "levels": {str(level): words for level, words in zip(gas.LEVELS, GOAL_LEVELS, strict=True)},
            "importance": 3,
            "difficulty": 2,
        }
        self.plan_content = encrypt(json.dumps(plan_content.validate({"goals": [goal]}), sort_keys=True))
        self.password = make_password(DEMO_PASSWORD)
        self.next_ids: dict[type[Model], int] = {}

    # ----- helpers
    def new_id(self, model: type[Model]) -> int:
        if model not in self.next_ids:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')  # noqa: S608  # nosec B608 - a model's table
                self.next_ids[model] = cursor.fetchone()[0] + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def copier(self, cursor: Any, model: type[Model]) -> Copier:
        return Copier(cursor, model, on_rows=self.progress.add)

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def reference(self, request_id: int) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        n = request_id * 2_654_435_761 % (32**8)  # spread, so references do not look sequential
        body = "".join(alphabet[(n >> (5 * i)) & 31] for i in range(8))
        return f"SP-{body[:4]}-{body[4:]}"

    # ----- the run
    def run(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            # Skip foreign-key triggers while loading (the rows are made consistent here); needs a superuser.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            # Inside a transaction that has already written (the tests), check what is pending now: a table with
            # pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            remake = drop_indexes(cursor, REBUILT)
            self.progress.begin("organisations and staff")
            services = self.organisations_and_staff(cursor)
            self.progress.begin("doctors")
            doctors = self.doctors(cursor, services)
            self.progress.begin("requests and cases")
            counts = self.requests_and_cases(cursor, services, doctors)
            self.progress.begin("access log")
            counts["access log rows"] = self.access_log(cursor)
            self.progress.begin("indexes")
            for statement in remake:
                cursor.execute(statement)
            self.progress.begin("sequences and statistics")
            self.reset_sequences(cursor)
            cursor.execute("SET session_replication_role = DEFAULT")
            # VACUUM as well as ANALYZE: rows copied in have no visibility map until a vacuum sets it, so each
            # index-only scan would read the table too, as no live installation does (autovacuum sees to it, and
            # a server may run with it off). VACUUM cannot run inside a transaction (the tests'): there, ANALYZE.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.progress.begin("matching proposals")
        for plan in services:
            MatchingRun.objects.get_or_create(service_id=plan.org_id)
            matching_runs.changed([plan.org_id])
            matching_runs.recompute_waiting_list.call(service_id=plan.org_id)
        self.progress.finish()
        counts["services"] = len(services)
        counts["doctors"] = len(doctors)
        return counts

    def organisations_and_staff(self, cursor: Any) -> list[ServicePlan]:
        sizes, rng = self.sizes, self.rng
        demo_orgs = dict(Organisation.objects.values_list("name", "id"))
        psu = ServicePlan(demo_orgs[DEMO_SERVICE_NAME], DEMO_SERVICE_NAME)
        self.royal = Organisation.objects.get(name__startswith="Northmoor Royal Infirmary").pk
        self.royal_name = Organisation.objects.get(pk=self.royal).name
        psu.employers.append(self.royal)
        members = Membership.objects.filter(organisation_id=psu.org_id).select_related("user")
        for m in members:
            if m.role == Role.CASE_MANAGER:
                psu.case_managers.append((m.user_id, m.user.full_name))
        coach = User.objects.get(email="coach@northmoor.example.test")
        psu.favourite = (coach.pk, coach.full_name)
        self.royal_ro = User.objects.get(email="ro@royal.example.test")
        self.royal_supervisor = User.objects.get(email="supervisor@royal.example.test")
        services = [psu]
        self.org_name = {psu.org_id: psu.name, self.royal: self.royal_name}
        self.employer_service = {self.royal: psu}
        self.employer_staff: dict[int, list[tuple[int, str, str]]] = defaultdict(list)  # (id, name, route)
        self.employer_staff[self.royal].append((self.royal_supervisor.pk, self.royal_supervisor.full_name, "sup"))
        self.employer_ro = {self.royal: (self.royal_ro.pk, self.royal_ro.full_name)}
        requests_per_service = sizes.requests / (sizes.services + 1)
        with (
            self.copier(cursor, Organisation) as orgs,
            self.copier(cursor, User) as users,
            self.copier(cursor, Membership) as memberships,
            self.copier(cursor, FacilitatorProfile) as profiles,
        ):

            def person(org_id: int, role: str, email_key: str, job: str = "") -> tuple[int, str]:
                user_id = self.new_id(User)
                full_name = self.name()
                users.add(
                    id=user_id,
                    password=self.password,
                    is_superuser=False,
                    is_staff=False,
                    is_active=True,
                    date_joined=self.now,
                    email=f"{email_key}.{user_id}@scale.example.test",
                    full_name=full_name,
                    session_generation=0,
                )
                memberships.add(
                    id=self.new_id(Membership), user_id=user_id, organisation_id=org_id, role=role, job_title=job
                )
                return user_id, full_name

            for index in range(sizes.services):
                org_id = self.new_id(Organisation)
                name = f"Region {index + 1:02d} Professional Support Unit {SCALE_MARK}"
                orgs.add(id=org_id, name=name, kind=OrganisationKind.REGIONAL_PSU, support_service_id=None)
                services.append(ServicePlan(org_id, name))
                self.org_name[org_id] = name
            # The demo's service takes a quarter of the country (the one the benchmark signs in to).
            for index in range(sizes.employers):
                plan = services[0] if index < sizes.employers // 4 else services[1 + index % sizes.services]
                org_id = self.new_id(Organisation)
                gp = index % 5 == 4
                name = f"{'Practice' if gp else 'Hospitals Trust'} {index + 1:04d} {SCALE_MARK}"
                kind = OrganisationKind.GP_PRACTICE if gp else OrganisationKind.ACUTE_TRUST
                orgs.add(id=org_id, name=name, kind=kind, support_service_id=plan.org_id)
                plan.employers.append(org_id)
                self.org_name[org_id] = name
                self.employer_service[org_id] = plan
                self.employer_ro[org_id] = person(org_id, Role.RESPONSIBLE_OFFICER, "ro")
                for job, route in (("Educational supervisor", "sup"), ("Appraiser", "app")):
                    self.employer_staff[org_id].append((*person(org_id, Role.REFERRER, "referrer", job), route))
                    self.progress.add(2)
            for _ in range(3):  # more supervisors at the Royal, beside the demo's
                self.employer_staff[self.royal].append(
                    (*person(self.royal, Role.REFERRER, "referrer", "Educational supervisor"), "sup")
                )
            for plan in services:
                share = (
                    0.25 * (sizes.services + 1) if plan is services[0] else 0.75 * (sizes.services + 1) / sizes.services
                )
                for _ in range(6):
                    plan.case_managers.append(person(plan.org_id, Role.CASE_MANAGER, "case.manager"))
                # A facilitator sees about 60 doctors over ten years.
                for _ in range(max(4, int(requests_per_service * share * 0.7 / 60))):
                    user_id, full_name = person(plan.org_id, Role.FACILITATOR, "facilitator")
                    profiles.add(
                        id=self.new_id(FacilitatorProfile),
                        user_id=user_id,
                        service_id=plan.org_id,
                        role=rng.choice(["coach", "mentor", "careers_adviser", "wellbeing_practitioner"]),
                        specialisms=rng.sample(["mental_health", "career", "return_to_work", "performance"], 2),
                        capacity=4,
                        gender=rng.choice(["female", "male"]),
                        updated_at=self.now,
                    )
                    plan.facilitators.append((user_id, full_name))
        return services

    def doctors(self, cursor: Any, services: list[ServicePlan]) -> list[tuple[int, int, str]]:
        """Returns (doctor profile id, employer id, name) for every doctor made."""
        sizes, rng = self.sizes, self.rng
        stages = [(s, c, w) for _, s, c, w in table2.CAREER_STAGES] + [
            (s, c, w) for _, s, c, w in table2.EXTRA_CAREER_STAGES
        ]
        regions = [(r, w) for _, r, w in table2.QUALIFICATION_REGIONS]
        equality = {
            "age_band": [(k, w) for k, _, w in table2.AGE_BANDS],
            "gender": [(k, w) for k, _, w in table2.GENDERS],
            "ethnic_group": [(k, w) for k, _, w in table2.ETHNIC_GROUPS],
            "disability": [(k, w) for k, _, w in table2.DISABILITY],
        }
        employers = [e for plan in services for e in plan.employers if e != self.royal]
        royal_share = max(1, sizes.doctors // 30)
        phone = encrypt("07700 900999")
        made = []
        gmc_start = 7_000_000
        with (
            self.copier(cursor, User) as users,
            self.copier(cursor, Membership) as memberships,
            self.copier(cursor, DoctorProfile) as profiles,
            self.copier(cursor, EqualityMonitoring) as answers,
        ):
            for n in range(sizes.doctors):
                employer = self.royal if n < royal_share else employers[n % len(employers)]
                user_id = self.new_id(User)
                full_name = f"Dr {self.name()}"
                users.add(
                    id=user_id,
                    password=self.password,
                    is_superuser=False,
                    is_staff=False,
                    is_active=True,
                    date_joined=self.now,
                    email=f"doctor.{user_id}@doctors.scale.example.test",
                    full_name=full_name,
                    session_generation=0,
                )
                memberships.add(id=self.new_id(Membership), user_id=user_id, organisation_id=employer, role=Role.DOCTOR)
                stage, contract, _ = _weighted(rng, stages)
                gmc = str(gmc_start + n)
                profile_id = self.new_id(DoctorProfile)
                profiles.add(
                    id=profile_id,
                    user_id=user_id,
                    gmc_number=encrypt(gmc),
                    gmc_number_hash=lookup_hash(gmc),
                    career_stage=stage,
                    contract_type=contract,
                    specialty=rng.choice(table2.HOSPITAL_SPECIALTIES),
                    qualification_region=_weighted(rng, regions)[0],
                    employer_id=employer,
                    phone=phone,
                    preferred_contact_times="",
                )
                if rng.random() >= table2.NO_EQUALITY_ANSWERS_SHARE:
                    answers.add(
                        id=self.new_id(EqualityMonitoring),
                        doctor_id=profile_id,
                        **{key: _weighted(rng, rows)[0] for key, rows in equality.items()},
                        recorded_at=self.now,
                    )
                made.append((profile_id, employer, full_name))
        return made

    def requests_and_cases(
        self, cursor: Any, services: list[ServicePlan], doctors: list[tuple[int, int, str]]
    ) -> dict[str, int]:
        sizes, rng, now = self.sizes, self.rng, self.now
        reasons = [(r, w) for _, r, w in table2.REASONS]
        questionnaire = Questionnaire.objects.filter(service__isnull=True).order_by("id").first()
        sessions_per_case = sizes.sessions / max(1, sizes.requests * 0.65)
        counts: defaultdict[str, int] = defaultdict(int)
        self.access_plan = []  # (request id, doctor id, reference, service plan, case manager, facilitator, submitted)
        c = self.cipher
        with (
            self.copier(cursor, SupportRequest) as requests,
            self.copier(cursor, SupportRequestReason) as reason_rows,
            self.copier(cursor, Case) as cases,
            self.copier(cursor, InitialConversation) as conversations,
            self.copier(cursor, NeedsAssessment) as assessments,
            self.copier(cursor, Allocation) as allocations,
            self.copier(cursor, SupportPlan) as plans,
            self.copier(cursor, PlanVersion) as versions,
            self.copier(cursor, SupportSession) as sessions,
            self.copier(cursor, Closure) as closures,
            self.copier(cursor, SharingAgreement) as agreements,
            self.copier(cursor, Grant) as grants,
            self.copier(cursor, Response) as responses,
        ):
            for _ in range(sizes.requests):
                profile_id, employer, name = rng.choice(doctors)
                plan = self.employer_service[employer]
                reason = _weighted(rng, reasons)[0]
                route = _weighted(rng, table2.ROUTES_BY_REASON.get(reason, table2.ROUTES_BY_REASON["default"]))[0]
                days_ago = rng.random() * 365 * YEARS
                submitted = now - dt.timedelta(days=days_ago)
                referrer_id = None
                if route == Route.RESPONSIBLE_OFFICER:
                    referrer_id = self.employer_ro[employer][0]
                elif route != Route.SELF:
                    referrer_id = rng.choice(self.employer_staff[employer])[0]
                # What became of it, by its age.
                roll = rng.random()
                if days_ago < 10:
                    status, stage = (Status.RECEIVED if roll < 0.6 else Status.CONTACTED), None
                elif days_ago < 240:
                    if roll < 0.8:
                        status = Status.ACCEPTED
                        stage = (
                            Stage.INITIAL_CONVERSATION
                            if days_ago < 30
                            else Stage.PLANNING
                            if days_ago < 60
                            else Stage.SUPPORT
                        )
                    else:
                        status, stage = (Status.HANDED_OVER if roll < 0.9 else Status.CLOSED), None
                else:
                    status = Status.CLOSED if roll < 0.9 else Status.HANDED_OVER
                    stage = Stage.CLOSED if roll < 0.75 else None
                request_id = self.new_id(SupportRequest)
                reference = self.reference(request_id)
                due = (submitted + dt.timedelta(days=5)).date()
                contacted = status != Status.RECEIVED
                ended = status in (Status.CLOSED, Status.HANDED_OVER) and stage is None
                # Drawn in the order the rows used to be written, so a seed makes the same data as before.
                urgent = rng.random() < 0.03
                reasons_drawn = [reason]
                if rng.random() < table2.SECOND_REASON_SHARE:
                    second = _weighted(rng, reasons)[0]
                    if second != reason:
                        reasons_drawn.append(second)
                shares = bool(referrer_id) or rng.random() < 0.3
                mandated = route == Route.RESPONSIBLE_OFFICER
                requests.add(
                    id=request_id,
                    reference=reference,
                    doctor_id=profile_id,
                    service_id=plan.org_id,
                    route=route,
                    doctor_account=c["account"] if route == Route.SELF else "",
                    referrer_id=referrer_id,
                    referrer_organisation_id=employer if referrer_id else None,
                    mandated=mandated,
                    doctor_employer_id=employer,
                    # The responsible officer's list, as the product keeps it (``referrals.employer_copy``,
                    # ``sharing.agreement``): the doctor's name, and whether the officer sees it (the grant below).
                    doctor_name=name,
                    visible_to_officer=mandated or shares,
                    contact_method="email",
                    urgent=urgent,
                    status=status,
                    submitted_at=submitted,
                    first_contact_due=due,
                    first_contact_on=(submitted + dt.timedelta(days=2)).date() if contacted else None,
                    first_contact_method="phone" if contacted else "",
                    handed_over_to=HandoverDestination.OCCUPATIONAL_HEALTH if status == Status.HANDED_OVER else "",
                    handed_over_at=submitted + dt.timedelta(days=4) if status == Status.HANDED_OVER else None,
                    ended_as=EndedAs.WITHDRAWN if ended and status == Status.CLOSED else "",
                    ended_at=submitted + dt.timedelta(days=6) if ended and status == Status.CLOSED else None,
                    doctor_told_at=submitted if referrer_id else None,
                    doctor_seen_referral_at=submitted + dt.timedelta(days=1) if referrer_id else None,
                )
                for drawn in reasons_drawn:
                    reason_rows.add(id=self.new_id(SupportRequestReason), request_id=request_id, reason=drawn)
                if shares:
                    agreement_id = self.new_id(SharingAgreement)
                    agreements.add(id=agreement_id, request_id=request_id, version=1, created_at=submitted)
                    grants.add(
                        id=self.new_id(Grant),
                        agreement_id=agreement_id,
                        audience=Audience.RESPONSIBLE_OFFICER,
                        item=Item.STAGE,
                    )
                counts["requests"] += 1
                manager = facilitator = None
                if stage is not None:
                    manager = rng.choice(plan.case_managers)
                    opened = submitted + dt.timedelta(days=3)
                    has_facilitator = stage == Stage.CLOSED or (stage == Stage.SUPPORT and rng.random() < 0.85)
                    if has_facilitator:
                        if plan.favourite and rng.random() < 0.02:
                            facilitator = plan.favourite
                        else:
                            facilitator = rng.choice(plan.facilitators)
                    case_id = self.new_id(Case)
                    ic_due = (opened + dt.timedelta(days=10)).date()
                    plan_due = (opened + dt.timedelta(days=40)).date()
                    next_due = (
                        None if stage == Stage.CLOSED else (ic_due if stage == Stage.INITIAL_CONVERSATION else plan_due)
                    )
                    cases.add(
                        id=case_id,
                        request_id=request_id,
                        service_id=plan.org_id,
                        case_manager_id=manager[0],
                        facilitator_id=facilitator[0] if facilitator else None,
                        opened_at=opened,
                        stage=stage,
                        initial_conversation_due=ic_due,
                        plan_agreed_due=plan_due,
                        next_due=next_due if stage != Stage.SUPPORT else (opened + dt.timedelta(days=120)).date(),
                        late_from=None,
                    )
                    counts["cases"] += 1
                    held = (opened + dt.timedelta(days=7)).date()
                    if stage != Stage.INITIAL_CONVERSATION or days_ago < 20:
                        conversations.add(
                            id=self.new_id(InitialConversation),
                            case_id=case_id,
                            scheduled_for=opened + dt.timedelta(days=7),
                            mode=Mode.VIDEO,
                            arranged_by_id=manager[0],
                            arranged_at=opened,
                        )
                    if stage != Stage.INITIAL_CONVERSATION:
                        assessments.add(
                            id=self.new_id(NeedsAssessment),
                            case_id=case_id,
                            presenting_issues=[reason],
                            individual_factors=c["factors"],
                            team_factors=c["factors"],
                            structural_factors=c["factors"],
                            cultural_factors="",
                            strengths=c["strengths"],
                            doctor_goals=c["goals"],
                            mandated=route == Route.RESPONSIBLE_OFFICER,
                            staff_notes="",
                            doctor_comment="",
                            conversation_held_on=held,
                            recorded_by_id=manager[0],
                            updated_at=opened + dt.timedelta(days=7),
                            version=1,
                        )
                    if stage in (Stage.SUPPORT, Stage.CLOSED):
                        plan_id = self.new_id(SupportPlan)
                        plans.add(id=plan_id, case_id=case_id, edit_count=1, created_at=opened + dt.timedelta(days=20))
                        versions.add(
                            id=self.new_id(PlanVersion),
                            plan_id=plan_id,
                            number=1,
                            status=VersionStatus.AGREED,
                            content=self.plan_content,
                            created_by_id=manager[0],
                            created_at=opened + dt.timedelta(days=20),
                            updated_at=opened + dt.timedelta(days=25),
                            shared_at=opened + dt.timedelta(days=21),
                            agreed_at=opened + dt.timedelta(days=25),
                        )
                    if facilitator:
                        closed = stage == Stage.CLOSED
                        allocations.add(
                            id=self.new_id(Allocation),
                            case_id=case_id,
                            facilitator_id=facilitator[0],
                            status=AllocationStatus.ENDED if closed else AllocationStatus.ACCEPTED,
                            fit_score=1.0,
                            fit_reasons=[],
                            proposed_by_id=manager[0],
                            proposed_at=opened + dt.timedelta(days=30),
                            responded_at=opened + dt.timedelta(days=31),
                            ended_at=opened + dt.timedelta(days=200) if closed else None,
                            end_reason=EndReason.CASE_CLOSED if closed else "",
                        )
                        first = opened + dt.timedelta(days=45)
                        last = min(now, opened + dt.timedelta(days=200))
                        span = max(1, (last - first).days)
                        count = (
                            max(1, int(rng.expovariate(1 / sessions_per_case) + 0.5)) if closed else max(1, span // 21)
                        )
                        for k in range(count):
                            sessions.add(
                                id=self.new_id(SupportSession),
                                case_id=case_id,
                                facilitator_id=facilitator[0],
                                held_on=(first + dt.timedelta(days=span * k // count)).date(),
                                mode=Mode.VIDEO,
                                attendance="attended",
                                shared_summary=c["summary"],
                                agreed_actions=c["actions"],
                                private_notes=c["private"],
                                created_at=first + dt.timedelta(days=span * k // count),
                                submission_token=uuid.uuid4(),
                            )
                        counts["sessions"] += count
                    if stage == Stage.CLOSED:
                        closed_on = (opened + dt.timedelta(days=200)).date()
                        closures.add(
                            id=self.new_id(Closure),
                            case_id=case_id,
                            reason=ClosureReason.GOALS_MET,
                            closed_on=closed_on,
                            closed_by_id=manager[0],
                        )
                        if questionnaire is not None:
                            for point, at in ((Point.FIRST_CONVERSATION, held), (Point.CLOSURE, closed_on)):
                                when = timezone.make_aware(dt.datetime.combine(at, dt.time(12)))
                                responses.add(
                                    id=self.new_id(Response),
                                    doctor_id=profile_id,
                                    request_id=request_id,
                                    case_id=case_id,
                                    questionnaire_id=questionnaire.pk,
                                    point=point,
                                    point_key=point,
                                    status=ResponseStatus.COMPLETED,
                                    answers={},
                                    skipped=[],
                                    total=rng.randint(8, 20),
                                    started_at=when,
                                    updated_at=when,
                                    completed_at=when,
                                )
                self.access_plan.append((request_id, profile_id, reference, plan, manager, facilitator, submitted))
        return dict(counts)

    def access_log(self, cursor: Any) -> int:
        """The access log: about ``access_rows`` reads, spread over the requests, chained lane by lane."""
        rng, now = self.rng, self.now
        tips = chain_tips(ALL_LANES)
        per_request = self.sizes.access_rows / max(1, len(self.access_plan))
        written = 0
        checks = 0
        next_id = self.new_id(AccessRecord)
        with self.copier(cursor, AccessRecord) as rows:
            order = rows.columns
            for index, (request_id, doctor_id, reference, plan, manager, facilitator, submitted) in enumerate(
                self.access_plan
            ):
                # Spread the remainder so the total comes out right.
                target = int((index + 1) * per_request) - int(index * per_request)
                lane = lane_of(doctor_id)
                what = f"support request {reference}"
                span = max(1.0, min(200.0, (now - submitted).total_seconds() / 86400))
                readers = [(manager or plan.case_managers[0], "case_manager", "Triage of a new request")]
                if facilitator:
                    readers.append((facilitator, "facilitator", "Supporting the doctor"))
                # The row's JSON content and COPY line are built from parts made once per request and reader
                # (the first rows are checked against audit.log.canonical_content).
                parts = []
                for (actor_id, actor_name), role, purpose in readers:
                    head = (
                        f'{{"action":"viewed","actor_id":{actor_id},"actor_name":{json.dumps(actor_name)},'
                        f'"actor_organisation":{json.dumps(plan.name)},"actor_role":{json.dumps(role)},"at":"'
                    )
                    tail = (
                        f'","doctor_id":{doctor_id},"object_id":{json.dumps(str(request_id))},'
                        f'"object_type":"referrals.supportrequest","purpose":{json.dumps(purpose)},'
                        f'"what":{json.dumps(what)}}}'
                    )
                    values = {
                        "actor_id": str(actor_id),
                        "actor_name": text_of(actor_name),
                        "actor_role": role,
                        "actor_organisation": text_of(plan.name),
                        "doctor_id": str(doctor_id),
                        "action": "viewed",
                        "what": text_of(what),
                        "object_type": "referrals.supportrequest",
                        "object_id": str(request_id),
                        "purpose": text_of(purpose),
                        "lane": str(lane),
                    }
                    before = "\t".join(values[c] if c in values else "{%s}" % c for c in order)  # noqa: UP031
                    parts.append((head, tail, before, (actor_id, actor_name, role, purpose)))
                for _ in range(target):
                    head, tail, template, reader = rng.choice(parts)
                    at = submitted + dt.timedelta(days=rng.random() * span)
                    at = at.replace(microsecond=at.microsecond - at.microsecond % 1000)
                    stamp = at.isoformat()
                    content = head + stamp + tail
                    previous = tips[lane]
                    row_hash = hashlib.sha256((previous + content).encode()).hexdigest()
                    if checks < 50:
                        actor_id, actor_name, role, purpose = reader
                        self._check_canonical(next_id, at, actor_id, actor_name, role, plan.name, doctor_id, what,
                                              request_id, purpose, content)  # fmt: skip
                        checks += 1
                    rows.add_line(
                        template.format(id=next_id, at=stamp, previous_hash=previous, row_hash=row_hash) + "\n"
                    )
                    tips[lane] = row_hash
                    next_id += 1
                    written += 1
        self.next_ids[AccessRecord] = next_id
        return written

    @staticmethod
    def _check_canonical(record_id: int, at: dt.datetime, actor_id: int, actor_name: str, role: str, organisation: str,
                         doctor_id: int, what: str, request_id: int, purpose: str, content: str) -> None:  # fmt: skip
        record = AccessRecord(
            id=record_id, at=at, actor_id=actor_id, actor_name=actor_name, actor_role=role,
            actor_organisation=organisation, doctor_id=doctor_id, action="viewed", what=what,
            object_type="referrals.supportrequest", object_id=str(request_id), purpose=purpose,
        )  # fmt: skip
        if canonical_content(record) != content:
            raise AssertionError("the seed's access-log content differs from audit.log.canonical_content")

    def reset_sequences(self, cursor: Any) -> None:
        for model in self.next_ids:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))"  # noqa: S608  # nosec B608
            )


def already_seeded() -> bool:
    return Organisation.objects.filter(name__endswith=SCALE_MARK).exists()
