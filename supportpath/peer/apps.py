from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "supportpath.peer"
    label = "peer"
    verbose_name = "Peer support"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section

        from .export import peer_support

        register_section("peer-support", "Your peer support", peer_support, order=90)
