"""What the insights add to other pages: the panel on a service lead's or evaluator's home."""

from typing import Any

from supportpath.accounts.models import User

from . import access


def home_panel(user: object) -> dict[str, Any] | None:
    # The panels' registry (core.home_panels) knows nothing of accounts, so it hands the user over as an object.
    if not isinstance(user, User):
        return None
    services = access.services_for(user)
    if not services:
        return None
    return {"insight_services": services}
