"""Lists that read only the columns they show."""

from django.db import models


def only_columns(queryset: models.QuerySet, relation: str, keep: tuple[str, ...]) -> models.QuerySet:
    """``queryset`` reading, of the related row ``relation`` (as ``select_related`` names it, "request"), only
    its key and the fields in ``keep`` (with any relation followed from that row, which cannot be deferred).
    Every column read is built into a Python value as each row is made: a page of 100 waiting cases read all 45
    of each request's columns to show three (docs/scale.md). A field read later costs a query per row: the
    lists' pinned query counts keep them from doing so."""
    model = queryset.model
    for part in relation.split("__"):
        model = model._meta.get_field(part).related_model
    names = {f.name for f in model._meta.concrete_fields}
    unknown = set(keep) - names
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    dropped = sorted(names - set(keep) - {model._meta.pk.name})
    return queryset.defer(*[f"{relation}__{name}" for name in dropped])
