from django.apps import AppConfig


class TheoryConfig(AppConfig):
    name = "supportpath.theory"
    label = "theory"
    verbose_name = "What works for whom: the programme theory"

    def ready(self) -> None:
        from . import facts, sources

        facts.use_source(sources.from_fact_record)
