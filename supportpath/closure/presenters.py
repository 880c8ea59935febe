"""What staff read of the doctor's exit feedback on the case page."""

import datetime as dt
from dataclasses import dataclass

from supportpath.core.dates import long_date

from .models import STATEMENTS, Agreement, ExitFeedback


@dataclass
class FeedbackView:
    """What the doctor said when support ended, as their case manager may see it."""

    given_at: dt.datetime
    what_changed: str | None  # None: the doctor chose to keep it to themselves
    answers: list[tuple[str, str]]  # (statement, answer) for each statement answered
    peer_supporter: str

    @property
    def rows(self) -> list[dict]:
        """Summary-list rows; every value is text, so the doctor's words are always escaped."""
        pairs = [
            ("Given on", long_date(self.given_at)),
            (
                "What changed, in their words",
                self.what_changed if self.what_changed is not None else "They chose to keep this to themselves.",
            ),
            *self.answers,
            ("Would they like to be a peer supporter?", self.peer_supporter),
        ]
        return [{"key": {"text": key}, "value": {"text": value or "Not written"}} for key, value in pairs]


def feedback_view(feedback: ExitFeedback) -> FeedbackView:
    return FeedbackView(
        given_at=feedback.given_at,
        what_changed=feedback.what_changed if feedback.team_may_read else None,
        answers=[
            (statement, Agreement(feedback.answers[key]).label)
            for key, statement in STATEMENTS.items()
            if key in feedback.answers
        ],
        peer_supporter=feedback.get_peer_supporter_display() if feedback.peer_supporter else "Not answered",
    )
