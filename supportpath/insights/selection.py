"""What a report is about: one service, a period of whole months, and optionally one organisation it serves;
and whether that choice may be shown at all (``core.disclosure.selection_refusal``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from supportpath.accounts.models import Organisation
from supportpath.core.disclosure import selection_refusal

from .models import Fact


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class Selection:
    service: Organisation
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month
    organisation: Organisation | None = None

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.start, self.end)

    @property
    def end_day(self) -> dt.date:
        """The last day of the period."""
        return add_months(self.end, 1) - dt.timedelta(days=1)

    @property
    def period_text(self) -> str:
        if self.start == self.end:
            return self.start.strftime("%B %Y")
        return f"{self.start.strftime('%B %Y')} to {self.end.strftime('%B %Y')}"

    def facts(self) -> QuerySet[Fact]:
        """Every fact of the service (and organisation), whatever its month."""
        facts = Fact.objects.filter(service=self.service)
        if self.organisation is not None:
            facts = facts.filter(employer=self.organisation)
        return facts

    def referred(self) -> QuerySet[Fact]:
        """Requests made in the period."""
        return self.facts().filter(referred_month__gte=self.start, referred_month__lte=self.end)

    def ended(self) -> QuerySet[Fact]:
        """Requests and cases that ended in the period."""
        return self.facts().filter(ended_month__gte=self.start, ended_month__lte=self.end)

    def refusal(self) -> str:
        """Why this choice may not be shown (a plain sentence), or "" (one query)."""
        in_part = Q(employer=self.organisation) if self.organisation is not None else Q()
        row = Fact.objects.filter(
            service=self.service, referred_month__gte=self.start, referred_month__lte=self.end
        ).aggregate(
            whole=Count("pk"),
            chosen=Count("pk", filter=in_part),
            first=Count("pk", filter=in_part & Q(referred_month=self.start)),
            last=Count("pk", filter=in_part & Q(referred_month=self.end)),
        )
        return selection_refusal(
            chosen=row["chosen"],
            whole=row["whole"] if self.organisation is not None else None,
            first_month=row["first"],
            last_month=row["last"],
        )


def default_period(today: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    """The last ``months`` whole months before this one."""
    end = add_months(month_start(today), -1)
    return add_months(end, -(months - 1)), end


def quarter_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole quarter (January–March, ...) before today's."""
    this_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = add_months(this_quarter, -3)
    return start, add_months(start, 2)
