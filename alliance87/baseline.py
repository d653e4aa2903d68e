"""The yardstick of `make bench-pages`: bare Django on this project's stack.

Fifty rows of the 100,000-row action item table in the base layout, in one query and nothing
else (no COUNT, no access rule, no login): what a page of this site could serve at best. Each
page's requests/s is read as a ratio of this view's, measured on the same machine in the same
run. Mounted only when BENCH_BASELINE is on (alliance87.urls).
"""

from django.shortcuts import render

from coordination.caching import keeps_nothing
from coordination.models import ActionItem


@keeps_nothing
def baseline(request):
    items = ActionItem.objects.only("pk", "title", "due_on").order_by("pk")[:50]
    return render(request, "bench/baseline.html", {"items": items})
