"""Ten years of a busy secretariat, grown on top of the demo: the data of `make bench-pages`.

    python bench/volume.py PATH_OR_DATABASE_URL

builds that database from nothing (migrate, the demo with its accounts, then `grow`): a SQLite
file for a path, PostgreSQL for a postgres:// URL (the database must exist and be empty).

The volume is the one the issue measured the pages at: 2,000 people in the GCG, 200 more
meetings, 100,000 action items owned by the GCG (one in eight still open), 500 comments on the
open Guidance Note consultation and 9,500 on the Terms of Reference, 200 pathfinder countries,
400 organisations, 30 groups, 1,000 document versions and 2,000 public submissions. Rows are
bulk-created (no history, no mail) from a seeded random generator, so two runs give the same
rows.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

SEED = 87
GCG_PEOPLE = 2_000
MEETINGS = 200
ACTION_ITEMS = 100_000
OPEN_SHARE = 8  # one item in eight is still open or in progress
GUIDANCE_NOTE_COMMENTS = 500
TERMS_OF_REFERENCE_COMMENTS = 9_500
PATHFINDERS = 200
ORGANISATIONS = 400
GROUPS = 30
DOCUMENT_VERSIONS = 1_000
VERSIONS_PER_DOCUMENT = 10
SUBMISSIONS = 2_000
BATCH = 2_000


def grow(*, seed: int = SEED, stdout=sys.stdout) -> dict[str, int]:
    """Adds the rows to a database that holds the demo; returns what it added, by kind."""
    from django.db import transaction

    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        added = {}
        orgs = _organisations(rng, added)
        groups, gcg = _groups(added)
        people = _gcg_people(rng, gcg, orgs, added)
        _other_memberships(rng, groups, people, added)
        meetings = _meetings(rng, gcg, added)
        _action_items(rng, gcg, meetings, added)
        _comments(rng, people, added)
        _document_versions(rng, groups, gcg, added)
        _pathfinders(rng, added)
        _submissions(rng, orgs, added)
    stdout.write(
        f"Grown in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{count:,} {kind}" for kind, count in added.items())
        + "\n"
    )
    return added


def _now():
    from django.utils import timezone

    return timezone.now()


def _organisations(rng, added):
    from coordination.models import Constituency, Organisation

    have = Organisation.objects.count()
    kinds = [choice for choice, _label in Constituency.choices]
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {n:03d}",
            acronym=f"ORG{n:03d}",
            kind=rng.choice(kinds),
            country=rng.choice(["FR", "KE", "BR", "IN", "US", "MG", "NG", "PH", "AR", "SE"]),
        )
        for n in range(have, ORGANISATIONS)
    )
    added["organisations"] = max(ORGANISATIONS - have, 0)
    return list(Organisation.objects.order_by("pk"))


def _groups(added):
    from coordination.models import Group

    have = Group.objects.count()
    Group.objects.bulk_create(
        Group(
            name=f"Working group {n:02d}",
            short_name=f"WG {n:02d}",
            slug=f"working-group-{n:02d}",
            kind=Group.Kind.OTHER,
        )
        for n in range(have, GROUPS)
    )
    added["groups"] = max(GROUPS - have, 0)
    return list(Group.objects.order_by("pk")), Group.objects.get(slug="gcg")


def _gcg_people(rng, gcg, orgs, added):
    from coordination.models import Constituency, Membership, Person

    people = Person.objects.bulk_create(
        (
            Person(
                full_name=f"Member {n:04d}",
                email=f"member{n:04d}@example.org",
                position="Adviser",
                organisation=rng.choice(orgs),
            )
            for n in range(GCG_PEOPLE)
        ),
        batch_size=BATCH,
    )
    kinds = [choice for choice, _label in Constituency.choices]
    Membership.objects.bulk_create(
        (Membership(person=person, group=gcg, constituency=rng.choice(kinds)) for person in people),
        batch_size=BATCH,
    )
    added["people in the GCG"] = len(people)
    return people


def _other_memberships(rng, groups, people, added):
    from coordination.models import Membership

    others = [group for group in groups if group.slug != "gcg"]
    memberships = [
        Membership(person=person, group=group)
        for group in others
        for person in rng.sample(people, 40)
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    added["other memberships"] = len(memberships)


def _meetings(rng, gcg, added):
    from django.db.models import Max

    from coordination.models import Meeting

    first = (Meeting.objects.filter(group=gcg).aggregate(Max("number"))["number__max"] or 0) + 1
    today = _now().date()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            group=gcg,
            number=number,
            city=rng.choice(["Geneva", "New York", "Nairobi", "Bangkok", "Lima"]),
            # ten years back, a meeting every two to three weeks; the last ones still to come
            starts_on=today - datetime.timedelta(days=(MEETINGS - 4 - n) * 18),
            ends_on=today - datetime.timedelta(days=(MEETINGS - 4 - n) * 18 - 1),
            status=Meeting.Status.HELD if n < MEETINGS - 4 else Meeting.Status.PLANNED,
            objective="Review progress on the action groups and the pathfinder countries.",
        )
        for n, number in enumerate(range(first, first + MEETINGS))
    )
    added["meetings"] = len(meetings)
    return meetings


def _action_items(rng, gcg, meetings, added):
    from coordination.models import ActionItem

    today = _now().date()
    Status = ActionItem.Status
    held = [meeting for meeting in meetings if meeting.status == meeting.Status.HELD]
    per_meeting = ACTION_ITEMS // len(held) + 1

    def item(n):
        meeting = held[min(n // per_meeting, len(held) - 1)]
        is_open = rng.randrange(OPEN_SHARE) == 0
        due_on = meeting.starts_on + datetime.timedelta(days=rng.randrange(14, 180))
        if is_open:  # open items: most due in the coming months, some overdue
            due_on = today + datetime.timedelta(days=rng.randrange(-60, 240))
        return ActionItem(
            title=f"Follow up point {n % per_meeting + 1} of meeting {meeting.number}",
            details="Circulate the draft to the members and collect their feedback.",
            meeting=meeting,
            order=n % per_meeting + 1,
            due_on=due_on,
            status=rng.choice(ActionItem.OPEN_STATUSES)
            if is_open
            else rng.choice([Status.DONE] * 9 + [Status.DROPPED]),
            created_at=datetime.datetime.combine(
                meeting.starts_on, datetime.time(12), tzinfo=datetime.UTC
            ),
        )

    items = ActionItem.objects.bulk_create((item(n) for n in range(ACTION_ITEMS)), batch_size=BATCH)
    ActionItem.owner_groups.through.objects.bulk_create(
        (ActionItem.owner_groups.through(actionitem=item, group=gcg) for item in items),
        batch_size=BATCH,
    )
    added["action items owned by the GCG"] = len(items)


def _comments(rng, people, added):
    from coordination.models import Comment, Consultation, paragraph_sort_key

    now = _now()
    guidance_note = Consultation.objects.get(
        version__document__title="Pathfinder Country Guidance Note",
        opens_at__lte=now,
        closes_at__gt=now,
    )
    terms = Consultation.objects.filter(
        version__document__title__startswith="Terms of Reference"
    ).earliest("opens_at")
    for consultation, count in [
        (guidance_note, GUIDANCE_NOTE_COMMENTS),
        (terms, TERMS_OF_REFERENCE_COMMENTS),
    ]:
        numbers = [paragraph.number for paragraph in consultation.version.paragraphs] + [""]
        span = (min(now, consultation.closes_at) - consultation.opens_at).total_seconds()

        def comment(n, consultation=consultation, numbers=numbers, span=span, count=count):
            paragraph = rng.choice(numbers)
            at = consultation.opens_at + datetime.timedelta(seconds=span * n / (count + 1))
            return Comment(
                consultation=consultation,
                author=rng.choice(people),
                paragraph=paragraph,
                paragraph_key=paragraph_sort_key(paragraph),
                text=f"Comment {n + 1}: suggest clarifying the roles of the focal points "
                "and the timeline for the national workshop in this paragraph.",
                created_at=at,
                updated_at=at,
            )

        Comment.objects.bulk_create((comment(n) for n in range(count)), batch_size=BATCH)
    added["comments"] = GUIDANCE_NOTE_COMMENTS + TERMS_OF_REFERENCE_COMMENTS


def _document_versions(rng, groups, gcg, added):
    from coordination.models import Document, DocumentVersion

    now = _now()
    documents = Document.objects.bulk_create(
        Document(
            title=f"Briefing paper {n:03d}",
            kind=rng.choice([Document.Kind.REPORT, Document.Kind.CONCEPT_NOTE]),
            owner_group=gcg if n % 2 else rng.choice(groups),
            created_at=now - datetime.timedelta(days=3650 - n * 36),
        )
        for n in range(DOCUMENT_VERSIONS // VERSIONS_PER_DOCUMENT)
    )
    text = "\n\n".join(
        f"{n}. The action group reports on its activities and the next steps." for n in range(1, 30)
    )
    DocumentVersion.objects.bulk_create(
        (
            DocumentVersion(
                document=document,
                number=number,
                text=text,
                status=DocumentVersion.Status.SHARED
                if number == VERSIONS_PER_DOCUMENT
                else DocumentVersion.Status.SUPERSEDED,
                created_at=document.created_at + datetime.timedelta(days=number * 3),
                shared_at=document.created_at + datetime.timedelta(days=number * 3),
            )
            for document in documents
            for number in range(1, VERSIONS_PER_DOCUMENT + 1)
        ),
        batch_size=BATCH,
    )
    added["document versions"] = len(documents) * VERSIONS_PER_DOCUMENT


def _pathfinders(rng, added):
    from django_countries import countries

    from pathfinders.models import PathfinderCountry, Stage

    have = set(PathfinderCountry.objects.values_list("country", flat=True))
    codes = [code for code, _name in countries if code not in have][: PATHFINDERS - len(have)]
    stages = [stage for stage, _label in Stage.choices]
    PathfinderCountry.objects.bulk_create(
        PathfinderCountry(
            country=code,
            stage=rng.choice(stages),
            focus_child_labour=rng.random() < 0.6,
            focus_forced_labour=rng.random() < 0.6,
            focus_human_trafficking=rng.random() < 0.5,
            focus_modern_slavery=rng.random() < 0.4,
            is_public=rng.random() < 0.8,
        )
        for code in codes
    )
    added["pathfinder countries"] = len(codes)


def _submissions(rng, orgs, added):
    from actiongroups.models import PartnerApplication
    from coordination.models import Constituency, SubmissionStatus
    from pathfinders.models import InterestSubmission

    now = _now()
    statuses = [status for status, _label in SubmissionStatus.choices]
    interest = InterestSubmission.objects.bulk_create(
        InterestSubmission(
            submitted_at=now - datetime.timedelta(hours=n * 30),
            status=rng.choice(statuses),
            country=rng.choice(["KE", "BR", "IN", "PH", "AR", "GH", "VN", "PE"]),
            institution="Ministry of Labour",
            contact_name=f"Contact {n}",
            email=f"contact{n}@example.gov",
            focus_child_labour=True,
            message="Our government would like to become a pathfinder country.",
            consent_to_contact=True,
        )
        for n in range(SUBMISSIONS // 2)
    )
    kinds = [choice for choice, _label in Constituency.choices]
    partners = PartnerApplication.objects.bulk_create(
        PartnerApplication(
            submitted_at=now - datetime.timedelta(hours=n * 30 + 7),
            status=rng.choice(statuses),
            organisation_name=f"Applicant {n}",
            kind=rng.choice(kinds),
            contact_name=f"Applicant contact {n}",
            email=f"applicant{n}@example.org",
            commitment="We commit to share data on child labour in our supply chains.",
        )
        for n in range(SUBMISSIONS - len(interest))
    )
    added["public submissions"] = len(interest) + len(partners)


def build(target: str) -> None:
    """migrate, the demo (with its accounts) and `grow`, into `target` (a path or a URL)."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ["DATABASE_URL"] = (
        target if "://" in target else f"sqlite:///{Path(target).resolve()}"
    )
    os.environ["DEBUG"] = "1"  # the demo's accounts are loaded only while DEBUG is on
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    grow()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(sys.argv[1])
