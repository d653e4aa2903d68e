"""Operations on the pathfinder pipeline. Every stage change is timestamped and attributed."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import PathfinderCountry, StageChange


def pathfinder_stage_change(
    *,
    country: PathfinderCountry,
    stage: str,
    by=None,
    at: datetime.datetime | None = None,
    note: str = "",
    is_first: bool = False,
) -> StageChange:
    """Moves a country to a stage (forwards or back) and records it in the timeline.

    is_first: the country was just created at this stage; the timeline starts here.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = PathfinderCountry.objects.select_for_update().get(pk=country.pk)
        change = StageChange(
            country=locked,
            from_stage="" if is_first else locked.stage,
            to_stage=stage,
            changed_at=at,
            changed_by=by,
            note=note,
        )
        change.full_clean()
        change.save()
        locked.stage = stage
        locked.stage_changed_at = at
        locked.save(update_fields=["stage", "stage_changed_at"])
    country.stage, country.stage_changed_at = stage, at
    return change
