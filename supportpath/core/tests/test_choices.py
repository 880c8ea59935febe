"""``choice_display``: the same answer as Django's own ``get_<name>_display()``, for every choice and for a value
that is not one, on the models that use it."""

import pytest
from django.db import models

from supportpath.accounts.models import Membership, Organisation, OrganisationKind, Role
from supportpath.casework.models import Case, Stage
from supportpath.referrals.models import Route, SupportRequest


def _djangos(instance: models.Model, name: str):
    """What Django's own display would answer (the model's ``_get_FIELD_display``, which it binds by default)."""
    return models.Model._get_FIELD_display(instance, instance._meta.get_field(name))


@pytest.mark.parametrize(
    ("model", "name", "choices"),
    [
        (Organisation, "kind", OrganisationKind),
        (Membership, "role", Role),
        (Case, "stage", Stage),
        (SupportRequest, "route", Route),
    ],
)
def test_every_choice_and_an_unknown_value_read_as_djangos_own(model, name, choices):
    assert model.__dict__[f"get_{name}_display"].__name__ == f"get_{name}_display"  # ours, not Django's
    for value in [*choices.values, "not_a_choice", ""]:
        instance = model(**{name: value})
        shown = getattr(instance, f"get_{name}_display")()
        assert shown == _djangos(instance, name)
        assert type(shown) is str
    assert Organisation(kind=OrganisationKind.GP_PRACTICE).get_kind_display() == "GP practice"
