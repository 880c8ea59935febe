from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "supportpath.notifications"
    label = "notifications"
    verbose_name = "Email and daily jobs"

    def ready(self) -> None:
        checks.register(check_daily_jobs)


def check_daily_jobs(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A mistyped time or job path in DAILY_JOBS is reported at start-up, not discovered at 07:00."""
    from django.core.exceptions import ImproperlyConfigured

    from .schedule import daily_jobs

    try:
        daily_jobs()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="notifications.E001")]
    return []
