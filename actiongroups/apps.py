from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActiongroupsConfig(AppConfig):
    name = "actiongroups"
    verbose_name = _("Action groups")

    def ready(self):
        from coordination.chairs import register_group_panel

        from .dashboard import work_plan_panels

        register_group_panel("work_plan", work_plan_panels)
