"""Pages of long lists whose count would cost more than the page itself.

The action item list of a GCG member holds 12,000 open items after ten years: counting them for
"page 1 of 252" reads every one of them on every page. CappedPaginator counts up to `cap` rows
and no further ("page 1 of 20+"); filters find what lies beyond.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        """Up to cap + 1 rows: one past the cap says that more exist."""
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def is_capped(self) -> bool:
        return self._counted > self.cap
