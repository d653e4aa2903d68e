from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .reminder_kinds import ActionItemReminders, ConsultationReminders
        from .reminders import register

        register(ConsultationReminders())
        register(ActionItemReminders())
