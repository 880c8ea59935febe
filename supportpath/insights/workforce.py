"""Loading an organisation's workforce: a CSV of headcounts, one row per combination of career stage, contract,
primary medical qualification region, ethnic group, gender and age band (the shape of an ESR or GMC extract),
checked whole before anything is saved. Every problem is listed by row and column, and nothing changes until
the file is right: the organisation's earlier file stays in use."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from supportpath.accounts.equality import AGE_BANDS, ETHNIC_GROUPS, GENDERS
from supportpath.accounts.models import CareerStage, ContractType, Organisation, QualificationRegion, User

from .models import WorkforceCount, WorkforceFile

# column -> (what it is, its codes and their meanings)
DIMENSIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "career_stage": ("Career stage", list(CareerStage.choices)),
    "contract_type": ("Contract", list(ContractType.choices)),
    "qualification_region": ("Primary medical qualification", list(QualificationRegion.choices)),
    "ethnic_group": ("Ethnic group", [c for c in ETHNIC_GROUPS if c[0] != "prefer_not_to_say"]),
    "gender": ("Gender", [c for c in GENDERS if c[0] != "prefer_not_to_say"]),
    "age_band": ("Age band", [c for c in AGE_BANDS if c[0] != "prefer_not_to_say"]),
}
COLUMNS = [*DIMENSIONS, "headcount"]
MAX_BYTES = 2_000_000
MAX_ROWS = 20_000
MAX_PROBLEMS = 20


def label_of(dimension: str, code: str) -> str:
    if not code:
        return "Not known"
    return dict(DIMENSIONS[dimension][1]).get(code, code)


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(["specialty_trainee", "resident", "uk", "white", "female", "25_to_35", "120"])
    writer.writerow(["specialty_trainee", "resident", "international", "asian", "male", "25_to_35", "35"])
    writer.writerow(["consultant", "consultant", "uk", "", "", "46_to_55", "80"])
    return out.getvalue()


def codes_text() -> list[tuple[str, str, str]]:
    """(column, what it is, its codes with their meanings) for the page beside the upload."""
    return [
        (column, what, "; ".join(f"{code} ({label})" for code, label in codes))
        for column, (what, codes) in DIMENSIONS.items()
    ]


@dataclass
class Parsed:
    counts: dict[tuple[str, str], int]
    doctors: int
    rows: int
    problems: list[str]


def parse(data: bytes) -> Parsed:
    problems: list[str] = []
    parsed = Parsed({}, 0, 0, problems)
    if len(data) > MAX_BYTES:
        problems.append(f"The file is larger than {MAX_BYTES // 1_000_000} MB: split it, or sum its rows first.")
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append("The file is not plain text in UTF-8: save it from your spreadsheet as 'CSV UTF-8'.")
        return parsed
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        if missing:
            problems.append(f"The first row must name the columns; these are missing: {', '.join(missing)}.")
        if unknown:
            problems.append(f"These columns are not known: {', '.join(unknown)}. Use the template's columns.")
        return parsed
    position = {column: header.index(column) for column in COLUMNS}
    allowed = {column: {code for code, _ in codes} for column, (_, codes) in DIMENSIONS.items()}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        parsed.rows += 1
        if parsed.rows > MAX_ROWS:
            problems.append(f"The file has more than {MAX_ROWS:,} rows: sum rows that share every group first.")
            break
        row = row + [""] * (len(header) - len(row))
        values = {column: row[position[column]].strip() for column in COLUMNS}
        for column in DIMENSIONS:
            value = values[column].lower()
            values[column] = value
            if value and value not in allowed[column]:
                problems.append(
                    f"Row {number}, {column}: '{values[column]}' is not one of the codes "
                    f"({', '.join(sorted(allowed[column]))}); leave it empty if not known."
                )
        headcount = values["headcount"].replace(",", "")
        if not headcount.isdigit():
            problems.append(f"Row {number}, headcount: '{values['headcount']}' is not a whole number of doctors.")
            headcount = "0"
        n = int(headcount)
        parsed.doctors += n
        for column in DIMENSIONS:
            key = (column, values[column])
            parsed.counts[key] = parsed.counts.get(key, 0) + n
        if len(problems) >= MAX_PROBLEMS:
            problems.append("There are more problems after these: put these right and load the file again.")
            break
    if not problems and parsed.doctors == 0:
        problems.append("The file counts no doctors: it needs at least one row with a headcount above 0.")
    return parsed


@transaction.atomic
def load(*, service: Organisation, organisation: Organisation, data: bytes, by: User | None) -> Parsed | WorkforceFile:
    """The saved file, or what was wrong (nothing saved)."""
    parsed = parse(data)
    if parsed.problems:
        return parsed
    file = WorkforceFile.objects.create(
        service=service,
        organisation=organisation,
        loaded_at=timezone.now(),
        loaded_by=by,
        doctors=parsed.doctors,
        rows=parsed.rows,
    )
    WorkforceCount.objects.bulk_create(
        WorkforceCount(file=file, dimension=dimension, group=group, headcount=n)
        for (dimension, group), n in sorted(parsed.counts.items())
    )
    return file


def latest_files(service: Organisation, organisation: Organisation | None = None) -> list[WorkforceFile]:
    """The latest file of each organisation the service serves (one query)."""
    files = WorkforceFile.objects.filter(service=service, organisation__support_service=service)
    if organisation is not None:
        files = files.filter(organisation=organisation)
    latest: dict[int, WorkforceFile] = {}
    for file in files.select_related("organisation").order_by("organisation_id", "-loaded_at", "-id"):
        latest.setdefault(file.organisation_id, file)
    return list(latest.values())
