"""The pages for running a service: what "Your service" lists for each role, and the service admin's
navigation in the header. Only URL names and words, so the pages of every app that belongs to "Your service"
(plans, facilitation, progress, emergency access, measures, service) can show the same navigation without
importing each other (docs/adr/0004-layers.md)."""

from typing import Any

from django.urls import reverse

from .models import Role

SERVICE_HOME = "service:home"  # "Your service" itself

# The pages for running a service, on "Your service": (url name, title, one line on what it is for, the roles
# that may open it). Each person sees only the pages their role opens. Add a row to add a page.
SERVICE_PAGES = [
    (
        "service:staff",
        "Staff",
        "Your service's case managers, facilitators, service admins and evaluators: invite someone, change a role, "
        "end a membership (and say who takes over its cases), or reset two-step sign-in.",
        {Role.SERVICE_ADMIN},
    ),
    (
        "service:organisations",
        "Organisations you serve",
        "The trusts and GP practices whose doctors your service supports, and their referrers and responsible "
        "officers.",
        {Role.SERVICE_ADMIN},
    ),
    (
        "service:intervention_list",
        "Interventions catalogue",
        "The support case managers choose from when they write a plan with a doctor, who provides it, and the "
        "description doctors read.",
        {Role.SERVICE_ADMIN},
    ),
    (
        "facilitation:facilitators",
        "Facilitators",
        "Who supports your service's doctors: their profiles, how many cases each can hold, and the organisations "
        "they must not support.",
        {Role.SERVICE_ADMIN, Role.CASE_MANAGER},
    ),
    (
        "closure:peer_supporter_offers",
        "Offers to be peer supporters",
        "Doctors who, when their support ended, said they would like to hear about supporting other doctors.",
        {Role.CASE_MANAGER},
    ),
    (
        "emergency_access:my_grants",
        "Emergency access to a doctor's record",
        "For when you must see a record now and the people who support the doctor cannot help in time. Every use "
        "is recorded and the doctor is told.",
        {Role.SERVICE_ADMIN},
    ),
    (
        "measures:service_settings",
        "Questionnaires",
        "Which questionnaires doctors are offered at each point of their support, and loading another one your "
        "organisation holds a licence for.",
        {Role.SERVICE_ADMIN},
    ),
]
SERVICE_ADMIN_PAGES = [(name, title, line) for name, title, line, roles in SERVICE_PAGES if Role.SERVICE_ADMIN in roles]


def service_links(roles: set[str]) -> list[dict[str, str]]:
    """The pages of "Your service" that someone with ``roles`` (at that service) may open."""
    return [
        {"href": reverse(name), "title": title, "description": line}
        for name, title, line, allowed in SERVICE_PAGES
        if allowed & roles
    ]


def service_admin_navigation(current: str = "", *, within: str = "") -> list[dict[str, Any]]:
    """The header's navigation for a service admin (the layout shows ``navigation_items``): ``current`` is the
    page shown, ``within`` the section a page further in belongs to."""
    items = [(SERVICE_HOME, "Your service")] + [(name, title) for name, title, _ in SERVICE_ADMIN_PAGES]
    return [
        {"href": reverse(name), "text": title, "current": name == current, "active": name == within}
        for name, title in items
    ]
