"""What the insights add to other pages: the panel on a service lead's or evaluator's home."""

from . import access


def home_panel(user) -> dict | None:
    services = access.services_for(user)
    if not services:
        return None
    return {"insight_services": services}
