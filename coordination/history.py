"""Saving so that django-simple-history keeps the change, with who made it.

Services write through here rather than `QuerySet.update()`, which bypasses the history.
"""


def save_with_history(instance, fields: list[str] | None, *, by=None) -> None:
    """Saves only `fields` (all of a new object: None); the history row names `by`, else the
    request's user (middleware)."""
    if by is not None:
        instance._history_user = by
    instance.save(update_fields=fields)
