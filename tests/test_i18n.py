"""English, French and Spanish in full: the catalogues, the main pages, the emails, dates and
country names, each in the reader's language."""

import datetime
import html
import os
import re
import shutil
import subprocess
import sys
import zoneinfo
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django_countries import countries
from icalendar import Calendar

from actiongroups.models import ActionGroup
from coordination import consultations
from coordination.models import ActionItem, Consultation
from pathfinders.models import PathfinderCountry
from tests import factories
from tests.test_public_forms import NOW, interest

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("fr", "es")
# What makemessages reads: the apps, the project and the templates (not the tests or benchmarks).
SOURCES = (
    "actiongroups",
    "alliance87",
    "api",
    "coordination",
    "pathfinders",
    "search",
    "templates",
)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def unfinished(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]


# --- the catalogues ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogues_from_the_code(tmp_path_factory):
    """The catalogues as `make messages` would make them from the code now, in a copy of the
    project (the working tree is left as it is)."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("CI needs gettext (xgettext) for the catalogue test (see .ci/run)")
        pytest.skip("needs gettext (xgettext); runs in CI")
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", copy / "locale")
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "es", "--no-location",
         "--no-obsolete"],
        cwd=copy, check=True, capture_output=True, env={**os.environ, "DEBUG": "1"},
    )  # fmt: skip
    return {
        language: polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_finds_nothing_untranslated_or_fuzzy(catalogues_from_the_code, language):
    made = catalogues_from_the_code[language]
    assert len(made) > 1000
    assert unfinished(made) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_is_the_codes_and_compiled(catalogues_from_the_code, language):
    committed = catalogue(language)
    made = catalogues_from_the_code[language]
    assert {(e.msgctxt, e.msgid) for e in committed} == {(e.msgctxt, e.msgid) for e in made}
    compiled = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    in_mo = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled if e.msgid}
    in_po = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in committed}
    assert in_mo == in_po


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
    for entry in catalogue(language):
        if not entry.msgid_plural:
            assert sorted(placeholder.findall(entry.msgstr)) == sorted(
                placeholder.findall(entry.msgid)
            ), (entry.msgid, entry.msgstr)
            continue
        # a singular may leave the count out ("Save this comment"); the plural keeps all
        allowed = set(placeholder.findall(entry.msgid + entry.msgid_plural))
        forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
        for text in forms:
            assert set(placeholder.findall(text)) <= allowed, (entry.msgid, text)
        assert sorted(placeholder.findall(forms[-1])) == sorted(
            placeholder.findall(entry.msgid_plural)
        ), (entry.msgid_plural, forms[-1])


# --- the main pages ----------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the attributes shown or read aloud."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    UNSPOKEN = ("script", "style", "code", "pre", "kbd")  # code is written as it is typed

    def handle_starttag(self, tag, attrs):
        if tag in self.UNSPOKEN:
            self._skip += 1
        attrs = dict(attrs)
        shown = [name for name in self.SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            shown.append("value")
        self.texts += [attrs[name] for name in shown]

    def handle_endtag(self, tag):
        if tag in self.UNSPOKEN:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def visible_texts(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    return [" ".join(html.unescape(text).split()) for text in parser.texts]


PLACEHOLDER = r"%\([a-z_]+\)[sd]|%[sd]|\{\{ *[a-z_.]+ *\}\}"


def patterns(texts, flags=0) -> list[re.Pattern]:
    """Whole-text patterns of catalogue strings; a placeholder matches anything."""
    found = []
    for text in texts:
        parts = re.split(PLACEHOLDER, " ".join(text.split()))
        if any(re.search(r"[A-Za-z]{3}", part) for part in parts):
            pattern = ".+?".join(re.escape(part) for part in parts)
            found.append(re.compile(f"^{pattern}$", flags))
    return found


def catalogue_texts(language: str, *, side: str) -> list[str]:
    """The catalogue's English (`msgid`) or translated (`msgstr`) texts; for the English, only
    those the language writes differently ("Documents" is French too)."""
    texts = []
    for entry in catalogue(language):
        translated = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        if side == "msgstr":
            texts += translated
        elif entry.msgid and entry.msgid not in translated:
            texts += filter(None, [entry.msgid, entry.msgid_plural])
    return texts


def record_texts() -> list[str]:
    """What the record itself says (names, titles, minutes): English as it was written, not
    the site's own words, even where the two coincide."""
    texts = []
    for model in apps.get_models():
        if model._meta.app_label not in ("coordination", "pathfinders", "actiongroups"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            texts += [
                "\n".join(" ".join(line.split()) for line in value.casefold().splitlines())
                for value in row
                if value
            ]
    return texts


class Reader:
    """Tells the site's own English on a French or Spanish page from what may stay as it is:
    the record's text, names written alike in every language, and the words the translation
    itself writes as English does."""

    SEPARATORS = r" – |—| \(|\)|, |; |: |\. |^[IVX]+\.|·|\|"

    def __init__(self, language: str):
        self.english = patterns(catalogue_texts(language, side="msgid"))
        # A field's label is its verbose name with a capital letter.
        self.translated = patterns(catalogue_texts(language, side="msgstr"), re.IGNORECASE)
        texts = record_texts()
        self.record = "\n".join(texts)
        # Its values, and the pieces its Markdown shows apart (headings, items, link texts).
        markdown = r"\[|\]\([^)]*\)|\*\*|^#+ |^[-*] |^\d+\. "
        self.record_values = {" ".join(text.split()) for text in texts} | {
            piece.strip(" .:;,!?()–")
            for text in texts
            for line in text.splitlines()
            for piece in re.split(f"{self.SEPARATORS}|{markdown}", line.strip())
        }
        with translation.override(language):
            names = {str(name) for _code, name in countries}
        names |= {piece for name in names for piece in self.pieces(name)}
        zones = {zone.replace("_", " ") for zone in zoneinfo.available_timezones()}
        self.alike = {name.casefold() for name in SAME_IN_EVERY_LANGUAGE | names | zones}

    def is_ours(self, piece: str) -> bool:
        piece = piece.strip(" .:;,!?()–")
        return (
            not re.search(r"[A-Za-z]{3}", piece)
            or piece.casefold() in self.alike
            or self.in_record(piece.casefold())
            or any(pattern.match(piece) for pattern in self.translated)
        )

    def in_record(self, piece: str) -> bool:
        """A whole value of the record, or three words or more of its text (a word or two
        could be anything: "Annexes" is in the minutes too)."""
        piece = " ".join(piece.split())
        if piece in self.record_values:
            return True
        return len(piece.split()) >= 3 and re.search(
            rf"(?<!\w){re.escape(piece)}(?!\w)", self.record
        )

    def pieces(self, text: str) -> list[str]:
        return [piece.strip(" .:;,!?()–") for piece in re.split(self.SEPARATORS, text)]

    def is_english(self, text: str, *, english_page: set[str]) -> bool:
        """The text, or a piece of it, is one of the site's English phrases or is written as
        the English page writes it, and is not the record's or alike in every language."""
        if self.is_ours(text):
            return False
        if any(pattern.match(text) for pattern in self.english):
            return True
        return any(
            piece in english_page or any(pattern.match(piece) for pattern in self.english)
            for piece in self.pieces(text)
            if not self.is_ours(piece)
        )


def main_pages(demo) -> list[tuple[str, str | None]]:
    """(address, who reads it: a demo role, or None for the public)."""
    consultation = Consultation.objects.order_by("-opens_at").first()
    item = ActionItem.objects.order_by("pk").first()
    public = PathfinderCountry.objects.public().order_by("country").first()
    group = ActionGroup.objects.order_by("pk").first()
    meeting = demo["meeting"]
    return [
        (reverse("dashboard"), "member"),
        (reverse("meeting_detail", args=[meeting.pk]), "member"),
        (reverse("action_item_list"), "member"),
        (reverse("action_item_detail", args=[item.pk]), "secretariat"),
        (reverse("document_list"), "member"),
        (reverse("consultation_detail", args=[consultation.pk]), "member"),
        (reverse("consultation_manage", args=[consultation.pk]), "secretariat"),
        (reverse("event_list"), "member"),
        (reverse("pathfinder_board"), "secretariat"),
        (group.get_absolute_url(), "chair"),
        (reverse("pathfinder_public_detail", args=[public.country.code]), None),
        (reverse("partner_form"), None),
        (reverse("interest_form"), None),
        (reverse("preferences"), "member"),
    ]


def page_texts(client, demo, address, role, language) -> list[str]:
    client.logout()
    if role:
        demo[role].language = language
        demo[role].save(update_fields=["language"])
        client.force_login(demo[role])
    response = client.get(address, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, address
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    return visible_texts(page)


# Written the same in every language: names, the report's links, file formats, and each
# language in its own name (the language menu); time zones go by their tz database names.
SAME_IN_EVERY_LANGUAGE = {"Alliance 8.7", "GCG", "www.Alliance87.org", "@Alliance8_7", "#Achieve87"}
SAME_IN_EVERY_LANGUAGE |= {"PDF", "CSV", "Excel", "Word", "docx"}
SAME_IN_EVERY_LANGUAGE |= {
    info["name_local"] for info in LANG_INFO.values() if "name_local" in info
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_main_pages_show_no_english_of_the_sites_own(client, demo, language):
    """On each main page in French or Spanish, no text is one of the site's own English
    phrases (the catalogue's), and none is left as the English page writes it, except what
    the record itself says (the minutes, names and titles are English and stay so)."""
    reader = Reader(language)
    english = []
    for address, role in main_pages(demo):
        texts = page_texts(client, demo, address, role, "en")
        english_page = {piece for text in texts for piece in reader.pieces(text)}
        english += [
            (address, text)
            for text in page_texts(client, demo, address, role, language)
            if reader.is_english(text, english_page=english_page)
        ]
    assert english == [], "\n".join(map(str, english))


@pytest.mark.parametrize(
    ("language", "day"),
    [("en", "28 November 2018"), ("fr", "28 novembre 2018"), ("es", "28 de noviembre de 2018")],
)
def test_the_meeting_date_is_written_in_the_readers_language(client, demo, language, day):
    member = demo["member"]
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)
    page = client.get(reverse("meeting_detail", args=[demo["meeting"].pk])).content.decode()
    assert day in page


# --- country names ---------------------------------------------------------------------------


def country_options(page: str) -> list[str]:
    select = page.split('name="country"', 1)[1].split("</select>", 1)[0]
    return [
        html.unescape(name)
        for name in re.findall(r"<option value=\"[A-Z]{2}\"[^>]*>([^<]+)", select)
    ]


@pytest.mark.parametrize(
    ("language", "before", "after", "named"),
    [
        ("en", "Egypt", "El Salvador", "Trinidad and Tobago"),
        ("fr", "Égypte", "Émirats arabes unis", "Trinité-et-Tobago"),  # among the E
        ("es", "Egipto", "El Salvador", "Trinidad y Tobago"),  # the package writes “yTobago”
    ],
)
def test_the_interest_form_names_countries_in_the_readers_language_and_order(
    client, db, language, before, after, named
):
    page = client.get(reverse("interest_form"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    names = country_options(page)
    assert named in names
    assert len(names) > 240
    assert names.index(before) == names.index(after) - 1
    assert names[-1] == ("Zimbabue" if language == "es" else "Zimbabwe")


# --- emails ------------------------------------------------------------------------------------


def senders_of(messages: dict) -> dict:
    found = {}
    for to, message in messages.items():
        parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
        (address,) = parsed["From"].addresses
        found[to] = (address.display_name, address.addr_spec)
    return found


def subject_of(message) -> str:
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    # Decoded (RFC 2047) by the standard parser; a long subject is folded right after the
    # colon, and the folding white space is not part of what a mail program shows.
    return str(parsed["Subject"]).lstrip()


def test_a_french_ministry_and_each_staff_member_read_their_own_language(
    client, secretariat, settings, delivered
):
    settings.SECRETARIAT_EMAIL = ""
    spanish_officer = factories.UserFactory(
        email="oficial@example.org", is_staff=True, is_superuser=True, language="es"
    )
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("interest_form"),
            interest(country="EG"),
            REMOTE_ADDR="203.0.113.7",
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in delivered()}
    assert set(by_address) == {"ama@example.gov.gh", "officer@example.org", spanish_officer.email}

    def expected(language, msgid, **values):
        with translation.override(language):
            return translation.gettext(msgid) % values

    confirmation = by_address["ama@example.gov.gh"]
    assert subject_of(confirmation) == expected(
        "fr", "We received your request to join Alliance 8.7 as a pathfinder country"
    )
    assert "Égypte" in confirmation.body
    notice = "New pathfinder interest: %(country)s"
    assert subject_of(by_address["officer@example.org"]) == "New pathfinder interest: Egypt"
    assert subject_of(by_address[spanish_officer.email]) == expected("es", notice, country="Egipto")
    assert subject_of(by_address[spanish_officer.email]) != "New pathfinder interest: Egipto"
    # The sender is named in each reader's language too.
    assert senders_of(by_address) == {
        "ama@example.gov.gh": ("Secrétariat de l’Alliance 8.7", "noreply@alliance87.org"),
        "officer@example.org": ("Alliance 8.7 Secretariat", "noreply@alliance87.org"),
        spanish_officer.email: ("Secretaría de la Alianza 8.7", "noreply@alliance87.org"),
    }
    assert translation.get_language() == settings.LANGUAGE_CODE


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_and_confirmation_subjects_are_translated(language):
    po = catalogue(language)
    for msgid in (
        "Your invitation to the Alliance 8.7 coordination site",
        "We received your request to join Alliance 8.7 as a pathfinder country",
        "We received your application to join Alliance 8.7 as a partner",
        "Choose a new password for the Alliance 8.7 site",
    ):
        entry = po.find(msgid)
        assert entry and entry.msgstr and entry.msgstr != msgid and not entry.fuzzy, msgid


def test_the_language_menu_names_each_language_in_itself(client, db):
    page = client.get(reverse("interest_form"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Français<" in page and ">Español<" in page and ">English<" in page


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "September 2019"), ("fr", "septembre 2019"), ("es", "septiembre de 2019")],
)
def test_a_month_is_written_as_the_language_writes_it(language, written):
    with translation.override(language):
        assert date_format(datetime.date(2019, 9, 1), "YEAR_MONTH_FORMAT") == written


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "3rd GCG meeting"), ("fr", "3e réunion du GCG"), ("es", "3.ª reunión del GCG")],
)
def test_a_meeting_is_numbered_as_the_language_writes_it(gcg, language, title):
    meeting = factories.MeetingFactory(group=gcg, number=3)
    with translation.override(language):
        assert meeting.title == title


@pytest.mark.parametrize(
    ("language", "title", "deadline"),
    [
        ("fr", "5e réunion du GCG", "Échéance des commentaires : "),
        ("es", "5.ª reunión del GCG", "Plazo para comentarios: "),
    ],
)
def test_the_calendar_feed_is_written_in_the_persons_language(
    client, gcg, language, title, deadline
):
    """The calendar program fetches the feed without signing in and asks in its own (often
    English) language: the entries follow the person's."""
    member = factories.UserFactory(email="feed@example.org", language=language)
    person = factories.MembershipFactory(
        group=gcg, person__user=member, person__email=member.email
    ).person
    factories.MeetingFactory(
        group=gcg, number=5, status="planned",
        starts_on=datetime.date.today() + datetime.timedelta(days=60),
    )  # fmt: skip
    version = factories.DocumentVersionFactory(document__owner_group=gcg, number=1, text="One.")
    consultations.consultation_open(version=version, audience=gcg)
    response = client.get(f"/calendar/{person.calendar_key}.ics", HTTP_ACCEPT_LANGUAGE="en")
    summaries = {
        str(entry["SUMMARY"]) for entry in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert title in summaries
    assert any(summary.startswith(deadline) for summary in summaries)
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_the_invitation_offers_each_language_in_its_own_name(client, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("person_invite")).content.decode()
    select = page.split('id="id_language"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option value=\"(\w+)\"[^>]*>([^<]+)<", select) == [
        ("en", "English"),
        ("fr", "Français"),
        ("es", "Español"),
    ]
