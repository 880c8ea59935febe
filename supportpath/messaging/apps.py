from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "supportpath.messaging"
    label = "messaging"
    verbose_name = "Secure messages"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from . import export

        register_section("messages", "Your messages with your support team", export.messages, order=75)
