"""The daily retention run as a background task, for the daily scheduler (``DAILY_JOBS``)."""

from django_tasks import task

from .models import RetentionRun
from .retention import apply_retention as run_retention


@task()
def apply_retention(trigger: str = RetentionRun.Trigger.SCHEDULE) -> dict[str, int]:
    """Remove every record past its retention period; returns how many of each type went."""
    return run_retention(trigger=trigger).counts
