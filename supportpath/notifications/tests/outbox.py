"""A mail server and a daily job for the fault tests: each writes one line to a file per delivery or run, and
waits while a "hold" file exists (a slow mail server, a long job), which is when the test kills the worker."""

import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def _wait_while_held(name: str) -> None:
    hold = Path(f"{settings.SP_OUTBOX}.{name}.hold")
    while hold.exists():
        time.sleep(0.05)


def _write(name: str, line: str) -> None:
    with open(f"{settings.SP_OUTBOX}.{name}", "a") as file:
        file.write(line + "\n")


class FileOutbox(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        _wait_while_held("mail")
        for message in messages:
            _write("mail", f"{message.extra_headers.get('Message-ID')} {message.subject}")
        return len(messages)


def tick() -> str:
    _wait_while_held("tick")
    _write("tick", "ran")
    return "ticked"
