from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def shipped_after_migrate(sender: object, apps: Any = None, using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """The shipped questionnaires in place after every ``migrate`` and every ``flush`` (Django sends post_migrate
    after both): a migration loads them once, and a flush (a transactional test's teardown, say) empties them;
    a page that needs them then finds them without loading them itself. Not while the schema has no
    questionnaires yet (a migration back: ``migrate`` gives the schema it left, ``flush`` none, being the
    current one), and only on the database written to."""
    if using != DEFAULT_DB_ALIAS:
        return
    if apps is not None:
        try:
            apps.get_model("measures", "Questionnaire")
        except LookupError:
            return
    from . import catalogue

    catalogue.ensure_shipped()


class MeasuresConfig(AppConfig):
    name = "supportpath.measures"
    label = "measures"
    verbose_name = "Measures and check-ins, with the safety net"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section("questionnaires", "Your questionnaires and check-ins", export.questionnaires, order=85)
        post_migrate.connect(shipped_after_migrate, sender=self, dispatch_uid="measures.shipped_after_migrate")
