"""An email backend for the load test and its fault drills (``scripts/load``): a stand-in mail server.

Each message "delivered" is appended as one JSON line (its Message-ID, recipients and subject) to the file
named by ``LOAD_MAIL_SINK``, after waiting ``LOAD_MAIL_DELAY`` seconds, the time a slow mail server takes to
accept it. The wait is what lets the drill kill a worker while it is sending: a message whose worker dies
during the wait was never accepted, exactly as with a real server that never said "250 OK". The file is then
the mail server's own record, to count what was sent, and how often, against what the outbox says.
"""

import json
import os
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class LoadTestMailSink(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        path = os.environ.get("LOAD_MAIL_SINK")
        delay = float(os.environ.get("LOAD_MAIL_DELAY", "0") or 0)
        sent = 0
        for message in email_messages:
            if delay:
                time.sleep(delay)
            line = json.dumps(
                {
                    "message_id": message.extra_headers.get("Message-ID", ""),
                    "to": list(message.to),
                    "subject": message.subject,
                    "pid": os.getpid(),
                    "at": time.time(),
                }
            )
            if path:
                # One write of one line, appended: lines from several workers never interleave.
                with open(path, "a", encoding="utf-8") as sink:
                    sink.write(line + "\n")
            sent += 1
        return sent
