from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "supportpath.journey"
    label = "journey"
    verbose_name = "The doctor's journey: every step of their path, told one way (a read model)"

    def ready(self) -> None:
        from supportpath.casework import seams as casework_seams
        from supportpath.referrals import seams as referrals_seams

        from . import journeys, presenters

        # The pages of the apps below ask these questions through their seams (docs/adr/0004-layers.md).
        casework_seams.case_progress.plug(presenters.for_case)
        casework_seams.case_timeline.plug(presenters.timeline)
        referrals_seams.journeys_for.plug(journeys.journeys_for)
