from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "supportpath.pathway"
    label = "pathway"
    verbose_name = "The support pathway: conversation, needs and sessions"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section(
            "conversations-and-needs",
            "Your first conversation and needs assessment",
            export.conversations_and_needs,
            order=40,
        )
        register_section("sessions", "Your support sessions (what was shared with you)", export.sessions, order=60)
