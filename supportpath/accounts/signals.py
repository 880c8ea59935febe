"""What accounts tell the rest of the service, so accounts need not know the apps that care.

``password_chosen`` is sent when someone sets a password from a link emailed to the account's address (a
password reset). Following such a link proves the address is theirs, exactly as following an invitation does,
so an app that was waiting for that proof (a referral invitation) can finish its work.
"""

from django.dispatch import Signal

password_chosen = Signal()  # sender=User, user=the account
