"""Files attached to an email, made when the email is sent, from the id of the thing they are about.

The task's arguments name a registered builder and an id, never the file or anything confidential: an app
registers ``register_attachment(name, build)`` in its AppConfig.ready(), where ``build(id)`` returns the
attachment (or None if the thing has gone, and the email goes without it)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


_BUILDERS: dict[str, Callable[[int], Attachment | None]] = {}


def register_attachment(name: str, build: Callable[[int], Attachment | None]) -> None:
    _BUILDERS[name] = build


def build_attachment(spec: list | tuple | None) -> Attachment | None:
    """The attachment ``[name, id]`` names, made now; a name nobody registered is a bug, so it raises."""
    if not spec:
        return None
    name, object_id = spec
    return _BUILDERS[name](int(object_id))
