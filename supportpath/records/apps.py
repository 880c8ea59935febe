from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "supportpath.records"
    label = "records"
    verbose_name = "Records management: retention and erasure"

    def ready(self) -> None:
        from supportpath.audit.chain import register_checkpoint_model
        from supportpath.audit.data_export import register_section

        from . import policy  # noqa: F401  (registers the check of the retention settings)
        from .export import erasure_requests
        from .models import ChainCheckpoint

        register_checkpoint_model(ChainCheckpoint)

        register_section("erasure-requests", "Your requests to erase your record", erasure_requests)
