"""Hourly limits on account emails (password reset, finishing a new account).

Every request is answered with the same page; over the limit we simply send nothing. The limit counts
requests for an address whether or not it has an account, so it reveals nothing about who has one. What is
counted is what we agreed to send, so someone flooding an address cannot keep its owner out for longer than
the hour.
"""

import datetime as dt
import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from supportpath.core.encryption import lookup_hash

from .lockout import client_address
from .models import AccountEmailKind, AccountEmailRequest

logger = logging.getLogger(__name__)
WINDOW = dt.timedelta(hours=1)
KEEP = dt.timedelta(days=1)


def allow(request: HttpRequest, kind: AccountEmailKind, email: str) -> bool:
    """True (and counted) if an email of this kind may go to this address now; False when over a limit."""
    now = timezone.now()
    address = lookup_hash(f"{kind}:email:{email.strip().lower()}")
    network = lookup_hash(f"{kind}:network:{client_address(request) or ''}")
    recent = AccountEmailRequest.objects.filter(kind=kind, created_at__gte=now - WINDOW)
    if recent.filter(address_hash=address).count() >= settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR:
        logger.warning("Account email (%s) not sent: hourly limit for one address reached", kind)
        return False
    if recent.filter(network_hash=network).count() >= settings.ACCOUNT_EMAILS_PER_NETWORK_PER_HOUR:
        logger.warning("Account email (%s) not sent: hourly limit for one network address reached", kind)
        return False
    AccountEmailRequest.objects.filter(created_at__lt=now - KEEP).delete()
    AccountEmailRequest.objects.create(kind=kind, address_hash=address, network_hash=network)
    return True
