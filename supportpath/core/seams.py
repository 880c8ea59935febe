"""Seams: how a lower app asks a higher one for something without importing it.

The layers (docs/adr/0004-layers.md) let an app import only the apps below it. When a page of a lower app needs
an answer only a higher app can give (the accepted cases list shows each case's next target, which the
progress app works out), the lower app declares a ``Seam`` naming the question, and the higher app plugs in its
answer in its ``AppConfig.ready()``. The dependency is turned round: the lower app names what it needs, the
higher one provides it, and nothing imports upwards (``lint-imports`` checks, imports inside functions too).

A seam has exactly one answer; asking one that nobody has plugged in is a programming error, said plainly.
"""

from collections.abc import Callable
from typing import Any


class Seam:
    def __init__(self, name: str, question: str) -> None:
        self.name = name
        self.question = question
        self._answer: Callable[..., Any] | None = None

    def plug(self, answer: Callable[..., Any]) -> None:
        self._answer = answer

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._answer is None:
            raise RuntimeError(f"Nothing answers the seam {self.name!r} ({self.question}); its app is not installed.")
        return self._answer(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Seam({self.name!r})"
