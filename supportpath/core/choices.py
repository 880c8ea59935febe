"""A model field's ``get_<name>_display()`` that costs a dictionary look-up.

Django's own flattens the field's choices into a new dictionary on every call, which a long list pays once a row
(a service's 254 organisations, each with its type). Set on the model, this one is used instead (Django adds its
own only where the model has none) and answers exactly as Django's would: the label of the stored value, or the
value itself where it is not one of the choices."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def choice_display(name: str) -> Callable[[models.Model], Any]:
    """``get_<name>_display`` for the field ``name``: its labels are read once, the first time it is asked."""
    labels: dict[Any, Any] = {}

    def display(instance: models.Model) -> Any:
        field = instance._meta.get_field(name)
        assert isinstance(field, models.Field)  # a model's own column, never a relation's other side
        if not labels:
            labels.update(make_hashable(field.flatchoices))
        value = getattr(instance, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{name}_display"
    return display
