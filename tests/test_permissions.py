"""Who sees what, as the README's table says it: every URL of the site × every kind of visitor.

The visitors: anonymous; an account with no membership; a staff account without any admin
permission (and no membership); the chair of the Supply Chain Action Group, who is not in the
GCG (for GCG papers, "a member of another group"); a GCG member; the secretariat.

A page a visitor may not see answers 403 (a members' or secretariat's page) or 404 (an object
outside their groups: no leak that it exists), or sends an anonymous visitor to the login page.
A POST by a visitor who may not make it changes nothing in the database and sends no email.
Every named URL of the site needs a row here: a new URL without one fails the test.
"""

import dataclasses
import datetime
import importlib
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group as AuthGroup
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actiongroups.models import ActionGroup
from api.services import token_create
from coordination import consultations, reminders, selectors
from coordination.models import (
    SECRETARIAT_GROUP,
    ActionItem,
    Comment,
    Consultation,
    Document,
    Event,
    Group,
    Person,
    User,
)
from coordination.services import public_submission_notify
from pathfinders.models import InterestSubmission, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "no membership", "staff only", "other group", "GCG member", "secretariat")

LOGIN = "login page"  # anonymous: sent to the login page
ADMIN_LOGIN = "admin login page"
REFUSED = {LOGIN, ADMIN_LOGIN, 403, 404, 405}

#        anonymous, no membership, staff only, other group (chair), GCG member, secretariat
PUBLIC = (200, 200, 200, 200, 200, 200)
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)
MEMBERS = (LOGIN, 403, 403, 200, 200, 200)  # the members' pages
GCG_ONLY = (LOGIN, 404, 404, 404, 200, 200)
SUPPLY_CHAINS_ONLY = (LOGIN, 404, 404, 200, 404, 200)
SECRETARIAT = (LOGIN, 403, 403, 403, 403, 200)
NOBODY = (LOGIN, 404, 404, 404, 404, 404)
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405)  # a GET of a form's target
SECRETARIAT_POST = (LOGIN, 403, 403, 403, 403, 302)
CHAIRS = (LOGIN, 403, 403, 200, 403, 200)  # the Supply Chain AG's chair and the secretariat
CHAIRS_POST = (LOGIN, 403, 403, 302, 403, 302)

# Who reads a text on a page (the page's answer aside).
BY_GCG = (False, False, False, False, True, True)
BY_SUPPLY_CHAINS = (False, False, False, True, False, True)
BY_MEMBERS = (False, False, False, True, True, True)
BY_SECRETARIAT = (False, False, False, False, False, True)
BY_CHAIRS = (False, False, False, True, False, True)  # of the Supply Chain AG, and the secretariat
BY_CHAIR = (False, False, False, True, False, False)  # the Supply Chain AG's chair only
BY_NOBODY = (False,) * 6
BY_NON_MEMBERS = (False, True, True, False, False, False)  # signed in, in no group
BY_EVERYONE = (True,) * 6

# Not the site's own pages: the admin (its own permissions), and Django's public account pages
# (they have rows all the same).
SKIPPED_NAMESPACES = {"admin", "api"}  # the API: its own table, tests/test_api_permissions.py
SKIPPED_PREFIXES = ()
PUBLIC_AUTH_VIEWS = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


@dataclasses.dataclass
class Case:
    name: str
    args: tuple
    expected: tuple
    method: str = "get"
    data: dict | None = None
    shows: list = dataclasses.field(default_factory=list)  # [(text, who reads it), ...]

    @property
    def url(self) -> str:
        return reverse(self.name, args=self.args)


def get(name, *args, expect, shows=None):
    return Case(name, args, expect, shows=shows or [])


def post(name, *args, expect, data=None):
    return Case(name, args, expect, method="post", data=data or {})


def cases(demo) -> list[Case]:
    """The rows. Adds to the demo what they need: an event told to no group in particular, a
    focal point and notes for Madagascar, a comment by the GCG member, Peru taken off the public
    page."""
    meeting = demo["meeting"]
    gcg_item = ActionItem.objects.get(meeting=meeting, order=1)  # owned by the GCG
    secretariat_item = ActionItem.objects.get(meeting=meeting, order=3)  # by the Secretariat
    tor = Document.objects.get(kind="terms_of_reference")
    concept_note = Document.objects.get(kind="concept_note")
    note = Document.objects.get(kind="guidance_note")
    consultation = Consultation.objects.get(version__document=note)  # open, for the GCG
    tor_comment = Comment.objects.filter(consultation__version__document=tor).first()
    member = Person.objects.get(user=demo["member"])
    chair = Person.objects.get(user=demo["chair"])
    Event.objects.create(title="Open day for every member", starts_on=datetime.date(2031, 5, 1))
    madagascar = PathfinderCountry.objects.get(country="MG")
    madagascar.focal_point = Person.objects.create(
        full_name="Ravo Rakoto", position="Director", email="ravo@example.mg"
    )
    madagascar.notes = "Call the office of the minister first."
    madagascar.save()
    report = madagascar.workshops.get(report_annex__isnull=False).report_annex  # a GCG annex
    own_comment = consultations.comment_submit(
        consultation=consultation, author=member, paragraph="1", text="The member's comment."
    )
    hidden = PathfinderCountry.objects.get(country="PE")
    hidden.is_public = False
    hidden.save(update_fields=["is_public"])
    ghana = InterestSubmission.objects.get(country="GH")
    activity = ActionGroup.objects.get(group__slug="supply-chains").activities.first()
    activity_data = {"title": "Mapping", "kind": "research", "status": "underway"}
    unsubscribe = reminders.unsubscribe_url(member, "*").rsplit("/", 2)[-2]
    member_token, _key = token_create(
        user=demo["member"], name="Spreadsheet", lifetime=datetime.timedelta(days=30)
    )
    comment_data = {"paragraph": "2", "text": "A comment.", "submission_key": uuid.uuid4()}
    return [
        # --- public pages
        get("home", expect=(200, 302, 302, 302, 302, 302)),  # signed in: on to the dashboard
        get("login", expect=PUBLIC),
        get("logout", expect=(405,) * 6),  # POST only
        get("password_reset", expect=PUBLIC),
        get("password_reset_done", expect=PUBLIC),
        get("password_reset_confirm", "MQ", "bad-token", expect=PUBLIC),  # says the link is bad
        get("password_reset_complete", expect=PUBLIC),
        get("invitation_accept", "MQ", "bad-token", expect=PUBLIC),
        get("interest_form", expect=PUBLIC),
        get("interest_thanks", expect=PUBLIC),
        get("partner_form", expect=PUBLIC),
        get("partner_thanks", expect=PUBLIC),
        get("pathfinder_public", expect=PUBLIC, shows=[(madagascar.get_public_url(), BY_EVERYONE)]),
        get(
            "pathfinder_public_detail",
            "MG",
            expect=PUBLIC,
            shows=[
                ("Workshop held", BY_EVERYONE),
                ("Ravo Rakoto", BY_NOBODY),  # the public facts only: the stage, no contact
                ("office of the minister", BY_NOBODY),
                (report.title, BY_NOBODY),
            ],
        ),
        get("pathfinder_public_detail", hidden.country.code, expect=(404,) * 6),  # not public
        get("pathfinder_public_detail", "ZZ", expect=(404,) * 6),
        get("set_language", expect=(405,) * 6),  # POST only
        post("set_language", expect=(302,) * 6, data={"language": "fr", "next": "/"}),
        get("unsubscribe", "forged", expect=(404,) * 6),
        post("unsubscribe", "forged", expect=(404,) * 6),
        get("unsubscribe", unsubscribe, expect=PUBLIC),  # the signed link is the key
        get("calendar_feed", uuid.uuid4(), expect=(404,) * 6),
        get("calendar_feed", member.calendar_key, expect=PUBLIC),  # the secret address is the key
        get("calendar_key_new", expect=(LOGIN, 405, 405, 405, 405, 405)),  # POST only
        # --- every signed-in account
        get(
            "dashboard",
            expect=SIGNED_IN,
            shows=[
                ("Your account is not part of any group yet", BY_NON_MEMBERS),
                (reverse("event_list"), BY_MEMBERS),  # the navigation
                (reverse("pathfinder_board"), BY_SECRETARIAT),
                (reverse("person_invite"), BY_SECRETARIAT),
                ("The groups I chair", BY_CHAIR),
            ],
        ),
        get("preferences", expect=SIGNED_IN),
        post(
            "preferences",
            expect=(LOGIN, 302, 302, 302, 302, 302),  # one's own preferences
            data={
                "account-language": "fr",
                "account-time_zone": "Europe/Paris",
                "mail-notification_delivery": "daily",
            },
        ),
        get("api_token_create", expect=(LOGIN, 405, 405, 405, 405, 405)),
        post(
            "api_token_create",
            expect=(LOGIN, 200, 200, 200, 200, 200),  # one's own token, shown on the answer
            data={"name": "Reporting", "lifetime": "365"},
        ),
        get("api_token_revoke", member_token.token_key, expect=POST_ONLY),
        post(
            "api_token_revoke",
            member_token.token_key,
            expect=(LOGIN, 404, 404, 404, 302, 404),  # its owner (others: in the admin)
        ),
        get("password_change", expect=SIGNED_IN),
        get("password_change_done", expect=SIGNED_IN),
        # --- members: meetings, annexes, action items
        get("meeting_list", expect=MEMBERS, shows=[(meeting.title, BY_GCG)]),
        get("group_meetings", "gcg", expect=GCG_ONLY),
        get("group_meetings", "supply-chains", expect=SUPPLY_CHAINS_ONLY),
        get("meeting_export", "csv", expect=MEMBERS),
        get("meeting_export", "xlsx", expect=MEMBERS),
        get("group_meeting_export", "gcg", "csv", expect=GCG_ONLY),
        get("group_meeting_export", "supply-chains", "xlsx", expect=SUPPLY_CHAINS_ONLY),
        get(
            "meeting_detail",
            meeting.pk,
            expect=GCG_ONLY,
            shows=[
                (reverse("meeting_report_pdf", args=[meeting.pk]), BY_GCG),
                (reverse("participants_xlsx", args=[meeting.pk]), BY_GCG),
            ],
        ),
        get("meeting_report_pdf", meeting.pk, expect=GCG_ONLY),
        get("meeting_report_pdf", 999999, expect=NOBODY),
        get("participants_pdf", meeting.pk, expect=GCG_ONLY),
        get("participants_xlsx", meeting.pk, expect=GCG_ONLY),
        get("participants_xlsx", 999999, expect=NOBODY),
        get("meeting_detail", 999999, expect=NOBODY),
        get("annex_download", meeting.pk, 1, expect=GCG_ONLY),
        get("annex_download", meeting.pk, 9, expect=NOBODY),
        get("action_item_list", expect=MEMBERS, shows=[(gcg_item.title, BY_GCG)]),
        get("action_item_export", "csv", expect=MEMBERS),
        get("action_item_export", "xlsx", expect=MEMBERS),
        get("action_item_detail", gcg_item.pk, expect=GCG_ONLY),
        get("action_item_status", gcg_item.pk, expect=POST_ONLY),
        post(
            "action_item_status",
            gcg_item.pk,  # owned by the GCG: its chairs and the secretariat, not every member
            expect=(LOGIN, 404, 404, 404, 403, 302),
            data={"status": "done", "note": "Feedback sent.", "confirm": "1"},
        ),
        post(
            "action_item_status",
            gcg_item.pk,  # the page asking to confirm
            expect=(LOGIN, 404, 404, 404, 403, 200),
            data={"status": "done", "note": "Feedback sent."},
        ),
        post(
            "action_item_status",
            secretariat_item.pk,
            expect=(LOGIN, 404, 404, 404, 403, 302),  # seen by the GCG, changed by its owner
            data={"status": "done", "note": "Sent.", "confirm": "1"},
        ),
        # --- members: documents and consultations
        get(
            "document_list",
            expect=MEMBERS,
            shows=[(tor.title, BY_GCG), (concept_note.title, BY_SUPPLY_CHAINS)],
        ),
        get("document_detail", tor.pk, expect=GCG_ONLY),
        get("document_detail", concept_note.pk, expect=SUPPLY_CHAINS_ONLY),
        get("version_detail", tor.pk, 1, expect=GCG_ONLY),
        get("version_detail", concept_note.pk, 1, expect=SUPPLY_CHAINS_ONLY),
        get("version_docx", tor.pk, 1, expect=GCG_ONLY),
        get("version_docx", concept_note.pk, 1, expect=SUPPLY_CHAINS_ONLY),
        get("version_diff", tor.pk, expect=GCG_ONLY),
        get("consultation_detail", consultation.pk, expect=GCG_ONLY),
        get("comment_create", consultation.pk, expect=POST_ONLY),
        post(
            "comment_create",
            consultation.pk,
            expect=(LOGIN, 404, 404, 404, 302, 302),  # the audience (the GCG)
            data=comment_data,
        ),
        get(
            "comments_from_word",
            consultation.pk,
            expect=GCG_ONLY,  # the audience (the GCG: this secretariat officer is in it)
        ),
        post(
            "comments_from_word",
            consultation.pk,
            expect=(LOGIN, 404, 404, 404, 400, 400),  # no file: the audience is told so
        ),
        get("comment_edit", tor_comment.consultation_id, tor_comment.pk, expect=NOBODY),
        get(
            "comment_edit",
            consultation.pk,
            own_comment.pk,
            expect=(LOGIN, 404, 404, 404, 200, 404),  # its author only
        ),
        post(
            "comment_edit",
            consultation.pk,
            own_comment.pk,
            expect=(LOGIN, 404, 404, 404, 302, 404),
            data={"text": "Changed.", "revision": own_comment.revision},
        ),
        get("comment_withdraw", consultation.pk, own_comment.pk, expect=POST_ONLY),
        post(
            "comment_withdraw",
            consultation.pk,
            own_comment.pk,
            expect=(LOGIN, 404, 404, 404, 302, 404),
        ),
        get("no_comments", consultation.pk, expect=POST_ONLY),
        post("no_comments", consultation.pk, expect=(LOGIN, 404, 404, 404, 302, 302)),
        get("no_comments_withdraw", consultation.pk, expect=POST_ONLY),
        post("no_comments_withdraw", consultation.pk, expect=(LOGIN, 404, 404, 404, 302, 302)),
        # --- the secretariat's pages of the consultation cycle
        get("version_new", tor.pk, expect=SECRETARIAT),
        post(
            "version_new",
            tor.pk,  # the Guidance Note's consultation is open: no new version meanwhile
            expect=SECRETARIAT_POST,
            data={"text": "1. A third version.", "change_summary": "Shorter."},
        ),
        get("version_share", note.pk, 2, expect=POST_ONLY),
        post("version_share", note.pk, 2, expect=SECRETARIAT_POST),
        get("consultation_new", note.pk, 2, expect=SECRETARIAT),
        post(
            "consultation_new",
            concept_note.pk,
            1,
            expect=SECRETARIAT_POST,
            data={
                "audience": Group.objects.get(slug="gcg").pk,
                "opens_at": "2030-01-01T09:00:00",
                "closes_at": "2030-01-15T17:00:00",
            },
        ),
        get("consultation_manage", consultation.pk, expect=SECRETARIAT),
        get("comment_dispose", consultation.pk, own_comment.pk, expect=POST_ONLY),
        post(
            "comment_dispose",
            consultation.pk,
            own_comment.pk,
            expect=SECRETARIAT_POST,
            data={f"c{own_comment.pk}-disposition": "accepted", f"c{own_comment.pk}-reply": "Yes"},
        ),
        get("consultation_close", consultation.pk, expect=SECRETARIAT),
        post("consultation_close", consultation.pk, expect=SECRETARIAT_POST),
        get("dispositions_publish", consultation.pk, expect=POST_ONLY),
        post(
            "dispositions_publish",
            consultation.pk,
            expect=SECRETARIAT_POST,
            data={"published": "1"},
        ),
        get("matrix_csv", consultation.pk, expect=SECRETARIAT),
        get("matrix_xlsx", consultation.pk, expect=SECRETARIAT),
        get("matrix_docx", consultation.pk, expect=SECRETARIAT),
        # --- the secretariat invites people
        get("person_invite", expect=SECRETARIAT),
        post(
            "person_invite",
            expect=SECRETARIAT_POST,
            data={
                "full_name": "Ana Pérez",
                "email": "ana.perez@example.org",
                "language": "en",
                f"group-{Group.objects.get(slug='gcg').pk}": "member",
            },
        ),
        get(
            "person_invited", member.pk, expect=SECRETARIAT, shows=[(member.email, BY_SECRETARIAT)]
        ),
        # --- members: events, action groups, pathfinder countries
        get("search", expect=MEMBERS),  # the box; what it finds: tests/test_search.py
        get(
            "event_list",
            expect=MEMBERS,
            shows=[("High Level Political Forum", BY_GCG), ("Open day for every", BY_MEMBERS)],
        ),
        get("event_export", "csv", expect=MEMBERS),
        get("event_export", "xlsx", expect=MEMBERS),
        get("action_group_list", expect=MEMBERS),
        get(
            "action_group_detail",
            "supply-chains",
            expect=MEMBERS,
            shows=[
                ("Chaired by ILO", BY_MEMBERS),
                (chair.full_name, BY_SUPPLY_CHAINS),
                (reverse("work_plan", args=["supply-chains"]), BY_CHAIRS),
            ],
        ),
        get("action_group_detail", "no-such-group", expect=(LOGIN, 403, 403, 404, 404, 404)),
        # --- an action group's chairs (and the secretariat): its work plan
        get("work_plan", "supply-chains", expect=CHAIRS, shows=[(activity.title, BY_CHAIRS)]),
        get("work_plan", "no-such-group", expect=(LOGIN, 403, 403, 404, 404, 404)),
        get("activity_add", "supply-chains", expect=CHAIRS),
        post("activity_add", "supply-chains", expect=CHAIRS_POST, data=activity_data),
        get("activity_edit", "supply-chains", activity.pk, expect=CHAIRS),
        get("activity_edit", "supply-chains", 999999, expect=(LOGIN, 403, 403, 404, 403, 404)),
        post("activity_edit", "supply-chains", activity.pk, expect=CHAIRS_POST, data=activity_data),
        get("activity_status", "supply-chains", activity.pk, expect=POST_ONLY),
        post(
            "activity_status",
            "supply-chains",
            activity.pk,
            expect=CHAIRS_POST,
            data={f"activity-{activity.pk}-status": "planned"},
        ),
        get("action_group_summary", "supply-chains", expect=CHAIRS),
        post(
            "action_group_summary",
            "supply-chains",
            expect=CHAIRS_POST,
            data={"summary": "Mapping supply chains."},
        ),
        get(
            "pathfinder_list",
            expect=MEMBERS,
            shows=[("Madagascar", BY_MEMBERS), ("Peru", BY_SECRETARIAT)],
        ),
        get(
            "pathfinder_detail",
            "MG",
            expect=MEMBERS,
            shows=[
                (report.title, BY_GCG),
                ("Ravo Rakoto", BY_SECRETARIAT),
                ("ravo@example.mg", BY_SECRETARIAT),
                ("office of the minister", BY_SECRETARIAT),
            ],
        ),
        get("pathfinder_detail", hidden.country.code, expect=(LOGIN, 403, 403, 404, 404, 200)),
        get("pathfinder_detail", "ZZ", expect=(LOGIN, 403, 403, 404, 404, 404)),
        # --- the secretariat's pipeline
        get("pathfinder_stage", "MG", expect=POST_ONLY),
        post(
            "pathfinder_stage",
            "MG",
            expect=SECRETARIAT_POST,
            data={"stage": "withdrawn", "note": "Moved by a test."},
        ),
        get(
            "pathfinder_triage",
            expect=SECRETARIAT,
            shows=[("Ghana", BY_SECRETARIAT), ("Best Watches", BY_NOBODY)],  # spam: a count
        ),
        get("pathfinder_triage_submission", ghana.pk, expect=POST_ONLY),
        post(
            "pathfinder_triage_submission",
            ghana.pk,
            expect=SECRETARIAT_POST,
            data={f"{ghana.pk}-action": "reject", f"{ghana.pk}-reason": "Not now."},
        ),
        get("workshop_add", "MG", expect=SECRETARIAT),
        post(
            "workshop_add",
            "MG",
            expect=SECRETARIAT_POST,
            data={"title": "Validation workshop", "status": "planned"},
        ),
        get("workshop_edit", "MG", madagascar.workshops.first().pk, expect=SECRETARIAT),
        get("workshop_edit", "MG", 999999, expect=(LOGIN, 403, 403, 403, 403, 404)),
        get("roadmap_edit", "MG", expect=SECRETARIAT),
        post("roadmap_edit", "MG", expect=SECRETARIAT_POST, data={"priorities": "- Inspection"}),
        get("pathfinder_board", expect=SECRETARIAT),
        get("pathfinder_board_csv", expect=SECRETARIAT),
        get("pathfinder_board_xlsx", expect=SECRETARIAT),
        # --- the admin: staff status lets one in; what it shows depends on admin permissions
        get("admin:index", expect=(ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN, ADMIN_LOGIN, 200)),
        get(
            "admin:coordination_meeting_change",
            meeting.pk,
            expect=(ADMIN_LOGIN, ADMIN_LOGIN, 403, ADMIN_LOGIN, ADMIN_LOGIN, 200),
        ),
    ]


def outcome(response):
    if response.status_code == 302:
        if response["Location"].startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if response["Location"].startswith(reverse("login") + "?next="):
            return LOGIN
    return response.status_code


def database_state() -> dict:
    """Every row of every table but sessions, login records and users' last logins."""
    state = {}
    for model in django_apps.get_models():
        if model._meta.app_label in ("sessions", "axes", "contenttypes"):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
        state[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return state


def visitors(demo, no_membership, staff_without_permissions):
    people = [None, no_membership, staff_without_permissions]
    people += [demo["chair"], demo["member"], demo["secretariat"]]
    return dict(zip(ROLES, people, strict=True))


def site_url_names() -> set[str]:
    """The names of the site's URL patterns, walking the resolver as Django does."""
    names = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in SKIPPED_NAMESPACES and not route.startswith(SKIPPED_PREFIXES):
                    walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"{route} has no name: name it and give it a row"
                if pattern.name not in PUBLIC_AUTH_VIEWS:
                    names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", None)
    return names


def test_every_url_of_the_site_has_a_row(demo):
    names = site_url_names()
    assert "pathfinder_stage" in names and "dashboard" in names  # the walk finds the site
    missing = names - {case.name for case in cases(demo)}
    assert not missing, f"URLs without a row in the table of who sees what: {sorted(missing)}"


def get_and_check(client, case, column: int, who: str) -> list[str]:
    """The answer to a GET, and which of the row's texts the page shows, as the table says."""
    response = client.get(case.url)
    got = outcome(response)
    failures = []
    if got != case.expected[column]:
        failures.append(f"GET {case.url} as {who}: {got}, expected {case.expected[column]}")
    page = response.content.decode() if case.shows and got == 200 else ""
    for text, readers in case.shows:
        if (text in page) != readers[column]:
            seen = "reads" if text in page else "does not read"
            failures.append(f"GET {case.url} as {who} {seen} “{text}”")
    return failures


def test_who_sees_what(client, demo, no_membership, staff_without_permissions, delivered):
    """Each row × each visitor; a refused POST leaves every table as it was and sends nothing;
    an accepted POST is rolled back, so that each row starts from the demo as loaded."""
    people = visitors(demo, no_membership, staff_without_permissions)
    failures = []
    for case in cases(demo):
        before = database_state() if case.method == "post" else None
        for column, (role, expected) in enumerate(zip(ROLES, case.expected, strict=True)):
            client.logout()
            if people[role]:
                client.force_login(people[role])
            if case.method == "get":
                failures += get_and_check(client, case, column, role)
                continue
            sent = len(delivered())
            if expected in REFUSED:
                got = outcome(client.post(case.url, case.data))
                if database_state() != before:
                    failures.append(f"POST {case.url} as {role} changed the database")
                if len(delivered()) != sent:
                    failures.append(f"POST {case.url} as {role} sent an email")
            else:
                with transaction.atomic():
                    got = outcome(client.post(case.url, case.data))
                    transaction.set_rollback(True)
            if got != expected:
                failures.append(f"POST {case.url} as {role}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_the_secretariat_permission_alone_opens_what_the_secretariat_sees(
    client, demo, secretariat_by_permission
):
    """Neither staff nor superuser nor in any group of people: the same pages and texts as the
    secretariat (the admin aside: staff status opens it)."""
    client.force_login(secretariat_by_permission)
    failures = []
    for case in cases(demo):
        if case.method == "get" and not case.name.startswith("admin:"):
            failures += get_and_check(client, case, ROLES.index("secretariat"), "the permission")
    assert not failures, "\n".join(failures)


def test_staff_status_alone_gives_no_secretariat_power(client, demo, staff_without_permissions):
    country = PathfinderCountry.objects.get(country="MG")
    client.force_login(staff_without_permissions)
    response = client.post(
        reverse("pathfinder_stage", args=["MG"]), {"stage": "withdrawn", "note": "x"}
    )
    assert response.status_code == 403
    country.refresh_from_db()
    assert country.stage != "withdrawn"
    admin = client.get(reverse("admin:index")).content.decode()
    assert "You don’t have permission to view or edit anything." in admin
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("pathfinder_board") not in dashboard  # no “Pipeline” in the navigation
    assert reverse("admin:index") in dashboard  # but the admin's door


def test_the_secretariat_is_who_holds_the_permission(
    demo, secretariat, staff_without_permissions, secretariat_by_permission, no_membership
):
    holders = {u for u in User.objects.all() if u.is_secretariat}
    assert holders == set(selectors.secretariat_users())
    assert holders == {demo["secretariat"], secretariat, secretariat_by_permission}
    assert demo["secretariat"].groups.filter(name=SECRETARIAT_GROUP).exists()
    secretariat_by_permission.is_active = False
    secretariat_by_permission.save()
    assert secretariat_by_permission not in selectors.secretariat_users()


def test_public_submissions_are_told_to_the_secretariat_not_to_staff(
    demo, staff_without_permissions, secretariat_by_permission, delivered, settings
):
    settings.SECRETARIAT_EMAIL = ""
    public_submission_notify(
        submission=InterestSubmission.objects.get(country="GH"),
        confirmation_template="pathfinders/email/interest_confirmation",
        subject="Thank you",
        secretariat_subject="To triage",
        triage_path="/pathfinders/triage/",
    )
    notice = next(m for m in delivered() if m.subject == "To triage")
    assert notice.to == sorted([demo["secretariat"].email, secretariat_by_permission.email])


def test_a_member_who_does_not_own_an_item_sees_it_but_cannot_change_it(client, demo):
    item = ActionItem.objects.get(meeting=demo["meeting"], order=3)  # owned by the Secretariat
    client.force_login(demo["member"])
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200
    assert b"Save status" not in page.content


def test_missing_pages_use_the_site_layout(client, demo):
    client.force_login(demo["member"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find this page." in response.content.decode()
    assert "Alliance 8.7" in response.content.decode()


def test_the_migration_gives_the_group_the_permission_and_puts_the_staff_of_the_day_in_it(db):
    """Until the migration, staff status gave the secretariat's powers: who had them keeps them."""
    migration = importlib.import_module("coordination.migrations.0003_secretariat_permission")
    AuthGroup.objects.filter(name=SECRETARIAT_GROUP).delete()
    officer = factories.UserFactory(is_staff=True)
    member = factories.UserFactory()
    migration.secretariat_group_create(django_apps, SimpleNamespace(connection=connection))
    group = AuthGroup.objects.get(name=SECRETARIAT_GROUP)
    assert [p.codename for p in group.permissions.all()] == ["act_as_secretariat"]
    assert list(group.user_set.all()) == [officer]
    assert User.objects.get(pk=officer.pk).is_secretariat
    assert not User.objects.get(pk=member.pk).is_secretariat


def test_spam_is_counted_apart_not_listed_under_recently_triaged(client, demo):
    rejected = InterestSubmission.objects.get(country="GH")
    rejected.status, rejected.reason = "rejected", "Not now."
    rejected.save()
    client.force_login(demo["secretariat"])
    page = client.get(reverse("pathfinder_triage")).content.decode()
    recent = page.split("Recently triaged", 1)[1]
    assert "Not now." in recent
    assert "Best Watches" not in page  # the demo's spam
    assert "1 submission is kept as spam" in page
