"""Every form of the site that the server can refuse keeps what was typed, and ties the error
to the field that caused it.

Each case posts one refused value with the other fields filled in, as a browser would, and
reads the answer as a browser does: each typed value is back in its field (an input's value,
a textarea's text, the option selected, the box checked), the refused field is marked invalid
and names its error with aria-describedby (what a screen reader reads with the field; crispy
and Django put the error right below it). Passwords are the exception: they are never sent
back. A last test lists the form classes of the site: a new one needs a case here, or a reason
why nothing it receives can be refused.
"""

import datetime
import inspect
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import actiongroups.forms
import coordination.forms
import coordination.public_forms
import pathfinders.forms
from actiongroups.models import ActionGroup, Activity
from coordination import consultations, reminders
from coordination.models import Membership, Organisation, Person, SubmissionStatus
from pathfinders.models import InterestSubmission, PathfinderCountry
from tests import factories

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Field:
    name: str
    form: int  # which <form> of the page it belongs to
    values: list[str] = field(default_factory=list)  # what the browser would send back
    invalid: bool = False
    described_by: list[str] = field(default_factory=list)
    by_fieldset: bool = False  # a group of fields, described (and its error named) together


class FormPage(HTMLParser):
    """The <main> of a page as a browser reads its forms: the fields, each with the values it
    would send back, and the text of every element that has an id (what aria-describedby
    points to)."""

    def __init__(self, page: str):
        super().__init__()
        self.fields: list[Field] = []
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, dict]] = []  # the elements the parser is inside
        self._forms = 0
        self._select: tuple[Field, list[str], bool] | None = None
        self._textarea: Field | None = None
        self.feed(page.split("<main", 1)[1].split("</main>", 1)[0])

    def _field(self, attrs: dict) -> Field:
        described_by, by_fieldset = attrs.get("aria-describedby"), False
        fieldsets = [a for tag, a in self._open if tag == "fieldset"]
        if described_by is None and fieldsets:  # in a group: its fieldset names the error
            described_by, by_fieldset = fieldsets[-1].get("aria-describedby", ""), True
        found = Field(
            attrs["name"],
            self._forms,
            invalid=attrs.get("aria-invalid") == "true",
            described_by=(described_by or "").split(),
            by_fieldset=by_fieldset,
        )
        self.fields.append(found)
        return found

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._forms += 1
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            found = self._field(attrs)
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                found.values.append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = self._field(attrs)
            self._textarea.values.append("")
        elif tag == "select" and attrs.get("name"):
            self._select = (self._field(attrs), [], "multiple" in attrs)
        elif tag == "option" and self._select:
            found, options, _multiple = self._select
            options.append(attrs.get("value", ""))
            if "selected" in attrs:
                found.values.append(attrs.get("value", ""))
        if tag not in VOID:
            self._open.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            found, options, multiple = self._select
            if not found.values and not multiple and options:
                found.values.append(options[0])  # what a browser shows and sends
            self._select = None
        if tag == "textarea" and self._textarea:
            text = self._textarea.values[0]
            self._textarea.values[0] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if self._textarea:
            self._textarea.values[0] += data
        for _tag, attrs in self._open:
            if attrs.get("id"):
                self.texts[attrs["id"]] = self.texts.get(attrs["id"], "") + data

    def text(self, element_id: str) -> str:
        return " ".join(self.texts.get(element_id, "").split())


@dataclass
class Refused:
    response: object
    field: str  # the name of the refused field
    error: str
    kept: dict  # name: the value typed (a list for several boxes or options)


def assert_kept_and_tied(refused: Refused):
    response = refused.response
    assert response.status_code in (200, 400), response.status_code
    page = FormPage(response.content.decode())
    candidates = [f for f in page.fields if f.name == refused.field]
    assert candidates, f"no field {refused.field!r} on the page"
    tied = [f for f in candidates if any(refused.error in page.text(i) for i in f.described_by)]
    errors = [page.text(i) for f in candidates for i in f.described_by]
    assert tied, f"{refused.error!r} is not tied to {refused.field!r}: {errors}"
    form = tied[0].form
    assert tied[0].invalid or tied[0].by_fieldset, "the field is not marked aria-invalid"
    for name, typed in refused.kept.items():
        values = [v for f in page.fields if f.name == name and f.form == form for v in f.values]
        expected = typed if isinstance(typed, list) else [typed]
        assert values == expected, f"{name}: {values} instead of {expected}"


# --- the cases: one per form --------------------------------------------------------------

CASES = {}


def case(*form_classes):
    """Registers a case for the forms it refuses a value of."""

    def register(function):
        CASES[function.__name__] = (form_classes, function)
        return function

    return register


@pytest.fixture
def ilo(db):
    return Organisation.objects.create(
        name="International Labour Organization", acronym="ILO", kind="un_agency"
    )


def open_consultation(group, *, closed=False):
    now = timezone.now()
    version = factories.DocumentVersionFactory(
        document__owner_group=group, number=1, text="1. Scope.\n\n2. Membership and roles."
    )
    window = (
        (now - datetime.timedelta(days=20), now - datetime.timedelta(days=6))
        if closed
        else (now - datetime.timedelta(days=1), now + datetime.timedelta(days=13))
    )
    return consultations.consultation_open(
        version=version, audience=group, opens_at=window[0], closes_at=window[1]
    )


@case(auth_forms.AuthenticationForm)
def log_in_without_a_password(client, request):
    request.getfixturevalue("gcg_member")
    response = client.post(reverse("login"), {"username": "member@example.org", "password": ""})
    return Refused(
        response, "password", "This field is required.", {"username": "member@example.org"}
    )


@case(coordination.forms.OutboxPasswordResetForm)
def password_reset_to_a_broken_address(client, request):
    response = client.post(reverse("password_reset"), {"email": "maria@example"})
    return Refused(response, "email", "Enter a valid email address.", {"email": "maria@example"})


def _set_password_url(client, user, name):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return client.get(reverse(name, args=[uid, token]), follow=True).redirect_chain[-1][0]


@case(auth_forms.SetPasswordForm)
def invitation_with_two_different_passwords(client, request):
    user = request.getfixturevalue("gcg_member")
    url = _set_password_url(client, user, "invitation_accept")
    response = client.post(
        url, {"new_password1": "my own passphrase 87", "new_password2": "my own passphrase 78"}
    )
    return Refused(response, "new_password2", "The two password fields didn’t match.", {})


@case(auth_forms.SetPasswordForm)
def password_reset_with_two_different_passwords(client, request):
    user = request.getfixturevalue("gcg_member")
    url = _set_password_url(client, user, "password_reset_confirm")
    response = client.post(
        url, {"new_password1": "my own passphrase 87", "new_password2": "my own passphrase 78"}
    )
    return Refused(response, "new_password2", "The two password fields didn’t match.", {})


@case(auth_forms.PasswordChangeForm)
def password_change_with_a_wrong_old_password(client, request):
    client.force_login(request.getfixturevalue("gcg_member"))
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not my password",
            "new_password1": "my own passphrase 87",
            "new_password2": "my own passphrase 87",
        },
    )
    return Refused(response, "old_password", "Your old password was entered incorrectly.", {})


@case(coordination.forms.PreferencesForm)
def preferences_with_an_unknown_time_zone(client, request):
    user = request.getfixturevalue("gcg_member")
    client.force_login(user)
    kinds = [name for name, _label in reminders.kind_choices(user)]
    response = client.post(
        reverse("preferences"),
        {
            "account-first_name": "Maria",
            "account-last_name": "Lopez",
            "account-time_zone": "Mars/Olympus_Mons",
            "mail-notification_delivery": "weekly",
            "mail-receive": kinds[1:],
        },
    )
    return Refused(
        response,
        "account-time_zone",
        "“Mars/Olympus_Mons” is not a known time zone.",
        {
            "account-first_name": "Maria",
            "account-last_name": "Lopez",
            "mail-notification_delivery": "weekly",
            "mail-receive": kinds[1:],
        },
    )


@case(coordination.forms.NotificationForm)
def notifications_of_an_unknown_kind(client, request):
    user = request.getfixturevalue("gcg_member")
    client.force_login(user)
    kinds = [name for name, _label in reminders.kind_choices(user)]
    response = client.post(
        reverse("preferences"),
        {
            "account-first_name": "Maria",
            "account-last_name": "Lopez",
            "account-time_zone": "Europe/Madrid",
            "mail-notification_delivery": "weekly",
            "mail-receive": [kinds[0], "horoscope"],
        },
    )
    return Refused(
        response,
        "mail-receive",
        "Select a valid choice. horoscope is not one of the available choices.",
        {
            "account-first_name": "Maria",
            "account-last_name": "Lopez",
            "account-time_zone": "Europe/Madrid",
            "mail-notification_delivery": "weekly",
        },
    )


@case(coordination.forms.VersionForm)
def a_new_version_identical_to_the_last(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    version = factories.DocumentVersionFactory(
        document__owner_group=request.getfixturevalue("gcg"), text="1. Scope."
    )
    response = client.post(
        reverse("version_new", args=[version.document.pk]),
        {"text": "1. Scope.", "change_summary": "Typos.", "share": "on"},
    )
    return Refused(
        response,
        "text",
        f"This text is the same as version {version.number}",
        {"text": "1. Scope.", "change_summary": "Typos.", "share": "on"},
    )


@case(coordination.forms.WordCommentsUploadForm)
def a_word_file_without_comments(client, request):
    import io

    import docx

    from tests.word_files import upload

    gcg_member = request.getfixturevalue("gcg_member")
    client.force_login(gcg_member)
    version = factories.DocumentVersionFactory(
        document__owner_group=request.getfixturevalue("gcg"), text="Scope."
    )
    consultation = consultations.consultation_open(
        version=version, audience=version.document.owner_group
    )
    word = docx.Document()
    word.add_paragraph("Scope.")
    stream = io.BytesIO()
    word.save(stream)
    response = client.post(
        reverse("comments_from_word", args=[consultation.pk]),
        {"word_file": upload(stream.getvalue())},
    )
    return Refused(response, "word_file", "This Word file has no comments.", {})


@case(coordination.forms.ConsultationForm)
def a_consultation_that_closes_before_it_opens(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    gcg = request.getfixturevalue("gcg")
    version = factories.DocumentVersionFactory(document__owner_group=gcg)
    typed = {
        "audience": str(gcg.pk),
        "opens_at": "2030-05-10T09:00:00",
        "closes_at": "2030-05-01T09:00:00",
        "comments_private": "on",
    }
    response = client.post(
        reverse("consultation_new", args=[version.document.pk, version.number]), typed
    )
    return Refused(response, "closes_at", "The window must close after it opens.", typed)


@case(coordination.forms.CommentForm)
def a_comment_after_the_window_closed(client, request):
    client.force_login(request.getfixturevalue("gcg_member"))
    consultation = open_consultation(request.getfixturevalue("gcg"), closed=True)
    response = client.post(
        reverse("comment_create", args=[consultation.pk]),
        {"paragraph": "2", "text": "Name the chair's deputy.", "submission_key": ""},
    )
    return Refused(
        response,
        "text",
        "comments are no longer accepted",
        {"paragraph": "2", "text": "Name the chair's deputy."},
    )


@case(coordination.forms.CommentEditForm)
def a_comment_edited_meanwhile_in_another_tab(client, request):
    user = request.getfixturevalue("gcg_member")
    client.force_login(user)
    consultation = open_consultation(request.getfixturevalue("gcg"))
    author = Person.objects.get(user=user)
    comment = consultations.comment_submit(
        consultation=consultation, author=author, paragraph="1", text="Scope is narrow."
    )
    consultations.comment_edit(  # the other tab
        comment=comment, author=author, text="Scope is too narrow.", revision=comment.revision
    )
    response = client.post(
        reverse("comment_edit", args=[consultation.pk, comment.pk]),
        {"text": "Widen the scope to migrants.", "revision": "1"},
    )
    return Refused(response, "text", "changed", {"text": "Widen the scope to migrants."})


@case(coordination.forms.DispositionForm)
def a_disposition_pointing_to_a_version_not_published_yet(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    gcg = request.getfixturevalue("gcg")
    consultation = open_consultation(gcg)
    author = factories.MembershipFactory(group=gcg).person
    comment = consultations.comment_submit(
        consultation=consultation, author=author, paragraph="1", text="Scope is narrow."
    )
    prefix = f"c{comment.pk}-"
    typed = {
        prefix + "disposition": "accepted",
        prefix + "reply": "Widened in paragraph 1.",
        prefix + "answered_in_paragraph": "1",
    }
    response = client.post(reverse("comment_dispose", args=[consultation.pk, comment.pk]), typed)
    return Refused(
        response, prefix + "answered_in_paragraph", "There is no next version yet", typed
    )


@case(coordination.forms.PersonInviteForm)
def an_invitation_to_an_address_already_taken(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    request.getfixturevalue("gcg_member")
    gcg, ilo = request.getfixturevalue("gcg"), request.getfixturevalue("ilo")
    typed = {
        "full_name": "Ana Pérez",
        "organisation": str(ilo.pk),
        "position": "Programme officer",
        "language": "fr",
        f"group-{gcg.pk}": Membership.Role.MEMBER.value,
    }
    response = client.post(reverse("person_invite"), {**typed, "email": "member@example.org"})
    return Refused(
        response,
        "email",
        "already has this address",
        {**typed, "email": "member@example.org"},
    )


@case(coordination.forms.PersonInviteForm)
def an_invitation_into_no_group(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    gcg, ilo = request.getfixturevalue("gcg"), request.getfixturevalue("ilo")
    typed = {
        "full_name": "Ana Pérez",
        "email": "ana@example.org",
        "organisation": str(ilo.pk),
        "position": "Programme officer",
        "language": "fr",
        f"group-{gcg.pk}": "",
    }
    response = client.post(reverse("person_invite"), typed)
    return Refused(response, f"group-{gcg.pk}", "Choose a role in at least one group", typed)


@case(coordination.forms.ActionItemStatusForm)
def done_without_a_note(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    item = factories.ActionItemFactory(meeting__group=request.getfixturevalue("gcg"))
    response = client.post(
        reverse("action_item_status", args=[item.pk]), {"status": "done", "note": "  "}
    )
    return Refused(response, "note", "Say in a few words what was done", {"status": "done"})


@case(pathfinders.forms.InterestForm)
def interest_without_a_focus_area(client, request):
    typed = {
        "country": "KE",
        "institution": "Ministry of Employment and Labour Relations",
        "contact_name": "Ama Mensah",
        "contact_title": "Director of Labour",
        "email": "ama@example.go.ke",
        "phone": "+254 20 2729800",
        "message": "Kenya wishes to become a pathfinder country.",
        "consent_to_contact": "on",
    }
    response = client.post(reverse("interest_form"), typed)
    return Refused(response, "focus_areas", "This field is required.", typed)


@case(actiongroups.forms.PartnerApplicationForm)
def partner_with_a_website_that_is_not_an_address(client, request):
    typed = {
        "organisation_name": "Fair Harvest Network",
        "kind": "civil_society",
        "country": "GH",
        "website": "fair harvest",
        "contact_name": "Kofi Boateng",
        "email": "kofi@example.org",
        "phone": "+233 30 2000000",
        "commitment": "Audit 40 cocoa cooperatives by 2030.",
    }
    response = client.post(reverse("partner_form"), typed)
    return Refused(response, "website", "Enter a valid URL.", typed)


@case(pathfinders.forms.TriageForm)
def a_rejection_without_its_reason(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    submission = InterestSubmission.objects.create(
        country="KE",
        institution="Ministry of Labour",
        contact_name="Ama Mensah",
        email="ama@example.go.ke",
        consent_to_contact=True,
        status=SubmissionStatus.NEW,
        focus_child_labour=True,
    )
    prefix = f"{submission.pk}-"
    typed = {prefix + "action": "reject", prefix + "reason": ""}
    response = client.post(reverse("pathfinder_triage_submission", args=[submission.pk]), typed)
    return Refused(response, prefix + "reason", "Give the reason for rejecting it.", typed)


@case(pathfinders.forms.StageForm)
def a_stage_move_on_a_day_that_does_not_exist(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    PathfinderCountry.objects.create(country="KE", stage="interest")
    typed = {
        "stage": "formal_request",
        "on": "2019-02-30",
        "note": "Letter from the Minister",
        "is_public": "on",
    }
    response = client.post(reverse("pathfinder_stage", args=["KE"]), typed)
    return Refused(response, "on", "Enter a valid date.", typed)


@case(pathfinders.forms.WorkshopForm)
def a_workshop_that_ends_before_it_starts(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    PathfinderCountry.objects.create(country="KE", stage="formal_request")
    typed = {
        "title": "National Strategic Workshop",
        "status": "planned",
        "starts_on": "2019-06-12",
        "ends_on": "2019-06-10",
        "tentative_period": "June 2019",
        "city": "Nairobi",
        "organisers": "Ministry of Labour and ILO",
        "participants_count": "40",
        "lessons_learned": "",
    }
    response = client.post(reverse("workshop_add", args=["KE"]), typed)
    return Refused(response, "ends_on", "The workshop cannot end before it starts.", typed)


@case(pathfinders.forms.RoadmapForm)
def a_roadmap_adopted_in_the_thirteenth_month(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    PathfinderCountry.objects.create(country="KE", stage="roadmap_adopted")
    typed = {"adopted_on": "2019-13-01", "priorities": "- Child labour in mining"}
    response = client.post(reverse("roadmap_edit", args=["KE"]), typed)
    return Refused(response, "adopted_on", "Enter a valid date.", typed)


def _supply_chains():
    group = factories.GroupFactory(slug="supply-chains", name="Supply Chain Action Group")
    return ActionGroup.objects.create(group=group)


@case(actiongroups.forms.ActivityForm)
def an_activity_that_ends_before_it_starts(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    _supply_chains()
    typed = {
        "title": "Launch workshop",
        "kind": "workshop",
        "status": "planned",
        "when": "May 2030",
        "starts_on": "2030-05-04",
        "ends_on": "2030-05-01",
        "description": "In Abidjan.",
        "order": "",
    }
    response = client.post(reverse("activity_add", args=["supply-chains"]), typed)
    return Refused(response, "ends_on", "The activity cannot end before it starts.", typed)


@case(actiongroups.forms.ActivityStatusForm)
def an_activity_status_not_in_the_list(client, request):
    client.force_login(request.getfixturevalue("secretariat"))
    activity = Activity.objects.create(
        action_group=_supply_chains(), title="Research", kind="research", order=1
    )
    name = f"activity-{activity.pk}-status"
    response = client.post(
        reverse("activity_status", args=["supply-chains", activity.pk]), {name: "abandoned"}
    )
    return Refused(response, name, "Select a valid choice.", {})


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_refused_form_keeps_what_was_typed_with_the_error_at_its_field(client, request, name):
    _forms, function = CASES[name]
    assert_kept_and_tied(function(client, request))


# Forms with nothing the server can refuse: each says why.
NOTHING_TO_REFUSE = {
    coordination.forms.ActionItemFilterForm: "filters of a list (GET): a value it cannot use "
    "is left out and the list shows (tests/test_bad_input.py)",
    coordination.forms.CommentFilterForm: "filters of the secretariat's list of comments (GET): "
    "a value it cannot use is left out and the list shows (tests/test_bad_input.py)",
    actiongroups.forms.SummaryForm: "one free text, which may be empty",
    coordination.public_forms.PublicForm: "the hidden fields mixed into the public forms",
    coordination.forms.WordCommentsConfirmForm: "one signed hidden field: an altered or stale "
    "one is refused in the page's alert (tests/test_word_comments.py)",
}


def test_every_form_of_the_site_has_a_case_or_nothing_to_refuse():
    defined = {
        cls
        for module in (
            coordination.forms,
            coordination.public_forms,
            pathfinders.forms,
            actiongroups.forms,
        )
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    }
    covered = {cls for form_classes, _function in CASES.values() for cls in form_classes}
    assert defined - covered - set(NOTHING_TO_REFUSE) == set()
