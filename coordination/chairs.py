"""What a chair sees of the groups they run, on their dashboard: for each group its next
meetings, its latest papers with their status, the consultations on its papers and how far
they are, and what other apps add about the group.

Those apps (actiongroups: the work plan) register a panel provider in their AppConfig.ready
with `register_group_panel`, as the reminder kinds are registered: coordination imports
neither app. The queries are per kind of thing, never per group.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Case, Count, Exists, F, OuterRef, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from . import selectors
from .models import Comment, Consultation, Document, DocumentVersion, Group, Meeting, Membership

MEETINGS_PER_GROUP = 3
PAPERS_PER_GROUP = 5
CONSULTATIONS_PER_GROUP = 3  # of those open or to come, and as many of the latest closed


@dataclasses.dataclass
class GroupPanel:
    """What another app shows of a group: its template reads `panel.data`."""

    template: str
    data: object


PanelProvider = Callable[[list[Group]], dict[int, GroupPanel]]

_panel_providers: dict[str, PanelProvider] = {}


def register_group_panel(name: str, provider: PanelProvider) -> None:
    """`provider(groups)` returns {group id: GroupPanel} for those of the groups it knows, in
    a few queries whatever their number. Registering a name again replaces its provider."""
    _panel_providers[name] = provider


@dataclasses.dataclass
class ConsultationState:
    consultation: Consultation
    state: str  # "upcoming", "open" or "closed"
    comments: int
    responded: int | None = None  # open ones: members of the audience who have responded
    asked: int | None = None  # … of those asked to respond


@dataclasses.dataclass
class ChairedGroup:
    membership: Membership
    meetings: list[Meeting]
    papers: list[DocumentVersion]  # the latest version of each document, newest first
    consultations: list[ConsultationState]
    panels: list[GroupPanel]

    @property
    def group(self) -> Group:
        return self.membership.group


def chaired_groups_overview(
    user, memberships: Iterable[Membership], *, now: datetime.datetime
) -> list[ChairedGroup]:
    """The groups of `memberships` that the user chairs (Membership.is_chair), with what a
    chair follows of each; what the user may not see stays out (the models' visible_to)."""
    chaired = [m for m in memberships if m.is_chair]
    if not chaired:
        return []
    groups = [m.group for m in chaired]
    meetings = _upcoming_meetings(user, groups, today=timezone.localdate(now))
    papers = _latest_papers(user, groups)
    consultations = _consultations(user, groups, now=now)
    panels = defaultdict(list)
    for provider in _panel_providers.values():
        for group_id, panel in provider(groups).items():
            panels[group_id].append(panel)
    return [
        ChairedGroup(
            membership=m,
            meetings=meetings.get(m.group_id, []),
            papers=papers.get(m.group_id, []),
            consultations=consultations.get(m.group_id, []),
            panels=panels.get(m.group_id, []),
        )
        for m in chaired
    ]


def _first_per_group(queryset, *, group: str, order_by: list, limit: int, partition=()):
    """The first `limit` rows of each group (and partition) in one query, however many rows
    the groups have."""
    rank = Window(RowNumber(), partition_by=[F(group), *partition], order_by=order_by)
    return queryset.annotate(rank=rank).filter(rank__lte=limit)


def _by_group(rows, group_id) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[group_id(row)].append(row)
    return dict(grouped)


def _upcoming_meetings(user, groups, *, today) -> dict[int, list[Meeting]]:
    order = [F("starts_on").asc(nulls_last=True), F("window_starts_on").asc(nulls_last=True)]
    meetings = _first_per_group(
        Meeting.objects.visible_to(user).upcoming(today).filter(group__in=groups),
        group="group_id",
        order_by=[*order, "number"],
        limit=MEETINGS_PER_GROUP,
    ).select_related("group")
    rows = sorted(meetings, key=lambda m: m.rank)
    return _by_group(rows, lambda m: m.group_id)


def _latest_papers(user, groups) -> dict[int, list[DocumentVersion]]:
    later = DocumentVersion.objects.filter(
        document=OuterRef("document"), number__gt=OuterRef("number")
    )
    versions = _first_per_group(
        DocumentVersion.objects.filter(
            document__in=Document.objects.visible_to(user).filter(owner_group__in=groups)
        )
        .filter(~Exists(later))
        .with_consultations_close(),
        group="document__owner_group_id",
        order_by=[F("created_at").desc(), F("pk").desc()],
        limit=PAPERS_PER_GROUP,
    ).select_related("document")
    rows = sorted(versions, key=lambda v: v.rank)
    return _by_group(rows, lambda v: v.document.owner_group_id)


def _consultations(user, groups, *, now) -> dict[int, list[ConsultationState]]:
    """Those on the groups' papers: the ones open or to come (soonest to close first), then
    the latest closed."""
    comments = (
        Comment.objects.current()
        .filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    closed = Case(When(closes_at__lte=now, then=Value(True)), default=Value(False))
    closed_at = Case(When(closes_at__lte=now, then=F("closes_at")))  # NULL while running
    rows = list(
        _first_per_group(
            Consultation.objects.visible_to(user)
            .filter(version__document__owner_group__in=groups)
            .annotate(comment_count=Coalesce(Subquery(comments), 0)),
            group="version__document__owner_group_id",
            partition=[closed],
            order_by=[closed_at.desc(), F("closes_at").asc(), F("pk")],
            limit=CONSULTATIONS_PER_GROUP,
        ).select_related("version__document", "audience")
    )
    running = sorted((c for c in rows if not c.has_closed(now)), key=lambda c: c.closes_at)
    ended = sorted((c for c in rows if c.has_closed(now)), key=lambda c: c.closes_at, reverse=True)
    open_ids = [c.pk for c in running if c.has_opened(now)]
    responders, audiences = set(), {}
    if open_ids:
        responders = selectors.consultation_responders(open_ids)
        audiences = selectors.audience_ids(
            {c.audience_id for c in running if c.pk in open_ids}, respondents=True
        )
    states = []
    for c in running + ended:
        if c.has_closed(now):
            states.append(ConsultationState(c, "closed", c.comment_count))
        elif not c.has_opened(now):
            states.append(ConsultationState(c, "upcoming", c.comment_count))
        else:
            asked = audiences.get(c.audience_id, set())
            responded = {person for (pk, person) in responders if pk == c.pk} & asked
            states.append(ConsultationState(c, "open", c.comment_count, len(responded), len(asked)))
    return _by_group(states, lambda s: s.consultation.version.document.owner_group_id)
