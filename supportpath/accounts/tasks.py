"""Background work for accounts. Deciding who gets which email in a task, not in the request, keeps the request
the same for an address with an account and one without (nothing to learn from what the page says, or how long
it takes). The emails themselves go through ``supportpath.notifications``.

Each task lives beside the work it does (``registration.process_registration``,
``services.send_password_reset_links``), so neither module imports the other through here; these names stay
for tasks queued under their old paths before the move.
"""

from .registration import process_registration
from .services import send_password_reset_links

__all__ = ["process_registration", "send_password_reset_links"]
