"""Benchmark: the comment matrix of a consultation with 10,000 comments, as XLSX and CSV.

Run with `make bench` (a throw-away SQLite database unless DATABASE_URL is set). Prints the
seconds, the SQL queries and the peak Python memory of each export.
"""

import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

COMMENTS = int(os.environ.get("BENCH_COMMENTS", "10000"))


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    workdir = tempfile.mkdtemp(prefix="alliance87-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coordination import matrix
    from coordination.models import (
        Comment,
        Consultation,
        Document,
        DocumentVersion,
        Group,
        Membership,
        Organisation,
        Person,
    )
    from coordination.spreadsheets import table_csv
    from coordination.word import writing

    call_command("migrate", verbosity=0)
    group, _ = Group.objects.get_or_create(
        slug="bench", defaults={"name": "Bench group", "short_name": "Bench", "kind": "gcg"}
    )
    document = Document.objects.create(
        title=f"Bench {time.time()}", kind="report", owner_group=group
    )
    text = "\n\n".join(f"Paragraph {i}: " + "words " * 40 for i in range(1, 61))
    version = DocumentVersion.objects.create(document=document, number=1, text=text)
    now = datetime.datetime.now(datetime.UTC)
    consultation = Consultation.objects.create(
        version=version,
        audience=group,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=13),
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench org {now.timestamp()} {i}", kind="government") for i in range(200)
    )
    people = Person.objects.bulk_create(
        Person(full_name=f"Member {i}", organisation=organisations[i]) for i in range(200)
    )
    Membership.objects.bulk_create(
        Membership(person=p, group=group, constituency="government") for p in people
    )
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            author=people[i % 200],
            paragraph=str(i % 60 + 1),
            paragraph_key=str(i % 60 + 1).zfill(4),
            text="A considered comment on this paragraph, with a proposal. " * 4,
            disposition="noted" if i % 3 == 0 else "",
            reply="Noted, thank you." if i % 3 == 0 else "",
        )
        for i in range(COMMENTS)
    )
    consultation = Consultation.objects.select_related("version").get(pk=consultation.pk)
    print(f"Comment matrix of {COMMENTS:,} comments ({connection.vendor}):")

    def measure(label, export):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            size = export()
        seconds = time.perf_counter() - started
        tracemalloc.start()  # a second run for memory: tracing slows allocation down
        export()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {label}: {seconds:.2f} s, {len(queries)} queries, "
            f"peak Python memory {peak / 2**20:.1f} MiB, file {size / 2**20:.1f} MiB"
        )

    def xlsx():
        handle = matrix.matrix_xlsx(consultation)
        size = handle.seek(0, 2)
        handle.close()
        return size

    def csv_():
        rows = matrix.matrix_rows(consultation)
        return sum(len(line.encode()) for line in table_csv(matrix.COLUMNS, rows))

    def docx():
        handle = writing.matrix_docx(consultation)
        size = handle.seek(0, 2)
        handle.close()
        return size

    measure("XLSX", xlsx)
    measure("CSV ", csv_)
    measure("Word", docx)


if __name__ == "__main__":
    main()
