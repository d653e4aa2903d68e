"""An action group's work plan at a glance, on its chair's dashboard: a panel registered with
coordination.chairs (coordination does not import this app)."""

import dataclasses

from coordination.chairs import GroupPanel

from .models import ActionGroup, Activity

CURRENT_ACTIVITIES = 5


@dataclasses.dataclass
class WorkPlanGlance:
    action_group: ActionGroup
    counts: list[tuple[str, int]]  # (status label, how many), planned → done
    current: list[Activity]  # the first activities not done yet, in the work plan's order
    more: int  # current activities not listed


def work_plan_panels(groups) -> dict[int, GroupPanel]:
    """Two queries, whatever the number of groups."""
    action_groups = (
        ActionGroup.objects.filter(group__in=groups)
        .select_related("group", "work_plan_updated_by")
        .prefetch_related("activities")
    )
    return {
        ag.group_id: GroupPanel("actiongroups/includes/work_plan_panel.html", glance(ag))
        for ag in action_groups
    }


def glance(action_group: ActionGroup) -> WorkPlanGlance:
    activities = list(action_group.activities.all())
    current = [a for a in activities if a.status != Activity.Status.DONE]
    counts = [
        (label, sum(a.status == status for a in activities))
        for status, label in Activity.Status.choices
    ]
    return WorkPlanGlance(
        action_group=action_group,
        counts=[(label, n) for label, n in counts if n],
        current=current[:CURRENT_ACTIVITIES],
        more=max(0, len(current) - CURRENT_ACTIVITIES),
    )
