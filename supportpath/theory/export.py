"""The research export: a de-identified Frictionless Data Package (CSV files and ``datapackage.json`` with a
description of every field) of the service's fact records and check-in and measure scores.

- **Pseudonymous ids** from a key made for this export only and then thrown away: the same doctor has the same
  id within one export and an unrelated one in the next, and nobody can turn it back into a person.
- **Dates reduced to the month.** **No free text**: only coded fields leave.
- **k-anonymity** (``anonymise``): the quasi-identifiers are generalised, then the few left in small
  combinations suppressed, so that every combination holds at least 5 people; what was done is in the package
  and on the export's page.
- Every export is recorded (purpose, approval reference, who, when) and written in the access log of every
  doctor whose records went into it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import uuid
import zipfile
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import DoctorProfile, Organisation, User
from supportpath.audit.log import Entry, record_accesses
from supportpath.audit.models import AccessRecord

from . import anonymise, indicators
from .facts import Fact, Outcome
from .models import ResearchExport

QUASI = anonymise.FIELDS

FACT_FIELDS = [
    ("pid", "string", "Pseudonymous id of the doctor, made for this export only (the key is not kept)."),
    ("episode", "integer", "Which of this doctor's support requests the row is (1 for the first in this export)."),
    (
        "route_in",
        "string",
        "How support began: self (asked themselves), signposted (asked after a signpost at "
        "appraisal or supervision), referred (by someone else).",
    ),
    ("mandated", "string", "Whether support was mandated: yes, no, or not_stated."),
    ("reason", "string", "The reasons for support (the paper's Table 2 categories), separated by |."),
    ("age_band", "string", "Age band, generalised for k-anonymity (see the package's generalisation report)."),
    ("gender", "string", "Gender, generalised for k-anonymity."),
    ("ethnic_group", "string", "Ethnic group, generalised for k-anonymity."),
    ("qualification_region", "string", "Where the primary medical qualification was gained, generalised."),
    ("career_stage", "string", "Career stage, generalised for k-anonymity."),
    ("organisation_type", "string", "Kind of employing organisation, generalised for k-anonymity."),
    ("received_month", "yearmonth", "Month the request was received."),
    ("first_contact_month", "yearmonth", "Month of the first contact."),
    ("conversation_month", "yearmonth", "Month of the first conversation."),
    ("plan_agreed_month", "yearmonth", "Month the support plan was agreed."),
    ("closed_month", "yearmonth", "Month support ended."),
    ("ending", "string", "How the request ended (a coded reason), empty while open."),
    ("completed", "boolean", "Whether support was completed."),
    ("returned", "boolean", "Whether the doctor returned to work or training (where that was a goal)."),
    ("gas_t_start", "number", "Goal attainment T-score at the start (baseline levels)."),
    ("gas_t", "number", "Goal attainment T-score at closure (Turner-Stokes 2009)."),
    ("sessions", "integer", "Number of sessions held."),
]
CHECKIN_FIELDS = [
    ("pid", "string", "Pseudonymous id of the doctor (as in facts.csv)."),
    ("episode", "integer", "The support request (as in facts.csv)."),
    ("point", "string", "When it was answered: first, review, closure, after_3_months, after_6_months."),
    ("month", "yearmonth", "Month it was answered."),
] + [
    (
        f"item_{k}",
        "integer",
        f"“{text}”: 1 strongly disagree to 5 strongly agree; empty if skipped. Not a validated scale.",
    )
    for k, text in indicators.MECHANISMS.items()
]
MEASURE_FIELDS = [
    ("pid", "string", "Pseudonymous id of the doctor (as in facts.csv)."),
    ("episode", "integer", "The support request (as in facts.csv)."),
    ("questionnaire", "string", "Which measure: who-5, phq-9, gad-7, gse."),
    ("point", "string", "When it was answered: first, review, closure, after_3_months, after_6_months."),
    ("month", "yearmonth", "Month it was answered."),
    ("total", "number", "The measure's total score."),
]


def _month(day: dt.date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


def _flag(value: Outcome) -> str:
    return "" if value is None else ("true" if value else "false")


def _number(value: Outcome) -> str:
    return "" if value is None else f"{float(value):g}"


def _csv(fields: Sequence[tuple], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[name for name, _, _ in fields], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _resource(name: str, fields: Sequence[tuple[str, str, str]], description: str, key: list[str]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in fields], "missingValues": [""]},
    }
    if key:
        resource["schema"]["primaryKey"] = key
    if name != "facts":
        resource["schema"]["foreignKeys"] = [
            {"fields": ["pid", "episode"], "reference": {"resource": "facts", "fields": ["pid", "episode"]}}
        ]
    return resource


def build_package(
    facts: Sequence[Fact], *, purpose: str, approval_reference: str, made_on: dt.date, k: int = anonymise.K
) -> tuple[bytes, anonymise.Result, set[int]]:
    """The zip's bytes and what was done: (bytes, result of anonymise, doctor ids kept)."""
    key = secrets.token_bytes(32)  # for this export only; never stored

    def pid(doctor_id: int) -> str:
        return hmac.new(key, str(doctor_id).encode(), hashlib.sha256).hexdigest()[:16]

    result = anonymise.anonymise([dict(f.context) for f in facts], k=k, people=[f.doctor_id for f in facts])
    episodes: dict[int, int] = {}
    fact_rows, checkin_rows, measure_rows = [], [], []
    kept_doctors: set[int] = set()
    # Rows in an order that says nothing about who came first.
    order = sorted(result.kept, key=lambda i: (pid(facts[i].doctor_id), i))
    for i in order:
        fact = facts[i]
        kept_doctors.add(fact.doctor_id)
        episodes[fact.doctor_id] = episodes.get(fact.doctor_id, 0) + 1
        ids = {"pid": pid(fact.doctor_id), "episode": episodes[fact.doctor_id]}
        context = fact.context
        sessions = fact.outcomes.get("sessions")
        row = {
            **ids,
            "route_in": context.get("route_in") or "",
            "mandated": context.get("mandated") or anonymise.NOT_STATED,
            "reason": context.get("reason") or "",
            **result.values[i],
            **{
                f"{name}_month": _month(fact.dates.get(name))
                for name in ("received", "first_contact", "conversation", "plan_agreed", "closed")
            },
            "ending": str(fact.outcomes.get("ending") or ""),
            "completed": _flag(fact.outcomes.get("completed")),
            "returned": _flag(fact.outcomes.get("returned")),
            "gas_t_start": _number(fact.outcomes.get("gas_t_start")),
            "gas_t": _number(fact.outcomes.get("gas_t")),
            "sessions": "" if sessions is None else str(int(sessions)),
        }
        fact_rows.append(row)
        for answered in fact.answered:
            base = {**ids, "point": answered.point, "month": _month(answered.on)}
            if answered.questionnaire == "check-in":
                checkin_rows.append(
                    {**base, **{f"item_{k}": answered.answers.get(k, "") for k in indicators.MECHANISMS}}
                )
            else:
                measure_rows.append({**base, "questionnaire": answered.questionnaire, "total": _number(answered.total)})
    package = {
        "profile": "tabular-data-package",
        "name": "supportpath-research-export",
        "title": "De-identified records of professional support for doctors",
        "created": made_on.isoformat(),
        "description": (
            f"Made for an approved purpose: {purpose} (approval reference {approval_reference}). Pseudonymous ids "
            f"from a key made for this export only; dates reduced to the month; no free text; quasi-identifiers "
            f"generalised and {result.suppressed} rows suppressed so that every combination of them holds at least "
            f"{k} people."
        ),
        "licenses": [{"name": "other-closed", "title": "For the approved purpose only; not to be shared further"}],
        "sources": [{"title": "supportpath, the service's own records (fact record, check-ins, measures)"}],
        "x-purpose": purpose,
        "x-approval-reference": approval_reference,
        "x-k-anonymity": {
            "k": k,
            "quasi_identifiers": list(QUASI),
            "suppressed_rows": result.suppressed,
            "generalisation": result.report,
        },
        "resources": [
            _resource(
                "facts",
                FACT_FIELDS,
                "One row per support request: context, stage months and outcomes.",
                ["pid", "episode"],
            ),
            _resource(
                "checkins", CHECKIN_FIELDS, "Check-in answers (the service's own wording; not a validated scale).", []
            ),
            _resource("measures", MEASURE_FIELDS, "Validated measures' total scores.", []),
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        archive.writestr("facts.csv", _csv(FACT_FIELDS, fact_rows))
        archive.writestr("checkins.csv", _csv(CHECKIN_FIELDS, checkin_rows))
        archive.writestr("measures.csv", _csv(MEASURE_FIELDS, measure_rows))
    return buffer.getvalue(), result, kept_doctors


def make_export(
    service: Organisation,
    facts: Sequence[Fact],
    *,
    by: User,
    role: str,
    purpose: str,
    approval_reference: str,
    submission_token: uuid.UUID | None = None,
) -> ResearchExport:
    if submission_token is not None:
        made = ResearchExport.objects.filter(service=service, submission_token=submission_token).first()
        if made is not None:
            return made
    now = timezone.now()
    body, result, kept = build_package(
        facts, purpose=purpose, approval_reference=approval_reference, made_on=timezone.localdate()
    )
    with transaction.atomic():
        export = ResearchExport.objects.create(
            service=service,
            purpose=purpose,
            approval_reference=approval_reference,
            by=by,
            by_name=by.full_name,
            at=now,
            people=len(kept),
            suppressed=result.suppressed,
            k=anonymise.K,
            generalised=result.report,
            package=body,
            submission_token=submission_token,
        )
        doctors = DoctorProfile.objects.filter(pk__in=kept).select_related("user")
        record_accesses(
            actor=by,
            role=role,
            action=AccessRecord.Action.EXPORTED,
            purpose=f"Research export for an approved purpose (approval {approval_reference})"[:300],
            entries=[
                Entry(
                    doctor=d,
                    organisation=service.name,
                    what="De-identified research export (no name or id)",
                    obj=export,
                )
                for d in doctors
            ],
        )
    return export


def read_package(body: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}
