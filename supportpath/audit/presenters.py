"""How the access log reads to the doctor whose record it is."""

from dataclasses import dataclass

from supportpath.accounts.models import Role
from supportpath.core.dates import long_datetime

from .models import AccessRecord


@dataclass(frozen=True)
class AccessRow:
    when: str
    who: str
    role: str
    organisation: str
    action: str
    what: str
    why: str
    # A service admin's read under emergency access: the doctor's page makes it stand out.
    is_emergency: bool = False


def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def access_row(record: AccessRecord) -> AccessRow:
    return AccessRow(
        when=long_datetime(record.at),
        who=record.actor_name,
        role=role_label(record.actor_role),
        organisation=record.actor_organisation,
        action=record.get_action_display(),
        what=record.what,
        why=record.purpose,
        is_emergency=record.action == AccessRecord.Action.EMERGENCY,
    )
