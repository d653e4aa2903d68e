"""What a search finds: the records a person may see whose words match, grouped by kind.

Who may see what is never decided here: each kind starts from the site's own rule
(`Meeting.objects.visible_to`, `Document.objects.visible_to`, `ActionItem.objects.visible_to`,
`selectors.events_visible_to`, `selectors.pathfinders_visible_to`), and the words only narrow
it down.

On PostgreSQL the words are matched against the vectors the database keeps (search.Entry, one
partial GIN index per kind) with `websearch_to_tsquery` in English and 'simple' (so "DFID",
"WHO" and quoted phrases work as people type them), ranked by `ts_rank`. On SQLite every word
must appear in one of the same columns (icontains), newest first. Either way the excerpt is
the record's own text, escaped, with the words marked (`highlight`).
"""

import dataclasses
import functools
import operator
import re
from collections.abc import Callable
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coordination import selectors
from coordination.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Document,
    DocumentVersion,
    Group,
    Meeting,
)
from coordination.paragraphs import split_paragraphs
from pathfinders.models import NationalWorkshop, PathfinderCountry

from .models import Entry

MAX_LENGTH = 200  # characters of a search: a phrase or a few words, not a pasted page
MAX_WORDS = 12
PER_KIND = 5  # hits of each kind on the results page; "more" shows one kind alone
PER_KIND_ALONE = 50
EXCERPT_LENGTH = 240

# a word: letters and digits, with the dots, apostrophes and hyphens inside "8.7" or "d'Ivoire"
_WORD = re.compile(r"\w(?:[\w.'’-]*\w)?")
_SUFFIXES = ("ing", "es", "ed", "s")  # "meetings" marks "meeting" too (English stems)


def words_of(text: str) -> list[str]:
    """The words of a search, as the SQLite fallback and the highlighter read them; an empty
    list for punctuation alone ('"&<>|!:*()), which finds nothing on either database."""
    return _WORD.findall(text)[:MAX_WORDS]


class Terms:
    """A search as typed, with what each database and the highlighter make of it."""

    def __init__(self, text: str):
        self.text = text
        # "-word" leaves a word out, as websearch_to_tsquery reads it
        left_out = [token[1:] for token in text.split() if token.startswith("-")]
        self.excluded = words_of(" ".join(left_out))
        self.words = words_of(" ".join(t for t in text.split() if not t.startswith("-")))
        stems = {_stem(word.lower()) for word in self.words}
        alternatives = "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)

    @property
    def query(self) -> SearchQuery:
        """Matches a record whose English stems or whose words as written match: English drops
        "WHO" and "IT" as stop words, 'simple' keeps them."""
        return SearchQuery(self.text, search_type="websearch", config="english") | SearchQuery(
            self.text, search_type="websearch", config="simple"
        )


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def highlight(text: str, terms: Terms) -> SafeString:
    """The text escaped, each word of the search in <mark>: the text never reaches the page
    unescaped, whatever it holds."""
    parts, last = [], 0
    for match in terms.pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308  (every part escaped above)


def excerpt(text: str, terms: Terms) -> SafeString:
    """About EXCERPT_LENGTH characters of a plain text around its first match (its beginning
    when the match was a stem the highlighter does not see), highlighted."""
    text = " ".join(text.split())
    match = terms.pattern.search(text)
    start = 0
    if match and match.end() > EXCERPT_LENGTH * 2 // 3:
        start = text.find(" ", max(0, match.start() - EXCERPT_LENGTH // 3)) + 1
    end = start + EXCERPT_LENGTH
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    piece = highlight(text[start:end], terms)
    return format_html("{}{}{}", "… " if start else "", piece, " …" if end < len(text) else "")


def plain(markdown: str) -> str:
    """Markdown (minutes, a version's text) as the words a reader sees."""
    return " ".join(paragraph.text for paragraph in split_paragraphs(markdown))


@dataclasses.dataclass(frozen=True)
class Hit:
    title: SafeString
    url: str
    where: str  # what it belongs to or where it stands: "3rd GCG meeting", "Version 2 · Final"
    excerpt: SafeString


@dataclasses.dataclass(frozen=True)
class Kind:
    """One section of the results: its records, matched in one query per source."""

    key: str
    heading: str
    sources: tuple[Callable[..., tuple[list[Hit], bool]], ...]


@dataclasses.dataclass(frozen=True)
class Results:
    kind: Kind
    hits: list[Hit]
    has_more: bool


def search(user, text: str, *, kind: str = "") -> list[Results]:
    """The kinds that found something, in the order of KINDS; one kind alone (with more hits)
    if `kind` names one."""
    terms = Terms(text)
    chosen = [k for k in KINDS if k.key == kind] or KINDS
    limit = PER_KIND_ALONE if kind and len(chosen) == 1 else PER_KIND
    results = []
    for each in chosen:
        hits, has_more = [], False
        for source in each.sources:
            found, more = source(user, terms, limit)
            hits += found
            has_more = has_more or more
        if hits:
            results.append(Results(kind=each, hits=hits, has_more=has_more))
    return results


# --- matching -----------------------------------------------------------------------------


def matching(
    records: QuerySet, terms: Terms, *, kind: str, fields: tuple[str, ...], also: Q | None = None
) -> QuerySet:
    """The records (already limited to what the user may see) whose words match, best first.
    `kind` names their vectors (search.Entry), `fields` the same columns for SQLite; `also`,
    on PostgreSQL, what else finds a record (SQLite reads it from `fields`)."""
    if connection.vendor == "postgresql":
        entries = Entry.objects.filter(kind=kind, vector=terms.query)
        rank = entries.filter(object_id=OuterRef("pk")).annotate(
            rank=SearchRank(F("vector"), terms.query)
        )
        return (
            records.filter(Q(pk__in=entries.values("object_id")) | (also or Q(pk__in=[])))
            .annotate(
                search_rank=Coalesce(Subquery(rank.values("rank")[:1]), Value(0.0)),
            )
            .order_by("-search_rank", "-pk")
        )

    def anywhere(word):
        return reduce(lambda q, field: q | Q(**{f"{field}__icontains": word}), fields, Q(pk__in=[]))

    return (
        records.filter(*[anywhere(word) for word in terms.words])
        .exclude(reduce(operator.or_, map(anywhere, terms.excluded), Q(pk__in=[])))
        .order_by("-pk")
    )


def _joined(separator: str, *parts) -> str:
    """The parts that say something (some are lazy translations), joined."""
    return separator.join(str(part) for part in parts if part)


def _first(records: QuerySet, limit: int) -> tuple[list, bool]:
    rows = list(records[: limit + 1])
    return rows[:limit], len(rows) > limit


def _meetings(user, terms, limit):
    records = Meeting.objects.visible_to(user).select_related("group")
    # a meeting's title is its number and its group's name: the groups are few
    named = Group.objects.filter(
        *[Q(name__icontains=word) | Q(short_name__icontains=word) for word in terms.words]
    )
    found = matching(
        records,
        terms,
        kind="meeting",
        fields=("city", "venue", "objective", "dates_note", "participants_note")
        + ("group__name", "group__short_name"),
        also=Q(group__in=named),
    )
    meetings, more = _first(found, limit)
    return [
        Hit(
            title=highlight(meeting.title, terms),
            url=meeting.get_absolute_url(),
            where=_joined(", ", meeting.dates_display, meeting.place_display),
            excerpt=excerpt(
                _joined(" ", meeting.objective, meeting.dates_note, meeting.participants_note),
                terms,
            ),
        )
        for meeting in meetings
    ], more


def _agenda_items(user, terms, limit):
    records = AgendaItem.objects.filter(
        meeting__in=Meeting.objects.visible_to(user).values("pk")
    ).select_related("meeting__group")
    found = matching(records, terms, kind="agenda_item", fields=("title", "minutes"))
    items, more = _first(found, limit)
    return [
        Hit(
            title=highlight(f"{item.numeral}. {item.title}", terms),
            url=f"{item.meeting.get_absolute_url()}#{item.anchor}",
            where=item.meeting.title,
            excerpt=excerpt(plain(item.minutes), terms),
        )
        for item in items
    ], more


def _decisions(user, terms, limit):
    records = Decision.objects.filter(
        meeting__in=Meeting.objects.visible_to(user).values("pk")
    ).select_related("meeting__group")
    decisions, more = _first(matching(records, terms, kind="decision", fields=("text",)), limit)
    return [
        Hit(
            title=highlight(decision.meeting.title, terms),
            url=f"{decision.meeting.get_absolute_url()}#decisions",
            where=decision.meeting.dates_display,
            excerpt=excerpt(decision.text, terms),
        )
        for decision in decisions
    ], more


def _documents(user, terms, limit):
    records = Document.objects.visible_to(user).select_related("owner_group")
    found = matching(records, terms, kind="document", fields=("title", "description"))
    documents, more = _first(found, limit)
    return [
        Hit(
            title=highlight(document.title, terms),
            url=document.get_absolute_url(),
            where=f"{document.get_kind_display()}, {document.owner_group.short_name}",
            excerpt=excerpt(document.description, terms),
        )
        for document in documents
    ], more


def _current_texts(user, terms, limit):
    """The text of each document's current version (its newest); older versions are on the
    document's page, one click away."""
    newer = DocumentVersion.objects.filter(
        document_id=OuterRef("document_id"), number__gt=OuterRef("number")
    )
    records = (
        DocumentVersion.objects.filter(document__in=Document.objects.visible_to(user).values("pk"))
        .filter(~Exists(newer))
        .with_consultations_close()
        .select_related("document")
    )
    found = matching(records, terms, kind="version", fields=("text", "change_summary"))
    versions, more = _first(found, limit)
    hits = []
    for version in versions:
        paragraph = next(
            (p for p in version.paragraphs if p.number and terms.pattern.search(p.text)), None
        )
        url = version.get_absolute_url() + (f"#{paragraph.anchor}" if paragraph else "")
        if paragraph:
            text = paragraph.text
        elif terms.pattern.search(version.change_summary):
            text = version.change_summary
        else:
            text = plain(version.text)
        hits.append(
            Hit(
                title=highlight(version.document.title, terms),
                url=url,
                where=_("Version %(number)s · %(status)s")
                % {"number": version.number, "status": version.status_display},
                excerpt=format_html(
                    "{}{}",
                    _("Paragraph %(number)s: ") % {"number": paragraph.number} if paragraph else "",
                    excerpt(text, terms),
                ),
            )
        )
    return hits, more


def _action_items(user, terms, limit):
    records = ActionItem.objects.visible_to(user).select_related("meeting__group")
    found = matching(records, terms, kind="action_item", fields=("title", "details", "trigger"))
    items, more = _first(found, limit)
    return [
        Hit(
            title=highlight(item.title, terms),
            url=item.get_absolute_url(),
            where=_joined(" · ", item.get_status_display(), item.meeting),
            excerpt=excerpt(_joined(" ", item.details, item.trigger), terms),
        )
        for item in items
    ], more


def _countries(user, terms, limit):
    """By name, in the reader's language or in English: the names are django-countries', not
    the database's."""
    spellings = _country_names("en") + _country_names(translation.get_language() or "en")
    codes = {code for code, name in spellings if all(word.lower() in name for word in terms.words)}
    if not codes:
        return [], False
    records = selectors.pathfinders_visible_to(user, PathfinderCountry.objects.all())
    pathfinders, more = _first(records.filter(country__in=sorted(codes)).order_by("country"), limit)
    return [
        Hit(
            title=highlight(pathfinder.country.name, terms),
            url=pathfinder.get_absolute_url(),
            where=pathfinder.get_stage_display(),
            excerpt=highlight(", ".join(pathfinder.focus_areas), terms),
        )
        for pathfinder in pathfinders
    ], more


@functools.cache
def _country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name in lower case) of every country, in a language: read once per process."""
    with translation.override(language):
        return tuple((code, str(name).lower()) for code, name in countries)


def _workshops(user, terms, limit):
    visible = selectors.pathfinders_visible_to(user, PathfinderCountry.objects.all())
    records = NationalWorkshop.objects.filter(country__in=visible.values("pk")).select_related(
        "country"
    )
    found = matching(
        records, terms, kind="workshop", fields=("title", "city", "organisers", "lessons_learned")
    )
    workshops, more = _first(found, limit)
    return [
        Hit(
            title=highlight(f"{workshop.title} – {workshop.country.country.name}", terms),
            url=workshop.country.get_absolute_url(),
            where=str(workshop.dates_display),
            excerpt=excerpt(
                _joined(" · ", workshop.city, workshop.organisers, plain(workshop.lessons_learned)),
                terms,
            ),
        )
        for workshop in workshops
    ], more


def _events(user, terms, limit):
    records = selectors.events_visible_to(user)
    found = matching(records, terms, kind="event", fields=("title", "city", "description"))
    events, more = _first(found, limit)
    return [
        Hit(
            title=highlight(event.title, terms),
            url=event.get_absolute_url(),
            where=_joined(", ", event.dates_display, event.place_display),
            excerpt=excerpt(event.description, terms),
        )
        for event in events
    ], more


KINDS = [
    Kind("meetings", _("Meetings"), (_meetings, _agenda_items)),
    Kind("decisions", _("Decisions"), (_decisions,)),
    Kind("documents", _("Documents"), (_documents, _current_texts)),
    Kind("action_items", _("Action items"), (_action_items,)),
    Kind("pathfinders", _("Pathfinder countries"), (_countries, _workshops)),
    Kind("events", _("Events"), (_events,)),
]
