"""Fragments of pages kept rendered until the record changes.

A fragment's key carries the record's generation (RecordStamp, one row), the language, the
time zone and the local date, and what the page says it varies on (the reader, the page
number). Every statement that writes to the record's tables moves the generation on once its
transaction commits, whichever door it came from: a service, the admin, a `QuerySet.update()`,
a worker, a management command. So a write makes every fragment miss at once, in every
process, and there is no invalidation rule per page to forget. Writes to tables that no page
shows (sessions, login attempts, the outbox's and the reminders' bookkeeping) leave it alone,
or sending mail would empty the cache.

Each process keeps its own fragments in memory (the `fragments` cache): the generation comes
from the database, so a process never serves a fragment older than the last commit it can see,
and a page never waits on the network for one.
"""

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .models import RecordStamp

# Tables whose writes change nothing a page shows (prefixes).
UNRECORDED = (
    "django_session",
    "django_admin_log",
    "axes_",
    "coordination_recordstamp",
    "coordination_outboundemail",
    "coordination_reminder",
    "coordination_passwordresetrequest",
    "knox_authtoken",  # personal API tokens (knox removes expired ones as it reads them)
    "api_tokenname",  # and their names
)
# A statement writes if its first word (after comments, brackets and a WITH clause) is one of
# these; it writes to the record unless every table it names is unrecorded.
_LEADING = re.compile(r"(?:\s+|/\*.*?\*/|--[^\n]*\n|\()*", re.S)
_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "MERGE", "REPLACE")
_FIRST_WORD = re.compile(r"\w*")
# a CTE that writes; SELECT ... FOR UPDATE does not
_WITH_WRITE = re.compile(r"\b(?:INSERT|DELETE|MERGE)\b|(?<!FOR )\bUPDATE\b", re.I)
_TABLE = re.compile(r'"(\w+)"')


def writes_to_the_record(sql: str) -> bool:
    """Whether a statement may change what a page shows: when in doubt (a write naming no
    table the way Django quotes them), it does."""
    start = sql[_LEADING.match(sql).end() :]
    first = _FIRST_WORD.match(start).group().upper()
    if first == "WITH":
        if not _WITH_WRITE.search(start):
            return False
    elif first not in _WRITES:
        return False
    tables = [name for name in _TABLE.findall(sql) if name in _model_tables()]
    return not tables or not all(table.lower().startswith(UNRECORDED) for table in tables)


@functools.cache
def _model_tables() -> frozenset[str]:
    """The names that are tables, not columns, in what Django writes."""
    return frozenset(model._meta.db_table for model in apps.get_models(include_auto_created=True))


def fragment(request, name: str, vary: tuple, render: Callable[[], SafeString]) -> SafeString:
    """`render()`'s HTML, rendered once per generation of the record for this `vary` (and the
    language, time zone and date). `render` runs the queries: on a hit none of them runs.
    A fragment holds no form with a CSRF token and nothing that changes with the clock
    unless `vary` names it."""
    html = kept(request, name, vary, lambda: str(render()))
    return mark_safe(html)  # noqa: S308  (what render() returned: its template escaped it)


def kept(request, name: str, vary: tuple, compute: Callable[[], Any]) -> Any:
    """`compute()`'s value (rows, say, that a page then filters by the clock), kept as a
    fragment is: once per generation of the record for this `vary`. It must pickle."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds:
        return compute()
    key = _key(request, name, vary)
    cache = caches["fragments"]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, seconds)
    return value


_MISSING = object()


def _key(request, name: str, vary: tuple) -> str:
    context = (
        generation_of(request),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        *vary,
    )
    digest = hashlib.sha256(repr(context).encode()).hexdigest()
    return f"fragment:{name}:{digest}"


def generation_of(request) -> int:
    """The record's generation, read once per request."""
    if not hasattr(request, "_record_generation"):
        request._record_generation = generation_read()
    return request._record_generation


def generation_read(using: str = "default") -> int:
    stamp = RecordStamp.objects.using(using).filter(pk=1).values_list("generation", flat=True)
    return stamp.first() or 0


def generation_bump(using: str = "default") -> None:
    """Atomic in the database: two commits at once move it on twice. Before the migration
    that creates the stamp (the writes of the earlier ones), there is nothing to move on."""
    stamps = RecordStamp.objects.using(using)
    try:
        if not stamps.filter(pk=1).update(generation=F("generation") + 1):
            stamps.bulk_create([RecordStamp(pk=1, generation=1)], ignore_conflicts=True)
    except DatabaseError:
        connection = connections[using]
        if RecordStamp._meta.db_table in connection.introspection.table_names():
            raise


_bumps: dict[str, Callable[[], None]] = {}


def _bump_on_commit(alias: str) -> None:
    """Once per transaction, after it commits: a reader that sees the new generation also
    sees the new rows, and a rolled-back transaction changes nothing. Outside a transaction,
    at once."""
    connection = connections[alias]
    if not connection.in_atomic_block:
        generation_bump(alias)
        return
    bump = _bumps.setdefault(alias, lambda: generation_bump(alias))
    if not any(entry[1] is bump for entry in connection.run_on_commit):
        connection.on_commit(bump)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if writes_to_the_record(sql):
        _bump_on_commit(context["connection"].alias)
    return result


class GenerationFirst:
    """Reads the generation before the view reads anything: a fragment made from rows read
    before a commit must not be kept under the generation that commit made (the meeting read,
    then someone's edit committed, then the report kept under the new generation with the old
    venue, for every reader). The middleware before it read only the session and the user's
    own row, whose language and time zone are in the key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.FRAGMENT_CACHE_SECONDS and not getattr(view_func, "keeps_nothing", False):
            generation_of(request)


def keeps_nothing(view):
    """A view that keeps no fragment and reads no generation (the bench's bare baseline)."""
    view.keeps_nothing = True
    return view


@receiver(connection_created, dispatch_uid="coordination.caching.watch_writes")
def _connection_watch(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)
