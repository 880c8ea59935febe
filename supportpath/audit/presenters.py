"""How the access log reads to the doctor whose record it is."""

from dataclasses import dataclass

from supportpath.accounts.models import Role
from supportpath.core.dates import long_datetime

from .log import LIST
from .models import AccessRecord

# A sighting in a list reads as what it was: the row's ``what`` is the whole sentence ("Saw your name and
# request in the case managers' list of new requests").
SEEN_IN_A_LIST = "Saw in a list"


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
    # Seen among others in a list page (once a day at most), rather than opened.
    is_list: bool = False

    @property
    def summary(self) -> str:
        """What happened, in one line for the doctor's page."""
        return self.what if self.is_list else f"{self.action}: {self.what}"


def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def is_list_row(record: AccessRecord) -> bool:
    return record.object_type == LIST


def action_label(record: AccessRecord) -> str:
    return SEEN_IN_A_LIST if is_list_row(record) else record.get_action_display()


def access_row(record: AccessRecord) -> AccessRow:
    return AccessRow(
        when=long_datetime(record.at),
        who=record.actor_name,
        role=role_label(record.actor_role),
        organisation=record.actor_organisation,
        action=action_label(record),
        what=record.what,
        why=record.purpose,
        is_emergency=record.action == AccessRecord.Action.EMERGENCY,
        is_list=is_list_row(record),
    )
