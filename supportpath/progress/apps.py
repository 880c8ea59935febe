from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "supportpath.progress"
    label = "progress"
    verbose_name = "Support in progress: reviews, milestones, targets and new dates, pauses, reassessment"

    def ready(self) -> None:
        from supportpath.casework import seams as casework_seams

        from . import presenters, worklist

        worklist.connect()
        # The pages of the apps below progress ask these questions through their seams (docs/adr/0004-layers.md).
        casework_seams.filter_work_list.plug(worklist.filter_cases)
        casework_seams.work_list_rows.plug(presenters.work_list_rows)
        casework_seams.supported_rows.plug(presenters.supported_rows)
        casework_seams.plan_dates_in_force.plug(presenters.plan_dates_in_force)
        casework_seams.review_corrections.plug(presenters.review_corrections)
        # Its rows of "Download my data" (export.progress) are registered by closure, with the exit feedback.
