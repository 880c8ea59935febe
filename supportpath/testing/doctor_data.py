"""Which models hold a doctor's data: found from the models themselves, by a chain of foreign keys to the doctor.

Used by the erasure coverage test (every such model goes with the record it belongs to) and by the accessor
lint (request-handling code reaches every such model only through a record an accessor already returned).
"""

from collections import deque

from django.apps import apps
from django.db.models import Model

from supportpath.accounts.models import DoctorProfile


def path_to_doctor(model: type[Model]) -> str | None:
    """The shortest chain of forward relations from ``model`` to DoctorProfile, as a query path, or None."""
    if model is DoctorProfile:
        return ""
    seen = {model}
    queue = deque([(model, "")])
    while queue:
        current, path = queue.popleft()
        for field in current._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model) or field.auto_created:
                continue
            target = field.related_model
            assert isinstance(target, type)
            step = f"{path}__{field.name}" if path else field.name
            if target is DoctorProfile:
                return step
            if target not in seen and target._meta.app_label not in {"auth", "contenttypes"}:
                seen.add(target)
                queue.append((target, step))
    return None


def doctor_data_models() -> dict[type[Model], str]:
    """Every model with a path to a doctor, with that path ("" for DoctorProfile itself)."""
    return {m: p for m in apps.get_models() if (p := path_to_doctor(m)) is not None}
