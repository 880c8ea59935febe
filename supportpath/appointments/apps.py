from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "supportpath.appointments"
    label = "appointments"
    verbose_name = "Appointments arranged ahead, with calendar invitations"

    def ready(self) -> None:
        from supportpath.audit.data_export import register_section
        from supportpath.core.home_panels import register_panel
        from supportpath.notifications.attachments import register_attachment

        from . import calendar, export, presenters

        register_attachment("appointment-ics", calendar.attachment)
        register_panel("appointments/_coming_up.jinja", presenters.coming_up_panel)
        register_section("appointments", "Your appointments arranged ahead", export.appointments, order=45)
