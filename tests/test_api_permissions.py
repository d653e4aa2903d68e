"""Who sees what through the API: every endpoint × every kind of reader, as the site's table
(tests/test_permissions.py) says it for the pages.

The readers: anonymous; an account with no membership; a GCG member (group A); a member of the
Supply Chain Action Group (group B); that group's chair, who is not in the GCG; the
secretariat; a GCG member whose account is deactivated, with a token made before. Each reads
through a personal token, then again through the site's session.

A record a reader may not see is a 404, as on the site; an account in no group gets a 403, as
on the members' pages; anonymous and deactivated readers get a 401. Every route of the API
needs a row: a new one without a row fails the test.
"""

import dataclasses
import datetime
import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.services import token_create
from coordination import consultations
from coordination.models import (
    ActionItem,
    Comment,
    Consultation,
    Document,
    Event,
    Group,
    Person,
)
from pathfinders.models import PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous", "no membership", "GCG member", "supply chains member", "supply chains chair",
    "secretariat", "deactivated",
)  # fmt: skip

#              anon, no membership, GCG, SC member, SC chair, secretariat, deactivated
# A token that no longer works is refused even where no token is needed; the deactivated
# account's session is simply no session (Django signs it out).
TOKEN_REFUSED = "401 with the token, 200 with the session"
PUBLIC = (200,) * 6 + (TOKEN_REFUSED,)
MEMBERS = (401, 403, 200, 200, 200, 200, 401)
GCG_ONLY = (401, 403, 200, 404, 404, 200, 401)
SC_ONLY = (401, 403, 404, 200, 200, 200, 401)
SECRETARIAT_ONLY = (401, 403, 404, 404, 404, 200, 401)
NOBODY = (401, 403, 404, 404, 404, 404, 401)
READ_ONLY = (401, 403, 405, 405, 405, 405, 401)  # a write, by whoever may read

# Who reads a text in the answer (the answer's status aside).
BY_GCG = (False, False, True, False, False, True, False)
BY_SC = (False, False, False, True, True, True, False)
BY_MEMBERS = (False, False, True, True, True, True, False)
BY_SC_MEMBER = (False, False, False, True, False, True, False)  # and the secretariat
BY_SC_CHAIR = (False, False, False, False, True, True, False)  # and the secretariat
BY_SECRETARIAT = (False, False, False, False, False, True, False)
BY_NOBODY = (False,) * 7


@dataclasses.dataclass
class Case:
    name: str
    args: tuple
    expected: tuple
    method: str = "get"
    shows: list = dataclasses.field(default_factory=list)  # [(text, who reads it), ...]

    @property
    def url(self) -> str:
        return reverse(f"api:{self.name}", args=self.args)


def get(name, *args, expect, shows=None):
    return Case(name, args, expect, shows=shows or [])


def write(method, name, *args):
    return Case(name, args, READ_ONLY, method=method)


@pytest.fixture
def world(demo):
    """The demo, and for the Supply Chain Action Group what the GCG has: a meeting with an
    agenda, a decision and action points, events, a consultation (comments private) with its
    member's and chair's comments. Plus a hidden pathfinder country with a focal point, an
    event told to every member, and a disposition not yet published."""
    supply_chains = Group.objects.get(slug="supply-chains")
    sc_member = factories.UserFactory(email="sc-member@example.org")
    factories.MembershipFactory(
        person__user=sc_member, person__email=sc_member.email, group=supply_chains
    )
    meeting = factories.MeetingFactory(group=supply_chains, number=1, city="Lima")
    agenda = factories.AgendaItemFactory(meeting=meeting, order=1, title="Mapping the chains")
    factories.DecisionFactory(meeting=meeting, agenda_item=agenda, text="Adopt the mapping.")
    sc_item = factories.ActionItemFactory(meeting=meeting, title="Map the cocoa supply chain")
    gcg_person = Person.objects.get(user=demo["member"])
    named_item = factories.ActionItemFactory(meeting=meeting, title="Brief the GCG on cocoa")
    named_item.owner_people.add(gcg_person)  # named: the GCG member sees it too
    sc_event = factories.EventFactory(title="Supply chain summit")
    sc_event.notify_groups.add(supply_chains)
    every_member = factories.EventFactory(title="Open day for every member")
    note_consultation = Consultation.objects.get(version__document__kind="guidance_note")
    gcg_comment = consultations.comment_submit(
        consultation=note_consultation, author=gcg_person, paragraph="1", text="Name the ILO."
    )
    Comment.objects.filter(pk=gcg_comment.pk).update(
        disposition="accepted", reply="Done in version 3, thank you."
    )
    sc_consultation = Consultation.objects.get(version__document__kind="concept_note")
    sc_consultation.comments_private = True
    sc_consultation.opens_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    sc_consultation.closes_at = datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
    sc_consultation.save()
    for user, text in ((sc_member, "The member's word."), (demo["chair"], "The chair's word.")):
        consultations.comment_submit(
            consultation=sc_consultation,
            author=Person.objects.get(user=user),
            paragraph="",
            text=text,
        )
    madagascar = PathfinderCountry.objects.get(country="MG")
    madagascar.focal_point = Person.objects.create(full_name="Ravo Rakoto", email="r@example.mg")
    madagascar.notes = "Call the office of the minister first."
    madagascar.save()
    PathfinderCountry.objects.filter(country="PE").update(is_public=False)
    deactivated = factories.UserFactory(email="left@example.org")
    factories.MembershipFactory(  # in the GCG
        person__user=deactivated, person__email=deactivated.email, group=demo["meeting"].group
    )
    readers = {
        "anonymous": None,
        "no membership": factories.UserFactory(email="nobody@example.org"),
        "GCG member": demo["member"],
        "supply chains member": sc_member,
        "supply chains chair": demo["chair"],
        "secretariat": demo["secretariat"],
        "deactivated": deactivated,
    }
    keys = {
        role: token_create(user=user, name="Matrix", lifetime=datetime.timedelta(days=30))[1]
        for role, user in readers.items()
        if user
    }
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    return {
        **demo,
        "readers": readers,
        "keys": keys,
        "sc_meeting": meeting,
        "sc_item": sc_item,
        "named_item": named_item,
        "sc_event": sc_event,
        "every_member": every_member,
        "note_consultation": note_consultation,
        "sc_consultation": sc_consultation,
    }


def cases(world) -> list[Case]:
    meeting, sc_meeting = world["meeting"], world["sc_meeting"]
    gcg_item = ActionItem.objects.get(meeting=meeting, order=1)
    tor = Document.objects.get(kind="terms_of_reference")
    concept_note = Document.objects.get(kind="concept_note")
    tor_v1 = tor.versions.get(number=1)
    concept_v1 = concept_note.versions.get(number=1)
    hlpf = Event.objects.get(title="High Level Political Forum")
    note_consultation, sc_consultation = world["note_consultation"], world["sc_consultation"]
    return [
        # --- the schema and its page: they describe, hold no data
        get("schema", expect=PUBLIC),
        get("docs", expect=PUBLIC),
        # --- meetings
        get(
            "meeting-list",
            expect=MEMBERS,
            shows=[(meeting.title, BY_GCG), (sc_meeting.title, BY_SC)],
        ),
        get(
            "meeting-detail",
            meeting.pk,
            expect=GCG_ONLY,
            shows=[(gcg_item.title, BY_GCG)],
        ),
        get(
            "meeting-detail",
            sc_meeting.pk,
            expect=SC_ONLY,
            shows=[
                ("Mapping the chains", BY_SC),
                ("Adopt the mapping.", BY_SC),
                (world["sc_item"].title, BY_SC),
                (world["named_item"].title, BY_SC),
            ],
        ),
        get("meeting-detail", 999999, expect=NOBODY),
        write("post", "meeting-list"),
        write("put", "meeting-detail", meeting.pk),
        write("delete", "meeting-detail", meeting.pk),
        # --- documents and versions
        get(
            "document-list",
            expect=MEMBERS,
            shows=[(tor.title, BY_GCG), (concept_note.title, BY_SC)],
        ),
        get("document-detail", tor.pk, expect=GCG_ONLY, shows=[(tor.title, BY_GCG)]),
        get("document-detail", concept_note.pk, expect=SC_ONLY),
        get("document-detail", 999999, expect=NOBODY),
        write("post", "document-list"),
        write("patch", "document-detail", tor.pk),
        get(
            "version-list",
            expect=MEMBERS,
            shows=[(tor.title, BY_GCG), (concept_note.title, BY_SC)],
        ),
        get("version-detail", tor_v1.pk, expect=GCG_ONLY, shows=[(tor_v1.text[:40], BY_GCG)]),
        get("version-detail", concept_v1.pk, expect=SC_ONLY),
        get("version-detail", 999999, expect=NOBODY),
        write("post", "version-list"),
        write("delete", "version-detail", tor_v1.pk),
        # --- action items: the groups' meetings', and those that name the reader
        get(
            "action-item-list",
            expect=MEMBERS,
            shows=[
                (gcg_item.title, BY_GCG),
                (world["sc_item"].title, BY_SC),
                (world["named_item"].title, BY_MEMBERS),  # GCG member: named
            ],
        ),
        get("action-item-detail", gcg_item.pk, expect=GCG_ONLY),
        get("action-item-detail", world["sc_item"].pk, expect=SC_ONLY),
        get("action-item-detail", world["named_item"].pk, expect=MEMBERS),
        get("action-item-detail", 999999, expect=NOBODY),
        write("post", "action-item-list"),
        write("patch", "action-item-detail", gcg_item.pk),
        # --- consultations, with the comments the reader may see
        get(
            "consultation-list",
            expect=MEMBERS,
            shows=[
                (note_consultation.version.document.title, BY_GCG),
                (concept_note.title, BY_SC),
                ("Name the ILO.", BY_NOBODY),  # comments: on the detail only
            ],
        ),
        get(
            "consultation-detail",
            note_consultation.pk,
            expect=GCG_ONLY,
            shows=[
                ("Name the ILO.", BY_GCG),
                ("Done in version 3", BY_SECRETARIAT),  # not yet published
            ],
        ),
        get(
            "consultation-detail",
            sc_consultation.pk,
            expect=SC_ONLY,
            shows=[  # comments private to the secretariat: each member reads their own
                ("The member's word.", BY_SC_MEMBER),
                ("The chair's word.", BY_SC_CHAIR),
            ],
        ),
        get("consultation-detail", 999999, expect=NOBODY),
        write("post", "consultation-list"),
        write("put", "consultation-detail", note_consultation.pk),
        # --- pathfinder countries: the members' list (the public pages stay the public's)
        get(
            "pathfinder-country-list",
            expect=MEMBERS,
            shows=[
                ("Madagascar", BY_MEMBERS),
                ("Peru", BY_SECRETARIAT),  # not marked public
                ("Ravo Rakoto", BY_SECRETARIAT),
            ],
        ),
        get(
            "pathfinder-country-detail",
            "MG",
            expect=MEMBERS,
            shows=[
                ("Workshop held", BY_MEMBERS),
                ("Ravo Rakoto", BY_SECRETARIAT),
                ("office of the minister", BY_SECRETARIAT),
            ],
        ),
        get("pathfinder-country-detail", "PE", expect=SECRETARIAT_ONLY),
        get("pathfinder-country-detail", "ZZ", expect=NOBODY),
        write("post", "pathfinder-country-list"),
        write("delete", "pathfinder-country-detail", "MG"),
        # --- events: those told to the reader's groups, and those told to no group
        get(
            "event-list",
            expect=MEMBERS,
            shows=[
                (hlpf.title, BY_GCG),
                (world["sc_event"].title, BY_SC),
                (world["every_member"].title, BY_MEMBERS),
            ],
        ),
        get("event-detail", hlpf.pk, expect=GCG_ONLY),
        get("event-detail", world["sc_event"].pk, expect=SC_ONLY),
        get("event-detail", world["every_member"].pk, expect=MEMBERS),
        get("event-detail", 999999, expect=NOBODY),
        write("post", "event-list"),
        write("patch", "event-detail", hlpf.pk),
    ]


def texts(value) -> list[str]:
    """Every string in a parsed JSON answer."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return [value] if isinstance(value, str) else []


def reader_client(world, role: str, door: str) -> Client:
    if role == "anonymous":
        return Client()
    if door == "token":
        return Client(HTTP_AUTHORIZATION=f"Token {world['keys'][role]}")
    client = Client()
    client.force_login(world["readers"][role])
    return client


def api_route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_route_of_the_api_has_a_row(world):
    names = api_route_names()
    assert {"meeting-list", "event-detail", "schema", "docs"} <= names
    missing = names - {case.name for case in cases(world)}
    assert not missing, f"API routes without a row: {sorted(missing)}"


@pytest.mark.parametrize("door", ["token", "session"])
def test_who_sees_what_through_the_api(world, door):
    """Each row × each reader; writes are refused and change nothing."""
    failures = []
    table = cases(world)
    for case in table:
        for column, role in enumerate(ROLES):
            client = reader_client(world, role, door)
            response = getattr(client, case.method)(case.url)
            expected = case.expected[column]
            if expected == TOKEN_REFUSED:
                expected = 401 if door == "token" else 200
            if response.status_code != expected:
                failures.append(
                    f"{case.method.upper()} {case.url} as {role}: {response.status_code}, "
                    f"expected {expected}"
                )
                continue
            if case.name in ("docs", "schema"):
                continue  # a page and YAML (tests/test_api.py reads them)
            data = json.loads(response.content)  # every answer is JSON, errors too
            if expected != 200:
                assert "detail" in data, (case.url, role)
            found = " ".join(texts(data)) if expected == 200 else ""
            for text, readers in case.shows:
                if (text in found) != readers[column]:
                    seen = "reads" if text in found else "does not read"
                    failures.append(f"GET {case.url} as {role} {seen} “{text}”")
    assert not failures, "\n".join(failures)
    print(f"{len(table)} rows × {len(ROLES)} readers = {len(table) * len(ROLES)} cases ({door})")
