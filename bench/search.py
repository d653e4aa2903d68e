"""The search page's time and queries, on the demo or on a grown database.

    python bench/search.py PATH_OR_DATABASE_URL [ACTION_ITEMS]

builds that database from nothing as bench/volume.py does (migrate, the demo, then `grow` with
ACTION_ITEMS action items instead of 100,000; 0 keeps the demo alone), then asks the search
page for a few searches as the bench's member and secretariat officer: the median of five
requests in this process (DEBUG off, no fragment kept) and the page's queries.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import volume  # noqa: E402

SEARCHES = ["DFID", "inaugural", "Geneva", "workshop", '"terms of reference"', "feedback"]
# "feedback" is in every one of the grown action items: the search ranks them all
RUNS = 5


def measure() -> list[tuple]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coordination.models import User

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.FRAGMENT_CACHE_SECONDS = 0
    rows = []
    for role, (email, _password) in volume.ACCOUNTS.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for text in SEARCHES:
            client.get(reverse("search"), {"q": text})  # warm-up
            times = []
            for _run in range(RUNS):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(reverse("search"), {"q": text})
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            hits = response.content.decode().count('<li class="mb-3">')
            rows.append((role, text, statistics.median(times), len(queries), hits))
    return rows


def main(target: str, items: int) -> None:
    volume.ACTION_ITEMS = items
    if not items:  # the demo, with the bench's two accounts
        volume.grow = lambda **kwargs: volume._accounts({})
    volume.build(target)
    from django.db import connection

    from coordination.models import ActionItem

    print(f"{connection.vendor}, {ActionItem.objects.count():,} action items")
    print("| reader | search | median | queries | hits shown |")
    print("| --- | --- | ---: | ---: | ---: |")
    for role, text, ms, queries, hits in measure():
        print(f"| {role} | {text} | {ms:.0f} ms | {queries} | {hits} |")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 10_000)
