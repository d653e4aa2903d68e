"""What a meeting's report says, read once for the page and the PDF alike: one query per kind
of record, however long the meeting."""

import dataclasses

from ..models import ActionItem, Attendance, Meeting


def meeting_report_records(meeting: Meeting) -> dict:
    """The report's records, ordered within the meeting. (The models' default orderings start
    with the meeting's own, its group's kind and name and its number: two joins for nothing.)"""
    attendances = list(_attendances(meeting).order_by("organisation__name", "person__full_name"))
    agenda_items = list(meeting.agenda_items.order_by("order"))
    action_items = list(
        meeting.action_items.select_related("agenda_item", "trigger_document", "trigger_action")
        .with_illustrative_status()
        .prefetch_related(*ActionItem.owners_prefetch())
        .order_by("order", "pk")
    )
    # Section X lists the action points the report lists there; a commitment made under an
    # agenda item follows that item's minutes, as the report records it.
    for agenda_item in agenda_items:
        agenda_item.follow_ups = [a for a in action_items if a.agenda_item_id == agenda_item.pk]
    return {
        "meeting": meeting,
        "agenda_items": agenda_items,
        "attendances": attendances,
        "present": [a for a in attendances if a.status != Attendance.Status.APOLOGIES],
        "apologies": [a for a in attendances if a.status == Attendance.Status.APOLOGIES],
        "decisions": meeting.decisions.select_related(
            "agenda_item", "adopts_version__document"
        ).order_by("agenda_item__order", "order", "pk"),
        "action_items": [a for a in action_items if a.agenda_item_id is None],
        "annexes": meeting.annexes.order_by("number"),
        "events": meeting.events.all(),
    }


def meeting_siblings(meeting: Meeting) -> dict:
    """The group's meetings before and after this one (the page links to them)."""
    siblings = {
        m.number: m
        for m in Meeting.objects.filter(
            group=meeting.group, number__in=[meeting.number - 1, meeting.number + 1]
        )
        .select_related("group")
        .order_by()
    }
    return {"previous": siblings.get(meeting.number - 1), "next": siblings.get(meeting.number + 1)}


@dataclasses.dataclass(frozen=True)
class Participant:
    """A row of Annex I, as the Secretariat lists participants."""

    organisation: str
    constituency: str
    name: str
    status: str


def _attendances(meeting: Meeting):
    """A meeting's attendances with whom and what they name: for the report and Annex I."""
    return meeting.attendances.select_related("person__organisation", "organisation")


def participants(meeting: Meeting) -> list[Participant]:
    return participants_of(_attendances(meeting))


def participants_of(attendances) -> list[Participant]:
    """Annex I: everyone recorded as present, remote or sending apologies, by organisation.
    The organisation is the one represented (else the person's own), and the constituency
    is that organisation's kind; an organisation attending without a named person has an
    empty name."""
    rows = []
    for attendance in attendances:
        person = attendance.person
        organisation = attendance.organisation or (person.organisation if person else None)
        rows.append(
            Participant(
                organisation=str(organisation) if organisation else "",
                constituency=organisation.get_kind_display() if organisation else "",
                name=str(person) if person else "",
                status=attendance.get_status_display(),
            )
        )
    rows.sort(key=lambda row: (row.organisation.casefold(), row.name.casefold()))
    return rows
