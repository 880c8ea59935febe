"""Removing a record whole: the record and everything that hangs off it, found from the models themselves.

Django's own cascade stops at a PROTECT foreign key (a case protects its request; a plan version protects the
plan it belongs to; a review protects the version it scored). Removal walks the reverse relations instead,
deepest first, so that a model added later that points at a case, a request or anything under them with
CASCADE or PROTECT is removed with it without anyone listing it here. ``supportpath/records/tests/
test_coverage.py`` fails if a model holding a doctor's data would be left behind.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import ForeignObjectRel

# Kept when the records they describe are removed, each for a stated reason (docs/retention.md).
KEPT = {
    "audit.accessrecord": (
        "The access log: the doctor's evidence of who saw their record. Its rows are kept, pointing at an "
        "anonymised account after an erasure, and removed from the start of the chain by the access_log period."
    ),
}

# Relations removal follows: the child row cannot outlive its parent.
FOLLOWED = (models.CASCADE, models.PROTECT, models.RESTRICT)


@dataclass
class Removed:
    """What a removal took away: rows per model label, and (when asked for) their ids."""

    rows: Counter = field(default_factory=Counter)
    ids: dict[str, list] = field(default_factory=dict)

    def add(self, other: "Removed") -> None:
        self.rows.update(other.rows)
        for label, ids in other.ids.items():
            self.ids.setdefault(label, []).extend(ids)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def children(model: type[models.Model]):
    """(child model, foreign key on it) for every model that points at ``model`` and must go with it."""
    # Hidden relations too: a foreign key with related_name="+" (a review's plan version) still protects.
    for rel in model._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue  # the rows of a many-to-many link go with either end; Django removes them
        child = rel.related_model
        if child._meta.auto_created:
            continue
        if rel.field.remote_field.on_delete in FOLLOWED:
            yield child, rel.field


def remove_whole(
    model: type[models.Model],
    pks,
    *,
    dry_run: bool = False,
    collect_ids: bool = False,
    skip: frozenset[str] = frozenset(),
    _depth: int = 0,
    _seen: dict[str, set] | None = None,
) -> Removed:
    """Remove the rows of ``model`` with these primary keys and everything under them, deepest first.

    ``skip`` names child models to leave alone (besides KEPT ones). A dry run removes nothing and counts what
    would go. Call inside a transaction: a failure half-way must leave everything in place."""
    if _depth > 20:
        raise RecursionError(f"Removal went more than 20 levels deep at {label_of(model)}: is there a cycle?")
    # A row reached by two paths (a review hangs off its case and off the plan version it scored) is taken
    # once; a dry run, which deletes nothing, would otherwise count it twice.
    seen = {} if _seen is None else _seen
    label = label_of(model)
    already = seen.setdefault(label, set())
    pks = [pk for pk in pks if pk not in already]
    already.update(pks)
    removed = Removed()
    if not pks:
        return removed
    for child, fk in children(model):
        child_label = label_of(child)
        if child_label in KEPT or child_label in skip:
            continue
        child_pks = list(child._base_manager.filter(**{f"{fk.name}__in": pks}).values_list("pk", flat=True))
        removed.add(
            remove_whole(
                child,
                child_pks,
                dry_run=dry_run,
                collect_ids=collect_ids,
                skip=skip,
                _depth=_depth + 1,
                _seen=seen,
            )
        )
    if dry_run:
        removed.rows[label] += len(pks)
    else:
        _, per_model = model._base_manager.filter(pk__in=pks).delete()
        removed.rows.update({name.lower(): n for name, n in per_model.items() if n})
    if collect_ids:
        removed.ids.setdefault(label, []).extend(pks)
    return removed
