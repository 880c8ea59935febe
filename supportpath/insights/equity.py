"""Equity of access: for each group of doctors, requests per 1,000 doctors a year (the workforce files as the
denominators), the share referred by someone else or mandated, and the share of ended cases whose goals were
met, each against the rest of the doctors as a ratio with its 95% interval. A group whose interval lies wholly
above or below 1 is flagged. Every count is summed in the database and passes the disclosure rule first; the
ratios are worked from the rounded counts, and not shown where a count is hidden."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from supportpath.core.disclosure import HIDDEN, NOT_SHOWN, disclose_counts, show_count

from . import stats, workforce
from .models import WorkforceCount
from .reports import Table, bars_for
from .selection import Selection

PER = 1000


@dataclass(frozen=True)
class Flag:
    dimension: str
    group: str
    measure: str
    direction: str  # "higher" or "lower"
    interval: str


def _ratio_text(interval: stats.Interval | None) -> str:
    if interval is None:
        return NOT_SHOWN
    return f"{interval.estimate:.2f} ({interval.low:.2f} to {interval.high:.2f})"


def _direction(interval: stats.Interval | None) -> str:
    if interval is None:
        return ""
    return "higher" if interval.above_one else "lower" if interval.below_one else ""


def _shown_int(text: str) -> int | None:
    return None if text in (HIDDEN, NOT_SHOWN) else int(text)


def equity_report(selection: Selection) -> tuple[list[Table], list[Flag], list]:
    """(a table per dimension, the flags, the organisations' files used)."""
    files = workforce.latest_files(selection.service, selection.organisation)
    if not files:
        return [], [], []
    file_ids = [f.pk for f in files]
    employers = [f.organisation_id for f in files]
    headcounts = {
        (row["dimension"], row["group"]): row["n"]
        for row in WorkforceCount.objects.filter(file_id__in=file_ids)
        .values("dimension", "group")
        .annotate(n=Sum("headcount"))
        .order_by()
    }
    doctors = sum(f.doctors for f in files)
    years = len(selection.months) / 12
    facts = selection.referred().filter(employer_id__in=employers)
    referred_or_mandated = Q(self_referred=False) | Q(mandated=True)
    dimensions = list(workforce.DIMENSIONS)
    # One scan: the counts for every combination of the six groupings (at most a few thousand summed rows),
    # then each grouping's totals added up from those.
    combined = (
        facts.values(*dimensions)
        .annotate(
            n=Count("pk"),
            referred=Count("pk", filter=referred_or_mandated),
            ended=Count("pk", filter=Q(is_case=True, ended_month__isnull=False)),
            met=Count("pk", filter=Q(ending="goals_met")),
        )
        .order_by()
    )
    by_dimension: dict[str, dict[str, dict[str, int]]] = {d: {} for d in dimensions}
    for row in combined:
        for dimension in dimensions:
            totals = by_dimension[dimension].setdefault(row[dimension], {"n": 0, "referred": 0, "ended": 0, "met": 0})
            for key in totals:
                totals[key] += row[key]
    tables, flags = [], []
    for dimension, (what, codes) in workforce.DIMENSIONS.items():
        found = by_dimension[dimension]
        groups = [code for code, _ in codes] + [""]
        shown = disclose_counts({g: found.get(g, {}).get("n", 0) for g in groups})
        all_shown = _shown_int(shown.total)
        rows, bars = [], []
        for group in groups:
            label = workforce.label_of(dimension, group)
            a = _shown_int(shown.counts[group])
            n_group = headcounts.get((dimension, group), 0)
            rate = rate_text = rr_text = ref_text = met_text = NOT_SHOWN
            flag_texts = []
            if a is not None and n_group and shown.shown:
                rate = PER * a / n_group / years
                low = rate * math.exp(-stats.Z95 / math.sqrt(a)) if a else 0
                high = rate * math.exp(stats.Z95 / math.sqrt(a)) if a else 0
                rate_text = f"{rate:.1f} ({low:.1f} to {high:.1f})" if a else "0"
                rest_n = doctors - n_group
                rest_a = (all_shown - a) if all_shown is not None else None
                ratio = stats.rate_ratio(a, n_group, rest_a, rest_n) if rest_a else None
                rr_text = _ratio_text(ratio)
                if group and _direction(ratio):
                    flag_texts.append(f"requests {_direction(ratio)}")
                    flags.append(Flag(what, label, "Requests per 1,000 doctors", _direction(ratio), rr_text))
                # Shares within the group against the rest, from rounded figures.
                row = found.get(group, {})
                total_referred = sum(r["referred"] for r in found.values())
                ref_a = _shown_int(show_count(row.get("referred", 0)))
                ref_b = _shown_int(show_count(total_referred - row.get("referred", 0)))
                if ref_a is not None and ref_b is not None and rest_a:
                    ref = stats.risk_ratio(ref_a, a, ref_b, rest_a) if ref_a <= a and ref_b <= rest_a else None
                    ref_text = _ratio_text(ref)
                    if group and _direction(ref):
                        flag_texts.append(f"referred by others {_direction(ref)}")
                        flags.append(
                            Flag(what, label, "Referred by someone else or mandated", _direction(ref), ref_text)
                        )
                total_ended = sum(r["ended"] for r in found.values())
                total_met = sum(r["met"] for r in found.values())
                e_a, m_a = _shown_int(show_count(row.get("ended", 0))), _shown_int(show_count(row.get("met", 0)))
                e_b = _shown_int(show_count(total_ended - row.get("ended", 0)))
                m_b = _shown_int(show_count(total_met - row.get("met", 0)))
                if e_a and e_b and m_a is not None and m_b is not None and m_a <= e_a and m_b <= e_b:
                    met = stats.risk_ratio(m_a, e_a, m_b, e_b)
                    met_text = _ratio_text(met)
                    if group and _direction(met):
                        flag_texts.append(f"goals met {_direction(met)}")
                        flags.append(Flag(what, label, "Ended cases whose goals were met", _direction(met), met_text))
            bars.append((label, f"{rate:.1f}" if isinstance(rate, float) else NOT_SHOWN))
            rows.append(
                [
                    label,
                    show_count(n_group) if n_group else "no doctors in the files",
                    shown.counts[group] if shown.shown else NOT_SHOWN,
                    rate_text or "not shown",
                    rr_text or "not shown",
                    ref_text or "not shown",
                    met_text or "not shown",
                    "; ".join(flag_texts) or "–",
                ]
            )
        tables.append(
            Table(
                f"equity-{dimension}",
                f"By {what.lower()}",
                [
                    what,
                    "Doctors (workforce files)",
                    "Requests",
                    "Requests per 1,000 doctors a year (95% CI)",
                    "Rate ratio against the rest (95% CI)",
                    "Referred by someone else or mandated: ratio against the rest (95% CI)",
                    "Ended cases whose goals were met: ratio against the rest (95% CI)",
                    "Flag",
                ],
                rows,
                bars=bars_for(bars),
                chart_title=f"Requests per 1,000 doctors a year, by {what.lower()}",
                empty="" if shown.shown else "Too few requests from these organisations to show.",
            )
        )
    return tables, flags, files


def organisations_table(selection: Selection) -> Table:
    """Each organisation's rate with its interval, in the order of their names (never a league table)."""
    files = sorted(workforce.latest_files(selection.service), key=lambda f: f.organisation.name)
    counts = dict(
        selection.referred()
        .filter(employer_id__in=[f.organisation_id for f in files])
        .values_list("employer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    years = len(selection.months) / 12
    rows, bars = [], []
    for file in files:
        a = _shown_int(show_count(counts.get(file.organisation_id, 0)))
        text = NOT_SHOWN
        if a:
            rate = PER * a / file.doctors / years
            low, high = rate * math.exp(-stats.Z95 / math.sqrt(a)), rate * math.exp(stats.Z95 / math.sqrt(a))
            text = f"{rate:.1f} ({low:.1f} to {high:.1f})"
            bars.append((file.organisation.name, f"{rate:.1f}"))
        else:
            bars.append((file.organisation.name, NOT_SHOWN))
        rows.append(
            [
                file.organisation.name,
                show_count(file.doctors),
                show_count(counts.get(file.organisation_id, 0)),
                text or "not shown",
            ]
        )
    return Table(
        "equity-organisations",
        "Each organisation, with its uncertainty",
        ["Organisation", "Doctors", "Requests", "Requests per 1,000 doctors a year (95% CI)"],
        rows,
        bars=bars_for(bars),
        chart_title="Requests per 1,000 doctors a year",
        notes=["In the order of their names: the intervals overlap more often than a ranking would suggest."],
        empty="" if files else "No workforce file has been loaded yet.",
    )
