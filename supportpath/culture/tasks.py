"""The culture app's daily job (``culture_reminders`` in ``DAILY_JOBS``)."""

from . import services


def daily() -> str:
    reminded = services.remind_due_actions()
    forgotten = services.forget_invitation_addresses()
    return f"{reminded} action reminders queued; {forgotten} finished invitation emails forgotten"
