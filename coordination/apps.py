from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from . import caching, checks, reminder_kinds  # noqa: F401  (caching watches the writes,

        # checks registers the system checks)
        from .reminders import register

        register(reminder_kinds.ConsultationReminders())
        register(reminder_kinds.ActionItemReminders())
        register(reminder_kinds.MeetingReminders())
        register(reminder_kinds.EventReminders())
        register(reminder_kinds.LongOverdueReminders())
