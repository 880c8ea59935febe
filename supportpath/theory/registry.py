"""Every change to a service's programme theory, each leaving a version: who, when, why and what changed."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from supportpath.accounts.models import Organisation, User

from . import paper
from .models import Change, Cmoc, CmocVersion, Status

# The fields a version records, with the words the history uses for them.
FIELDS = {
    "reference": "Reference",
    "outcome_group": "Outcome group",
    "context": "Context",
    "mechanism": "Mechanism",
    "outcome": "Outcome",
    "citation": "Citation",
    "status": "Status",
    "evidence_notes": "Evidence notes",
    "context_field": "Context indicator (field)",
    "context_value": "Context indicator (value)",
    "mechanism_item": "Mechanism indicator (check-in statement)",
    "outcome_indicator": "Outcome indicator",
}


class RegistryError(ValueError):
    """A change that cannot be made, said in words for the page."""


def snapshot(cmoc: Cmoc) -> dict:
    return {name: getattr(cmoc, name) for name in FIELDS}


def _version(cmoc: Cmoc, *, kind: str, by: User | None, why: str, changes: list[dict]) -> CmocVersion:
    return CmocVersion.objects.create(
        cmoc=cmoc,
        number=cmoc.version,
        kind=kind,
        at=cmoc.changed_at,
        by=by,
        by_name=by.full_name if by else "supportpath",
        why=why,
        changes=changes,
        snapshot=snapshot(cmoc),
    )


def ship_paper(service: Organisation, *, by: User | None) -> int:
    """Load the CMOCs the paper cites that the service does not hold yet; how many were added."""
    held = set(Cmoc.objects.filter(service=service).values_list("reference", flat=True))
    added = 0
    now = timezone.now()
    with transaction.atomic():
        for item in paper.CMOCS:
            if item.reference in held:
                continue
            field, _, value = item.context_link.partition("=")
            cmoc = Cmoc.objects.create(
                service=service,
                reference=item.reference,
                outcome_group=item.group,
                context=item.context,
                mechanism=item.mechanism,
                outcome=item.outcome,
                citation=item.citation,
                evidence_notes=item.evidence_note,
                context_field=field,
                context_value=value,
                mechanism_item=item.mechanism_item,
                outcome_indicator=item.outcome_indicator,
                changed_at=now,
            )
            _version(cmoc, kind=Change.SHIPPED, by=by, why="Described from the paper's findings.", changes=[])
            added += 1
    return added


def add(service: Organisation, *, by: User, why: str, **values: Any) -> Cmoc:
    reference = values["reference"]
    if Cmoc.objects.filter(service=service, reference=reference).exists():
        raise RegistryError(f"CMOC {reference} is already in the theory: refine it instead")
    with transaction.atomic():
        cmoc = Cmoc.objects.create(service=service, changed_at=timezone.now(), **values)
        changes = [
            {"field": name, "label": label, "before": "", "after": getattr(cmoc, name)}
            for name, label in FIELDS.items()
            if getattr(cmoc, name) not in ("", None)
        ]
        _version(cmoc, kind=Change.ADDED, by=by, why=why, changes=changes)
    return cmoc


def change(
    cmoc: Cmoc, *, by: User, why: str, kind: str = Change.REFINED, expected_version: int | None = None, **values: Any
) -> CmocVersion | None:
    """Make the changes (field -> new value) as a new version; None when nothing changed.

    ``expected_version`` is the version the person's form was made from: if someone else changed the CMOC since,
    nothing is saved and they are told (a concurrent edit is never silently overwritten)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not a field of a CMOC: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Cmoc.objects.select_for_update().get(pk=cmoc.pk)
        if expected_version is not None and current.version != expected_version:
            raise RegistryError(
                f"Someone else changed CMOC {current.reference} while you were editing it (it is now at version "
                f"{current.version}). Your changes are below: check the latest version, then save again."
            )
        if current.status == Status.RETIRED and kind != Change.ADDED and values.get("status") in (None, Status.RETIRED):
            raise RegistryError(f"CMOC {current.reference} is retired: give it a status to bring it back")
        renamed = values.get("reference", current.reference) != current.reference
        if renamed and Cmoc.objects.filter(service=current.service_id, reference=values["reference"]).exists():
            raise RegistryError(f"CMOC {values['reference']} is already in the theory")
        changes = []
        for name, value in values.items():
            before = getattr(current, name)
            if before != value:
                changes.append({"field": name, "label": FIELDS[name], "before": before, "after": value})
                setattr(current, name, value)
        if not changes:
            return None
        current.version += 1
        current.changed_at = timezone.now()
        current.save()
        version = _version(current, kind=kind, by=by, why=why, changes=changes)
    cmoc.refresh_from_db()
    return version


def retire(cmoc: Cmoc, *, by: User, why: str) -> CmocVersion | None:
    if cmoc.status == Status.RETIRED:
        raise RegistryError(f"CMOC {cmoc.reference} is already retired")
    return change(cmoc, by=by, why=why, kind=Change.RETIRED, status=Status.RETIRED)


def judge(
    cmoc: Cmoc, *, by: User, status: str, note: str, reading: str, expected_version: int | None = None
) -> CmocVersion | None:
    """The evaluator's judgement from the report: a status and a note, added to the evidence notes with the date
    and what the data said, as a new version."""
    dated = f"{timezone.localdate():%-d %B %Y}, from this service's records ({reading}): {note}"
    notes = f"{cmoc.evidence_notes}\n\n{dated}".strip()
    version = change(
        cmoc,
        by=by,
        why=f"Judgement from the report: {note}",
        kind=Change.JUDGED,
        expected_version=expected_version,
        status=status,
        evidence_notes=notes,
    )
    return version
