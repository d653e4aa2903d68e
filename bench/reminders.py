"""Benchmark: one reminder sweep over 100,000 action items owned by 10,000 people.

Run with `make bench` (a throw-away SQLite database unless DATABASE_URL is set). Mail goes
over one SMTP connection per batch to a local sink (aiosmtpd on 127.0.0.1). Prints the
seconds, the SQL queries and the emails per second.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000"))


def main():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    workdir = tempfile.mkdtemp(prefix="alliance87-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().__enter__()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{sink.port}"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coordination.models import ActionItem, Person, Reminder
    from coordination.reminders import reminders_record, sweep

    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    people = Person.objects.bulk_create(
        Person(full_name=f"Owner {i}", email=f"owner{stamp}-{i}@example.org") for i in range(PEOPLE)
    )
    today = timezone.localdate()
    created = timezone.now() - datetime.timedelta(days=400)
    items = ActionItem.objects.bulk_create(
        (
            ActionItem(
                title=f"Action {i}",
                due_on=today + datetime.timedelta(days=(i % 220) - 20),
                created_at=created,
            )
            for i in range(ITEMS)
        ),
        batch_size=5000,
    )
    ActionItem.owner_people.through.objects.bulk_create(
        (
            ActionItem.owner_people.through(actionitem=item, person=people[i % PEOPLE])
            for i, item in enumerate(items)
        ),
        batch_size=5000,
    )
    print(
        f"Reminder sweep over {ITEMS:,} action items and {PEOPLE:,} people ({connection.vendor}):"
    )
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        due = reminders_record(now)
        recorded = time.perf_counter() - started
    print(f"  finding and recording what is due: {due:,} reminders in {recorded:.1f} s, "
          f"{len(queries)} queries")  # fmt: skip
    started = time.perf_counter()
    totals = sweep(now)
    seconds = time.perf_counter() - started
    received = len(sink.recipients())
    print(f"  sending: {totals['sent']:,} emails in {seconds:.1f} s "
          f"({totals['sent'] / seconds:,.0f} emails/s, one SMTP connection per batch of 200); "
          f"{received:,} at the sink")  # fmt: skip
    assert received == totals["sent"] == Reminder.objects.filter(sent_at__isnull=False).count()
    sink.__exit__()


if __name__ == "__main__":
    main()
